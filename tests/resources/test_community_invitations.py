"""Inviting anyone to a community of practice: an account in the app, a newcomer by an
e-mailed one-time link (the team invitations' machinery), and what an invitee from
outside the program may then see."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from collaboratives.models import Collaborative, CollaborativeStatus
from core import clock
from core.models import AuditEvent, OutboundEmail
from core.notification_kinds import ACCOUNT
from resources.access import program_ids_of, shared_work_collaborative_ids
from resources.community.selectors import community_or_404
from resources.community.services import (
    community_invitation_accept,
    community_invitation_refusal,
    community_invitation_resend,
    community_invitation_withdraw,
    membership_invite,
)
from resources.models import CommunityInvitation, CommunityMember, MemberStatus
from resources.selectors.library import resources_visible_to
from tests.factories import CollaborativeFactory, UserFactory

from .community_helpers import client, community_of, url
from .search_helpers import make_resource

pytestmark = pytest.mark.django_db

NEWCOMER = "new.champion@example.org"


def _invite(t, email=NEWCOMER, message=""):
    access = community_or_404(user=t.staff, community_id=community_of(t).public_id)
    return membership_invite(access=access, actor=t.staff, email=email, message=message)


def _link(outbound: OutboundEmail) -> str:
    found = re.search(r"https?://\S+/communities/invitations/\S+/", outbound.body_text)
    return urlparse(found.group(0)).path


def _token(outbound: OutboundEmail) -> str:
    return _link(outbound).rstrip("/").rsplit("/", 1)[1]


def _mail_to(email: str) -> OutboundEmail:
    return OutboundEmail.objects.filter(to_email=email).latest("pk")


# --- the services ----------------------------------------------------------------------


def test_an_address_with_no_account_gets_an_emailed_invitation(tenant_a):
    t = tenant_a
    community = community_of(t)
    invitation = _invite(t, email="  New.Champion@Example.org ", message="Welcome aboard")
    assert isinstance(invitation, CommunityInvitation)
    assert invitation.email == NEWCOMER
    assert invitation.collaborative == community and invitation.program == t.program
    assert not CommunityMember.objects.filter(collaborative=community, user__email=NEWCOMER)
    outbound = _mail_to(NEWCOMER)
    assert outbound.kind == ACCOUNT  # joining is an account matter: it cannot be turned off
    token = _token(outbound)
    assert invitation.token_hash != token and token not in str(
        CommunityInvitation.objects.filter(pk=invitation.pk).values().get()
    )
    assert community.title in outbound.subject
    assert "Welcome aboard" in outbound.body_text
    audit = AuditEvent.objects.get(verb="invitation.created", target_id=str(invitation.public_id))
    assert audit.target_type == "resources.communityinvitation" and audit.program == t.program
    assert audit.data["email"] == NEWCOMER


def test_the_invitation_email_escapes_what_people_typed(tenant_a):
    t = tenant_a
    Collaborative.objects.filter(pk=community_of(t).pk).update(title="Kids <b>Ready</b>")
    _invite(t, message="<script>alert(1)</script> see you")
    outbound = _mail_to(NEWCOMER)
    assert "<script>" not in outbound.body_html and "<b>Ready" not in outbound.body_html
    assert "&lt;script&gt;" in outbound.body_html
    assert "Kids &lt;b&gt;Ready&lt;/b&gt;" in outbound.body_html
    # The plain-text part shows the words as typed (nothing in it is interpreted).
    assert "<script>alert(1)</script> see you" in outbound.body_text


def test_bad_and_duplicate_addresses_are_refused_in_plain_words(tenant_a):
    t = tenant_a
    with pytest.raises(ValidationError) as error:
        _invite(t, email="not an address")
    assert error.value.message_dict["email"] == ["Enter a valid e-mail address."]
    _invite(t)
    with pytest.raises(ValidationError) as error:
        _invite(t, email=NEWCOMER.upper())
    assert "has already been invited and has not answered yet" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _invite(t, email=t.lead.email)
    assert error.value.message_dict["email"] == [f"{t.lead.display_name} is already a member."]
    assert CommunityInvitation.objects.filter(email=NEWCOMER).count() == 1


def test_a_closed_account_cannot_be_invited(tenant_a):
    closed = UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(ValidationError) as error:
        _invite(tenant_a, email=closed.email)
    assert "is closed" in str(error.value)
    assert not CommunityInvitation.objects.filter(email=closed.email).exists()


def test_accepting_makes_an_active_member_and_is_audited(tenant_a):
    t = tenant_a
    invitation = _invite(t)
    newcomer = UserFactory(email=NEWCOMER)
    assert community_invitation_refusal(invitation=invitation, user=newcomer) is None
    member = community_invitation_accept(invitation=invitation, user=newcomer)
    assert member.status == MemberStatus.ACTIVE and member.invited_by == t.staff
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    assert AuditEvent.objects.filter(verb="invitation.accepted", actor=newcomer).exists()
    assert AuditEvent.objects.filter(verb="community_member.accepted", actor=newcomer).exists()
    # A used link is refused with the invitations' words.
    with pytest.raises(ValidationError) as error:
        community_invitation_accept(invitation=invitation, user=newcomer)
    assert error.value.code == "used"


def test_someone_else_cannot_accept(tenant_a):
    invitation = _invite(tenant_a)
    with pytest.raises(ValidationError) as error:
        community_invitation_accept(invitation=invitation, user=tenant_a.member)
    assert error.value.code == "wrong_email"
    assert not CommunityMember.objects.filter(user__email=NEWCOMER).exists()


def test_expired_link_is_refused_until_resent_with_a_new_link(tenant_a):
    t = tenant_a
    invitation = _invite(t)
    old = _token(_mail_to(NEWCOMER))
    CommunityInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=clock.now() - timedelta(days=1)
    )
    invitation.refresh_from_db()
    refusal = community_invitation_refusal(invitation=invitation, user=None)
    assert refusal.code == "expired" and "Ask the program's staff to send it again" in str(refusal)

    invitation, new = community_invitation_resend(invitation=invitation, sent_by=t.staff)
    assert new != old and invitation.send_count == 2 and invitation.expires_at > clock.now()
    assert _token(_mail_to(NEWCOMER)) == new
    assert (
        Client().get(reverse("resources:community_invitation_accept", args=[old])).status_code
        == 404
    )
    assert (
        Client().get(reverse("resources:community_invitation_accept", args=[new])).status_code
        == 200
    )
    assert AuditEvent.objects.filter(verb="invitation.resent").exists()


def test_resending_is_refused_once_the_person_is_a_member(tenant_a):
    t = tenant_a
    invitation = _invite(t)
    CommunityMember.objects.create(
        program=t.program,
        collaborative=community_of(t),
        user=UserFactory(email=NEWCOMER),
        status=MemberStatus.ACTIVE,
    )
    with pytest.raises(ValidationError) as error:
        community_invitation_resend(invitation=invitation, sent_by=t.staff)
    assert "already a member" in str(error.value)


def test_withdrawn_link_stops_working(tenant_a):
    t = tenant_a
    invitation = _invite(t)
    link = _link(_mail_to(NEWCOMER))
    community_invitation_withdraw(invitation=invitation, revoked_by=t.staff)
    page = Client().get(link)
    assert page.status_code == 410
    assert "This invitation was withdrawn by the program&#x27;s staff" in page.content.decode()
    assert AuditEvent.objects.filter(verb="invitation.revoked", actor=t.staff).exists()
    with pytest.raises(ValidationError):
        community_invitation_withdraw(invitation=invitation, revoked_by=t.staff)


# --- the pages -------------------------------------------------------------------------


def test_staff_invite_a_newcomer_and_see_resend_and_withdraw(tenant_a):
    t = tenant_a
    community = community_of(t)
    staff = client(t.staff)
    response = staff.post(url("community_members", community), {"email": NEWCOMER}, follow=True)
    page = response.content.decode()
    assert f"An invitation was e-mailed to {NEWCOMER}" in page
    invitation = CommunityInvitation.objects.get(email=NEWCOMER)
    resend = url(
        "community_invitation_resend", community, community_invitation_id=invitation.public_id
    )
    withdraw = url(
        "community_invitation_withdraw", community, community_invitation_id=invitation.public_id
    )
    assert "Invited by e-mail" in page and resend in page and withdraw in page

    again = staff.post(url("community_members", community), {"email": NEWCOMER})
    assert again.status_code == 200
    assert "has already been invited" in again.content.decode()
    bad = staff.post(url("community_members", community), {"email": "nope"})
    assert "Enter a valid" in bad.content.decode()

    assert staff.post(resend, follow=True).status_code == 200
    assert CommunityInvitation.objects.get(pk=invitation.pk).send_count == 2
    assert "was withdrawn" in staff.post(withdraw, follow=True).content.decode()
    assert CommunityInvitation.objects.get(pk=invitation.pk).revoked_at is not None
    assert NEWCOMER not in staff.get(url("community_members", community)).content.decode()


def test_members_get_403_and_other_tenants_404_on_the_follow_up(tenant_a, tenant_b, outsider):
    t = tenant_a
    community = community_of(t)
    invitation = _invite(t)
    for name in ("community_invitation_resend", "community_invitation_withdraw"):
        address = url(name, community, community_invitation_id=invitation.public_id)
        assert client(t.lead).post(address).status_code == 403
        for person in (tenant_b.staff, outsider):
            assert client(person).post(address).status_code == 404
        # Tenant B's staff do not reach it through their own community either.
        other = url(name, community_of(tenant_b), community_invitation_id=invitation.public_id)
        assert client(tenant_b.staff).post(other).status_code == 404
    invitation.refresh_from_db()
    assert invitation.send_count == 1 and invitation.revoked_at is None


def test_a_newcomer_creates_an_account_from_the_link_and_joins(
    tenant_a, django_capture_on_commit_callbacks
):
    t = tenant_a
    community = community_of(t)
    _invite(t)
    link = _link(_mail_to(NEWCOMER))
    browser = Client()
    landing = browser.get(link)
    assert landing.status_code == 200
    html = landing.content.decode()
    assert f"Join the community of {community.title}" in html
    assert "Create an account" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"{reverse('account_signup')}?next={link}",
            {
                "email": NEWCOMER,
                "full_name": "Nico Newcomer",
                "credentials": "RN",
                "password1": "a-Long-enough-passphrase-42",
                "password2": "a-Long-enough-passphrase-42",
                "next": link,
            },
        )
    assert response.status_code == 302
    confirm = mail.outbox[-1].body
    confirm_path = (
        "/accounts/confirm-email/" + confirm.split("/accounts/confirm-email/")[1].split()[0]
    )
    browser.post(confirm_path)
    assert "_auth_user_id" in browser.session
    assert "Accept and join the community" in browser.get(link).content.decode()
    accepted = browser.post(link, follow=True)
    assert accepted.status_code == 200
    assert accepted.redirect_chain[-1][0] == url("community", community)
    assert "Welcome to the community" in accepted.content.decode()
    member = CommunityMember.objects.get(collaborative=community, user__email=NEWCOMER)
    assert member.status == MemberStatus.ACTIVE
    used = browser.get(link)
    assert used.status_code == 410 and "Go to the community" in used.content.decode()


def test_a_signed_in_person_of_another_address_is_refused(tenant_a):
    _invite(tenant_a)
    link = _link(_mail_to(NEWCOMER))
    response = client(tenant_a.member).post(link)
    assert response.status_code == 403
    assert "This invitation is for someone else" in response.content.decode()
    assert not CommunityMember.objects.filter(user__email=NEWCOMER).exists()
    # The page offers to sign out and come back to the link (the team invitation's form).
    page = client(tenant_a.member).get(link).content.decode()
    assert "Sign out, then open the invitation again" in page
    assert f'name="next" value="{link}"' in page


def test_the_page_gives_the_expiry_in_the_zone_the_email_used(tenant_a):
    Collaborative.objects.filter(pk=community_of(tenant_a).pk).update(timezone="Pacific/Honolulu")
    _invite(tenant_a)
    outbound = _mail_to(NEWCOMER)
    until = re.search(r"The link works until (.+?)\. If", outbound.body_text).group(1)
    assert "HST" in until
    page = Client().get(_link(outbound)).content.decode()
    assert until in page


def test_an_unknown_link_is_404():
    assert (
        Client().get(reverse("resources:community_invitation_accept", args=["nope"])).status_code
        == 404
    )


def test_anonymous_accept_goes_to_sign_in(tenant_a):
    _invite(tenant_a)
    link = _link(_mail_to(NEWCOMER))
    response = Client().post(link)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not CommunityMember.objects.filter(user__email=NEWCOMER).exists()


# --- what an invitee from outside the program sees ---------------------------------------


def test_an_invitee_from_another_program_sees_the_community_and_nothing_else(tenant_a, tenant_b):
    t = tenant_a
    community = community_of(t)
    other_community = CollaborativeFactory(
        program=t.program, title="Another Past Collaborative", status=CollaborativeStatus.CLOSED
    )
    Collaborative.objects.filter(pk=other_community.pk).update(status=CollaborativeStatus.COMMUNITY)
    guest = tenant_b.lead
    library = make_resource(t, "Kilogram scales: buying guide")
    assert (
        client(t.staff)
        .post(url("community_members", community), {"email": guest.email})
        .status_code
        == 302
    )
    assert (
        client(guest).post(url("community_invitation", community), {"answer": "accept"}).status_code
        == 302
    )
    assert CommunityMember.objects.get(collaborative=community, user=guest).status == (
        MemberStatus.ACTIVE
    )

    # The community, its board and its shared work; the program's library.
    assert client(guest).get(url("community", community)).status_code == 200
    assert client(guest).get(url("community_shared_ramps", community)).status_code == 200
    assert shared_work_collaborative_ids(user=guest) >= {community.pk}
    assert t.collaborative.pk not in shared_work_collaborative_ids(user=guest)
    assert t.program.pk in program_ids_of(user=guest)
    assert library in resources_visible_to(user=guest)
    # Nothing else of the program: no team, no measures, no collaborative, no other
    # community of it.
    assert client(guest).get(url("community", other_community)).status_code == 404
    listed = client(guest).get(reverse("resources:communities")).content.decode()
    assert "Another Past Collaborative" not in listed
    for address in (
        reverse("teams:detail", kwargs={"team_id": t.team.public_id}),
        reverse("measures:team_measures", kwargs={"team_id": t.team.public_id}),
        reverse("collaboratives:detail", kwargs={"collaborative_id": t.collaborative.public_id}),
    ):
        assert client(guest).get(address).status_code in (403, 404), address
