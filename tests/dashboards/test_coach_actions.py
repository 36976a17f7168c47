"""Acting from the coach dashboard: rate, comment, review or return, nudge. Each is a
POST with CSRF that comes back to the dashboard with a message."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.audit import AuditEvent
from core.clock import current_month
from core.models import OutboundEmail
from measures.models import Submission, SubmissionStatus
from pdsa.models import Comment
from teams.models import ProgressRating, RatingKind
from tests.factories import client_for

pytestmark = pytest.mark.django_db

COACH_URL = reverse("dashboards:coach")


def _url(name, team):
    return reverse(f"dashboards:{name}", kwargs={"team_id": team.public_id})


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_rate_from_the_dashboard(tenant_a):
    response = client_for(tenant_a.coach).post(
        _url("rate", tenant_a.team),
        {"score": "3.5", "rationale": "Testing every week.", "next": COACH_URL + "?sort=name"},
    )
    assert response.status_code == 302
    assert response["Location"] == COACH_URL + "?sort=name"
    rating = ProgressRating.objects.get(team=tenant_a.team, month=current_month())
    assert (rating.kind, str(rating.score), rating.rated_by) == (
        RatingKind.COACH,
        "3.5",
        tenant_a.coach,
    )
    assert f"{tenant_a.team.name} rated 3.5" in _messages(response)[0]


def test_a_bad_rating_says_why_and_saves_nothing(tenant_a):
    response = client_for(tenant_a.coach).post(
        _url("rate", tenant_a.team), {"score": "9", "rationale": ""}, follow=True
    )
    assert response.status_code == 200
    text = " ".join(_messages(response))
    assert "was not rated" in text and "IHI scale" in text
    assert not ProgressRating.objects.filter(month=current_month()).exists()


def test_next_must_be_local(tenant_a):
    response = client_for(tenant_a.coach).post(
        _url("rate", tenant_a.team),
        {"score": "3.0", "rationale": "Fine.", "next": "https://evil.example/"},
    )
    assert response["Location"] == COACH_URL


def test_comment_goes_on_the_latest_cycle_escaped(tenant_a):
    body = "<script>alert(1)</script> Good test"
    response = client_for(tenant_a.coach).post(_url("comment", tenant_a.team), {"body": body})
    assert response.status_code == 302
    comment = Comment.objects.filter(team=tenant_a.team).order_by("-created_at").first()
    assert comment.body == body and comment.by_coach
    page = client_for(tenant_a.coach).get(COACH_URL).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_an_empty_comment_is_refused(tenant_a):
    before = Comment.objects.count()
    response = client_for(tenant_a.coach).post(
        _url("comment", tenant_a.team), {"body": "  "}, follow=True
    )
    assert "The comment was not saved" in " ".join(_messages(response))
    assert Comment.objects.count() == before


def test_review_and_return(tenant_a):
    submission = Submission.objects.get(team=tenant_a.team, status=SubmissionStatus.SUBMITTED)
    client = client_for(tenant_a.coach)
    response = client.post(
        _url("review", tenant_a.team),
        {"submission": submission.public_id, "decision": "returned", "comment": ""},
        follow=True,
    )
    assert "Say what the team should change" in " ".join(_messages(response))
    client.post(
        _url("review", tenant_a.team),
        {"submission": submission.public_id, "decision": "reviewed"},
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REVIEWED
    assert submission.reviewed_by == tenant_a.coach


def test_review_of_another_teams_submission_is_refused(tenant_a, tenant_b):
    theirs = Submission.objects.get(team=tenant_b.team)
    response = client_for(tenant_a.coach).post(
        _url("review", tenant_a.team),
        {"submission": theirs.public_id, "decision": "reviewed"},
        follow=True,
    )
    assert "not found" in " ".join(_messages(response))
    theirs.refresh_from_db()
    assert theirs.status == SubmissionStatus.SUBMITTED
    bad = client_for(tenant_a.coach).post(
        _url("review", tenant_a.team), {"submission": "not-a-uuid", "decision": "reviewed"}
    )
    assert bad.status_code == 302


def test_nudge_is_emailed_audited_and_limited_to_one_a_day(tenant_a):
    cache.clear()
    client = client_for(tenant_a.coach)
    message = "<b>How is the scale test going?</b>"
    response = client.post(_url("nudge", tenant_a.team), {"message": message}, follow=True)
    assert "Nudge sent to 2 members" in " ".join(_messages(response))
    emails = OutboundEmail.objects.filter(kind="nudge")
    assert {e.to_email for e in emails} == {tenant_a.lead.email, tenant_a.member.email}
    email = emails.first()
    assert message in email.body_text  # plain text shows it as typed
    assert "&lt;b&gt;How is the scale test going?&lt;/b&gt;" in email.body_html
    assert AuditEvent.objects.filter(verb="team.nudged").count() == 1
    # The same producer puts it in each member's inbox, opening the team's page.
    from core.models import Notification

    notices = Notification.objects.filter(kind="nudge")
    assert {n.recipient for n in notices} == {tenant_a.lead, tenant_a.member}
    team_page = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    assert {n.url for n in notices} == {team_page}

    # A second nudge the same day, even from program staff, is refused.
    again = client_for(tenant_a.staff).post(_url("nudge", tenant_a.team), {}, follow=True)
    assert "already nudged in the last 24 hours" in " ".join(_messages(again))
    assert OutboundEmail.objects.filter(kind="nudge").count() == 2


def test_a_too_long_nudge_is_refused(tenant_a):
    response = client_for(tenant_a.coach).post(
        _url("nudge", tenant_a.team), {"message": "x" * 1001}, follow=True
    )
    assert "under 1,000 characters" in " ".join(_messages(response))
    assert not OutboundEmail.objects.filter(kind="nudge").exists()


@pytest.mark.parametrize("action", ["rate", "comment", "review", "nudge"])
@pytest.mark.parametrize(
    ("persona_name", "status"),
    [
        ("lead", 403),
        ("member", 403),
        ("unassigned_coach", 404),
        ("outsider", 404),
        ("other_tenant_staff", 404),
    ],
)
def test_who_may_not_act(tenant_a, persona, action, persona_name, status):
    response = client_for(persona(persona_name)).post(
        _url(action, tenant_a.team), {"score": "3.0", "rationale": "x", "body": "x"}
    )
    assert response.status_code == status
    assert not OutboundEmail.objects.filter(kind="nudge").exists()


def test_actions_need_post_and_csrf(tenant_a):
    client = client_for(tenant_a.coach)
    assert client.get(_url("nudge", tenant_a.team)).status_code == 405
    assert client.post(COACH_URL).status_code == 405  # the page only reads
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(tenant_a.coach)
    assert strict.post(_url("nudge", tenant_a.team), {}).status_code == 403
