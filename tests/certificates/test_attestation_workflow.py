"""The MOC Part 4 attestation: the participant's form and its messages, attesting
(e-mail to the lead), co-signing (only a lead of the team, never one's own), staff's
approval or return (e-mail to the participant), no skipped or repeated step, audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates.models import AttestationStatus, CreditOffer, MocAttestation
from certificates.services.attestations import (
    attestation_approve,
    attestation_cosign,
    attestation_return,
)
from core.models import AuditEvent, OutboundEmail
from teams.models import TeamRole
from tests.factories import TeamMembershipFactory, UserFactory, client_for

pytestmark = pytest.mark.django_db


def moc(tenant) -> CreditOffer:
    return CreditOffer.objects.get(collaborative=tenant.collaborative, credit_type="moc_part4")


def form_url(offer) -> str:
    return reverse("certificates:attestation_form", kwargs={"offer_id": offer.public_id})


def page_url(attestation) -> str:
    return reverse("certificates:attestation", kwargs={"attestation_id": attestation.public_id})


def cosign_url(attestation) -> str:
    return reverse(
        "certificates:attestation_cosign", kwargs={"attestation_id": attestation.public_id}
    )


def decide_url(attestation) -> str:
    return reverse(
        "certificates:attestation_decide",
        kwargs={
            "collaborative_id": attestation.offer.collaborative.public_id,
            "attestation_id": attestation.public_id,
        },
    )


def good(**overrides) -> dict:
    data = {
        "roles": ["design", "implementation", "data"],
        "role_description": "I ran the <b>triage</b> huddles & reviewed the run charts.",
        "board": "abp",
        "board_id": "654321",
        "birth_month": "2",
        "birth_day": "29",
        "completion_date": "2026-10-31",
        "points": "25",
        "permission_to_report": "on",
        "action": "attest",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def participant(tenant_a):
    """A physician on the tenant's team (the builder's member already attested)."""
    user = UserFactory(full_name="Dr Pia Park")
    TeamMembershipFactory(team=tenant_a.team, user=user, role=TeamRole.MEMBER)
    return user


def test_a_participant_attests_and_the_lead_is_emailed(tenant_a, participant):
    client = client_for(participant)
    assert client.get(form_url(moc(tenant_a))).status_code == 200
    response = client.post(form_url(moc(tenant_a)), good(), follow=True)
    assert "was asked to co-sign" in response.content.decode()
    attestation = MocAttestation.objects.get(user=participant)
    assert attestation.status == AttestationStatus.ATTESTED
    assert attestation.team == tenant_a.team
    assert (attestation.birth_month, attestation.birth_day) == (2, 29)
    assert attestation.role_description.startswith("I ran the <b>triage</b>")
    mail = OutboundEmail.objects.get(to_email=tenant_a.lead.email)
    assert mail.kind == "moc_attestation"
    assert "Dr Pia Park" in mail.subject
    assert page_url(attestation) in mail.body_text
    assert AuditEvent.objects.filter(
        verb="moc_attestation.attested", actor=participant, target_id=str(attestation.public_id)
    ).exists()
    # The state is on the participant's page; the form is closed.
    page = client.get(form_url(moc(tenant_a))).content.decode()
    assert "Attested, waiting for the team lead" in page
    assert 'name="action"' not in page


def test_a_draft_is_saved_incomplete_and_tells_nobody(tenant_a, participant):
    client = client_for(participant)
    response = client.post(
        form_url(moc(tenant_a)),
        {"roles": ["design"], "board": "abp", "points": "", "action": "save"},
    )
    assert response.status_code == 302
    attestation = MocAttestation.objects.get(user=participant)
    assert attestation.status == AttestationStatus.DRAFT
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"roles": ["design", "data"]}, "roles", "at least 3 of the 4 roles"),
        ({"roles": ["design", "data", "golf"]}, "roles", "not one of the available choices"),
        ({"board_id": "12345"}, "board_id", "6 digits, digits only"),
        ({"board_id": "12a456"}, "board_id", "6 digits"),
        ({"board": "abim", "board_id": "12"}, "board_id", "4 to 10 digits"),
        ({"birth_month": "4", "birth_day": "31"}, "birth_day", "April has no day 31"),
        ({"birth_month": "", "birth_day": "3"}, "birth_day", "month and day of your birth"),
        ({"birth_day": "32"}, "birth_day", "less than or equal to 31"),
        ({"completion_date": "2027-01-01"}, "completion_date", "cannot be in the future"),
        ({"completion_date": "31/31/2026"}, "completion_date", "valid date"),
        ({"completion_date": ""}, "completion_date", "date you completed"),
        ({"points": "30"}, "points", "25-point units"),
        ({"points": "50"}, "points", "at most 25 points"),
        ({"points": "0"}, "points", "Enter the points you claim"),
        ({"permission_to_report": None}, "permission_to_report", "give permission to submit"),
        ({"role_description": "  "}, "role_description", "Describe what you did"),
    ],
)
def test_bad_attestations_are_refused_with_a_message(
    tenant_a, participant, overrides, field, message
):
    response = client_for(participant).post(form_url(moc(tenant_a)), good(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not MocAttestation.objects.filter(user=participant).exists()  # nothing half-saved
    assert not OutboundEmail.objects.exists()


def test_who_may_not_open_the_attestation_form(tenant_a, tenant_b):
    offer = moc(tenant_a)
    outsider_lead = UserFactory()
    TeamMembershipFactory(team=tenant_b.team, user=outsider_lead, role=TeamRole.LEAD)
    for user in (tenant_b.member, tenant_b.lead, tenant_a.coach, tenant_a.staff, outsider_lead):
        client = client_for(user)
        assert client.get(form_url(offer)).status_code == 404, user
        assert client.post(form_url(offer), good()).status_code == 404
    # An offer without attestation (nursing) has no attestation form, even for members.
    nursing = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="nursing")
    assert client_for(tenant_a.member).get(form_url(nursing)).status_code == 404
    # Unpublished: no form.
    CreditOffer.objects.filter(pk=offer.pk).update(is_published=False)
    assert client_for(tenant_a.member).get(form_url(offer)).status_code == 404


def test_the_lead_cosigns_and_staff_approve_with_emails_and_audit(tenant_a):
    attestation = MocAttestation.objects.get(user=tenant_a.member)  # the builder's, attested
    lead = client_for(tenant_a.lead)
    page = lead.get(page_url(attestation)).content.decode()
    assert "Co-sign" in page
    assert "123456" not in page  # the board ID is for the participant and staff only
    lead.post(cosign_url(attestation))
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.COSIGNED
    assert attestation.cosigned_by == tenant_a.lead
    response = client_for(tenant_a.staff).post(decide_url(attestation), {"decision": "approve"})
    assert response.status_code == 302
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.APPROVED
    assert attestation.approved_by == tenant_a.staff
    mail = OutboundEmail.objects.get(to_email=tenant_a.member.email)
    assert mail.kind == "moc_attestation" and "approved" in mail.subject
    verbs = set(
        AuditEvent.objects.filter(target_id=str(attestation.public_id)).values_list(
            "verb", flat=True
        )
    )
    assert {"moc_attestation.cosigned", "moc_attestation.approved"} <= verbs
    # No double approval.
    response = client_for(tenant_a.staff).post(
        decide_url(attestation), {"decision": "approve"}, follow=True
    )
    assert "already approved" in response.content.decode()
    assert AuditEvent.objects.filter(verb="moc_attestation.approved").count() == 1


def test_no_step_is_skipped(tenant_a):
    attestation = MocAttestation.objects.get(user=tenant_a.member)
    with pytest.raises(ValidationError, match="co-signed by the team lead"):
        attestation_approve(actor=tenant_a.staff, attestation=attestation)
    attestation_cosign(actor=tenant_a.lead, attestation=attestation)
    with pytest.raises(ValidationError, match="nothing to co-sign"):
        attestation_cosign(actor=tenant_a.lead, attestation=attestation)
    MocAttestation.objects.filter(pk=attestation.pk).update(status=AttestationStatus.DRAFT)
    with pytest.raises(ValidationError, match="cannot be returned"):
        attestation_return(actor=tenant_a.staff, attestation=attestation, reason="x")


def test_attestation_by_someone_outside_the_team(tenant_a, tenant_b):
    """Another team's lead, a lead of another program, a coach and a fellow member
    cannot open or co-sign it: 404, and nothing changes."""
    attestation = MocAttestation.objects.get(user=tenant_a.member)
    other_lead = UserFactory()
    TeamMembershipFactory(team=tenant_a.other_team, user=other_lead, role=TeamRole.LEAD)
    fellow = UserFactory()
    TeamMembershipFactory(team=tenant_a.team, user=fellow, role=TeamRole.MEMBER)
    for user in (other_lead, tenant_b.lead, tenant_a.coach, fellow, tenant_b.staff):
        client = client_for(user)
        assert client.get(page_url(attestation)).status_code == 404, user
        assert client.post(cosign_url(attestation)).status_code == 404, user
        assert client.post(decide_url(attestation), {"decision": "approve"}).status_code == 404
    with pytest.raises(ValidationError, match="Only an active lead"):
        attestation_cosign(actor=other_lead, attestation=attestation)
    # A lead who left the team no longer co-signs.
    tenant_a.lead_membership.is_active = False
    tenant_a.lead_membership.save()
    assert client_for(tenant_a.lead).get(page_url(attestation)).status_code == 404
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.ATTESTED


def test_a_lead_cannot_cosign_their_own_and_staff_cosign_for_an_only_lead(tenant_a):
    offer = moc(tenant_a)
    client = client_for(tenant_a.lead)
    response = client.post(form_url(offer), good(), follow=True)
    assert "program staff co-sign" in response.content.decode()
    attestation = MocAttestation.objects.get(user=tenant_a.lead)
    assert not OutboundEmail.objects.filter(kind="moc_attestation").exists()
    assert "Co-sign" not in client.get(page_url(attestation)).content.decode().replace(
        "Co-signed", ""
    )
    with pytest.raises(ValidationError, match="your own"):
        attestation_cosign(actor=tenant_a.lead, attestation=attestation)
    staff = client_for(tenant_a.staff)
    credit = reverse(
        "certificates:collaborative_credit",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    assert "Co-sign in the lead's place" in staff.get(credit).content.decode()
    staff.post(decide_url(attestation), {"decision": "cosign"})
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.COSIGNED
    assert attestation.cosigned_by == tenant_a.staff
    # With a second lead on the team, staff no longer co-sign in the lead's place.
    MocAttestation.objects.filter(pk=attestation.pk).update(status=AttestationStatus.ATTESTED)
    TeamMembershipFactory(team=tenant_a.team, user=UserFactory(), role=TeamRole.LEAD)
    with pytest.raises(ValidationError, match="Only an active lead"):
        attestation_cosign(actor=tenant_a.staff, attestation=attestation)


def test_staff_return_with_a_reason_and_the_participant_corrects_it(tenant_a):
    attestation = MocAttestation.objects.get(user=tenant_a.member)
    staff = client_for(tenant_a.staff)
    response = staff.post(
        decide_url(attestation), {"decision": "return", "reason": " "}, follow=True
    )
    assert "Say why the attestation is returned" in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.ATTESTED
    staff.post(
        decide_url(attestation),
        {"decision": "return", "reason": "Add your <i>data</i> review dates."},
    )
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.RETURNED
    mail = OutboundEmail.objects.get(to_email=tenant_a.member.email)
    assert "returned" in mail.subject
    assert "Add your &lt;i&gt;data&lt;/i&gt; review dates." in mail.body_html
    assert "Add your <i>data</i> review dates." in mail.body_text
    event = AuditEvent.objects.get(verb="moc_attestation.returned")
    assert event.data["reason"] == "Add your <i>data</i> review dates."
    member = client_for(tenant_a.member)
    page = member.get(form_url(moc(tenant_a))).content.decode()
    assert "Returned for changes" in page and "&lt;i&gt;data&lt;/i&gt;" in page
    member.post(form_url(moc(tenant_a)), good(completion_date="2026-11-01"))
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.ATTESTED
    assert attestation.completion_date == date(2026, 11, 1)
    assert attestation.cosigned_by is None


def test_an_approved_attestation_can_no_longer_change(tenant_a):
    attestation = MocAttestation.objects.get(user=tenant_a.member)
    attestation_cosign(actor=tenant_a.lead, attestation=attestation)
    attestation_approve(actor=tenant_a.staff, attestation=attestation)
    response = client_for(tenant_a.member).post(
        form_url(moc(tenant_a)), good(points="25", board_id="999999"), follow=True
    )
    assert "can no longer be changed" in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.board_id == "123456"
    assert attestation.status == AttestationStatus.APPROVED


def return_url(attestation) -> str:
    return reverse(
        "certificates:attestation_return", kwargs={"attestation_id": attestation.public_id}
    )


def test_the_lead_returns_instead_of_cosigning_with_a_reason(tenant_a):
    attestation = MocAttestation.objects.get(user=tenant_a.member)
    lead = client_for(tenant_a.lead)
    page = lead.get(page_url(attestation)).content.decode()
    assert f'action="{return_url(attestation)}"' in page and 'name="reason"' in page
    response = lead.post(return_url(attestation), {"reason": "  "}, follow=True)
    assert "Say why the attestation is returned" in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.ATTESTED

    response = lead.post(
        return_url(attestation), {"reason": "You joined in <b>May</b>, not March."}, follow=True
    )
    assert "You returned the attestation" in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.RETURNED
    assert attestation.returned_reason == "You joined in <b>May</b>, not March."
    mail = OutboundEmail.objects.get(to_email=tenant_a.member.email, kind="moc_attestation")
    assert "returned" in mail.subject and "&lt;b&gt;May&lt;/b&gt;" in mail.body_html
    event = AuditEvent.objects.get(verb="moc_attestation.returned")
    assert event.actor == tenant_a.lead and event.data["by"] == "team lead"
    # Returned, there is nothing left for the lead to co-sign or return.
    page = lead.get(page_url(attestation)).content.decode()
    assert return_url(attestation) not in page


def test_only_staff_return_a_cosigned_attestation_and_nobody_their_own(tenant_a, tenant_b):
    attestation = MocAttestation.objects.get(user=tenant_a.member)
    attestation_cosign(actor=tenant_a.lead, attestation=attestation)
    response = client_for(tenant_a.lead).post(
        return_url(attestation), {"reason": "Changed my mind"}, follow=True
    )
    assert "cannot be returned" in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.COSIGNED
    # Outside the team (another team's lead, a fellow member, another tenant): 404.
    other_lead = UserFactory()
    TeamMembershipFactory(team=tenant_a.other_team, user=other_lead, role=TeamRole.LEAD)
    fellow = UserFactory()
    TeamMembershipFactory(team=tenant_a.team, user=fellow, role=TeamRole.MEMBER)
    for user in (other_lead, fellow, tenant_b.lead, tenant_b.staff):
        assert client_for(user).post(return_url(attestation), {"reason": "x"}).status_code == 404
    with pytest.raises(ValidationError, match="team lead return"):
        attestation_return(actor=other_lead, attestation=attestation, reason="x")
    # The participant cannot return their own (they edit it while it is theirs).
    with pytest.raises(ValidationError, match="team lead return"):
        attestation_return(actor=tenant_a.member, attestation=attestation, reason="x")
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.COSIGNED
