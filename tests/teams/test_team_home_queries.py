"""The team home's SQL queries, all providers and panels included: the same number for a
team of a small or a large collaborative, with nothing or a lot due (issue 16: the page
must stay cheap at 300 teams)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ProgramMembership, ProgramRole
from accounts.selectors import program_role_map
from certificates.models import CreditOffer
from certificates.panels import _context as credit_panel
from core.memo import page_memo
from learning_sessions import services as session_services
from learning_sessions.due import open_sessions_due, upcoming_sessions_due
from learning_sessions.models import Event, EventKind
from pdsa.services import comment_create
from teams.due import due_next
from teams.models import Invitation, TeamRole
from teams.selectors import (
    invitations_to_follow_up,
    role_summary,
    team_access,
    team_and_access_or_404,
    team_role_of,
)
from teams.services import invitation_create
from tests.factories import FacilityFactory, TeamFactory, TeamMembershipFactory, client_for
from tests.pdsa.helpers import make_cycle, make_idea

pytestmark = pytest.mark.django_db

#: Every query of the page for a signed-in lead, from the session to the last panel (38
#: before the viewer's role in the team was read with the team and the recent activity
#: read its targets' ids in subqueries).
TEAM_HOME_QUERIES = 36


def _url(tenant) -> str:
    return reverse("teams:detail", kwargs={"team_id": tenant.team.public_id})


def _queries(client, url) -> int:
    """The page's queries with warm caches (the bell's count and the charts are cached
    between two changes, like for anyone who comes back to the page)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow_collaborative(tenant, teams: int) -> None:
    """Other teams in the team's collaborative, up to `teams` in all."""
    existing = tenant.collaborative.teams.count()
    for n in range(existing, teams):
        TeamFactory(
            program=tenant.program,
            collaborative=tenant.collaborative,
            facility=FacilityFactory(program=tenant.program, name=f"Hospital {n}"),
            name=f"Team {n}",
        )


def _event(tenant, title: str, days: int) -> Event:
    starts = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        kind=EventKind.WEBINAR,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


def _make_much_due(tenant) -> None:
    """Several items from each provider: the lead's open cycles with unread comments,
    sessions they hold a seat at and ones open to them, invitations to follow up."""
    idea = make_idea(tenant.team)
    for n in range(4):
        cycle = make_cycle(tenant.team, idea, author=tenant.lead, title=f"Cycle {n}")
        comment_create(cycle=cycle, actor=tenant.coach, body=f"Comment {n}", by_coach=True)
    for n in range(3):
        session_services.register(event=_event(tenant, f"Seat {n}", 3 + n), user=tenant.lead)
        _event(tenant, f"Open {n}", 5 + n)
    for n in range(3):
        invitation_create(
            team=tenant.team,
            email=f"late{n}@example.org",
            role=TeamRole.MEMBER,
            invited_by=tenant.lead,
        )
    long_ago = timezone.now() - timedelta(days=10)
    Invitation.objects.filter(team=tenant.team).update(created_at=long_ago, last_sent_at=long_ago)


def _due_count(tenant) -> int:
    access = team_access(user=tenant.lead, team=tenant.team)
    return len(due_next(team=tenant.team, user=tenant.lead, access=access))


def test_team_home_queries_are_the_same_for_3_or_30_teams_and_nothing_or_much_due(tenant_a):
    client = client_for(tenant_a.lead)
    url = _url(tenant_a)
    _grow_collaborative(tenant_a, 3)
    little_due = _due_count(tenant_a)
    assert _queries(client, url) == TEAM_HOME_QUERIES

    _grow_collaborative(tenant_a, 30)
    assert _queries(client, url) == TEAM_HOME_QUERIES

    _make_much_due(tenant_a)
    assert _due_count(tenant_a) >= little_due + 15
    assert _queries(client, url) == TEAM_HOME_QUERIES


def test_the_two_session_providers_read_the_events_once_per_page(
    tenant_a, django_assert_num_queries
):
    session_services.register(event=_event(tenant_a, "Seat", 3), user=tenant_a.lead)
    _event(tenant_a, "Open", 5)
    access = team_access(user=tenant_a.lead, team=tenant_a.team)
    kwargs = {"team": tenant_a.team, "user": tenant_a.lead, "access": access}
    with page_memo(), django_assert_num_queries(1):
        held = list(upcoming_sessions_due(**kwargs))
        open_ = list(open_sessions_due(**kwargs))
    assert [i.title for i in held] == ["Attend “Seat”"]
    assert "Register for “Open”" in [i.title for i in open_]


def test_the_credit_panel_costs_one_query_where_no_credit_is_published(
    tenant_a, django_assert_num_queries
):
    CreditOffer.objects.filter(collaborative=tenant_a.collaborative).update(is_published=False)
    with django_assert_num_queries(1):
        assert credit_panel(team=tenant_a.team, user=tenant_a.lead) is None


