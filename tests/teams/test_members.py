"""Team membership management: the members page, invitations from it, roles, removal, leaving."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from teams.models import Invitation, TeamMembership, TeamRole
from teams.services import team_membership_change_role, team_membership_remove
from tests.factories import TeamMembershipFactory, UserFactory

from .conftest import HIDDEN_PERSONAS, VISIBLE_PERSONAS, client_for, page_text

pytestmark = pytest.mark.django_db


def _url(name: str, tenant, **kwargs) -> str:
    return reverse(f"teams:{name}", kwargs={"team_id": tenant.team.public_id, **kwargs})


def _member_url(name: str, tenant, membership) -> str:
    return _url(name, tenant, membership_id=membership.public_id)


def _invitation_url(name: str, tenant, invitation) -> str:
    return _url(name, tenant, invitation_id=invitation.public_id)


# --- the page per access level -------------------------------------------------------------


@pytest.mark.parametrize("persona_name", VISIBLE_PERSONAS)
def test_people_who_see_the_team_see_members_with_contact_details(tenant_a, persona, persona_name):
    response = client_for(persona(persona_name)).get(_url("members", tenant_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert tenant_a.lead.display_name in html
    assert tenant_a.member.display_name in html
    assert "Team lead" in html
    assert f'href="mailto:{tenant_a.member.email}"' in html
    assert tenant_a.invitation.email in html


@pytest.mark.parametrize("persona_name", HIDDEN_PERSONAS)
def test_people_outside_the_team_get_404(tenant_a, persona, persona_name):
    client = client_for(persona(persona_name))
    assert client.get(_url("members", tenant_a)).status_code == 404
    response = client.post(_url("members", tenant_a), {"email": "x@example.org", "role": "member"})
    assert response.status_code == 404
    assert Invitation.objects.filter(email="x@example.org").count() == 0


def test_anonymous_is_sent_to_sign_in(client, tenant_a):
    response = client.get(_url("members", tenant_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona_name", ["lead", "staff", "admin"])
def test_leads_and_staff_get_the_management_forms(tenant_a, persona, persona_name):
    html = client_for(persona(persona_name)).get(_url("members", tenant_a)).content.decode()
    assert "Invite someone" in html
    assert "Change role" in html
    assert "Send again" in html
    assert "Withdraw the invitation" in html


@pytest.mark.parametrize("persona_name", ["member", "coach"])
def test_others_see_the_list_read_only(tenant_a, persona, persona_name):
    html = client_for(persona(persona_name)).get(_url("members", tenant_a)).content.decode()
    assert "Only the team's leads and program staff can invite people" in html
    assert "Invite someone" not in html
    assert "Change role" not in html
    assert "Send again" not in html


def test_only_members_are_offered_to_leave(tenant_a):
    assert "Leave this team" in (
        client_for(tenant_a.member).get(_url("members", tenant_a)).content.decode()
    )
    assert "Leave this team" not in (
        client_for(tenant_a.staff).get(_url("members", tenant_a)).content.decode()
    )


def test_names_are_escaped(tenant_a):
    tenant_a.member.full_name = "<script>alert(1)</script>"
    tenant_a.member.save()
    html = client_for(tenant_a.lead).get(_url("members", tenant_a)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- inviting from the page ----------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ["lead", "staff", "admin"])
def test_leads_and_staff_invite(tenant_a, persona, persona_name):
    client = client_for(persona(persona_name))
    response = client.post(
        _url("members", tenant_a), {"email": "new@example.org", "role": "sponsor"}, follow=True
    )
    assert "Invitation sent to new@example.org as Executive sponsor." in response.content.decode()
    invitation = Invitation.objects.get(email="new@example.org")
    assert invitation.team == tenant_a.team
    assert invitation.role == TeamRole.SPONSOR
    assert invitation.invited_by == persona(persona_name)


@pytest.mark.parametrize("persona_name", ["member", "coach"])
def test_members_and_coaches_cannot_invite(tenant_a, persona, persona_name):
    response = client_for(persona(persona_name)).post(
        _url("members", tenant_a), {"email": "new@example.org", "role": "member"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("MEMBER@alpha.example", "member@alpha.example is already a member of this team."),
        ("invitee@alpha.example", "Resend that invitation instead."),
        ("not-an-address", "Enter a valid email address."),
    ],
)
def test_bad_invitations_are_shown_at_the_field(tenant_a, email, message):
    response = client_for(tenant_a.lead).post(
        _url("members", tenant_a), {"email": email, "role": "member"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "usa-form-group--error" in html
    assert "Please correct this problem" in html
    assert Invitation.objects.filter(team=tenant_a.team).count() == 1


# --- revoke and resend ---------------------------------------------------------------------


def test_lead_withdraws_an_invitation(tenant_a):
    response = client_for(tenant_a.lead).post(
        _invitation_url("invitation_revoke", tenant_a, tenant_a.invitation), follow=True
    )
    assert "was withdrawn; its link no longer works" in response.content.decode()
    tenant_a.invitation.refresh_from_db()
    assert tenant_a.invitation.revoked_at is not None
    # It no longer shows as waiting.
    assert "No invitations are waiting." in response.content.decode()


def test_withdrawing_twice_explains_and_changes_nothing(tenant_a):
    client = client_for(tenant_a.lead)
    client.post(_invitation_url("invitation_revoke", tenant_a, tenant_a.invitation))
    response = client.post(
        _invitation_url("invitation_revoke", tenant_a, tenant_a.invitation), follow=True
    )
    assert "was already withdrawn" in response.content.decode()
    assert AuditEvent.objects.filter(verb="invitation.revoked").count() == 1


def test_lead_resends_an_invitation(tenant_a, django_capture_on_commit_callbacks):
    old_hash = tenant_a.invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenant_a.lead).post(
            _invitation_url("invitation_resend", tenant_a, tenant_a.invitation), follow=True
        )
    assert "was sent again with a new link" in response.content.decode()
    tenant_a.invitation.refresh_from_db()
    assert tenant_a.invitation.token_hash != old_hash
    assert tenant_a.invitation.send_count == 1  # the fixture's row had never been sent


@pytest.mark.parametrize("action", ["invitation_revoke", "invitation_resend"])
@pytest.mark.parametrize("persona_name", ["member", "coach"])
def test_members_and_coaches_cannot_revoke_or_resend(tenant_a, persona, persona_name, action):
    before = Invitation.objects.filter(pk=tenant_a.invitation.pk).values().get()
    response = client_for(persona(persona_name)).post(
        _invitation_url(action, tenant_a, tenant_a.invitation)
    )
    assert response.status_code == 403
    assert Invitation.objects.filter(pk=tenant_a.invitation.pk).values().get() == before


@pytest.mark.parametrize("action", ["invitation_revoke", "invitation_resend"])
def test_revoke_and_resend_need_a_post(tenant_a, action):
    response = client_for(tenant_a.lead).get(_invitation_url(action, tenant_a, tenant_a.invitation))
    assert response.status_code == 405


def test_another_teams_invitation_is_404_even_for_the_lead(tenant_a):
    other = Invitation.objects.create(
        program=tenant_a.program,
        team=tenant_a.other_team,
        email="x@example.org",
        token_hash="0" * 64,
        expires_at=tenant_a.invitation.expires_at,
    )
    response = client_for(tenant_a.lead).post(_invitation_url("invitation_revoke", tenant_a, other))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


# --- roles --------------------------------------------------------------------------------


def test_lead_promotes_a_member_to_lead(tenant_a):
    response = client_for(tenant_a.lead).post(
        _member_url("member_role", tenant_a, tenant_a.member_membership),
        {"role": "lead"},
        follow=True,
    )
    assert f"{tenant_a.member.display_name} is now Team lead." in response.content.decode()
    tenant_a.member_membership.refresh_from_db()
    assert tenant_a.member_membership.role == TeamRole.LEAD
    event = AuditEvent.objects.get(verb="team_membership.role_changed")
    assert event.data["old_role"] == "member"
    assert event.data["new_role"] == "lead"


def test_demoting_the_last_lead_is_refused(tenant_a):
    response = client_for(tenant_a.lead).post(
        _member_url("member_role", tenant_a, tenant_a.lead_membership),
        {"role": "member"},
        follow=True,
    )
    assert "is the team's only lead. Make someone else lead first" in page_text(response)
    tenant_a.lead_membership.refresh_from_db()
    assert tenant_a.lead_membership.role == TeamRole.LEAD
    assert not AuditEvent.objects.filter(verb="team_membership.role_changed").exists()


def test_a_lead_can_step_down_once_there_is_another_lead(tenant_a):
    team_membership_change_role(
        membership=tenant_a.member_membership, role=TeamRole.LEAD, changed_by=tenant_a.lead
    )
    membership = team_membership_change_role(
        membership=tenant_a.lead_membership, role=TeamRole.MEMBER, changed_by=tenant_a.lead
    )
    assert membership.role == TeamRole.MEMBER


def test_unknown_role_is_refused(tenant_a):
    response = client_for(tenant_a.lead).post(
        _member_url("member_role", tenant_a, tenant_a.member_membership),
        {"role": "boss"},
        follow=True,
    )
    assert "Choose one of the team roles." in response.content.decode()
    tenant_a.member_membership.refresh_from_db()
    assert tenant_a.member_membership.role == TeamRole.MEMBER


@pytest.mark.parametrize("persona_name", ["member", "coach"])
def test_members_and_coaches_cannot_change_roles(tenant_a, persona, persona_name):
    response = client_for(persona(persona_name)).post(
        _member_url("member_role", tenant_a, tenant_a.member_membership), {"role": "lead"}
    )
    assert response.status_code == 403
    tenant_a.member_membership.refresh_from_db()
    assert tenant_a.member_membership.role == TeamRole.MEMBER


def test_staff_change_roles(tenant_a):
    client_for(tenant_a.staff).post(
        _member_url("member_role", tenant_a, tenant_a.member_membership), {"role": "data_contact"}
    )
    tenant_a.member_membership.refresh_from_db()
    assert tenant_a.member_membership.role == TeamRole.DATA_CONTACT


# --- removing and leaving ---------------------------------------------------------------------


def test_removal_asks_for_confirmation_first(tenant_a):
    url = _member_url("member_remove", tenant_a, tenant_a.member_membership)
    response = client_for(tenant_a.lead).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Remove {tenant_a.member.display_name} from {tenant_a.team.name}?" in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    tenant_a.member_membership.refresh_from_db()
    assert tenant_a.member_membership.is_active


@pytest.mark.parametrize("persona_name", ["lead", "staff"])
def test_confirmed_removal_ends_the_membership(tenant_a, persona, persona_name):
    client = client_for(persona(persona_name))
    url = _member_url("member_remove", tenant_a, tenant_a.member_membership)
    response = client.post(url, follow=True)
    assert f"{tenant_a.member.display_name} was removed from the team." in (
        response.content.decode()
    )
    tenant_a.member_membership.refresh_from_db()
    assert not tenant_a.member_membership.is_active
    assert AuditEvent.objects.filter(verb="team_membership.removed").count() == 1
    # The removed member no longer sees the team.
    team_url = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    assert client_for(tenant_a.member).get(team_url).status_code == 404


def test_removing_the_last_lead_is_refused(tenant_a):
    response = client_for(tenant_a.staff).post(
        _member_url("member_remove", tenant_a, tenant_a.lead_membership), follow=True
    )
    assert "is the team's only lead. Make someone else lead before removing them." in (
        page_text(response)
    )
    tenant_a.lead_membership.refresh_from_db()
    assert tenant_a.lead_membership.is_active


@pytest.mark.parametrize("persona_name", ["member", "coach"])
def test_members_and_coaches_cannot_remove(tenant_a, persona, persona_name):
    url = _member_url("member_remove", tenant_a, tenant_a.lead_membership)
    client = client_for(persona(persona_name))
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    tenant_a.lead_membership.refresh_from_db()
    assert tenant_a.lead_membership.is_active


def test_a_removed_membership_is_404(tenant_a):
    team_membership_remove(membership=tenant_a.member_membership, removed_by=tenant_a.lead)
    url = _member_url("member_remove", tenant_a, tenant_a.member_membership)
    assert client_for(tenant_a.lead).post(url).status_code == 404


def test_member_leaves_after_confirming(tenant_a):
    client = client_for(tenant_a.member)
    confirm = client.get(_url("leave", tenant_a))
    assert f"Leave {tenant_a.team.name}?" in confirm.content.decode()
    response = client.post(_url("leave", tenant_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    tenant_a.member_membership.refresh_from_db()
    assert not tenant_a.member_membership.is_active
    event = AuditEvent.objects.get(verb="team_membership.left")
    assert event.actor == tenant_a.member


def test_the_last_lead_cannot_leave(tenant_a):
    response = client_for(tenant_a.lead).post(_url("leave", tenant_a), follow=True)
    assert "You are the team's only lead. Make someone else lead before you leave" in (
        page_text(response)
    )
    tenant_a.lead_membership.refresh_from_db()
    assert tenant_a.lead_membership.is_active


def test_one_of_two_leads_can_leave(tenant_a):
    second = TeamMembershipFactory(team=tenant_a.team, user=UserFactory(), role=TeamRole.LEAD)
    client_for(second.user).post(_url("leave", tenant_a))
    second.refresh_from_db()
    assert not second.is_active


def test_people_who_are_not_members_have_nothing_to_leave(tenant_a):
    assert client_for(tenant_a.staff).post(_url("leave", tenant_a)).status_code == 404
    assert client_for(tenant_a.coach).get(_url("leave", tenant_a)).status_code == 404


def test_service_refuses_to_remove_an_inactive_membership(tenant_a):
    team_membership_remove(membership=tenant_a.member_membership, removed_by=tenant_a.lead)
    with pytest.raises(ValidationError, match="no longer a member"):
        team_membership_remove(membership=tenant_a.member_membership, removed_by=tenant_a.lead)
    assert TeamMembership.objects.filter(pk=tenant_a.member_membership.pk, is_active=False)
