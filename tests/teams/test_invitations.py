"""Invitations: the services, the e-mail, the accept page and the whole link journey."""

import hashlib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from teams.models import Invitation, TeamMembership, TeamRole, TeamStatus
from teams.services import (
    INVITATION_VALID_FOR,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tests.factories import PASSWORD, TeamMembershipFactory, UserFactory

from .conftest import client_for, last_mail_link

pytestmark = pytest.mark.django_db


def _invite(tenant, email="new.nurse@example.org", role=TeamRole.MEMBER, **kwargs):
    return invitation_create(
        team=tenant.team, email=email, role=role, invited_by=tenant.lead, **kwargs
    )


def _accept_url(token: str) -> str:
    return reverse("teams:invitation_accept", kwargs={"token": token})


# --- invitation_create --------------------------------------------------------------------


def test_create_stores_only_the_hash_and_queues_the_email(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(tenant_a, email="  New.Nurse@Example.org ")

    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(stored)
    assert invitation.email == "new.nurse@example.org"
    assert invitation.program == tenant_a.program
    assert invitation.send_count == 1
    assert invitation.last_sent_at is not None
    expected_expiry = timezone.now() + INVITATION_VALID_FOR
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)
    assert timedelta(days=14) == INVITATION_VALID_FOR

    event = AuditEvent.objects.get(verb="invitation.created")
    assert event.target_id == str(invitation.public_id)
    assert event.actor == tenant_a.lead
    assert event.program == tenant_a.program

    queued = OutboundEmail.objects.get(to_email="new.nurse@example.org")
    assert queued.program == tenant_a.program
    assert queued.status == "sent"
    assert len(mail.outbox) == 1


def test_email_says_who_invites_to_what_and_carries_a_working_link(
    tenant_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://qi.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(tenant_a, role=TeamRole.DATA_CONTACT)
    message = mail.outbox[0]
    assert message.to == ["new.nurse@example.org"]
    assert tenant_a.team.name in message.subject
    assert tenant_a.lead.display_name in message.subject
    link = f"https://qi.example.org/invitations/{token}/"
    assert link in message.body
    assert "Data contact" in message.body
    assert tenant_a.collaborative.title in message.body
    assert tenant_a.program.name in message.body
    assert "new.nurse@example.org" in message.body
    html = message.alternatives[0].content
    assert f'href="{link}"' in html
    assert Client().get(_accept_url(token)).status_code == 200


def test_email_escapes_user_text_in_the_html_part(tenant_a, django_capture_on_commit_callbacks):
    tenant_a.team.name = '<script>alert("x")</script> & Co'
    tenant_a.team.save()
    tenant_a.lead.full_name = "<b>Lead</b>"
    tenant_a.lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenant_a)
    message = mail.outbox[0]
    html = message.alternatives[0].content
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>Lead</b>" not in html
    assert "&lt;b&gt;Lead&lt;/b&gt;" in html
    # The plain-text part shows names as typed (no markup is interpreted there), on one
    # subject line that cannot inject headers.
    assert '<script>alert("x")</script> & Co' in message.body
    assert "\n" not in message.subject


def test_invitation_to_an_active_member_is_refused(tenant_a):
    with pytest.raises(ValidationError) as excinfo:
        _invite(tenant_a, email=tenant_a.member.email.upper())
    assert excinfo.value.message_dict["email"] == [
        f"{tenant_a.member.email} is already a member of this team."
    ]
    assert Invitation.objects.filter(team=tenant_a.team).count() == 1  # the fixture's
    assert not OutboundEmail.objects.exists()


def test_duplicate_open_invitation_is_refused_with_resend_advice(tenant_a):
    with pytest.raises(ValidationError) as excinfo:
        _invite(tenant_a, email="INVITEE@alpha.example")
    assert "Resend that invitation instead" in excinfo.value.message_dict["email"][0]
    assert Invitation.objects.filter(team=tenant_a.team).count() == 1


def test_duplicate_of_an_expired_invitation_says_to_resend(tenant_a):
    Invitation.objects.filter(pk=tenant_a.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        _invite(tenant_a, email="invitee@alpha.example")
    assert "has expired. Resend it" in excinfo.value.message_dict["email"][0]


@pytest.mark.parametrize(
    ("email", "role", "field", "message"),
    [
        ("not-an-address", TeamRole.MEMBER, "email", "Enter a valid e-mail address."),
        ("", TeamRole.MEMBER, "email", "Enter a valid e-mail address."),
        ("ok@example.org", "boss", "role", "Choose a team role."),
    ],
)
def test_bad_input_is_refused_at_its_field(tenant_a, email, role, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _invite(tenant_a, email=email, role=role)
    assert excinfo.value.message_dict[field] == [message]
    assert Invitation.objects.count() == 1


def test_nobody_new_joins_a_withdrawn_team(tenant_a):
    tenant_a.team.status = TeamStatus.WITHDRAWN
    tenant_a.team.save()
    with pytest.raises(ValidationError, match="no longer taking part"):
        _invite(tenant_a)


def test_a_revoked_invitation_can_be_replaced_by_a_new_one(tenant_a):
    invitation_revoke(invitation=tenant_a.invitation, revoked_by=tenant_a.lead)
    invitation, _token = _invite(tenant_a, email="invitee@alpha.example")
    assert invitation.pk != tenant_a.invitation.pk


# --- revoke and resend ------------------------------------------------------------------


def test_revoke_stops_the_link_and_is_audited(tenant_a):
    invitation, token = _invite(tenant_a)
    invitation_revoke(invitation=invitation, revoked_by=tenant_a.lead)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(verb="invitation.revoked").count() == 1
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=token, user=UserFactory(email="new.nurse@example.org"))
    assert excinfo.value.code == "revoked"
    with pytest.raises(ValidationError, match="already withdrawn"):
        invitation_revoke(invitation=invitation, revoked_by=tenant_a.lead)


def test_resend_issues_a_new_link_and_the_old_one_stops_working(
    tenant_a, django_capture_on_commit_callbacks
):
    invitation, old_token = _invite(tenant_a)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1),
        last_sent_at=timezone.now() - timedelta(days=15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        resent, new_token = invitation_resend(invitation=invitation, sent_by=tenant_a.lead)
    assert new_token != old_token
    assert resent.send_count == 2
    assert resent.expires_at > timezone.now() + timedelta(days=13)
    assert resent.last_sent_at > timezone.now() - timedelta(minutes=1)
    assert new_token in mail.outbox[-1].body
    assert AuditEvent.objects.filter(verb="invitation.resent").count() == 1

    invitee = UserFactory(email="new.nurse@example.org")
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=old_token, user=invitee)
    assert excinfo.value.code == "unknown"
    membership = invitation_accept(token=new_token, user=invitee)
    assert membership.team == tenant_a.team


def test_resend_refuses_used_and_revoked_invitations_and_members(tenant_a):
    invitation, token = _invite(tenant_a)
    invitation_accept(token=token, user=UserFactory(email="new.nurse@example.org"))
    with pytest.raises(ValidationError, match="already accepted"):
        invitation_resend(invitation=invitation, sent_by=tenant_a.lead)
    invitation_revoke(invitation=tenant_a.invitation, revoked_by=tenant_a.lead)
    with pytest.raises(ValidationError, match="already withdrawn"):
        invitation_resend(invitation=tenant_a.invitation, sent_by=tenant_a.lead)
    # Someone who joined by another way meanwhile: withdraw, don't resend.
    other, _ = _invite(tenant_a, email="joined@example.org")
    TeamMembershipFactory(team=tenant_a.team, user=UserFactory(email="joined@example.org"))
    with pytest.raises(ValidationError, match="already a member"):
        invitation_resend(invitation=other, sent_by=tenant_a.lead)


# --- invitation_accept --------------------------------------------------------------------


def test_accept_creates_the_membership_with_the_invited_role(tenant_a):
    invitation, token = _invite(tenant_a, role=TeamRole.SPONSOR)
    invitee = UserFactory(email="New.Nurse@example.org")  # stored lower-case
    membership = invitation_accept(token=token, user=invitee)
    assert (membership.team, membership.user, membership.role) == (
        tenant_a.team,
        invitee,
        TeamRole.SPONSOR,
    )
    assert membership.program == tenant_a.program
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert invitation.accepted_at is not None
    event = AuditEvent.objects.get(verb="invitation.accepted")
    assert event.actor == invitee
    assert event.data["membership"] == str(membership.public_id)


def test_accept_matches_a_verified_secondary_address(tenant_a):
    _invitation, token = _invite(tenant_a, email="work@hospital.example")
    invitee = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=invitee, email="Work@Hospital.example", verified=True)
    assert invitation_accept(token=token, user=invitee).user == invitee


