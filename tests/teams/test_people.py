"""A program's people page: who may open it, inviting staff and coaches, the invitation
journey, role changes, removals, the last-staff rule, audit rows, CSRF and e-mails."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import resolve, reverse

from accounts.models import ProgramMembership, ProgramRole
from core.models import AuditEvent, OutboundEmail
from teams.models import CoachAssignment, ProgramInvitation
from teams.services import (
    invitation_accept,
    program_invitation_create,
    program_role_remove,
)
from tests.factories import (
    ProgramMembershipFactory,
    UserFactory,
    give_totp,
)

from .conftest import client_for, last_mail_link, page_text

pytestmark = pytest.mark.django_db


def _people_url(program) -> str:
    return reverse("teams:people", kwargs={"program_id": program.public_id})


def _invite(tenant, email="new.coach@example.org", role=ProgramRole.COACH, by=None):
    return program_invitation_create(
        program=tenant.program, email=email, role=role, invited_by=by or tenant.staff
    )


def _roles(program, user) -> set[str]:
    return set(
        ProgramMembership.objects.filter(program=program, user=user, is_active=True).values_list(
            "role", flat=True
        )
    )


def _urls(tenant) -> list[tuple[str, str]]:
    """(method, URL) of every people page and action of the tenant's program."""
    program = tenant.program
    invitation, _token = _invite(tenant)
    person = {"program_id": program.public_id, "user_id": tenant.coach.public_id}
    follow_up = {"program_id": program.public_id, "program_invitation_id": invitation.public_id}
    return [
        ("get", _people_url(program)),
        ("post", _people_url(program)),
        ("post", reverse("teams:people_role", kwargs=person)),
        ("get", reverse("teams:people_remove", kwargs=person) + "?role=coach"),
        ("post", reverse("teams:people_remove", kwargs=person)),
        ("post", reverse("teams:program_invitation_resend", kwargs=follow_up)),
        ("post", reverse("teams:program_invitation_revoke", kwargs=follow_up)),
    ]


# --- who may open the pages ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coach", "lead", "member", "outsider", "other_tenant_staff"])
def test_only_the_programs_staff_reach_the_people_pages(persona, tenant_a, tenant_b, outsider):
    user = {"outsider": outsider, "other_tenant_staff": tenant_b.staff}.get(persona) or getattr(
        tenant_a, persona
    )
    client = client_for(user)
    before = (ProgramMembership.objects.count(), ProgramInvitation.objects.count())
    for method, url in _urls(tenant_a):
        data = {"email": "x@example.org", "role": "staff", "from_role": "coach"}
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, (persona, method, url)
    assert (ProgramMembership.objects.count(), ProgramInvitation.objects.count() - 1) == before


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_staff_and_admins_see_the_people_with_roles_and_coached_teams(persona, tenant_a):
    response = client_for(getattr(tenant_a, persona)).get(_people_url(tenant_a.program))
    assert response.status_code == 200
    html = page_text(response)
    for user in (tenant_a.admin, tenant_a.staff, tenant_a.coach):
        assert user.display_name in html
        assert user.email in html
    assert "Program admin" in html and "Program staff" in html and "Coach" in html
    coaches_url = reverse(
        "teams:coaches",
        kwargs={
            "collaborative_id": tenant_a.collaborative.public_id,
            "team_id": tenant_a.team.public_id,
        },
    )
    assert f'href="{coaches_url}">{tenant_a.team.name}</a>' in html
    # Team members are not program people.
    assert tenant_a.lead.email not in html


def test_the_staff_navigation_links_the_people_page(tenant_a, tenant_b):
    page = reverse("collaboratives:staff_list")
    url = _people_url(tenant_a.program)
    assert (
        f'href="{url}"><span>People</span>' in client_for(tenant_a.staff).get(page).content.decode()
    )
    assert "<span>People</span>" not in client_for(tenant_a.coach).get(page).content.decode()
    # Staff of two programs choose the program.
    ProgramMembershipFactory(program=tenant_b.program, user=tenant_a.staff, role=ProgramRole.STAFF)
    html = client_for(tenant_a.staff).get(page).content.decode()
    assert f'href="{url}">{tenant_a.program.name}</a>' in html
    assert f'href="{_people_url(tenant_b.program)}">{tenant_b.program.name}</a>' in html


# --- invite, e-mail, accept ------------------------------------------------------------


