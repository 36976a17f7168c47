"""PDSA tests start from tenant A without the isolation guard's sample PDSA rows
(tests/pdsa/tenant_builder.py), so that each test states the records it is about.
Tenant B keeps its sample rows: they are what must never show up."""

import errno
import os
from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from pdsa import services
from pdsa.models import (
    Aim,
    Attachment,
    ChangeIdea,
    ChangePackageItem,
    Comment,
    Cycle,
    Driver,
    DriverKind,
    Stage,
)
from teams.models import TeamRole

from .helpers import add_member, make_cycle, make_driver, make_idea
from .tenant_builder import png_bytes


@pytest.fixture(autouse=True)
def _tenant_a_without_sample_pdsa(request):
    if "tenant_a" not in request.fixturenames:
        return
    tenant = request.getfixturevalue("tenant_a")
    program = tenant.program
    Attachment.objects.filter(program=program).delete()
    Comment.objects.filter(program=program).delete()
    Cycle.objects.filter(program=program).delete()
    ChangeIdea.objects.filter(program=program).delete()
    Driver.objects.filter(program=program, kind=DriverKind.SECONDARY).delete()
    Driver.objects.filter(program=program).delete()
    Aim.objects.filter(program=program).delete()
    ChangePackageItem.objects.filter(program=program).delete()


@pytest.fixture
def world(tenant_a, outsider):
    """Tenant A's team with a driver, two change ideas, an open and a shared complete
    cycle, a comment and an attachment; a sponsor; a lead of another team of the
    same collaborative. (Other tenants are walked by the isolation guard; tests that
    want one of its people ask for `tenant_b` themselves.)"""
    team = tenant_a.team
    primary = make_driver(team)
    secondary = make_driver(team, "Scales locked to kg", parent=primary)
    idea = make_idea(team, driver=secondary)
    done_idea = make_idea(team, title="Kg-only tape", driver=primary)
    cycle = make_cycle(team, idea, author=tenant_a.member)
    done = make_cycle(
        team, done_idea, author=tenant_a.member, stage=Stage.COMPLETE, title="Tape, one shift"
    )
    services.ramp_share(change_idea=done_idea, actor=tenant_a.lead, include_notes=False)
    comment = services.comment_create(cycle=cycle, actor=tenant_a.coach, body="Hi", by_coach=True)
    attachment = services.attachment_add(
        cycle=cycle,
        actor=tenant_a.member,
        upload=SimpleUploadedFile("board.png", png_bytes(), content_type="image/png"),
    )
    item = services.package_item_create(
        collaborative=tenant_a.collaborative, actor=tenant_a.staff, title="Kg-only scale"
    )
    other_lead = add_member(tenant_a, role=TeamRole.LEAD, team=tenant_a.other_team)
    return SimpleNamespace(
        a=tenant_a,
        team=team,
        primary=primary,
        idea=idea,
        done_idea=done_idea,
        cycle=cycle,
        done=done,
        comment=comment,
        attachment=attachment,
        item=item,
        people={
            "admin": tenant_a.admin,
            "staff": tenant_a.staff,
            "coach": tenant_a.coach,
            "lead": tenant_a.lead,
            "member": tenant_a.member,
            "sponsor": add_member(tenant_a),
            "outsider": outsider,
            "other_team": other_lead,
        },
    )


class FullDiskStorage(FileSystemStorage):
    """A disk that fills up in the middle of a write: part of the file lands on disk,
    then the write fails with ENOSPC, as FileSystemStorage leaves it."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.read(16))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)


@pytest.fixture
def full_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.FullDiskStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path
