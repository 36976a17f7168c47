"""Eligibility on realistic participation histories (certificates.eligibility)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.eligibility import full_months, offers_for, standing_for, standings_for
from certificates.models import AttestationStatus, CreditBasis, MocAttestation
from core import clock
from measures.models import ReportingPeriod, Submission, SubmissionStatus
from tests.pdsa.helpers import make_cycle, make_idea

from .credit_helpers import attend, evaluate, join, make_world, offer, past_event

pytestmark = pytest.mark.django_db


def _day(event) -> str:
    local = event.starts_at.astimezone(ZoneInfo("America/New_York"))
    return f"{local.day} {local:%B}"


def test_a_nurse_who_attended_five_of_six_webinars_but_skipped_one_evaluation(tenant_a):
    world = make_world(tenant_a)
    nursing = offer(world.collaborative, "nursing", max_amount=Decimal("10"))
    events = [
        past_event(
            world.collaborative,
            days_ago=70 - 10 * i,
            title=f"Webinar {i + 1}",
            credit={"nursing": 1},
        )
        for i in range(6)
    ]
    for event in events[:5]:
        attend(event, world.nurse)
    for event in events[:4]:
        evaluate(event, world.nurse)

    standing = standing_for(user=world.nurse, offer=nursing)

    assert standing.earned == Decimal(4) and standing.eligible
    assert standing.missing == [f"Evaluation of the {_day(events[4])} webinar “Webinar 5” not done"]
    assert [a.earned for a in standing.activities] == [1, 1, 1, 1, 0, 0]
    assert [a.attendance for a in standing.activities][-1] == "Not attended"
    assert [a.evaluation for a in standing.activities][4] == "Not done"
    # The completion date is the last event that earned credit (the fourth).
    assert (
        standing.completion_date
        == events[3].starts_at.astimezone(ZoneInfo("America/New_York")).date()
    )


def test_a_physician_watching_recordings_30_and_50_minutes_against_a_45_minute_rule(tenant_a):
    world = make_world(tenant_a)
    cme = offer(world.collaborative, "ama_pra_1", requires_evaluation=False)
    short = past_event(
        world.collaborative, days_ago=20, title="Short watch", credit={"ama_pra_1": 1}
    )
    long = past_event(world.collaborative, days_ago=10, title="Long watch", credit={"ama_pra_1": 1})
    attend(short, world.physician, minutes=30, recording=True)
    attend(long, world.physician, minutes=50, recording=True)

    standing = standing_for(user=world.physician, offer=cme)

    assert standing.earned == Decimal(1)
    assert [a.attendance for a in standing.activities] == [
        "Watched the recording (30 min; 45 needed)",
        "Watched the recording for 50 min",
    ]
    assert standing.missing == [
        f"Recording of the {_day(short)} webinar “Short watch”: "
        "watched 30 min; the rule asks for 45"
    ]
    assert [a.evaluation for a in standing.activities] == [None, None]


def test_live_minutes_below_the_rule_do_not_count_and_live_without_minutes_does(tenant_a):
    world = make_world(tenant_a)
    cme = offer(world.collaborative, "ama_pra_1", requires_evaluation=False)
    brief = past_event(
        world.collaborative, days_ago=30, title="Left early", credit={"ama_pra_1": 1}
    )
    whole = past_event(world.collaborative, days_ago=20, title="Code", credit={"ama_pra_1": 1.5})
    timed = past_event(world.collaborative, days_ago=10, title="Stayed", credit={"ama_pra_1": 1})
    attend(brief, world.physician, minutes=20)
    attend(whole, world.physician)
    attend(timed, world.physician, minutes=60)

    standing = standing_for(user=world.physician, offer=cme)

    assert standing.earned == Decimal("2.5")
    assert [a.qualifies for a in standing.activities] == [False, True, True]
    assert standing.activities[1].attendance == "Attended live"
    assert "for 20 minutes; the rule asks for 45" in standing.missing[0]


def test_staff_absent_marks_cancelled_future_and_other_collaboratives_events_do_not_count(
    tenant_a,
):
    world = make_world(tenant_a)
    other = make_world(tenant_a, label="Asthma")
    cme = offer(world.collaborative, "ama_pra_1", requires_evaluation=False, max_amount=Decimal(2))
    marked_absent = past_event(world.collaborative, days_ago=40, credit={"ama_pra_1": 1})
    cancelled = past_event(
        world.collaborative, days_ago=30, credit={"ama_pra_1": 1}, cancelled=True
    )
    no_credit = past_event(world.collaborative, days_ago=25, credit={"nursing": 1})
    elsewhere = past_event(other.collaborative, days_ago=20, credit={"ama_pra_1": 1})
    future = past_event(world.collaborative, days_ago=-5, credit={"ama_pra_1": 1})
    counted = [
        past_event(world.collaborative, days_ago=d, credit={"ama_pra_1": 1}) for d in (15, 10, 5)
    ]
    attend(marked_absent, world.physician, present=False)
    for event in (cancelled, no_credit, future, *counted):
        attend(event, world.physician)
    attend(elsewhere, world.physician)

    standing = standing_for(user=world.physician, offer=cme)

    assert [a.title for a in standing.activities].count("Sepsis webinar") == 4  # absent + 3
    assert standing.activities[0].attendance == "Not attended"
    assert standing.earned == Decimal(2)  # three earned, capped at the maximum


def test_a_staff_person_who_attended_earns_per_event_credit_and_nobody_else_sees_the_offer(
    tenant_a, tenant_b
):
    world = make_world(tenant_a)
    cme = offer(world.collaborative, "ama_pra_1")
    event = past_event(world.collaborative, days_ago=3, credit={"ama_pra_1": 1.25})
    assert cme not in offers_for(user=tenant_a.staff)  # staff who never attended
    attend(event, tenant_a.staff)
    evaluate(event, tenant_a.staff)

    assert cme in offers_for(user=tenant_a.staff)
    assert standing_for(user=tenant_a.staff, offer=cme).earned == Decimal("1.25")
    assert cme not in offers_for(user=tenant_b.staff)
    assert cme not in offers_for(user=tenant_a.member)  # not on this collaborative's teams
    cme.is_published = False
    cme.save()
    assert cme not in offers_for(user=tenant_a.staff)


def test_no_event_yet_says_so(tenant_a):
    world = make_world(tenant_a)
    cme = offer(world.collaborative, "ama_pra_1")
    standing = standing_for(user=world.nurse, offer=cme)
    assert not standing.eligible and standing.earned == 0
    assert standing.missing == ["No event offering this credit has taken place yet"]


def _moc(world, **rules):
    values = {
        "basis": CreditBasis.COLLABORATIVE,
        "max_amount": Decimal(25),
        "min_share_events_attended": 50,
        "min_months_active": 6,
        "min_pdsa_cycles": 1,
        "min_data_periods": 4,
        "requires_attestation": True,
    }
    values.update(rules)
    return offer(world.collaborative, "moc_part4", **values)


def _periods(world, count: int, *, status=SubmissionStatus.SUBMITTED) -> None:
    start = clock.today().replace(day=1)
    for i in range(count):
        month = (start - timedelta(days=32 * (i + 1))).replace(day=1)
        period = ReportingPeriod.objects.create(
            program=world.collaborative.program,
            collaborative=world.collaborative,
            start=month,
            end=month + timedelta(days=27),
            due_date=month + timedelta(days=40),
        )
        Submission.objects.create(
            program=world.collaborative.program,
            collaborative=world.collaborative,
            team=world.team,
            period=period,
            status=status,
        )


def test_a_member_who_joined_late_is_told_every_missing_item(tenant_a):
    world = make_world(tenant_a)
    moc = _moc(world)
    join(world, world.physician, months_ago=3)
    events = [past_event(world.collaborative, days_ago=10 * (i + 1)) for i in range(6)]
    for event in events[:2]:
        attend(event, world.physician)
    _periods(world, 2)

    standing = standing_for(user=world.physician, offer=moc)

    assert not standing.eligible and standing.earned == 0
    assert standing.missing == [
        "Attended 2 of 6 sessions; the rule asks for 50 %",
        "Active on a team for 3 months; 6 needed",
        "No PDSA cycle yet; 1 needed",
        "Your team submitted 2 months of data; 4 needed",
        "MOC attestation of your role not made yet",
    ]
    MocAttestation.objects.create(
        program=world.collaborative.program,
        offer=moc,
        user=world.physician,
        team=world.team,
        status=AttestationStatus.ATTESTED,
    )
    assert standing_for(user=world.physician, offer=moc).missing[-1] == (
        "MOC attestation waiting for your team lead's co-signature"
    )


def test_a_member_who_did_everything_earns_the_moc_points_today(tenant_a):
    world = make_world(tenant_a)
    moc = _moc(world)
    join(world, world.physician, months_ago=7)
    events = [past_event(world.collaborative, days_ago=10 * (i + 1)) for i in range(4)]
    for event in events[:2]:
        attend(event, world.physician)
    make_cycle(world.team, make_idea(world.team), author=world.physician)
    _periods(world, 4)
    MocAttestation.objects.create(
        program=world.collaborative.program,
        offer=moc,
        user=world.physician,
        team=world.team,
        status=AttestationStatus.APPROVED,
    )

    standing = standing_for(user=world.physician, offer=moc)

    assert standing.missing == [] and standing.eligible
    assert standing.earned == Decimal(25) and standing.completion_date == clock.today()
    assert [r.detail for r in standing.requirements][:3] == [
        "Attended 2 of 4 sessions; the rule asks for 50 %",
        "Active on a team for 7 months; 6 needed",
        "Contributed to 1 PDSA cycle; 1 needed",
    ]
    # The nurse, on the same team, did not write the cycle nor attest.
    nurse = standing_for(user=world.nurse, offer=moc)
    assert "No PDSA cycle yet; 1 needed" in nurse.missing


def test_months_count_to_the_collaboratives_end_when_it_has_ended(tenant_a):
    world = make_world(tenant_a)
    join(world, world.nurse, months_ago=10)
    world.collaborative.end_date = clock.today() - timedelta(days=31 * 6)
    world.collaborative.save()
    moc = _moc(
        world,
        min_share_events_attended=0,
        min_pdsa_cycles=0,
        min_data_periods=0,
        requires_attestation=False,
    )
    assert standing_for(user=world.nurse, offer=moc).missing == [
        "Active on a team for 3 months; 6 needed"
    ]


def test_full_months():
    assert full_months(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert full_months(date(2026, 1, 15), date(2026, 7, 15)) == 6
    assert full_months(date(2026, 5, 1), date(2026, 4, 1)) == 0


@pytest.mark.parametrize("count", [2, 8])
def test_the_number_of_queries_does_not_grow_with_events(tenant_a, count):
    world = make_world(tenant_a)
    offer(world.collaborative, "ama_pra_1")
    _moc(world)
    for i in range(count):
        event = past_event(world.collaborative, days_ago=i + 1, credit={"ama_pra_1": 1})
        attend(event, world.nurse)
        evaluate(event, world.nurse)
    with CaptureQueriesContext(connection) as queries:
        standings = standings_for(user=world.nurse)
    assert len(standings) == 2
    assert standings[0].earned == min(count, 6)
    assert len(queries) == 13  # the same for 2 and 8 events
