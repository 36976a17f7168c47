"""Claiming credit (certificates.services.claims): what is refused, what is recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from certificates.models import Certificate, CreditBasis, CreditClaim, IssueMode
from certificates.services.claims import claim_credit
from core.models import AuditEvent

from .credit_helpers import attend, evaluate, make_world, offer, past_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(tenant_a):
    """The nurse earned 1.5 AMA PRA hours (two events of 0.75); the offer's maximum is 6."""
    world = make_world(tenant_a)
    cme = offer(world.collaborative, "ama_pra_1", issue_mode=IssueMode.BY_STAFF)
    events = [
        past_event(world.collaborative, days_ago=d, credit={"ama_pra_1": 0.75}) for d in (9, 4)
    ]
    for event in events:
        attend(event, world.nurse)
        evaluate(event, world.nurse)
    return world, cme, events


#: What the AMA PRA claim form asks besides the amount (ACCME PARS matches on it).
BIRTHDAY = {"birth_month": "4", "birth_day": "9"}


def _refused(**kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        claim_credit(**{"learner": BIRTHDAY, **kwargs})
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1.75", "You earned 1.5 hours; you cannot claim more."),
        ("6.25", "This activity offers at most 6 hours; you cannot claim more."),
        ("1.1", "Claim hours in quarter hours"),
        ("0", "Claim more than zero."),
        ("-1", "Claim more than zero."),
        ("abc", "Enter a number, such as 1.25."),
        ("NaN", "Enter a number, such as 1.25."),
        ("", "Enter the amount you claim."),
        ("1e999999", "This activity offers at most 6 hours"),
        ("9" * 500, "Enter a number, such as 1.25."),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(earned, amount, message):
    world, cme, _ = earned
    assert message in _refused(user=world.nurse, offer=cme, amount=amount)
    assert not CreditClaim.objects.filter(offer=cme).exists()


def test_a_claim_is_recorded_with_the_last_qualifying_events_date_and_audited(earned):
    world, cme, events = earned
    made = claim_credit(user=world.nurse, offer=cme, amount="1.25", learner=BIRTHDAY)
    assert made.amount == Decimal("1.25")
    assert made.completion_date == events[-1].starts_at.date()
    assert not Certificate.objects.filter(offer=cme).exists()  # staff issue this one
    event = AuditEvent.objects.get(verb="credit_claim.created", target_id=str(made.public_id))
    assert event.actor == world.nurse and event.data["amount"] == "1.25"
    assert "already claimed 1.25 hours" in _refused(user=world.nurse, offer=cme, amount="0.25")
    assert CreditClaim.objects.filter(offer=cme).count() == 1


def test_claims_before_eligibility_are_refused_with_what_is_missing(earned):
    world, cme, events = earned
    attend(events[0], world.physician)  # but no evaluation
    message = _refused(user=world.physician, offer=cme, amount="0.75")
    assert message.startswith("You are not eligible for this credit yet: Evaluation of the")


def test_unpublished_and_unseen_offers_are_refused(earned, tenant_b):
    world, cme, _ = earned
    assert _refused(user=tenant_b.lead, offer=cme, amount="0.25") == (
        "This credit is not offered to you."
    )
    cme.is_published = False
    cme.save()
    assert _refused(user=world.nurse, offer=cme, amount="0.25") == (
        "This credit is not open for claims."
    )


def test_moc_points_come_in_units_of_25(tenant_a):
    world = make_world(tenant_a)
    moc = offer(
        world.collaborative,
        "moc_part4",
        basis=CreditBasis.COLLABORATIVE,
        max_amount=Decimal(50),
        issue_mode=IssueMode.BY_STAFF,
    )
    assert "units of 25" in _refused(user=world.nurse, offer=moc, amount="30")
    assert claim_credit(user=world.nurse, offer=moc, amount="50").amount == 50


def test_on_claim_offers_issue_the_certificate_in_the_same_transaction(
    earned, django_capture_on_commit_callbacks
):
    world, cme, _ = earned
    cme.issue_mode = IssueMode.ON_CLAIM
    cme.save()
    with django_capture_on_commit_callbacks() as callbacks:
        made = claim_credit(user=world.nurse, offer=cme, amount="1.5", learner=BIRTHDAY)
    certificate = Certificate.objects.get(claim=made)
    assert certificate.amount == Decimal("1.5") and certificate.recipient_name == "Nia Nurse"
    assert len(callbacks) == 1  # the render, after commit
    audit = AuditEvent.objects.get(verb="credit_claim.created")
    assert audit.data["certificate"] == certificate.code


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        ({}, "Enter your birth month."),
        ({"birth_month": "13", "birth_day": "1"}, "a number from 1 to 12"),
        ({"birth_month": "2", "birth_day": "30"}, "February has 29 days."),
        ({"birth_month": "4", "birth_day": "x"}, "Enter your birth day as a number"),
    ],
)
def test_an_ama_pra_claim_needs_a_real_birthday_for_pars(earned, learner, message):
    world, cme, _ = earned
    assert message in _refused(user=world.nurse, offer=cme, amount="1", learner=learner)
    assert not CreditClaim.objects.filter(offer=cme).exists()


def test_the_birthday_and_ems_licence_are_kept_on_the_claim(earned):
    world, cme, _ = earned
    made = claim_credit(
        user=world.nurse, offer=cme, amount="1", learner={"birth_month": "02", "birth_day": "29"}
    )
    assert (made.birth_month, made.birth_day) == (2, 29)
    ems = offer(world.collaborative, "ems", requires_evaluation=False)
    event = past_event(world.collaborative, days_ago=3, credit={"ems": 1})
    attend(event, world.nurse)
    assert "NREMT number" in _refused(user=world.nurse, offer=ems, amount="1", learner={})
    assert "two-letter code" in _refused(
        user=world.nurse,
        offer=ems,
        amount="1",
        learner={"ems_licence_id": "E1", "ems_licence_state": "ZZ"},
    )
    made = claim_credit(
        user=world.nurse,
        offer=ems,
        amount="1",
        learner={"ems_licence_id": " nc-12345 ", "ems_licence_state": "nc"},
    )
    assert (made.ems_licence_id, made.ems_licence_state) == ("NC-12345", "NC")
    assert made.birth_month is None
