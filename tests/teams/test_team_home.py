"""The team home: due next (and its provider registry), phase, members, coaches, activity."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collaboratives.models import Phase, PhaseKind
from core.audit import audit_record
from core.clock import current_month
from teams import due
from teams.due import DueItem, due_next, register_due_provider
from teams.models import Invitation, RatingKind, TeamRole
from teams.selectors import team_recent_activity
from teams.services import invitation_create, progress_rating_create
from tests.factories import CoachAssignmentFactory, TeamMembershipFactory, UserFactory

from .conftest import HIDDEN_PERSONAS, VISIBLE_PERSONAS, client_for, page_text

pytestmark = pytest.mark.django_db


def _url(tenant) -> str:
    return reverse("teams:detail", kwargs={"team_id": tenant.team.public_id})


@pytest.mark.parametrize("persona_name", VISIBLE_PERSONAS)
def test_team_home_per_access_level(tenant_a, persona, persona_name):
    response = client_for(persona(persona_name)).get(_url(tenant_a))
    assert response.status_code == 200
    html = page_text(response)
    assert tenant_a.team.name in html
    # The team wrote its aim (the tenant's sample data): it replaces the application's goals.
    assert "95% of children weighed in kilograms" in html
    assert tenant_a.team.goals not in html
    assert tenant_a.lead.display_name in html
    assert tenant_a.coach.display_name in html
    assert reverse("teams:members", kwargs={"team_id": tenant_a.team.public_id}) in html
    assert reverse("teams:progress", kwargs={"team_id": tenant_a.team.public_id}) in html


@pytest.mark.parametrize("persona_name", HIDDEN_PERSONAS)
def test_team_home_is_404_for_everyone_else(tenant_a, persona, persona_name):
    assert client_for(persona(persona_name)).get(_url(tenant_a)).status_code == 404


# --- phase -------------------------------------------------------------------------------


def _phase(tenant, name, start, end, kind=PhaseKind.ACTION_PERIOD):
    return Phase.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        kind=kind,
        name=name,
        start_date=start,
        end_date=end,
    )


def test_home_shows_the_current_phase_with_its_dates(tenant_a):
    today = timezone.localdate()
    _phase(tenant_a, "Action period 2", today - timedelta(days=10), today + timedelta(days=20))
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert "Action period 2" in html
    assert "(Action period)" in html
    start = today - timedelta(days=10)
    assert f"{start.day} {start:%B %Y} to" in html
    assert "Between phases" not in html


def test_home_says_between_phases_and_names_the_next_one(tenant_a):
    today = timezone.localdate()
    _phase(tenant_a, "Learning session 3", today + timedelta(days=5), today + timedelta(days=6))
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert "Between phases." in html
    start = today + timedelta(days=5)
    assert f"Next: Learning session 3, from {start.day} {start:%B %Y}." in html


def test_another_collaboratives_phase_does_not_count(tenant_a, tenant_b):
    today = timezone.localdate()
    Phase.objects.create(
        program=tenant_b.program,
        collaborative=tenant_b.collaborative,
        kind=PhaseKind.PREWORK,
        name="Bravo phase",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert "Bravo phase" not in html
    assert "Between phases." in html


# --- what is due next ---------------------------------------------------------------------


@pytest.fixture
def own_providers(monkeypatch):
    """Only this app's providers: other apps (PDSA, ...) add items of their own."""
    monkeypatch.setattr(due, "_providers", [due.self_rating_due, due.invitations_due])


def test_lead_is_asked_for_this_months_self_rating_until_given(tenant_a, own_providers):
    title = f"Rate your team's progress for {current_month():%B %Y}"
    assert title in page_text(client_for(tenant_a.lead).get(_url(tenant_a)))
    assert title not in page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    progress_rating_create(
        team=tenant_a.team,
        month=current_month(),
        kind=RatingKind.SELF,
        score="2.0",
        rationale="Baseline collected.",
        rated_by=tenant_a.lead,
    )
    html = page_text(client_for(tenant_a.lead).get(_url(tenant_a)))
    assert title not in html
    assert "Nothing is due for you right now." in html


def test_a_coach_rating_does_not_count_as_the_self_rating(tenant_a):
    progress_rating_create(
        team=tenant_a.team,
        month=current_month(),
        kind=RatingKind.COACH,
        score="2.0",
        rationale="x",
        rated_by=tenant_a.coach,
    )
    items = due_next(team=tenant_a.team, user=tenant_a.lead)
    assert any("Rate your team's progress" in item.title for item in items)


