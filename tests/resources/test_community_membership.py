"""Communities of practice: who becomes a member, joining, inviting, removing, and what
membership opens (the board, the shared ramps, the library's shared-work rule)."""

import pytest
from django.urls import reverse

from accounts.models import ProgramRole
from collaboratives.models import Collaborative, CollaborativeStatus
from collaboratives.services import collaborative_transition
from core.models import AuditEvent, Notification, OutboundEmail
from pdsa.models import ChangeIdea, Cycle, Decision, Scale, Stage
from resources.access import program_ids_of, shared_work_collaborative_ids
from resources.models import CommunityMember, MemberStatus
from resources.selectors.library import resources_visible_to
from teams.models import TeamRole, TeamStatus
from tests.factories import (
    CollaborativeFactory,
    ProgramMembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    give_totp,
)

from .community_helpers import client, community_of, url
from .search_helpers import make_resource

pytestmark = pytest.mark.django_db


def status_of(community, user) -> str | None:
    row = CommunityMember.objects.filter(collaborative=community, user=user).first()
    return row.status if row else None


# --- entering the community phase ------------------------------------------------------


def test_entering_the_community_phase_makes_the_collaboratives_people_members(tenant_a):
    t = tenant_a
    collaborative = t.collaborative
    left = TeamMembershipFactory(team=t.team, user=UserFactory(), is_active=False).user
    withdrawn_team = TeamFactory(collaborative=collaborative, status=TeamStatus.WITHDRAWN)
    withdrawn = TeamMembershipFactory(team=withdrawn_team, user=UserFactory()).user
    other_lead = TeamMembershipFactory(team=t.other_team, role=TeamRole.LEAD).user
    collaborative_transition(collaborative=collaborative, actor=t.staff, target="closed")
    assert not CommunityMember.objects.filter(collaborative=collaborative).exists()

    collaborative_transition(
        collaborative=collaborative, actor=t.staff, target=CollaborativeStatus.COMMUNITY
    )

    members = set(
        CommunityMember.objects.filter(
            collaborative=collaborative, status=MemberStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    expected = {t.lead.pk, t.member.pk, other_lead.pk, t.coach.pk, t.staff.pk, t.admin.pk}
    assert members == expected
    assert left.pk not in members and withdrawn.pk not in members
    assert AuditEvent.objects.filter(
        verb="community_member.added", target_id=str(collaborative.public_id)
    ).exists()


def test_seeding_again_never_brings_back_someone_removed(tenant_a):
    t = tenant_a
    collaborative = t.collaborative
    collaborative_transition(collaborative=collaborative, actor=t.staff, target="closed")
    collaborative_transition(collaborative=collaborative, actor=t.staff, target="community")
    CommunityMember.objects.filter(collaborative=collaborative, user=t.member).update(
        status=MemberStatus.REMOVED
    )
    collaborative.refresh_from_db()
    collaborative.save()  # a whole-row save (admin, edit form) seeds again

    assert status_of(collaborative, t.member) == MemberStatus.REMOVED
    assert status_of(collaborative, t.lead) == MemberStatus.ACTIVE


def test_a_coach_who_lost_the_coach_role_is_not_seeded(tenant_a):
    t = tenant_a
    t.coach.program_memberships.filter(role=ProgramRole.COACH).update(is_active=False)
    collaborative_transition(collaborative=t.collaborative, actor=t.staff, target="closed")
    collaborative_transition(collaborative=t.collaborative, actor=t.staff, target="community")
    assert status_of(t.collaborative, t.coach) is None


# --- asking to join ----------------------------------------------------------------------


def test_program_person_asks_to_join_and_staff_approve(tenant_a):
    t = tenant_a
    community = community_of(t)
    newcomer = TeamMembershipFactory(team=t.team, user=UserFactory(full_name="Nia Newcomer")).user
    page = client(newcomer).get(url("community", community))
    assert page.status_code == 200
    assert "Ask to join" in page.content.decode()
    # Not a member yet: the board and its threads answer 404.
    thread_id = t.extras["thread_id"]
    assert (
        client(newcomer).get(url("community_thread", community, thread_id=thread_id)).status_code
        == 404
    )

    response = client(newcomer).post(url("community_join", community), {"message": "ED nurse"})
    assert response.status_code == 302
    assert status_of(community, newcomer) == MemberStatus.REQUESTED
    staff_mail = OutboundEmail.objects.filter(kind="community_membership", to_email=t.staff.email)
    assert staff_mail.count() == 1
    subject = staff_mail.get().subject
    assert subject.startswith("Nia Newcomer") and "asks to join the community" in subject
    assert Notification.objects.filter(recipient=t.admin, kind="community_membership").exists()

    request_row = CommunityMember.objects.get(collaborative=community, user=newcomer)
    members_page = client(t.staff).get(url("community_members", community))
    assert "Nia Newcomer" in members_page.content.decode()
    client(t.staff).post(
        url("community_member_action", community, community_member_id=request_row.public_id),
        {"action": "approve"},
    )
    assert status_of(community, newcomer) == MemberStatus.ACTIVE
    told = OutboundEmail.objects.get(kind="community_membership", to_email=newcomer.email)
    assert told.subject.startswith("Welcome to the community")
    assert Notification.objects.filter(recipient=newcomer, url=url("community", community)).exists()
    assert (
        client(newcomer).get(url("community_thread", community, thread_id=thread_id)).status_code
        == 200
    )


def test_declined_request_is_told_and_may_ask_again(tenant_a):
    t = tenant_a
    community = community_of(t)
    row = CommunityMember.objects.get(collaborative=community, user=t.coach)  # the builder's
    response = client(t.staff).post(
        url("community_member_action", community, community_member_id=row.public_id),
        {"action": "decline"},
    )
    assert response.status_code == 302
    assert status_of(community, t.coach) is None
    assert OutboundEmail.objects.filter(
        kind="community_membership", to_email=t.coach.email
    ).exists()
    assert AuditEvent.objects.filter(verb="community_member.declined").exists()
    client(t.coach).post(url("community_join", community))
    assert status_of(community, t.coach) == MemberStatus.REQUESTED


def test_members_cannot_decide_requests(tenant_a):
    t = tenant_a
    community = community_of(t)
    row = CommunityMember.objects.get(collaborative=community, user=t.coach)
    response = client(t.lead).post(
        url("community_member_action", community, community_member_id=row.public_id),
        {"action": "approve"},
    )
    assert response.status_code == 403
    assert status_of(community, t.coach) == MemberStatus.REQUESTED


def test_people_outside_the_program_cannot_see_or_join(tenant_a, tenant_b, outsider):
    community = community_of(tenant_a)
    for person in (outsider, tenant_b.staff, tenant_b.lead):
        assert client(person).get(url("community", community)).status_code == 404
        assert client(person).post(url("community_join", community)).status_code == 404
    assert not CommunityMember.objects.filter(
        collaborative=community, user__in=[outsider, tenant_b.staff, tenant_b.lead]
    ).exists()


def test_a_collaborative_not_in_its_community_phase_has_no_community(tenant_a):
    t = tenant_a
    assert client(t.staff).get(url("community", t.collaborative)).status_code == 404


# --- invitations -------------------------------------------------------------------------


def test_staff_invite_a_program_person_who_accepts(tenant_a):
    t = tenant_a
    community = community_of(t)
    other = TeamFactory(collaborative=CollaborativeFactory(program=t.program), program=t.program)
    nurse = TeamMembershipFactory(team=other, user=UserFactory(full_name="Ola Other")).user
    response = client(t.staff).post(
        url("community_members", community), {"email": nurse.email.upper(), "message": "Join us"}
    )
    assert response.status_code == 302
    assert status_of(community, nurse) == MemberStatus.INVITED
    mail = OutboundEmail.objects.get(kind="community_membership", to_email=nurse.email)
    assert "invited" in mail.subject
    assert "Join us" in mail.body_text

    page = client(nurse).get(url("community", community)).content.decode()
    assert "You are invited" in page
    client(nurse).post(url("community_invitation", community), {"answer": "accept"})
    assert status_of(community, nurse) == MemberStatus.ACTIVE


def test_invitation_declined_removes_the_row(tenant_a):
    t = tenant_a
    community = community_of(t)
    nurse = TeamMembershipFactory(team=t.other_team, user=UserFactory()).user
    client(t.staff).post(url("community_members", community), {"email": nurse.email})
    client(nurse).post(url("community_invitation", community), {"answer": "decline"})
    assert status_of(community, nurse) is None


def test_people_outside_the_program_with_an_account_are_invited_in_the_app(
    tenant_a, tenant_b, outsider
):
    """Being invited is the grant: an account of another program (or of none) gets the
    same in-app invitation as a program person (see test_community_invitations.py for
    what they may then see, and for addresses with no account)."""
    t = tenant_a
    community = community_of(t)
    for person in (outsider, tenant_b.lead):
        response = client(t.staff).post(
            url("community_members", community), {"email": person.email}
        )
        assert response.status_code == 302
        assert status_of(community, person) == MemberStatus.INVITED


def test_members_cannot_invite(tenant_a):
    t = tenant_a
    community = community_of(t)
    nurse = TeamMembershipFactory(team=t.other_team, user=UserFactory()).user
    response = client(t.lead).post(url("community_members", community), {"email": nurse.email})
    assert response.status_code == 403
    assert status_of(community, nurse) is None


# --- removal, and what membership opens --------------------------------------------------


def _past_member(t):
    """Someone who was on a team of the community's collaborative, left it, and stays in
    the community: only membership gives them the shared work."""
    community = community_of(t)
    team = TeamFactory(collaborative=community, program=t.program, name="Past Team")
    person = UserFactory(full_name="Pat Past")
    TeamMembershipFactory(team=team, user=person, is_active=False)
    row = CommunityMember.objects.create(
        program=t.program, collaborative=community, user=person, status=MemberStatus.ACTIVE
    )
    return community, team, person, row


def _shared_ramp(team, author):
    idea = ChangeIdea.objects.create(
        program=team.program,
        team=team,
        title="Weigh every child in kilograms",
        shared_at=team.created_at,
        shared_by=author,
    )
    Cycle.objects.create(
        program=team.program,
        team=team,
        change_idea=idea,
        title="Kg-only scale at triage",
        stage=Stage.COMPLETE,
        scale=Scale.ONE_SHIFT,
        decision=Decision.ADOPT,
        learned="Nurses liked the card",
        objective="PRIVATE-OBJECTIVE",
        created_by=author,
    )
    unshared = ChangeIdea.objects.create(program=team.program, team=team, title="Unshared idea")
    return idea, unshared


def test_community_member_reaches_the_shared_work_and_loses_it_when_removed(tenant_a):
    t = tenant_a
    community, team, person, row = _past_member(t)
    idea, unshared = _shared_ramp(team, t.lead)
    assert community.pk in shared_work_collaborative_ids(user=person)

    listing = client(person).get(url("community_shared_ramps", community))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Weigh every child in kilograms" in body and "Unshared idea" not in body
    detail = client(person).get(
        url("community_shared_ramp", community, change_idea_id=idea.public_id)
    )
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Nurses liked the card" in text
    assert "PRIVATE-OBJECTIVE" not in text  # raw notes were not shared
    assert (
        client(person)
        .get(url("community_shared_ramp", community, change_idea_id=unshared.public_id))
        .status_code
        == 404
    )

    client(t.staff).post(
        url("community_member_action", community, community_member_id=row.public_id),
        {"action": "remove"},
    )
    assert status_of(community, person) == MemberStatus.REMOVED
    assert community.pk not in shared_work_collaborative_ids(user=person)
    assert client(person).get(url("community_shared_ramps", community)).status_code == 404
    thread_id = t.extras["thread_id"]
    assert (
        client(person).get(url("community_thread", community, thread_id=thread_id)).status_code
        == 404
    )
    assert client(person).get(url("community", community)).status_code == 404  # not in the program
    assert AuditEvent.objects.filter(verb="community_member.removed").exists()


def test_membership_counts_only_while_the_collaborative_is_a_community(tenant_a):
    t = tenant_a
    community, _team, person, _row = _past_member(t)
    Collaborative.objects.filter(pk=community.pk).update(status=CollaborativeStatus.CLOSED)
    assert community.pk not in shared_work_collaborative_ids(user=person)


def test_another_programs_shared_ramps_never_show(tenant_a, tenant_b):
    t = tenant_a
    community, _team, person, _row = _past_member(t)
    b_team = TeamFactory(collaborative=community_of(tenant_b), program=tenant_b.program)
    b_idea, _ = _shared_ramp(b_team, tenant_b.lead)
    ChangeIdea.objects.filter(pk=b_idea.pk).update(title="BRAVO-PRIVATE ramp")
    listing = client(person).get(url("community_shared_ramps", community)).content.decode()
    assert "BRAVO-PRIVATE" not in listing
    response = client(person).get(
        url("community_shared_ramp", community, change_idea_id=b_idea.public_id)
    )
    assert response.status_code == 404
    b_community = community_of(tenant_b)
    assert client(person).get(url("community_shared_ramps", b_community)).status_code == 404


def test_collaborative_page_shows_the_way_to_its_community(tenant_a):
    t = tenant_a
    community = community_of(t)
    page = client(t.staff).get(
        reverse("collaboratives:detail", kwargs={"collaborative_id": community.public_id})
    )
    assert "Open the community" in page.content.decode()
    listing = client(t.lead).get(reverse("resources:communities")).content.decode()
    assert community.title in listing


def test_staff_are_in_every_community_of_their_program(tenant_a):
    t = tenant_a
    community = community_of(t)
    new = UserFactory()
    ProgramMembershipFactory(program=t.program, user=new, role=ProgramRole.STAFF)
    give_totp(new)
    page = client(new).get(url("community", community))
    assert page.status_code == 200
    assert "Start a discussion" in page.content.decode()


def test_a_past_member_keeps_the_program_wide_library_while_in_the_community(tenant_a):
    """Someone no longer on any team of the program still finds the program-wide
    resources (not only the community's own) through their community membership, and
    loses them with it."""
    t = tenant_a
    community, _team, person, row = _past_member(t)
    everyone = make_resource(t, "Kilogram scales: buying guide")
    assert t.program.pk in program_ids_of(user=person)
    assert everyone in resources_visible_to(user=person)
    page = client(person).get(
        reverse("resources:detail", kwargs={"resource_id": everyone.public_id})
    )
    assert page.status_code == 200

    row.status = MemberStatus.REMOVED
    row.save(update_fields=["status"])
    assert t.program.pk not in program_ids_of(user=person)
    assert everyone not in resources_visible_to(user=person)


def test_the_community_home_lists_the_teams_storyboards_and_a_past_member_opens_one(tenant_a):
    t = tenant_a
    community, team, person, row = _past_member(t)
    team.status = TeamStatus.ACTIVE
    team.save(update_fields=["status"])
    home = client(person).get(url("community", community)).content.decode()
    storyboard = reverse("resources:storyboard", kwargs={"team_id": team.public_id})
    assert "The teams&#x27; storyboards" in home or "The teams' storyboards" in home
    assert f'href="{storyboard}"' in home
    assert client(person).get(storyboard).status_code == 200

    row.status = MemberStatus.REMOVED
    row.save(update_fields=["status"])
    assert client(person).get(storyboard).status_code == 404