def test_unverified_secondary_address_does_not_count(tenant_a):
    _invitation, token = _invite(tenant_a, email="work@hospital.example")
    invitee = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=invitee, email="work@hospital.example", verified=False)
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=token, user=invitee)
    assert excinfo.value.code == "wrong_email"


def test_accept_reactivates_a_former_member_with_the_new_role(tenant_a):
    former = UserFactory(email="former@example.org")
    old = TeamMembershipFactory(team=tenant_a.team, user=former, is_active=False)
    _invitation, token = _invite(tenant_a, email="former@example.org", role=TeamRole.LEAD)
    membership = invitation_accept(token=token, user=former)
    assert membership.pk == old.pk
    assert membership.is_active
    assert membership.role == TeamRole.LEAD


def _expire(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.parametrize(
    ("spoil", "code", "message"),
    [
        (lambda t, i, tok: _expire(i), "expired", "This invitation expired on"),
        (
            lambda t, i, tok: invitation_revoke(invitation=i, revoked_by=t.lead),
            "revoked",
            "This invitation was withdrawn by the team.",
        ),
        (
            lambda t, i, tok: invitation_accept(token=tok, user=UserFactory(email=i.email)),
            "used",
            "This invitation has already been used.",
        ),
    ],
    ids=["expired", "revoked", "used"],
)
def test_unusable_invitations_are_refused_and_change_nothing(tenant_a, spoil, code, message):
    invitation, token = _invite(tenant_a, email="someone@example.org")
    spoil(tenant_a, invitation, token)
    memberships = TeamMembership.objects.count()
    events = AuditEvent.objects.count()
    other = UserFactory(email="SOMEONE@example.org") if code != "used" else tenant_a.member
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=token, user=other)
    assert excinfo.value.code == code
    assert message in excinfo.value.messages[0]
    assert TeamMembership.objects.count() == memberships
    assert AuditEvent.objects.count() == events