def test_lead_is_asked_to_follow_up_old_and_expired_invitations(tenant_a, own_providers):
    now = timezone.now()
    fresh, _ = invitation_create(
        team=tenant_a.team,
        email="fresh@example.org",
        role=TeamRole.MEMBER,
        invited_by=tenant_a.lead,
    )
    old, _ = invitation_create(
        team=tenant_a.team, email="old@example.org", role=TeamRole.MEMBER, invited_by=tenant_a.lead
    )
    Invitation.objects.filter(pk=old.pk).update(last_sent_at=now - timedelta(days=8))
    Invitation.objects.filter(pk=tenant_a.invitation.pk).update(expires_at=now - timedelta(days=1))
    items = due_next(team=tenant_a.team, user=tenant_a.lead)
    titles = [item.title for item in items]
    assert "Follow up the invitation to old@example.org" in titles
    assert "The invitation to invitee@alpha.example expired: send it again" in titles
    assert not any("fresh@example.org" in title for title in titles)
    html = page_text(client_for(tenant_a.lead).get(_url(tenant_a)))
    assert "Follow up the invitation to old@example.org" in html
    assert "Late" in html  # the expired one is overdue
    assert due_next(team=tenant_a.team, user=tenant_a.member) == []


def test_due_items_come_soonest_first(tenant_a, own_providers):
    Invitation.objects.filter(pk=tenant_a.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    items = due_next(team=tenant_a.team, user=tenant_a.lead)
    assert [item.due for item in items] == sorted(item.due for item in items)
    assert len(items) == 2


@pytest.fixture
def extra_provider():
    """A provider as another app would register it, removed afterwards."""

    def session_evaluation_due(*, team, user, access):
        if access.is_member:
            yield DueItem(
                title=f"Evaluate learning session 2 for {team.name}",
                due=timezone.localdate() + timedelta(days=3),
                url="/sessions/2/evaluation/",
            )

    register_due_provider(session_evaluation_due)
    register_due_provider(session_evaluation_due)  # twice: still one
    yield session_evaluation_due
    due._providers.remove(session_evaluation_due)


def test_other_apps_add_due_items_through_the_registry(tenant_a, extra_provider):
    assert due.due_providers().count(extra_provider) == 1
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert f"Evaluate learning session 2 for {tenant_a.team.name}" in html
    assert 'href="/sessions/2/evaluation/"' in html
    assert "Evaluate learning session" not in page_text(
        client_for(tenant_a.staff).get(_url(tenant_a))
    )


# --- recent activity ---------------------------------------------------------------------


def test_recent_activity_tells_what_happened_in_plain_words(tenant_a):
    invitation_create(
        team=tenant_a.team, email="new@example.org", role=TeamRole.SPONSOR, invited_by=tenant_a.lead
    )
    progress_rating_create(
        team=tenant_a.team,
        month=current_month(),
        kind=RatingKind.COACH,
        score="2.5",
        rationale="x",
        rated_by=tenant_a.coach,
    )
    audit_record(actor=tenant_a.staff, verb="team.approved", target=tenant_a.team)
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert (
        f"<strong>{tenant_a.lead.display_name}</strong> invited new@example.org to join as "
        "Executive sponsor"
    ) in html
    assert f"gave a coach rating of 2.5 for {current_month():%B %Y}" in html
    assert "team approved" in html


def test_recent_activity_is_only_this_teams_and_at_most_ten(tenant_a, tenant_b):
    for n in range(12):
        audit_record(actor=tenant_a.lead, verb=f"team.note_{n}", target=tenant_a.team)
    audit_record(actor=tenant_a.staff, verb="team.secret_other", target=tenant_a.other_team)
    audit_record(actor=tenant_b.staff, verb="team.secret_bravo", target=tenant_b.team)
    items = team_recent_activity(team=tenant_a.team)
    assert len(items) == 10
    assert items[0].summary.startswith("team note 11")
    summaries = " ".join(item.summary for item in items)
    assert "secret" not in summaries


def test_activity_on_a_membership_or_coach_assignment_counts(tenant_a):
    audit_record(
        actor=tenant_a.lead,
        verb="team_membership.role_changed",
        target=tenant_a.member_membership,
        data={"member": "Mo Member", "old_role": "member", "new_role": "data_contact"},
    )
    assignment = CoachAssignmentFactory(team=tenant_a.team)
    audit_record(actor=tenant_a.staff, verb="coach_assignment.created", target=assignment)
    summaries = [item.summary for item in team_recent_activity(team=tenant_a.team)]
    assert "made Mo Member Data contact" in summaries
    assert any(s.startswith("coach assignment created") for s in summaries)


def test_recent_activity_takes_one_query(tenant_a, django_assert_num_queries):
    for n in range(5):
        audit_record(actor=tenant_a.lead, verb=f"team.note_{n}", target=tenant_a.team)
    invitation_create(
        team=tenant_a.team, email="new@example.org", role=TeamRole.MEMBER, invited_by=tenant_a.lead
    )
    audit_record(
        actor=tenant_a.staff, verb="team_membership.left", target=tenant_a.member_membership
    )
    invitation_create(
        team=tenant_a.other_team,
        email="else@example.org",
        role=TeamRole.MEMBER,
        invited_by=tenant_a.staff,
    )
    with django_assert_num_queries(1):  # two before the target ids were subqueries
        items = team_recent_activity(team=tenant_a.team)
    summaries = [item.summary for item in items]
    assert summaries[:2] == ["left the team", "invited new@example.org to join as Team member"]
    assert "else@example.org" not in " ".join(summaries)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_team_home_queries_do_not_grow_with_the_team(
    tenant_a, django_assert_max_num_queries, monkeypatch
):
    # Other apps' "due next" providers add their own queries; count this page's own.
    own_providers = [due.self_rating_due, due.invitations_due]
    monkeypatch.setattr(due, "_providers", own_providers)
    from core import panels

    monkeypatch.setattr(panels, "_PANELS", {})
    client = client_for(tenant_a.lead)
    client.get(_url(tenant_a))  # warm up the session
    few = _count_queries(client, _url(tenant_a))
    for n in range(5):
        TeamMembershipFactory(team=tenant_a.team, user=UserFactory())
        invitation_create(
            team=tenant_a.team,
            email=f"person{n}@example.org",
            role=TeamRole.MEMBER,
            invited_by=tenant_a.lead,
        )
        CoachAssignmentFactory(team=tenant_a.team)
    for n in range(12):
        audit_record(actor=tenant_a.lead, verb=f"team.note_{n}", target=tenant_a.team)
    assert _count_queries(client, _url(tenant_a)) == few
    # 12: one of them finds the viewer's time zone (teams.middleware); 14 before the
    # viewer's role came with the team and the activity's target ids in subqueries.
    with django_assert_max_num_queries(12):
        client.get(_url(tenant_a))


def test_empty_activity_says_what_will_appear(tenant_a):
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert "Nothing has happened here yet." in html


def test_without_an_aim_panel_the_box_shows_the_applications_goals(tenant_a, monkeypatch):
    from core import panels

    kept = {key: p for key, p in panels._PANELS.items() if key[0] != panels.TEAM_AIM}
    monkeypatch.setattr(panels, "_PANELS", kept)
    html = page_text(client_for(tenant_a.member).get(_url(tenant_a)))
    assert "From your application" in html and tenant_a.team.goals in html
    coach = page_text(client_for(tenant_a.coach).get(_url(tenant_a)))
    assert "From the team's application" in coach and tenant_a.team.goals in coach


def test_features_add_panels_to_the_team_home(tenant_a, client):
    """The registry renders each feature's panel; a None context hides it."""
    from core import panels

    saved = dict(panels._PANELS)
    try:
        panels.register_panel(
            panels.TEAM_HOME,
            name="demo-panel",
            template="partials/_status_tag.html",
            context=lambda *, team, user: {"status": "late", "label": f"Panel for {team.name}"},
        )
        panels.register_panel(
            panels.TEAM_HOME,
            name="hidden",
            template="partials/_status_tag.html",
            context=lambda **kw: None,
        )
        client.force_login(tenant_a.member)
        html = client.get(f"/teams/{tenant_a.team.public_id}/").content.decode()
    finally:
        panels._PANELS.clear()
        panels._PANELS.update(saved)
    assert f"Panel for {tenant_a.team.name}" in html
    assert (panels.TEAM_HOME, "measures") in saved  # measures registers its charts panel
