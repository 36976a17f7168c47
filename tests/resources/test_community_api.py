"""The community board's API: scoped to members (404 for others and other tenants),
paginated lists, the same rules and notices as the pages."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import OutboundEmail
from resources.models import Reply, Thread, ThreadFollow
from tests.factories import TeamMembershipFactory, UserFactory

from .community_helpers import client, community_of

pytestmark = pytest.mark.django_db


def api(name, t, **kwargs):
    return reverse(f"api:{name}", kwargs={"community_id": t.extras["community_id"], **kwargs})


def thread_kw(t):
    return {"thread_id": t.extras["thread_id"]}


def all_urls(t):
    return [
        api("community-thread-list", t),
        api("community-thread-detail", t, **thread_kw(t)),
        api("community-reply-list", t, **thread_kw(t)),
    ]


@pytest.mark.parametrize("persona", ["staff", "admin", "lead", "member"])
def test_members_and_staff_read_threads_and_replies(tenant_a, persona):
    t = tenant_a
    c = client(getattr(t, persona))
    listing = c.get(api("community-thread-list", t))
    assert listing.status_code == 200
    data = listing.json()
    assert data["count"] == 1 and data["results"][0]["id"] == str(t.extras["thread_id"])
    assert data["results"][0]["n_replies"] == 1
    detail = c.get(api("community-thread-detail", t, **thread_kw(t))).json()
    assert [r["id"] for r in detail["replies"]] == [str(t.extras["reply_id"])]
    assert detail["following"] is (persona == "lead")
    replies = c.get(api("community-reply-list", t, **thread_kw(t))).json()
    assert replies["count"] == 1


def test_non_members_outsiders_and_other_tenants_get_404(tenant_a, tenant_b, outsider):
    t = tenant_a
    in_program = TeamMembershipFactory(team=t.other_team, user=UserFactory()).user
    for person in (t.coach, in_program, outsider, tenant_b.staff, tenant_b.lead):  # coach: asked
        c = client(person)
        for url in all_urls(t):
            assert c.get(url).status_code == 404, (person, url)
        assert (
            c.post(api("community-thread-list", t), {"title": "x", "body": "y"}).status_code == 404
        )
        reply_url = api("community-reply-list", t, **thread_kw(t))
        assert c.post(reply_url, {"body": "y"}).status_code == 404
        follow_url = api("community-thread-follow", t, **thread_kw(t))
        assert c.post(follow_url, {"following": True}).status_code == 404
    assert Thread.objects.filter(collaborative=community_of(t)).count() == 1
    assert Reply.objects.filter(thread__public_id=t.extras["thread_id"]).count() == 1
    # tenant B's thread id under tenant A's community: 404 for A's staff too
    crossed = api("community-thread-detail", t, thread_id=tenant_b.extras["thread_id"])
    assert client(t.staff).get(crossed).status_code == 404


def test_anonymous_callers_are_refused(tenant_a):
    for url in all_urls(tenant_a):
        assert Client().get(url).status_code in (401, 403)


def test_create_a_thread_and_reply_notifies_followers(tenant_a):
    t = tenant_a
    created = client(t.member).post(
        api("community-thread-list", t),
        {"title": "<b>Kg</b> only?", "body": "Ask @Alpha Lead"},
        content_type="application/json",
    )
    assert created.status_code == 201
    thread = Thread.objects.get(public_id=created.json()["id"])
    assert thread.title == "<b>Kg</b> only?"  # stored as typed, escaped where shown
    assert OutboundEmail.objects.filter(kind="community_mention", to_email=t.lead.email).exists()
    reply = client(t.lead).post(
        api("community-reply-list", t, thread_id=thread.public_id),
        {"body": "Yes, since March"},
        content_type="application/json",
    )
    assert reply.status_code == 201
    assert reply.json()["author"]["display_name"].startswith("Alpha Lead")
    assert OutboundEmail.objects.filter(kind="community_reply", to_email=t.member.email).exists()


def test_bad_input_and_locked_threads_answer_400(tenant_a):
    t = tenant_a
    c = client(t.lead)
    bad = c.post(api("community-thread-list", t), {"title": "", "body": ""})
    assert bad.status_code == 400
    Thread.objects.filter(public_id=t.extras["thread_id"]).update(locked_at="2026-11-01T00:00Z")
    locked = c.post(api("community-reply-list", t, **thread_kw(t)), {"body": "late"})
    assert locked.status_code == 400
    assert "locked" in str(locked.json())
    assert Reply.objects.filter(thread__public_id=t.extras["thread_id"]).count() == 1


def test_follow_toggle(tenant_a):
    t = tenant_a
    url = api("community-thread-follow", t, **thread_kw(t))
    response = client(t.member).post(url, {"following": True}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"following": True}
    assert ThreadFollow.objects.get(user=t.member).is_following
    client(t.member).post(url, {"following": False}, content_type="application/json")
    assert not ThreadFollow.objects.get(user=t.member).is_following


def test_hidden_items_come_without_their_text_for_members(tenant_a):
    t = tenant_a
    Reply.objects.filter(public_id=t.extras["reply_id"]).update(
        hidden_at="2026-11-01T00:00Z", hidden_reason="Names a patient"
    )
    member_view = client(t.lead).get(api("community-thread-detail", t, **thread_kw(t))).json()
    hidden = member_view["replies"][0]
    assert hidden["is_hidden"] and hidden["body"] == "" and hidden["hidden_reason"] == ""
    staff_view = client(t.staff).get(api("community-thread-detail", t, **thread_kw(t))).json()
    assert staff_view["replies"][0]["hidden_reason"] == "Names a patient"
    assert staff_view["replies"][0]["body"]


def test_the_routes_are_in_the_openapi_schema(tenant_a):
    schema = client(tenant_a.staff).get(reverse("schema") + "?format=json")
    paths = schema.json()["paths"]
    assert "/api/v1/communities/{community_id}/threads/" in paths
    assert "post" in paths["/api/v1/communities/{community_id}/threads/{thread_id}/replies/"]
    assert "/api/v1/communities/{community_id}/threads/{thread_id}/follow/" in paths