def test_unknown_token_is_refused(tenant_a):
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token="made-up", user=tenant_a.member)
    assert excinfo.value.code == "unknown"


def test_someone_else_cannot_accept(tenant_a):
    _invitation, token = _invite(tenant_a, email="jane@example.org")
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=token, user=tenant_a.member)
    assert excinfo.value.code == "wrong_email"
    assert "j***@example.org" in excinfo.value.messages[0]
    assert not TeamMembership.objects.filter(team=tenant_a.team, user__email="jane@example.org")


def test_an_active_member_cannot_accept_again(tenant_a):
    invitation, token = _invite(tenant_a, email="later@example.org")
    user = UserFactory(email="later@example.org")
    TeamMembershipFactory(team=tenant_a.team, user=user, role=TeamRole.MEMBER)
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(token=token, user=user)
    assert excinfo.value.code == "already_member"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# --- the accept page -----------------------------------------------------------------------


def test_anonymous_visitor_sees_the_invitation_and_is_offered_sign_in_and_sign_up(tenant_a):
    _invitation, token = _invite(tenant_a, role=TeamRole.DATA_CONTACT)
    url = _accept_url(token)
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Join {tenant_a.team.name}" in html
    assert tenant_a.collaborative.title in html
    assert "Data contact" in html
    assert f'href="/accounts/login/?next={url.replace("/", "%2F")}"' in html
    assert f'href="/accounts/signup/?next={url.replace("/", "%2F")}"' in html
    # Posting without an account goes to sign-in, and nothing changes.
    response = Client().post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not TeamMembership.objects.filter(user__email="new.nurse@example.org").exists()


def test_signed_in_invitee_accepts_with_one_click(tenant_a):
    invitee = UserFactory(email="new.nurse@example.org", full_name="Nia Nurse")
    _invitation, token = _invite(tenant_a)
    client = client_for(invitee)
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert f"Accept and join {tenant_a.team.name}" in page.content.decode()
    response = client.post(_accept_url(token), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "teams:detail", kwargs={"team_id": tenant_a.team.public_id}
    )
    html = response.content.decode()
    assert f"Welcome to {tenant_a.team.name}. You joined as Team member." in html
    assert "Nia Nurse" in html
    assert TeamMembership.objects.get(team=tenant_a.team, user=invitee).role == TeamRole.MEMBER


def test_wrong_person_gets_a_clear_403_and_nothing_changes(tenant_a):
    _invitation, token = _invite(tenant_a, email="jane@example.org")
    client = client_for(tenant_a.member)
    for response in (client.get(_accept_url(token)), client.post(_accept_url(token))):
        assert response.status_code == 403
        html = response.content.decode()
        assert "This invitation is for someone else" in html
        assert "j***@example.org" in html
        assert "Sign out, then open the invitation again" in html
    assert not TeamMembership.objects.filter(user__email="jane@example.org").exists()


