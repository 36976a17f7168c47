"""Demo CE and MOC credit: offers on the past and active collaboratives, and people
with credit at every stage.

Every provider, statement and activity ID is invented ("Demo Children's Hospital");
the statements follow the accreditors' published wording with that made-up name.

- past collaborative: nursing and AMA PRA for the whole collaborative, and a
  certificate of participation; Alex Moreno (lead@) claimed nursing hours and holds
  the certificate; Sam Okafor's AMA PRA certificate was revoked (issued to the wrong
  person's claim); María González's nursing certificate was corrected (her name was
  misspelt): the first one is superseded and the new one replaces it;
- active collaborative: AMA PRA, nursing, EMS and participation per event, and MOC
  Part 4 for the whole collaborative. Alex Moreno claimed nursing hours (certificate
  issued), Jordan Lee (member@, EMT-P) claimed EMS hours (issued), Grace Holloway
  (sponsor@) attended the sessions but did none of the evaluations (the calendar's
  seed never has her evaluate), so she is missing an evaluation for every per-event
  credit; Sam Okafor, MD, attested his MOC Part 4 role and waits for Alex Moreno's
  co-signature as his team lead.

Certificates are issued through `issue_certificate` and rendered at once (the render
task run in-process), so each has a real PDF. Rows are found by natural keys, so
seeding twice adds nothing. Nothing is dated after the day of seeding.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from accounts.models import User
from certificates.models import (
    AttestationStatus,
    Board,
    Certificate,
    CreditBasis,
    CreditClaim,
    CreditOffer,
    IssueMode,
    MocAttestation,
    MocRole,
)
from certificates.services.issuing import issue_certificate
from certificates.tasks import render_certificate
from collaboratives.models import Collaborative
from teams.models import TeamMembership, TeamRole

from .collaboratives import ACTIVE, PAST
from .world import DemoResult, DemoWorld

PROVIDER = "Demo Children's Hospital"
ADDRESS = "100 Example Avenue, Columbus, OH 43205 · https://cme.demo.example"
ACCME = (
    f"{PROVIDER} is accredited by the Accreditation Council for Continuing Medical "
    "Education (ACCME) to provide continuing medical education for physicians."
)
ANCC = (
    f"{PROVIDER} is accredited as a provider of nursing continuing professional "
    "development by the American Nurses Credentialing Center's Commission on Accreditation."
)
CAPCE = (
    f"This continuing education activity is approved by {PROVIDER}, an organization "
    "accredited by the Commission on Accreditation for Pre-Hospital Continuing Education "
    "(CAPCE), for {hours} CEUs."
)


def _ama_designation(kind: str, hours: str) -> str:
    return (
        f"{PROVIDER} designates this {kind} for a maximum of {hours} AMA PRA Category 1 "
        "Credit(s)™. Physicians should claim only the credit commensurate with the extent "
        "of their participation in the activity."
    )


def _moc_designation(points: int) -> str:
    return (
        "Successful completion of this activity, which includes participation in the "
        f"evaluation component, enables the participant to earn up to {points} MOC points "
        "in the American Board of Pediatrics' (ABP) Maintenance of Certification (MOC) "
        "program. It is the activity provider's responsibility to submit participant "
        "completion information to ACCME for the purpose of granting ABP MOC credit."
    )


#: (collaborative slug, credit type) -> the offer's fields.
OFFERS = {
    (PAST, "nursing"): {
        "basis": CreditBasis.COLLABORATIVE,
        "accreditation_statement": ANCC,
        "designation_statement": "This activity provides up to 12 nursing contact hours.",
        "max_amount": Decimal(12),
        "min_share_events_attended": 60,
        "min_months_active": 6,
    },
    (PAST, "ama_pra_1"): {
        "basis": CreditBasis.COLLABORATIVE,
        "accreditor_activity_id": "202500417",
        "accreditation_statement": ACCME,
        "designation_statement": _ama_designation("performance improvement activity", "20"),
        "max_amount": Decimal(20),
        "min_share_events_attended": 50,
        "min_months_active": 6,
        "min_pdsa_cycles": 1,
        "issue_mode": IssueMode.BY_STAFF,
    },
    (PAST, "participation"): {
        "basis": CreditBasis.COLLABORATIVE,
        "max_amount": Decimal(10),
        "min_share_events_attended": 50,
    },
    (ACTIVE, "ama_pra_1"): {
        "accreditor_activity_id": "202600981",
        "accreditation_statement": ACCME,
        "designation_statement": _ama_designation("live activity", "10.5"),
        "max_amount": Decimal("10.5"),
    },
    (ACTIVE, "nursing"): {
        "accreditation_statement": ANCC,
        "designation_statement": "This activity provides up to 10.5 nursing contact hours.",
        "max_amount": Decimal("10.5"),
    },
    (ACTIVE, "ems"): {
        "accreditor_activity_id": "26-DCH-F3-0042",
        "accreditation_statement": CAPCE.format(hours="6"),
        "max_amount": Decimal(6),
    },
    (ACTIVE, "participation"): {"max_amount": Decimal(12), "requires_evaluation": False},
    (ACTIVE, "moc_part4"): {
        "basis": CreditBasis.COLLABORATIVE,
        "accreditor_activity_id": "202600982",
        "accreditation_statement": ACCME,
        "designation_statement": _moc_designation(25),
        "max_amount": Decimal(25),
        "min_months_active": 6,
        "min_pdsa_cycles": 1,
        "min_data_periods": 3,
        "requires_attestation": True,
    },
}

#: Demo participants beyond the world's logins (they have no password: not logins).
EXTRA_PEOPLE = {
    "sam.okafor@demo.example": ("Sam Okafor", "MD"),
    "maria.gonzalez@demo.example": ("María González", "RN"),
}
#: (team key in demo.world TEAMS, email, role)
EXTRA_MEMBERS = [
    ("Riverside ED Peds Ready", "sam.okafor@demo.example", TeamRole.MEMBER),
    ("Lakeside Readiness {year}", "sam.okafor@demo.example", TeamRole.MEMBER),
    ("Riverside Readiness {year}", "maria.gonzalez@demo.example", TeamRole.MEMBER),
]


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Offers, claims, certificates (rendered) and a MOC attestation as of `today`."""
    staff = world.users["staff@demo.example"]
    people = dict(world.users)
    for email, (full_name, credentials) in EXTRA_PEOPLE.items():
        people[email] = _person(email, full_name, credentials, result)
    for team_key, email, role in EXTRA_MEMBERS:
        team = world.teams[team_key]
        _, created = TeamMembership.objects.get_or_create(
            team=team, user=people[email], defaults={"program": team.program, "role": role}
        )
        result.count(created)
    past = world.collaboratives[PAST]
    offers = {
        key: _offer(world.collaboratives[key[0]], key[1], fields, result)
        for key, fields in OFFERS.items()
    }
    past_done = min(past.end_date or today, today)
    active_done = today - timedelta(days=7)

    _claim_and_issue(
        offers[PAST, "nursing"], people["lead@demo.example"], "11.5", past_done, staff, result
    )
    _claim_and_issue(
        offers[ACTIVE, "nursing"], people["lead@demo.example"], "4.5", active_done, staff, result
    )
    _claim_and_issue(
        offers[ACTIVE, "ems"], people["member@demo.example"], "4", active_done, staff, result
    )
    revoked = _claim_and_issue(
        offers[PAST, "ama_pra_1"],
        people["sam.okafor@demo.example"],
        "20",
        past_done,
        staff,
        result,
    )
    if revoked.revoked_at is None:
        revoked.revoked_at = _moment(today)
        revoked.revoked_by = staff
        revoked.revoked_reason = (
            "Issued in error: Dr Okafor's team did not complete the re-measurement stage "
            "(stage C) of the performance improvement activity."
        )
        revoked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    _corrected(
        offers[PAST, "nursing"],
        people["maria.gonzalez@demo.example"],
        past_done,
        staff,
        today,
        result,
    )
    _attestation_waiting(
        offers[ACTIVE, "moc_part4"],
        people["sam.okafor@demo.example"],
        world.teams["Riverside ED Peds Ready"],
        active_done,
        today,
        result,
    )