def test_staff_invite_a_coach_who_accepts_and_gets_the_role(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenant_a.staff).post(
            _people_url(tenant_a.program), {"email": " New.Coach@Example.org ", "role": "coach"}
        )
    assert response.status_code == 302
    invitation = ProgramInvitation.objects.get(
        program=tenant_a.program, email="new.coach@example.org"
    )
    assert invitation.role == ProgramRole.COACH
    assert AuditEvent.objects.filter(
        verb="invitation.created",
        target_type="teams.programinvitation",
        target_id=str(invitation.public_id),
        actor=tenant_a.staff,
        program=tenant_a.program,
    ).exists()
    message = mail.outbox[-1]
    assert message.to == ["new.coach@example.org"]
    assert f"invites you to join {tenant_a.program.name} as Coach" in message.subject
    link = last_mail_link()

    # The page lists it as waiting.
    assert "new.coach@example.org" in page_text(
        client_for(tenant_a.staff).get(_people_url(tenant_a.program))
    )

    landing = Client().get(link)
    assert landing.status_code == 200
    assert f"Join {tenant_a.program.name}" in page_text(landing)
    assert "Sign in to accept" in landing.content.decode()

    coach = UserFactory(email="new.coach@example.org", full_name="Cora Coach")
    browser = client_for(coach)
    response = browser.post(link)
    assert response["Location"] == reverse("dashboards:coach")
    assert _roles(tenant_a.program, coach) == {ProgramRole.COACH}
    invitation.refresh_from_db()
    assert invitation.accepted_by == coach
    assert AuditEvent.objects.filter(
        verb="invitation.accepted", target_id=str(invitation.public_id), actor=coach
    ).exists()
    # Link used: it no longer works.
    assert browser.post(link).status_code == 410


