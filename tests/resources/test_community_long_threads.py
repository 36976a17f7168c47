"""Threads with many replies: the thread page shows 50 replies a page (oldest first,
the pager under them), a notice's link to a reply lands on the page holding it, and
the thread-detail API embeds only the first page of replies with their count and the
replies endpoint for the rest. Query counts do not grow with the replies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from resources.community.selectors import REPLIES_PER_PAGE
from resources.models import Reply, Thread

from .community_helpers import client, community_of, url

pytestmark = pytest.mark.django_db


def _thread(t) -> Thread:
    return Thread.objects.get(public_id=t.extras["thread_id"])


def _thread_url(community, thread) -> str:
    return url("community_thread", community, thread_id=thread.public_id)


def _add_replies(t, thread, n: int, *, start: int = 0) -> None:
    """`n` replies by the member after the builder's one, numbered from `start`."""
    Reply.objects.bulk_create(
        Reply(
            program=t.program,
            collaborative=thread.collaborative,
            thread=thread,
            author=t.member,
            body=f"Answer number {k:03d}",
        )
        for k in range(start, start + n)
    )


def _api(t, name: str) -> str:
    return reverse(
        f"api:{name}",
        kwargs={"community_id": t.extras["community_id"], "thread_id": t.extras["thread_id"]},
    )


def _reply_ids_on(html: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in html.split('id="reply-')[1:]]


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_50_replies_oldest_first_with_the_pager_under_them(tenant_a):
    t = tenant_a
    community, thread = community_of(t), _thread(t)
    _add_replies(t, thread, 120)  # 121 replies: pages of 50, 50, 21
    assert REPLIES_PER_PAGE == 50
    first = client(t.member).get(_thread_url(community, thread)).content.decode()
    assert len(_reply_ids_on(first)) == 50
    assert "Answer number 000" in first and "Answer number 049" not in first
    section = first.split('aria-labelledby="replies-heading"', 1)[1].split("</section>", 1)[0]
    assert section.rindex("Answer number 048") < section.index('aria-label="Pages of replies"')
    third = client(t.member).get(_thread_url(community, thread) + "?page=3").content.decode()
    assert len(_reply_ids_on(third)) == 21 and "Answer number 119" in third


def test_a_notice_links_to_the_page_holding_its_reply(tenant_a):
    """The reply's notice (to the thread's followers) and the mention's both open the
    page holding that reply, also once more replies came after it."""
    t = tenant_a
    community, thread = community_of(t), _thread(t)
    _add_replies(t, thread, 70)  # the member's reply below is the 72nd: page 2
    response = client(t.member).post(
        _thread_url(community, thread), {"body": f"Ask @{t.lead.email} about it"}
    )
    reply = Reply.objects.filter(thread=thread).latest("pk")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reply-{reply.public_id}")
    notice = Notification.objects.get(recipient=t.lead, kind__startswith="community_")
    assert f"reply={reply.public_id}" in notice.url
    assert notice.url.endswith(f"#reply-{reply.public_id}")
    _add_replies(t, thread, 100, start=500)  # later replies do not move it off its page
    landed = client(t.lead).get(notice.url.split("#", 1)[0])
    html = landed.content.decode()
    assert str(reply.public_id) in _reply_ids_on(html)
    assert "Answer number 000" not in html and "Answer number 599" not in html
    # The pager's links carry plain page numbers, not the reply.
    assert "?page=3" in html and f"reply={reply.public_id}" not in html.split("usa-pagination")[1]


def test_a_reply_link_to_another_thread_or_nonsense_opens_the_first_page(tenant_a, tenant_b):
    t = tenant_a
    community, thread = community_of(t), _thread(t)
    _add_replies(t, thread, 70)
    foreign = tenant_b.extras["reply_id"]
    for value in (str(foreign), "not-a-uuid", ""):
        response = client(t.member).get(_thread_url(community, thread), {"reply": value})
        assert response.status_code == 200
        assert "Answer number 000" in response.content.decode()
        assert "Answer number 060" not in response.content.decode()