def test_the_navigation_reads_the_persons_teams_in_one_query(tenant_a, django_assert_num_queries):
    other = TeamFactory(
        program=tenant_a.program,
        collaborative=tenant_a.recruiting,
        facility=FacilityFactory(program=tenant_a.program, name="Second Hospital"),
        name="Second Team",
    )
    TeamMembershipFactory(team=other, user=tenant_a.lead, role=TeamRole.MEMBER)
    with django_assert_num_queries(2):  # their program roles, then their teams
        summary = role_summary(user=tenant_a.lead, for_navigation=True)
        shown = {(m.team.name, m.team.collaborative.title) for m in summary.team_memberships}
        assert all(m.team.public_id for m in summary.team_memberships)
    assert shown == {
        (tenant_a.team.name, tenant_a.collaborative.title),
        ("Second Team", tenant_a.recruiting.title),
    }
    page = client_for(tenant_a.lead).get(_url(tenant_a)).content.decode()
    assert "Second Team" in page
    assert reverse("teams:detail", kwargs={"team_id": other.public_id}) in page


def test_the_viewers_role_is_read_without_joining_teams_and_people(tenant_a):
    with CaptureQueriesContext(connection) as queries:
        assert team_role_of(user=tenant_a.lead, team=tenant_a.team) == TeamRole.LEAD
        assert team_role_of(user=tenant_a.staff, team=tenant_a.team) is None
    assert all("JOIN" not in query["sql"] for query in queries)


def test_invitations_to_follow_up_are_read_without_who_sent_them(tenant_a):
    long_ago = timezone.now() - timedelta(days=10)
    Invitation.objects.filter(team=tenant_a.team).update(created_at=long_ago, last_sent_at=None)
    with CaptureQueriesContext(connection) as queries:
        [invitation] = invitations_to_follow_up(team=tenant_a.team, older_than=timedelta(days=7))
    assert invitation.email == "invitee@alpha.example"
    assert [q for q in queries if "JOIN" in q["sql"]] == []


def test_the_navigation_costs_staff_in_no_team_one_query_besides_their_roles(
    tenant_a, django_assert_num_queries
):
    """Staff and coaches are rarely in a team: the programs' query says they are in none,
    so the top bar does not also ask for their teams."""
    for person in (tenant_a.staff, tenant_a.coach):
        with django_assert_num_queries(2):  # their program roles, then their programs
            summary = role_summary(user=person, for_navigation=True)
        assert summary.team_memberships == []
    assert [p.pk for p in role_summary(user=tenant_a.staff).staff_programs] == [tenant_a.program.pk]
    assert [p.pk for p in role_summary(user=tenant_a.coach).coach_programs] == [tenant_a.program.pk]


def test_the_navigation_reads_only_the_programs_name_and_link(tenant_a):
    with CaptureQueriesContext(connection) as queries:
        summary = role_summary(user=tenant_a.staff, for_navigation=True)
    [program_query] = [q["sql"] for q in queries if 'FROM "accounts_program"' in q["sql"]]
    assert '"slug"' not in program_query and '"contact_email"' not in program_query
    [program] = summary.staff_programs
    assert (program.public_id, program.name) == (tenant_a.program.public_id, tenant_a.program.name)


def test_staff_in_a_team_see_it_in_the_navigation(tenant_a, django_assert_num_queries):
    TeamMembershipFactory(team=tenant_a.team, user=tenant_a.staff, role=TeamRole.MEMBER)
    with django_assert_num_queries(3):  # their program roles, their programs, their teams
        summary = role_summary(user=tenant_a.staff, for_navigation=True)
        assert [m.team.name for m in summary.team_memberships] == [tenant_a.team.name]
    assert summary.is_staff and summary.is_team_member


@pytest.mark.parametrize("name", ["admin", "staff", "coach", "lead", "member", "unassigned_coach"])
def test_the_team_and_the_viewers_access_are_one_query(
    name, persona, tenant_a, django_assert_num_queries
):
    """Every team page starts by finding its team and the viewer's powers: the role and
    the coach assignment are read with the team, and say what `team_access` says."""
    user = persona(name)
    program_role_map(user=user)  # read once per request, by the middleware already
    if name == "unassigned_coach":
        with django_assert_num_queries(1), pytest.raises(Http404):
            team_and_access_or_404(user=user, team_id=tenant_a.team.public_id)
        return
    with django_assert_num_queries(1):
        team, access = team_and_access_or_404(user=user, team_id=tenant_a.team.public_id)
    assert team == tenant_a.team
    assert access == team_access(user=user, team=tenant_a.team)


def test_a_former_member_and_a_coach_of_another_program_have_no_power_over_the_team(tenant_a):
    """The folded reads keep team_access's rules: an ended membership gives no role, and
    an assignment counts only for a coach of the team's program."""
    tenant_a.team.memberships.filter(user=tenant_a.member).update(is_active=False)
    ProgramMembership.objects.filter(user=tenant_a.coach).update(role=ProgramRole.STAFF)
    for user in (tenant_a.member, tenant_a.coach):
        user = type(user).objects.get(pk=user.pk)  # no cached roles
        if user.pk == tenant_a.member.pk:
            with pytest.raises(Http404):
                team_and_access_or_404(user=user, team_id=tenant_a.team.public_id)
            continue
        team, access = team_and_access_or_404(user=user, team_id=tenant_a.team.public_id)
        assert access == team_access(user=user, team=team)
        assert access.is_staff and not access.is_assigned_coach and access.role is None
