"""Scoping selectors: who sees which teams and collaboratives."""

import pytest

from accounts.selectors import program_roles
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from teams.selectors import programs_visible_to, role_summary, teams_coached_by, teams_visible_to

pytestmark = pytest.mark.django_db


def test_staff_see_every_team_of_their_program_only(tenant_a, tenant_b):
    assert set(teams_visible_to(user=tenant_a.staff)) == {tenant_a.team, tenant_a.other_team}


def test_coach_sees_assigned_teams_only(tenant_a, tenant_b):
    assert list(teams_visible_to(user=tenant_a.coach)) == [tenant_a.team]
    assert list(teams_coached_by(user=tenant_a.coach)) == [tenant_a.team]


def test_member_sees_own_team_only(tenant_a, tenant_b):
    assert list(teams_visible_to(user=tenant_a.member)) == [tenant_a.team]


def test_inactive_membership_or_role_sees_nothing(tenant_a):
    tenant_a.member_membership.is_active = False
    tenant_a.member_membership.save()
    assert list(teams_visible_to(user=tenant_a.member)) == []
    tenant_a.staff.program_memberships.update(is_active=False)
    tenant_a.staff.refresh_from_db()
    assert list(teams_visible_to(user=tenant_a.staff)) == []


def test_deactivated_user_sees_nothing(tenant_a):
    tenant_a.staff.is_active = False
    tenant_a.staff.save()
    assert list(teams_visible_to(user=tenant_a.staff)) == []
    assert list(collaboratives_visible_to(user=tenant_a.staff)) == []


def test_outsider_sees_nothing(outsider, tenant_a):
    assert list(teams_visible_to(user=outsider)) == []
    assert list(collaboratives_visible_to(user=outsider)) == []
    assert list(programs_visible_to(user=outsider)) == []


def test_coach_of_one_program_is_not_coach_of_another(tenant_a, tenant_b):
    """An assignment without the coach role in that program gives no access."""
    from tests.factories import CoachAssignmentFactory

    CoachAssignmentFactory(team=tenant_b.team, coach=tenant_a.coach)
    assert tenant_b.team not in teams_visible_to(user=tenant_a.coach)


def test_person_in_two_programs_sees_both_teams(tenant_a, tenant_b):
    from tests.factories import TeamMembershipFactory

    TeamMembershipFactory(team=tenant_b.team, user=tenant_a.member)
    assert set(teams_visible_to(user=tenant_a.member)) == {tenant_a.team, tenant_b.team}
    assert set(programs_visible_to(user=tenant_a.member)) == {tenant_a.program, tenant_b.program}


def test_role_summary_and_program_roles(tenant_a):
    summary = role_summary(user=tenant_a.staff)
    assert summary.is_staff and not summary.is_coach and not summary.is_team_member
    assert program_roles(user=tenant_a.admin, program=tenant_a.program) == {"admin"}
    assert role_summary(user=tenant_a.lead).team_memberships[0].team == tenant_a.team


def test_collaboratives_visible_to(tenant_a, tenant_b):
    # The resources builder adds the program's community of practice (a past collaborative).
    community = Collaborative.objects.filter(public_id=tenant_a.extras.get("community_id"))
    assert set(collaboratives_visible_to(user=tenant_a.staff)) == {
        tenant_a.collaborative,
        tenant_a.recruiting,
        *community,
    }
    assert list(collaboratives_visible_to(user=tenant_a.member)) == [tenant_a.collaborative]


def test_team_list_query_count_is_constant(tenant_a, django_assert_max_num_queries):
    from tests.factories import TeamFactory

    for _ in range(10):
        TeamFactory(program=tenant_a.program, collaborative=tenant_a.collaborative)
    staff = type(tenant_a.staff).objects.get(pk=tenant_a.staff.pk)
    with django_assert_max_num_queries(2):
        teams = list(teams_visible_to(user=staff))
        [(t.collaborative.title, t.facility.name) for t in teams]
    assert len(teams) == 12