def test_a_new_staff_member_is_sent_to_set_up_mfa_when_the_program_requires_it(tenant_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    _invitation, token = _invite(tenant_a, email="new.staff@example.org", role=ProgramRole.STAFF)
    person = UserFactory(email="new.staff@example.org")
    url = reverse("teams:invitation_accept", kwargs={"token": token})
    page = client_for(person).get(url)
    assert "set it up with an authenticator app" in page_text(page)
    response = client_for(person).post(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "set it up now" in page_text(response)
    assert _roles(tenant_a.program, person) == {ProgramRole.STAFF}


def test_a_new_staff_member_with_an_authenticator_goes_home(tenant_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    _invitation, token = _invite(tenant_a, email="new.staff@example.org", role=ProgramRole.STAFF)
    person = UserFactory(email="new.staff@example.org")
    give_totp(person)
    response = client_for(person).post(reverse("teams:invitation_accept", kwargs={"token": token}))
    assert response["Location"] == reverse("home")


def test_only_the_invited_address_may_accept(tenant_a):
    _invitation, token = _invite(tenant_a, email="jane@example.org")
    response = client_for(tenant_a.member).post(
        reverse("teams:invitation_accept", kwargs={"token": token})
    )
    assert response.status_code == 403
    assert "j***@example.org" in page_text(response)
    assert _roles(tenant_a.program, tenant_a.member) == set()


def test_inviting_twice_or_inviting_someone_who_works_here_is_refused(tenant_a):
    _invite(tenant_a)
    client = client_for(tenant_a.staff)
    again = client.post(
        _people_url(tenant_a.program), {"email": "new.coach@example.org", "role": "coach"}
    )
    assert "has already been invited and has not answered yet" in page_text(again)
    coach = client.post(
        _people_url(tenant_a.program), {"email": tenant_a.coach.email, "role": "staff"}
    )
    assert f"{tenant_a.coach.email} already works in this program (Coach)" in page_text(coach)
    assert (
        ProgramInvitation.objects.filter(
            program=tenant_a.program, email__in=["new.coach@example.org", tenant_a.coach.email]
        ).count()
        == 1
    )


def test_staff_cannot_give_the_admin_role(tenant_a):
    response = client_for(tenant_a.staff).post(
        _people_url(tenant_a.program), {"email": "boss@example.org", "role": "admin"}
    )
    assert response.status_code == 200
    assert not ProgramInvitation.objects.filter(email="boss@example.org").exists()
    # An admin may.
    _invite(tenant_a, email="boss@example.org", role=ProgramRole.ADMIN, by=tenant_a.admin)


# --- resend and revoke ------------------------------------------------------------------


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = _invite(tenant_a)
    old_link = last_mail_link()
    url = reverse(
        "teams:program_invitation_resend",
        kwargs={
            "program_id": tenant_a.program.public_id,
            "program_invitation_id": invitation.public_id,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenant_a.staff).post(url, follow=True)
    assert "was sent again with a new link" in page_text(response)
    new_link = last_mail_link()
    assert new_link != old_link
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link).status_code == 200
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert AuditEvent.objects.filter(
        verb="invitation.resent", target_id=str(invitation.public_id)
    ).exists()


def test_revoke_withdraws_the_link(tenant_a):
    invitation, token = _invite(tenant_a)
    url = reverse(
        "teams:program_invitation_revoke",
        kwargs={
            "program_id": tenant_a.program.public_id,
            "program_invitation_id": invitation.public_id,
        },
    )
    response = client_for(tenant_a.staff).post(url, follow=True)
    assert "was withdrawn; its link no longer works" in page_text(response)
    page = Client().get(reverse("teams:invitation_accept", kwargs={"token": token}))
    assert page.status_code == 410
    assert "withdrawn by the program's staff" in page_text(page)
    assert AuditEvent.objects.filter(
        verb="invitation.revoked", target_id=str(invitation.public_id), actor=tenant_a.staff
    ).exists()
    coach = UserFactory(email="new.coach@example.org")
    with pytest.raises(ValidationError, match="withdrawn"):
        invitation_accept(token=token, user=coach)
    assert _roles(tenant_a.program, coach) == set()


# --- roles --------------------------------------------------------------------------------


def test_staff_change_a_coach_into_staff_and_the_coachs_teams_are_unassigned(tenant_a):
    url = reverse(
        "teams:people_role",
        kwargs={"program_id": tenant_a.program.public_id, "user_id": tenant_a.coach.public_id},
    )
    response = client_for(tenant_a.staff).post(
        url, {"from_role": "coach", "role": "staff"}, follow=True
    )
    assert f"{tenant_a.coach.display_name} is now Program staff." in page_text(response)
    assert _roles(tenant_a.program, tenant_a.coach) == {ProgramRole.STAFF}
    assert not CoachAssignment.objects.filter(coach=tenant_a.coach).exists()
    event = AuditEvent.objects.get(verb="program_membership.role_changed")
    assert (event.actor, event.program) == (tenant_a.staff, tenant_a.program)
    assert event.data["old_role"] == "coach" and event.data["new_role"] == "staff"
    assert event.data["teams_unassigned"] == 1
    assert AuditEvent.objects.filter(
        verb="team.coach_unassigned", target_id=str(tenant_a.team.public_id)
    ).exists()


def test_removing_a_coach_asks_first_then_ends_the_role_and_assignments(tenant_a):
    url = reverse(
        "teams:people_remove",
        kwargs={"program_id": tenant_a.program.public_id, "user_id": tenant_a.coach.public_id},
    )
    client = client_for(tenant_a.staff)
    confirm = client.get(url + "?role=coach")
    assert confirm.status_code == 200
    assert tenant_a.team.name in page_text(confirm)
    assert _roles(tenant_a.program, tenant_a.coach) == {ProgramRole.COACH}
    response = client.post(url, {"role": "coach"}, follow=True)
    assert "is no longer Coach" in page_text(response)
    assert _roles(tenant_a.program, tenant_a.coach) == set()
    assert not CoachAssignment.objects.filter(coach=tenant_a.coach).exists()
    assert AuditEvent.objects.filter(
        verb="program_membership.removed", actor=tenant_a.staff
    ).exists()
    # The former coach no longer reaches the team.
    assert (
        client_for(tenant_a.coach)
        .get(reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id}))
        .status_code
        == 404
    )


def test_a_removed_role_comes_back_through_a_new_invitation(tenant_a):
    program_role_remove(
        program=tenant_a.program, user=tenant_a.coach, role="coach", removed_by=tenant_a.staff
    )
    _invitation, token = _invite(tenant_a, email=tenant_a.coach.email)
    invitation_accept(token=token, user=tenant_a.coach)
    assert _roles(tenant_a.program, tenant_a.coach) == {ProgramRole.COACH}
    assert (
        ProgramMembership.objects.filter(user=tenant_a.coach, program=tenant_a.program).count() == 1
    )


def test_the_last_staff_member_cannot_be_removed_or_demoted(tenant_a):
    ProgramMembership.objects.filter(user=tenant_a.admin).update(is_active=False)
    client = client_for(tenant_a.staff)
    person = {"program_id": tenant_a.program.public_id, "user_id": tenant_a.staff.public_id}
    response = client.post(
        reverse("teams:people_remove", kwargs=person), {"role": "staff"}, follow=True
    )
    assert "You are the program's only staff member" in page_text(response)
    response = client.post(
        reverse("teams:people_role", kwargs=person),
        {"from_role": "staff", "role": "coach"},
        follow=True,
    )
    assert "You are the program's only staff member" in page_text(response)
    assert _roles(tenant_a.program, tenant_a.staff) == {ProgramRole.STAFF}
    assert not AuditEvent.objects.filter(verb__startswith="program_membership.").exists()


def test_with_another_staff_member_you_may_step_down(tenant_a):
    """The admin still runs the program; the former staff member, now a coach, is sent
    home since the people page is no longer theirs."""
    person = {"program_id": tenant_a.program.public_id, "user_id": tenant_a.staff.public_id}
    client = client_for(tenant_a.staff)
    response = client.post(
        reverse("teams:people_role", kwargs=person), {"from_role": "staff", "role": "coach"}
    )
    assert response["Location"] == reverse("home")
    assert _roles(tenant_a.program, tenant_a.staff) == {ProgramRole.COACH}
    assert client.get(_people_url(tenant_a.program)).status_code == 404


def test_staff_cannot_change_or_remove_an_admin(tenant_a):
    person = {"program_id": tenant_a.program.public_id, "user_id": tenant_a.admin.public_id}
    client = client_for(tenant_a.staff)
    client.post(
        reverse("teams:people_role", kwargs=person), {"from_role": "admin", "role": "coach"}
    )
    response = client.post(
        reverse("teams:people_remove", kwargs=person), {"role": "admin"}, follow=True
    )
    assert "Only program admins change an admin's role." in page_text(response)
    assert _roles(tenant_a.program, tenant_a.admin) == {ProgramRole.ADMIN}


def test_other_programs_people_are_not_found(tenant_a, tenant_b):
    person = {"program_id": tenant_a.program.public_id, "user_id": tenant_b.coach.public_id}
    response = client_for(tenant_a.staff).post(
        reverse("teams:people_remove", kwargs=person), {"role": "coach"}
    )
    assert response.status_code == 404
    assert _roles(tenant_b.program, tenant_b.coach) == {ProgramRole.COACH}


# --- forms and e-mails --------------------------------------------------------------------


def test_every_change_is_a_post_with_a_csrf_token(tenant_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant_a.staff)
    post_only = {"people_role", "program_invitation_resend", "program_invitation_revoke"}
    for method, url in _urls(tenant_a):
        if method != "post":
            continue
        assert client.post(url, {"role": "coach"}).status_code == 403, url
        if resolve(url).url_name in post_only:
            assert client.get(url).status_code == 405, url
    page = client.get(_people_url(tenant_a.program)).content.decode()
    forms = re.findall(r'<form method="post".*?</form>', page, re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)


def test_the_invitation_email_escapes_names(tenant_a, django_capture_on_commit_callbacks):
    tenant_a.program.name = "Alpha <b>Program</b>"
    tenant_a.program.save()
    tenant_a.staff.full_name = "Sam <script>alert(1)</script>"
    tenant_a.staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenant_a)
    stored = OutboundEmail.objects.get(to_email="new.coach@example.org")
    assert "<script>" not in stored.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stored.body_html
    assert "Alpha &lt;b&gt;Program&lt;/b&gt;" in stored.body_html
    # The text part shows names as typed (no markup is interpreted there).
    assert "Alpha <b>Program</b>" in stored.body_text
    assert "/invitations/" in stored.body_text


def test_a_visitor_without_an_account_sees_the_program_invitation(tenant_a):
    """The invitation page shows times in the invitee's zone; a program invitation has
    no collaborative to take one from, and the page must still open."""
    invitation, token = _invite(tenant_a, email="no.account@example.org")
    response = Client().get(reverse("teams:invitation_accept", kwargs={"token": token}))
    assert response.status_code == 200
    html = page_text(response)
    assert f"Join {tenant_a.program.name}" in html
    assert "Valid until" in html
