"""The community's discussion board: plain text escaped with web links only, mentions,
follows and their notices (honouring the digest preference), moderation, paging."""

import re

import pytest

from core.models import AuditEvent, Delivery, EmailStatus, Notification, OutboundEmail
from core.notifications import preferences_save
from resources.community.text import mentioned, plain_text_html
from resources.models import CommunityMember, MemberStatus, Reply, Thread, ThreadFollow
from tests.factories import TeamMembershipFactory, UserFactory

from .community_helpers import client, community_of, url

pytestmark = pytest.mark.django_db


def thread_url(community, thread):
    return url("community_thread", community, thread_id=thread.public_id)


def start(user, community, title="How do you keep weighing in kg?", body="Ideas welcome."):
    response = client(user).post(
        url("community_thread_new", community), {"title": title, "body": body}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Thread.objects.filter(collaborative=community).latest("pk")


def add_member(t, community, **names):
    person = UserFactory(**names)
    TeamMembershipFactory(team=t.other_team, user=person)
    CommunityMember.objects.create(
        program=t.program, collaborative=community, user=person, status=MemberStatus.ACTIVE
    )
    return person


# --- plain text --------------------------------------------------------------------------


def test_plain_text_escapes_markup_and_links_only_web_addresses():
    html = plain_text_html(
        "<script>alert(1)</script> see https://example.org/a?b=1&c=2. "
        "javascript:alert(document.cookie) www.example.com ana@example.org "
        'http://x.org/"onmouseover="alert(1)'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow">' in html
    assert 'href="javascript' not in html and "javascript:alert(document.cookie)" in html
    assert "mailto:" not in html and 'href="http://www.example.com"' not in html
    assert "onmouseover=" not in re.sub(r"&quot;onmouseover=&quot;", "", html)
    assert len(re.findall(r"<a ", html)) == 2


def test_script_in_title_and_body_is_escaped_on_every_page(tenant_a):
    t = tenant_a
    community = community_of(t)
    thread = start(
        t.lead,
        community,
        title='<img src=x onerror="alert(1)">',
        body="<script>alert('x')</script>\n[click](javascript:alert(1)) https://aap.org",
    )
    posted = client(t.member).post(thread_url(community, thread), {"body": "<b>bold?</b>"})
    assert posted.status_code == 302, posted.content.decode()[-3000:]
    page = client(t.member).get(thread_url(community, thread)).content.decode()
    assert "<script>alert" not in page and '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<p>&lt;b&gt;bold?&lt;/b&gt;</p>" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>" in page
    assert 'href="javascript' not in page
    assert '<a href="https://aap.org" rel="nofollow">https://aap.org</a>' in page
    board = client(t.member).get(url("community", community)).content.decode()
    assert '<img src=x onerror="alert(1)">' not in board
    mail = OutboundEmail.objects.filter(kind="community_reply").first()
    assert mail is not None and "<b>bold?</b>" not in mail.body_html


def test_empty_and_oversized_messages_are_refused_with_clear_words(tenant_a):
    t = tenant_a
    community = community_of(t)
    response = client(t.lead).post(
        url("community_thread_new", community), {"title": "   ", "body": "x" * 10001}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "usa-error-message" in text
    assert Thread.objects.filter(collaborative=community).count() == 1  # the builder's


# --- mentions and follows ----------------------------------------------------------------


def test_mentions_by_name_or_email_notify_members_only(tenant_a, tenant_b):
    t = tenant_a
    community = community_of(t)
    ana = add_member(t, community, full_name="Ana Lee", email="ana@alpha.example")
    bo = add_member(t, community, full_name="Bo Chen", email="bo@alpha.example")
    leeds = add_member(t, community, full_name="Ana Leeds", email="leeds@alpha.example")
    start(
        t.lead,
        community,
        body=f"Thanks @ana lee, and @bo@alpha.example. @{tenant_b.lead.full_name} @{t.lead.email}",
    )
    notified = set(
        OutboundEmail.objects.filter(kind="community_mention").values_list("to_email", flat=True)
    )
    assert notified == {ana.email, bo.email}  # not Ana Leeds, not tenant B, not the author
    assert leeds.email not in notified
    notice = Notification.objects.get(recipient=ana, kind="community_mention")
    thread = Thread.objects.filter(collaborative=community).latest("pk")
    assert notice.url == thread_url(community, thread)


def test_mentioned_matches_whole_names():
    people = [UserFactory(full_name="Ana Lee", email="ana@x.org")]
    assert mentioned("hi @Ana Lee!", people=people) == people
    assert mentioned("hi @Ana Leeds", people=people) == []
    assert mentioned("mail ana@x.org", people=people) == []


def test_followers_hear_of_replies_and_the_author_follows_automatically(tenant_a):
    t = tenant_a
    community = community_of(t)
    thread = start(t.lead, community)
    assert ThreadFollow.objects.filter(thread=thread, user=t.lead, is_following=True).exists()
    client(t.member).post(thread_url(community, thread), {"body": "We used a laminated card."})
    reply = Reply.objects.get(thread=thread)
    mail = OutboundEmail.objects.get(kind="community_reply", to_email=t.lead.email)
    assert mail.status == EmailStatus.QUEUED
    assert "replied to" in mail.subject and "laminated card" in mail.body_text
    assert Notification.objects.filter(recipient=t.lead, kind="community_reply").exists()
    assert not OutboundEmail.objects.filter(
        kind="community_reply", to_email=t.member.email
    ).exists()
    # the replier follows now, and hears of the next reply; the author does not hear of their own
    client(t.lead).post(thread_url(community, thread), {"body": "Thanks!"})
    assert (
        OutboundEmail.objects.filter(kind="community_reply", to_email=t.member.email).count() == 1
    )
    assert OutboundEmail.objects.filter(kind="community_reply", to_email=t.lead.email).count() == 1
    assert AuditEvent.objects.filter(verb="community_reply.created", target_id=str(reply.public_id))


def test_unfollowing_stops_the_notices_and_replying_again_does_not_resubscribe(tenant_a):
    t = tenant_a
    community = community_of(t)
    thread = start(t.lead, community)
    client(t.lead).post(
        url("community_thread_follow", community, thread_id=thread.public_id), {"follow": "0"}
    )
    client(t.member).post(thread_url(community, thread), {"body": "One"})
    client(t.lead).post(thread_url(community, thread), {"body": "Two"})  # still unfollowed
    client(t.member).post(thread_url(community, thread), {"body": "Three"})
    assert not OutboundEmail.objects.filter(kind="community_reply", to_email=t.lead.email).exists()
    client(t.lead).post(
        url("community_thread_follow", community, thread_id=thread.public_id), {"follow": "1"}
    )
    client(t.member).post(thread_url(community, thread), {"body": "Four"})
    assert OutboundEmail.objects.filter(kind="community_reply", to_email=t.lead.email).count() == 1


def test_digest_preference_holds_the_reply_notice_for_the_weekly_digest(tenant_a):
    t = tenant_a
    community = community_of(t)
    preferences_save(user=t.lead, choices={"community_reply": Delivery.DIGEST})
    thread = start(t.lead, community)
    client(t.member).post(thread_url(community, thread), {"body": "Held for the digest"})
    mail = OutboundEmail.objects.get(kind="community_reply", to_email=t.lead.email)
    assert mail.status == EmailStatus.HELD
    # the in-app notice still arrives at once
    assert Notification.objects.filter(recipient=t.lead, kind="community_reply").exists()


def test_off_preference_sends_nothing_but_keeps_the_notice(tenant_a):
    t = tenant_a
    community = community_of(t)
    preferences_save(user=t.lead, choices={"community_reply": Delivery.OFF})
    thread = start(t.lead, community)
    client(t.member).post(thread_url(community, thread), {"body": "Not e-mailed"})
    mail = OutboundEmail.objects.get(kind="community_reply", to_email=t.lead.email)
    assert mail.status == EmailStatus.SUPPRESSED
    assert Notification.objects.filter(recipient=t.lead, kind="community_reply").exists()


def test_a_removed_follower_hears_nothing(tenant_a):
    t = tenant_a
    community = community_of(t)
    nurse = add_member(t, community, full_name="Rita Removed")
    thread = start(nurse, community)
    CommunityMember.objects.filter(collaborative=community, user=nurse).update(
        status=MemberStatus.REMOVED
    )
    client(t.member).post(thread_url(community, thread), {"body": "Hello @Rita Removed"})
    assert not OutboundEmail.objects.filter(to_email=nurse.email).exists()


# --- moderation --------------------------------------------------------------------------


def test_locked_thread_refuses_replies_with_a_clear_message(tenant_a):
    t = tenant_a
    community = community_of(t)
    thread = start(t.lead, community)
    moderate = url("community_thread_moderate", community, thread_id=thread.public_id)
    assert client(t.lead).post(moderate, {"action": "lock"}).status_code == 403
    client(t.staff).post(moderate, {"action": "lock"})
    thread.refresh_from_db()
    assert thread.is_locked
    page = client(t.member).get(thread_url(community, thread)).content.decode()
    assert "This discussion is locked" in page and 'id="reply"' not in page
    response = client(t.member).post(thread_url(community, thread), {"body": "Sneaking in"})
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert not Reply.objects.filter(thread=thread).exists()
    assert AuditEvent.objects.filter(verb="community_thread.locked").exists()


def test_hidden_reply_shows_as_removed_to_members_and_with_its_reason_to_staff(tenant_a):
    t = tenant_a
    community = community_of(t)
    reply = Reply.objects.get(public_id=t.extras["reply_id"])
    hide = url("community_reply_moderate", community, reply_id=reply.public_id)
    assert client(t.member).post(hide, {"action": "hide", "reason": "x"}).status_code == 403
    client(t.staff).post(hide, {"action": "hide", "reason": ""})  # a reason is required
    reply.refresh_from_db()
    assert not reply.is_hidden
    client(t.staff).post(hide, {"action": "hide", "reason": "Names a patient"})
    reply.refresh_from_db()
    assert reply.is_hidden and reply.hidden_reason == "Names a patient"
    thread = reply.thread
    member_page = client(t.lead).get(thread_url(community, thread)).content.decode()
    assert "Removed by a moderator" in member_page
    assert "laminated card at triage" not in member_page.lower()
    assert "Names a patient" not in member_page
    staff_page = client(t.staff).get(thread_url(community, thread)).content.decode()
    assert "Names a patient" in staff_page and "laminated card at triage" in staff_page.lower()
    assert AuditEvent.objects.filter(verb="community_reply.hidden").exists()


def test_hidden_thread_is_removed_for_members_and_takes_no_replies(tenant_a):
    t = tenant_a
    community = community_of(t)
    thread = start(t.lead, community, title="Off-topic sale")
    moderate = url("community_thread_moderate", community, thread_id=thread.public_id)
    client(t.staff).post(moderate, {"action": "hide", "reason": "Advertising"})
    board = client(t.member).get(url("community", community)).content.decode()
    assert "Off-topic sale" not in board and "Removed by a moderator" in board
    page = client(t.member).get(thread_url(community, thread)).content.decode()
    assert "Off-topic sale" not in page and "Removed by a moderator" in page
    client(t.member).post(thread_url(community, thread), {"body": "Still here?"})
    assert not Reply.objects.filter(thread=thread).exists()
    assert "Off-topic sale" in client(t.staff).get(url("community", community)).content.decode()


def test_board_and_replies_are_paged(tenant_a):
    t = tenant_a
    community = community_of(t)
    thread = Thread.objects.get(public_id=t.extras["thread_id"])
    for n in range(25):
        Thread.objects.create(
            program=t.program,
            collaborative=community,
            author=t.lead,
            title=f"Topic {n:02d}",
            body="b",
            last_activity_at=thread.last_activity_at,
        )
    board = client(t.member).get(url("community", community)).content.decode()
    assert "usa-pagination" in board
    second = client(t.member).get(url("community", community) + "?page=2").content.decode()
    assert second.count('data-label="Discussion"') == 6
    Reply.objects.bulk_create(
        Reply(
            program=t.program,
            collaborative=community,
            thread=thread,
            author=t.lead,
            body=f"Answer number {n:02d}",
        )
        for n in range(60)
    )
    first = client(t.member).get(thread_url(community, thread)).content.decode()
    assert "61 replies" in first and "usa-pagination" in first
    assert first.count('aria-label="Reply ') == 50  # 50 a page
    assert "Answer number 59" not in first
    last = client(t.member).get(thread_url(community, thread) + "?page=last").content.decode()
    assert "Answer number 59" in last and "Answer number 00" not in last


def test_non_members_get_404_on_the_board_and_other_tenants_everywhere(tenant_a, tenant_b):
    t = tenant_a
    community = community_of(t)
    thread_id = t.extras["thread_id"]
    reply_id = t.extras["reply_id"]
    stranger = TeamMembershipFactory(team=t.other_team, user=UserFactory()).user  # in the program
    for person in (stranger, tenant_b.staff, tenant_b.lead):
        c = client(person)
        assert c.get(url("community_thread", community, thread_id=thread_id)).status_code == 404
        assert (
            c.post(
                url("community_thread", community, thread_id=thread_id), {"body": "x"}
            ).status_code
            == 404
        )
        assert c.get(url("community_members", community)).status_code == 404
        assert (
            c.post(
                url("community_reply_moderate", community, reply_id=reply_id),
                {"action": "hide", "reason": "r"},
            ).status_code
            == 404
        )
    assert Reply.objects.filter(thread__public_id=thread_id).count() == 1
    # tenant B's thread under tenant A's community: 404 even for A's staff
    b_thread = tenant_b.extras["thread_id"]
    assert (
        client(t.staff).get(url("community_thread", community, thread_id=b_thread)).status_code
        == 404
    )