def _moment(day: date) -> datetime:
    """Noon UTC of `day` (never after the day of seeding)."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def _person(email: str, full_name: str, credentials: str, result: DemoResult) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "credentials": credentials}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    result.count(created)
    return user


def _offer(collaborative: Collaborative, credit_type: str, fields: dict, result) -> CreditOffer:
    offer, created = CreditOffer.objects.get_or_create(
        collaborative=collaborative,
        credit_type=credit_type,
        defaults={
            "program": collaborative.program,
            "provider_name": PROVIDER,
            "provider_address": ADDRESS,
            "is_published": True,
            **fields,
        },
    )
    result.count(created)
    return offer


def _claim(offer: CreditOffer, user: User, amount: str, done: date, result) -> CreditClaim:
    claim, created = CreditClaim.objects.get_or_create(
        offer=offer,
        user=user,
        defaults={
            "program": offer.program,
            "amount": Decimal(amount),
            "completion_date": done,
            "claimed_at": _moment(done),
        },
    )
    result.count(created)
    return claim


def _issue(claim: CreditClaim, staff: User, result) -> Certificate:
    certificate, created = issue_certificate(claim=claim, issued_by=staff)
    result.count(created)
    if created:
        # Rendered now, in this process, so that the demo's PDF exists whether or not a
        # worker runs; the task queued on commit then finds it issued and does nothing.
        render_certificate.apply(args=[certificate.pk])
        certificate.refresh_from_db()
    return certificate


def _claim_and_issue(offer, user, amount, done, staff, result) -> Certificate:
    return _issue(_claim(offer, user, amount, done, result), staff, result)


def _corrected(offer, user, done, staff, today, result) -> None:
    """A certificate issued with the name misspelt, superseded by a corrected one."""
    claim = _claim(offer, user, "12", done, result)
    if Certificate.objects.filter(claim=claim, replaces__isnull=False).exists():
        return
    user.full_name = "Maria Gonzales"
    user.save(update_fields=["full_name"])
    first = _issue(claim, staff, result)
    user.full_name = EXTRA_PEOPLE[user.email][0]
    user.save(update_fields=["full_name"])
    Certificate.objects.filter(pk=first.pk).update(is_current=False)
    corrected = _issue(claim, staff, result)
    corrected.replaces = first
    corrected.correction_reason = "Name corrected at the participant's request (María González)."
    corrected.save(update_fields=["replaces", "correction_reason"])


def _attestation_waiting(offer, user, team, done, today, result) -> None:
    _, created = MocAttestation.objects.get_or_create(
        offer=offer,
        user=user,
        defaults={
            "program": offer.program,
            "team": team,
            "status": AttestationStatus.ATTESTED,
            "roles": [MocRole.DESIGN, MocRole.IMPLEMENTATION, MocRole.DATA, MocRole.MEETINGS],
            "role_description": (
                "Planned the weight-in-kilograms change with the nurse coordinator, ran two "
                "PDSA cycles on the triage scale workflow and reviewed the monthly run "
                "charts at the team huddle."
            ),
            "board": Board.ABP,
            "board_id": "104729",
            "birth_month": 3,
            "birth_day": 14,
            "completion_date": done,
            "points": 25,
            "permission_to_report": True,
            "attested_at": _moment(today - timedelta(days=2)),
        },
    )
    result.count(created)