def test_a_moderated_reply_returns_to_its_page(tenant_a):
    t = tenant_a
    community, thread = community_of(t), _thread(t)
    _add_replies(t, thread, 70)
    late = Reply.objects.get(thread=thread, body="Answer number 065")
    response = client(t.staff).post(
        url("community_reply_moderate", community, reply_id=late.public_id),
        {"action": "hide", "reason": "Names a patient"},
    )
    assert response.status_code == 302
    page = client(t.staff).get(response["Location"].split("#", 1)[0]).content.decode()
    assert str(late.public_id) in _reply_ids_on(page)


def _page_queries(t, community, thread, **query) -> int:
    c = client(t.member)
    c.get(_thread_url(community, thread), query)  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(_thread_url(community, thread), query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_at_5_and_150_replies(tenant_a):
    t = tenant_a
    community, thread = community_of(t), _thread(t)
    _add_replies(t, thread, 4)
    small = _page_queries(t, community, thread)
    small_last = _page_queries(t, community, thread, page="last")
    newest = Reply.objects.filter(thread=thread).latest("pk")
    small_reply = _page_queries(t, community, thread, reply=str(newest.public_id))
    _add_replies(t, thread, 145, start=100)
    newest = Reply.objects.filter(thread=thread).latest("pk")
    assert _page_queries(t, community, thread) == small
    assert _page_queries(t, community, thread, page="last") == small_last
    assert _page_queries(t, community, thread, reply=str(newest.public_id)) == small_reply


# --- the API ----------------------------------------------------------------------------------


def test_the_detail_embeds_the_first_page_and_points_at_the_rest(tenant_a):
    t = tenant_a
    thread = _thread(t)
    _add_replies(t, thread, 120)
    c = client(t.member)
    detail = c.get(_api(t, "community-thread-detail")).json()
    assert len(detail["replies"]) == REPLIES_PER_PAGE
    assert detail["replies_count"] == 121
    assert detail["replies_url"] == f"http://testserver{_api(t, 'community-reply-list')}"
    assert detail["replies_next"] == f"{detail['replies_url']}?page=2"
    # The endpoint's first page is exactly the embedded one, its next page goes on from it.
    first = c.get(detail["replies_url"]).json()
    assert first["count"] == 121
    assert [r["id"] for r in first["results"]] == [r["id"] for r in detail["replies"]]
    second = c.get(detail["replies_next"]).json()
    assert second["results"][0]["body"] == "Answer number 049"
    assert len(second["results"]) == REPLIES_PER_PAGE


def test_a_short_thread_has_no_next_page_and_a_hidden_one_nothing(tenant_a):
    t = tenant_a
    detail = client(t.member).get(_api(t, "community-thread-detail")).json()
    assert detail["replies_count"] == 1 and len(detail["replies"]) == 1
    assert detail["replies_next"] is None
    Thread.objects.filter(pk=_thread(t).pk).update(
        hidden_at="2026-11-01T00:00Z", hidden_reason="Advertising"
    )
    hidden = client(t.member).get(_api(t, "community-thread-detail")).json()
    assert hidden["replies"] == [] and hidden["replies_count"] == 0
    assert hidden["replies_next"] is None
    staff = client(t.staff).get(_api(t, "community-thread-detail")).json()
    assert staff["replies_count"] == 1


def _detail_queries(t) -> int:
    c = client(t.member)
    c.get(_api(t, "community-thread-detail"))
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(_api(t, "community-thread-detail"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_detail_costs_the_same_queries_at_60_and_300_replies(tenant_a):
    t = tenant_a
    _add_replies(t, _thread(t), 59)
    small = _detail_queries(t)
    _add_replies(t, _thread(t), 240, start=100)
    assert _detail_queries(t) == small


def test_the_schema_documents_the_first_page_and_the_link(tenant_a):
    schema = client(tenant_a.staff).get(reverse("schema") + "?format=json").json()
    detail = schema["components"]["schemas"]["ThreadDetail"]["properties"]
    assert {"replies", "replies_count", "replies_url", "replies_next"} <= set(detail)
    assert detail["replies_next"].get("nullable") is True
    assert "first page" in detail["replies"]["description"]
