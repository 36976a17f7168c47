#!/usr/bin/env python3
"""Back up the database and the media files; restore them into a new database; verify.

    .venv/bin/python scripts/backup.py backup [--to backups/]
    .venv/bin/python scripts/backup.py restore FOLDER --database URL --media DIR
    .venv/bin/python scripts/backup.py verify FOLDER --database URL --media DIR

`backup` reads the database and MEDIA_ROOT from the app's settings (DATABASE_URL,
MEDIA_ROOT, .env) and writes one folder, qi-backup-<UTC time>/, holding:

* database.dump: `pg_dump -Fc` of the database;
* media.tar: every file under MEDIA_ROOT;
* manifest.json: the row count of every table, read in the very snapshot pg_dump
  dumps (pg_export_snapshot), and each media file's size and SHA-256, plus the
  checksums of the two files above.

The database is read first and the media files after, so every file a dumped row
points at is in the tar (attachments are never deleted from storage, only hidden).

`restore` checks the backup's own checksums, then restores into a NEW database (it
creates it; it refuses one that already has tables) and a new or empty media folder,
and then runs `verify`: the restored row counts and files must equal the manifest.
Nothing is ever restored over live data; switching the app to the restored database
(DATABASE_URL, MEDIA_ROOT) is the operator's step (README, "Backup and restore").
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1


class BackupError(Exception):
    """A refusal or a mismatch, said in one sentence to the operator."""


# --- connections ---------------------------------------------------------------------------


def app_database() -> tuple[dict[str, Any], Path]:
    """The app's database settings and MEDIA_ROOT, as the running app sees them."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError("backups are for PostgreSQL (DATABASE_URL=postgres://...)")
    return database, Path(settings.MEDIA_ROOT)


def from_url(url: str) -> dict[str, Any]:
    """Connection settings from a postgres:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        raise BackupError(f"not a postgres://host/name URL: {url}")
    return {
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


def libpq_env(database: dict[str, Any]) -> dict[str, str]:
    """The environment pg_dump and pg_restore connect with (no password on a command line)."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[name] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    env["PGDATABASE"] = database["NAME"]
    return env


def connect(database: dict[str, Any], name: str | None = None):  # noqa: ANN201 - psycopg2's
    import psycopg2

    return psycopg2.connect(
        dbname=name or database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        connect_timeout=10,
    )


def tool(name: str) -> str:
    """pg_dump/pg_restore: PG_BIN if set, else PATH, else Debian's server folders."""
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / name)
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise BackupError(f"{name} not found (install postgresql-client or set PG_BIN)")


def row_counts(cursor) -> dict[str, int]:  # noqa: ANN001
    """Rows in every table of the public schema."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM public."{table}"')  # noqa: S608 - catalogue names
        counts[table] = cursor.fetchone()[0]
    return counts


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, dict[str, Any]]:
    """Every file under `root`: relative path -> size and SHA-256."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): {"size": path.stat().st_size, "sha256": sha256(path)}
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- backup --------------------------------------------------------------------------------


def backup(destination: Path) -> Path:
    """Write database.dump, media.tar and manifest.json into a new timestamped folder."""
    database, media_root = app_database()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = destination / f"qi-backup-{stamp}"
    folder.mkdir(parents=True)
    dump = folder / "database.dump"

    # One snapshot for the dump and the counts: they describe the same instant even
    # while the app keeps writing.
    connection = connect(database)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            subprocess.run(
                [tool("pg_dump"), "-Fc", "--no-owner", "--snapshot", snapshot, "-f", str(dump)],
                env=libpq_env(database),
                check=True,
            )
            counts = row_counts(cursor)
    finally:
        connection.close()

    files = {}
    with tarfile.open(folder / "media.tar", "w") as archive:
        for relative, facts in media_files(media_root).items():
            archive.add(media_root / relative, arcname=relative, recursive=False)
            files[relative] = facts
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"name": database["NAME"], "server_version": server_version},
        "tables": counts,
        "media": files,
        "checksums": {"database.dump": sha256(dump), "media.tar": sha256(folder / "media.tar")},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return folder


# --- restore and verify ---------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable manifest.json in {folder}: {error}") from None
    for name, expected in manifest["checksums"].items():
        if sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def create_empty_database(target: dict[str, Any]) -> None:
    """Create the target database, or accept an existing one only if it has no tables."""
    from psycopg2 import sql

    connection = connect(target, name="postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target["NAME"]])
            exists = cursor.fetchone() is not None
            if not exists:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target["NAME"])))
    finally:
        connection.close()
    if exists:
        connection = connect(target)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                )
                tables = cursor.fetchone()[0]
        finally:
            connection.close()
        if tables:
            raise BackupError(
                f"database {target['NAME']} already has {tables} tables: restore only into a "
                "new database (nothing is ever restored over data)"
            )


def restore(folder: Path, target: dict[str, Any], media: Path) -> str:
    manifest = read_manifest(folder)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"{media} is not empty: restore the media into a new folder")
    create_empty_database(target)
    subprocess.run(
        [
            tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
            "--single-transaction", "-d", target["NAME"], str(folder / "database.dump"),
        ],
        env=libpq_env(target),
        check=True,
    )  # fmt: skip
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar") as archive:
        archive.extractall(media, filter="data")  # no absolute paths, no links out
    return verify(folder, target, media, manifest)


def verify(
    folder: Path, target: dict[str, Any], media: Path, manifest: dict[str, Any] | None = None
) -> str:
    """Compare a restored database and media folder with the backup's manifest."""
    manifest = manifest or read_manifest(folder)
    connection = connect(target)
    try:
        with connection.cursor() as cursor:
            counts = row_counts(cursor)
    finally:
        connection.close()
    problems = []
    for table in sorted(set(manifest["tables"]) | set(counts)):
        expected, found = manifest["tables"].get(table), counts.get(table)
        if expected != found:
            problems.append(f"table {table}: {found} rows, the manifest says {expected}")
    files = media_files(media)
    for name in sorted(set(manifest["media"]) | set(files)):
        expected, found = manifest["media"].get(name), files.get(name)
        if expected != found:
            what = "missing" if found is None else "extra" if expected is None else "differs"
            problems.append(f"media file {name}: {what}")
    if problems:
        raise BackupError("; ".join(problems[:10]) + (" ..." if len(problems) > 10 else ""))
    rows = sum(counts.values())
    size = sum(facts["size"] for facts in files.values())
    return (
        f"{target['NAME']}: {len(counts)} tables, {rows} rows; {len(files)} media files, "
        f"{size} bytes: all equal to the manifest"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the database and media into a new folder")
    make.add_argument("--to", type=Path, default=ROOT / "backups", help="where (./backups)")
    for name in ("restore", "verify"):
        command = commands.add_parser(name)
        command.add_argument("folder", type=Path, help="a qi-backup-... folder")
        command.add_argument("--database", required=True, help="postgres:// URL of a NEW database")
        command.add_argument("--media", required=True, type=Path, help="a new or empty folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            folder = backup(args.to)
            manifest = json.loads((folder / "manifest.json").read_text())
            print(
                f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
                f"{len(manifest['media'])} media files"
            )
            print(f"Backup written to {folder}")
        elif args.command == "restore":
            print("Restored " + restore(args.folder, from_url(args.database), args.media))
        else:
            print("Verified " + verify(args.folder, from_url(args.database), args.media))
    except BackupError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"ERROR: {error.cmd[0]} failed (exit {error.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
