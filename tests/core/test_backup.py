"""scripts/backup.py: a backup restored into a new database and media folder holds the
same rows and files as the original; it refuses to restore over data and notices a
damaged file."""

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.models import User
from pdsa import services
from pdsa.models import Attachment
from tests.celery_worker import database_url_or_skip
from tests.pdsa.helpers import make_cycle, make_idea
from tests.pdsa.tenant_builder import png_bytes

ROOT = Path(__file__).resolve().parents[2]


def backup_script(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def query(url: str, statement: str, *, autocommit: bool = False) -> list[tuple]:
    with closing(psycopg2.connect(url)) as handle:
        handle.autocommit = autocommit
        with handle.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_the_same_rows_and_files(
    tenant_a, tmp_path, settings
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    cycle = make_cycle(tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member)
    photo = png_bytes()
    attachment = services.attachment_add(
        cycle=cycle,
        actor=tenant_a.member,
        upload=SimpleUploadedFile("board.png", photo, content_type="image/png"),
    )
    source = database_url_or_skip()
    target_name = f"{connection.settings_dict['NAME']}_restored"
    target = source.rsplit("/", 1)[0] + "/" + target_name
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",  # the app's, which read MEDIA_ROOT
        "DATABASE_URL": source,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "backup-test",
    }

    made = backup_script("backup", "--to", str(tmp_path / "backups"), env=env)
    assert made.returncode == 0, made.stderr
    folder = made.stdout.split()[-1]
    restored_media = tmp_path / "restored"
    try:
        done = backup_script(
            "restore", folder, "--database", target, "--media", str(restored_media), env=env
        )
        assert done.returncode == 0, done.stderr
        assert "all equal to the manifest" in done.stdout

        # Checked here too, not only by the script's own verify.
        assert query(target, "SELECT count(*) FROM pdsa_attachment")[0][0] == (
            Attachment.objects.count()
        )
        assert query(target, "SELECT count(*) FROM accounts_user")[0][0] == User.objects.count()
        assert (restored_media / attachment.file.name).read_bytes() == photo

        # Never over data: the restored database is no longer new.
        again = backup_script(
            "restore", folder, "--database", target, "--media", str(tmp_path / "m2"), env=env
        )
        assert again.returncode == 2
        assert f"database {target_name} already has" in again.stderr

        # A damaged file is named.
        (restored_media / attachment.file.name).write_bytes(b"damaged")
        checked = backup_script(
            "verify", folder, "--database", target, "--media", str(restored_media), env=env
        )
        assert checked.returncode == 2
        assert f"media file {attachment.file.name}: differs" in checked.stderr
    finally:
        query(
            source.rsplit("/", 1)[0] + "/postgres",
            f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)',
            autocommit=True,
        )
