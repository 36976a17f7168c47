"""Opening a cycle marks the viewer's new comments read, and writes nothing when there is
none (every other view of the page): a GET is a read under load."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pdsa.models import CommentReceipt

from .helpers import client_for


def _detail(world) -> str:
    return reverse(
        "pdsa:cycle_detail",
        kwargs={"team_id": world.team.public_id, "cycle_id": world.cycle.public_id},
    )


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
        and "django_session" not in q["sql"]
    ]


def test_opening_the_cycle_marks_the_new_comment_read_once_then_writes_nothing(world):
    member = world.a.member
    unread = CommentReceipt.objects.filter(user=member, cycle=world.cycle, read_at__isnull=True)
    assert unread.count() == 1
    client = client_for(member)

    with CaptureQueriesContext(connection) as first:
        page = client.get(_detail(world))
    assert page.status_code == 200
    assert "New" in page.content.decode()
    assert unread.count() == 0
    assert any("pdsa_commentreceipt" in sql for sql in _writes(first.captured_queries))

    with CaptureQueriesContext(connection) as again:
        page = client.get(_detail(world))
    assert page.status_code == 200
    assert _writes(again.captured_queries) == []


def test_a_viewer_without_receipts_reads_the_cycle_without_writing(world):
    client = client_for(world.a.staff)
    with CaptureQueriesContext(connection) as context:
        page = client.get(_detail(world))
    assert page.status_code == 200
    assert _writes(context.captured_queries) == []