def test_unknown_link_is_a_friendly_404(tenant_a):
    for client in (Client(), client_for(tenant_a.member)):
        response = client.get(_accept_url("no-such-token"))
        assert response.status_code == 404
        html = response.content.decode()
        assert "This invitation link does not work" in html
        assert "replaced by a newer invitation" in html
        assert client.post(_accept_url("no-such-token")).status_code in (302, 404)


@pytest.mark.parametrize(
    ("state", "heading"),
    [
        ("expired", "This invitation has expired"),
        ("revoked", "This invitation was withdrawn"),
        ("used", "This invitation has already been used"),
    ],
)
def test_unusable_links_explain_themselves(tenant_a, state, heading):
    invitation, token = _invite(tenant_a)
    if state == "expired":
        _expire(invitation)
    elif state == "revoked":
        invitation_revoke(invitation=invitation, revoked_by=tenant_a.lead)
    else:
        invitation_accept(token=token, user=UserFactory(email="new.nurse@example.org"))
    before = TeamMembership.objects.count()
    for client in (Client(), client_for(tenant_a.member)):
        response = client.get(_accept_url(token))
        assert response.status_code == 410
        html = response.content.decode()
        assert heading in html
        # A dead link reveals nothing more about the team.
        assert "Accept and join" not in html
        assert "Sign in to accept" not in html
    response = client_for(tenant_a.member).post(_accept_url(token))
    assert response.status_code == 410
    assert TeamMembership.objects.count() == before


def test_used_link_shows_its_owner_the_way_to_the_team(tenant_a):
    invitee = UserFactory(email="new.nurse@example.org")
    _invitation, token = _invite(tenant_a)
    invitation_accept(token=token, user=invitee)
    response = client_for(invitee).get(_accept_url(token))
    assert response.status_code == 410
    team_url = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    assert f'href="{team_url}"' in response.content.decode()


def test_a_member_opening_an_invitation_is_told_they_belong(tenant_a):
    _invitation, token = _invite(tenant_a, email="later@example.org")
    user = UserFactory(email="later@example.org")
    TeamMembershipFactory(team=tenant_a.team, user=user)
    response = client_for(user).get(_accept_url(token))
    assert response.status_code == 200
    assert f"You are already a member of {tenant_a.team.name}." in response.content.decode()


# --- the whole journey, as the invitee lives it --------------------------------------------


def test_lead_invites_and_the_invitee_follows_the_emailed_link(
    tenant_a, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="paramedic@example.org", full_name="Pat Paramedic")
    lead = client_for(tenant_a.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(
            reverse("teams:members", kwargs={"team_id": tenant_a.team.public_id}),
            {"email": "Paramedic@Example.org", "role": TeamRole.MEMBER},
        )
    assert response.status_code == 302
    link = last_mail_link()

    browser = Client()
    landing = browser.get(link)
    assert landing.status_code == 200
    assert "Sign in to accept" in landing.content.decode()
    signed_in = browser.post(
        reverse("account_login"),
        {"login": "paramedic@example.org", "password": PASSWORD, "next": link},
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == link
    assert "Accept and join" in browser.get(link).content.decode()
    accepted = browser.post(link, follow=True)
    assert "Welcome to" in accepted.content.decode()
    membership = TeamMembership.objects.get(team=tenant_a.team, user=invitee)
    assert membership.is_active and membership.role == TeamRole.MEMBER
    # The team's page now lists them for everyone in the team.
    team_page = lead.get(reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}))
    assert "Pat Paramedic" in team_page.content.decode()


def test_a_new_person_creates_an_account_from_the_link_and_joins(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenant_a, email="brand.new@example.org", role=TeamRole.DATA_CONTACT)
    link = last_mail_link()
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"{reverse('account_signup')}?next={link}",
            {
                "email": "brand.new@example.org",
                "full_name": "Bree New",
                "credentials": "RN",
                "password1": "a-Long-enough-passphrase-42",
                "password2": "a-Long-enough-passphrase-42",
                "next": link,
            },
        )
    assert response.status_code == 302
    # allauth requires the address to be verified first (our production setting).
    confirm = mail.outbox[-1].body
    assert "/accounts/confirm-email/" in confirm
    confirm_path = (
        "/accounts/confirm-email/" + confirm.split("/accounts/confirm-email/")[1].split()[0]
    )
    browser.post(confirm_path)
    assert "_auth_user_id" in browser.session
    accepted = browser.post(link, follow=True)
    assert accepted.status_code == 200
    membership = TeamMembership.objects.get(team=tenant_a.team, user__email="brand.new@example.org")
    assert membership.role == TeamRole.DATA_CONTACT
