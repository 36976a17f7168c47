"""Where a participant stands on each credit offer: pure reads, no writes.

For a person and a published offer this says what each activity earned, how much
they may claim (`earned`), whether they are eligible, and every missing item as a
sentence they can act on ("Evaluation of the 12 March webinar "…" not done").

The rules (CreditOffer's docstring; docs/decisions/0012-credit-eligibility.md):

- per event: each event of the collaborative that offers credit of the offer's type,
  has ended and was not cancelled, earns its amount when the person attended it
  (a present record; learning_sessions' one definition) live — with no minutes
  recorded, or at least `min_minutes_per_event` — or watched the recording for at
  least that many minutes, and, when the offer asks, evaluated it. Earned is the
  sum, capped at the offer's maximum; eligible when it is above zero. The
  completion date is the date of the last event that earned credit.
- whole collaborative: the share of the collaborative's ended, non-cancelled events
  (all of them, with or without credit: the rule is about taking part), months
  active on a team (from the earliest active membership's joined date to the
  collaborative's end or today), PDSA cycles the person created or edited, data
  periods handed in by their team, and an approved MOC attestation. Earned is the
  maximum once every threshold is met; the completion date is today.

Reads are bounded: `standings_for` costs the same dozen queries for 2 events or 200.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from accounts.models import User
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from learning_sessions.public import (
    AttendanceMode,
    attendance_by_event,
    attended_collaborative_ids,
    credits_by_event,
    ended_events,
    evaluated_event_ids,
)
from measures.public import periods_handed_in
from pdsa.public import cycles_contributed
from teams.models import TeamMembership

from .models import (
    AttestationStatus,
    Certificate,
    CreditBasis,
    CreditClaim,
    CreditOffer,
    MocAttestation,
)


@dataclass
class ActivityLine:
    """One event offering this credit, and what it earned the person."""

    event_public_id: object
    title: str
    day: date
    kind: str
    offered: Decimal
    attendance: str  # "Attended live", "Watched the recording for 50 min", "Not attended"
    qualifies: bool  # attendance meets the rule
    evaluation: str | None  # "Done", "Not done", None when the offer does not ask
    earned: Decimal


@dataclass
class Requirement:
    """One whole-collaborative threshold: met or not, in words."""

    label: str
    met: bool
    detail: str


@dataclass
class Standing:
    offer: CreditOffer
    earned: Decimal
    eligible: bool
    missing: list[str] = field(default_factory=list)
    activities: list[ActivityLine] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    completion_date: date | None = None
    claim: CreditClaim | None = None
    #: The person's certificates for this offer, newest first (corrections keep history).
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def current_certificate(self) -> Certificate | None:
        return next((c for c in self.certificates if c.is_current), None)

    @property
    def claimable(self) -> Decimal:
        """What the claim form offers: the earned amount, rounded down to the step."""
        step = self.offer.step
        return (self.earned / step).to_integral_value(rounding=ROUND_FLOOR) * step

    @property
    def can_claim(self) -> bool:
        return self.claim is None and self.eligible and self.claimable > 0


def offers_for(*, user: User) -> QuerySet[CreditOffer]:
    """The published offers `user` may see and earn: of the collaboratives they see
    (collaboratives_visible_to) where they are on an active team, or whose events they
    attended (coaches and staff earn per-event credit too). Everyone else's, and other
    programs', are not there: a view reading through this answers 404."""
    visible = collaboratives_visible_to(user=user)
    member_of = TeamMembership.objects.filter(user=user, is_active=True).values(
        "team__collaborative_id"
    )
    attended = attended_collaborative_ids(user=user) if user.is_authenticated else set()
    return (
        CreditOffer.objects.filter(is_published=True, collaborative__in=visible.values("pk"))
        .filter(Q(collaborative_id__in=member_of) | Q(collaborative_id__in=attended))
        .select_related("collaborative", "program")
        .order_by("collaborative__title", "collaborative_id", "credit_type")
    )


def offer_for(*, user: User, offer_id) -> CreditOffer:
    """One offer of `offers_for(user)`; CreditOffer.DoesNotExist otherwise."""
    return offers_for(user=user).get(public_id=offer_id)


def standings_for(*, user: User, offers: list[CreditOffer] | None = None) -> list[Standing]:
    """The person's standing on each offer (all of `offers_for(user)` by default), in a
    fixed number of queries whatever the number of events."""
    offers = list(offers_for(user=user)) if offers is None else list(offers)
    if not offers:
        return []
    facts = _Facts.load(user=user, offers=offers)
    standings = []
    for offer in offers:
        if offer.basis == CreditBasis.COLLABORATIVE:
            standing = _collaborative_standing(offer, facts)
        else:
            standing = _per_event_standing(offer, facts)
        standing.claim = facts.claims.get(offer.pk)
        standing.certificates = facts.certificates.get(offer.pk, [])
        standings.append(standing)
    return standings


def standing_for(*, user: User, offer: CreditOffer) -> Standing:
    return standings_for(user=user, offers=[offer])[0]


# --- the facts, read once -------------------------------------------------------------------


@dataclass
class _Facts:
    today: date
    events_by_collaborative: dict[int, list]
    credits: dict[int, dict[str, Decimal]]
    attendance: dict[int, tuple[str, int | None]]
    evaluated: set[int]
    joined: dict[int, date]  # collaborative id -> earliest active membership's date
    team_ids: dict[int, list[int]]  # collaborative id -> the person's active teams
    cycles: dict[int, int]
    periods: dict[int, int]  # team id -> periods handed in
    attestations: dict[int, MocAttestation]
    claims: dict[int, CreditClaim]
    certificates: dict[int, list[Certificate]]

    @classmethod
    def load(cls, *, user: User, offers: list[CreditOffer]) -> _Facts:
        now = clock.now()
        collaborative_ids = {o.collaborative_id for o in offers}
        events = ended_events(collaborative_ids=collaborative_ids, now=now)
        event_ids = [e.pk for e in events]
        by_collaborative: dict[int, list] = {}
        for event in events:
            by_collaborative.setdefault(event.collaborative_id, []).append(event)
        joined: dict[int, date] = {}
        team_ids: dict[int, list[int]] = {}
        for collaborative_id, team_id, joined_at in TeamMembership.objects.filter(
            user=user, is_active=True, team__collaborative_id__in=collaborative_ids
        ).values_list("team__collaborative_id", "team_id", "joined_at"):
            day = joined_at.date()
            joined[collaborative_id] = min(day, joined.get(collaborative_id, day))
            team_ids.setdefault(collaborative_id, []).append(team_id)
        whole = [o for o in offers if o.basis == CreditBasis.COLLABORATIVE]
        needs_cycles = {o.collaborative_id for o in whole if o.min_pdsa_cycles}
        needs_periods = [
            t for o in whole if o.min_data_periods for t in team_ids.get(o.collaborative_id, [])
        ]
        certificates: dict[int, list[Certificate]] = {}
        # replaced_by: the page says why a replaced certificate was corrected.
        for certificate in (
            Certificate.objects.filter(user=user, offer__in=[o.pk for o in offers])
            .select_related("replaced_by")
            .order_by("-issued_at", "-id")
        ):
            certificates.setdefault(certificate.offer_id, []).append(certificate)
        return cls(
            today=clock.today(),
            events_by_collaborative=by_collaborative,
            credits=credits_by_event(event_ids=event_ids) if event_ids else {},
            attendance=attendance_by_event(user=user, event_ids=event_ids) if event_ids else {},
            evaluated=evaluated_event_ids(user=user, event_ids=event_ids) if event_ids else set(),
            joined=joined,
            team_ids=team_ids,
            cycles=cycles_contributed(user=user, collaborative_ids=needs_cycles)
            if needs_cycles
            else {},
            periods=periods_handed_in(team_ids=needs_periods) if needs_periods else {},
            attestations={
                a.offer_id: a
                for a in MocAttestation.objects.filter(
                    user=user, offer__in=[o.pk for o in whole if o.requires_attestation]
                )
            }
            if any(o.requires_attestation for o in whole)
            else {},
            claims={
                c.offer_id: c
                for c in CreditClaim.objects.filter(user=user, offer__in=[o.pk for o in offers])
            },
            certificates=certificates,
        )


def _local_day(event, collaborative: Collaborative) -> date:
    try:
        zone = ZoneInfo(collaborative.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return event.starts_at.astimezone(zone).date()


def _day_words(day: date) -> str:
    return f"{day.day} {day:%B}"


# --- per event --------------------------------------------------------------------------------


def _per_event_standing(offer: CreditOffer, facts: _Facts) -> Standing:
    needed = offer.min_minutes_per_event
    activities: list[ActivityLine] = []
    missing: list[str] = []
    total = Decimal(0)
    last_earning_day: date | None = None
    for event in facts.events_by_collaborative.get(offer.collaborative_id, []):
        offered = facts.credits.get(event.pk, {}).get(offer.credit_type)
        if offered is None:
            continue
        day = _local_day(event, offer.collaborative)
        name = f"the {_day_words(day)} {event.get_kind_display().lower()} “{event.title}”"
        record = facts.attendance.get(event.pk)
        if record is None:
            words, qualifies = "Not attended", False
        else:
            mode, minutes = record
            if mode == AttendanceMode.RECORDING:
                if minutes is not None and minutes >= needed:
                    words, qualifies = f"Watched the recording for {minutes} min", True
                else:
                    watched = f"{minutes} min" if minutes is not None else "minutes not recorded"
                    words, qualifies = f"Watched the recording ({watched}; {needed} needed)", False
                    missing.append(
                        f"Recording of {name}: watched {watched}; the rule asks for {needed}"
                    )
            elif minutes is not None and minutes < needed:
                words, qualifies = f"Attended live for {minutes} min ({needed} needed)", False
                missing.append(f"At {name} for {minutes} minutes; the rule asks for {needed}")
            else:
                words = f"Attended live for {minutes} min" if minutes else "Attended live"
                qualifies = True
        evaluation = None
        evaluated = True
        if offer.requires_evaluation:
            evaluated = event.pk in facts.evaluated
            evaluation = "Done" if evaluated else "Not done"
            if qualifies and not evaluated:
                missing.append(f"Evaluation of {name} not done")
        earned = offered if qualifies and evaluated else Decimal(0)
        if earned:
            total += earned
            last_earning_day = day
        activities.append(
            ActivityLine(
                event_public_id=event.public_id,
                title=event.title,
                day=day,
                kind=event.get_kind_display(),
                offered=offered,
                attendance=words,
                qualifies=qualifies,
                evaluation=evaluation,
                earned=earned,
            )
        )
    earned = min(total, offer.max_amount)
    if not activities:
        missing.append("No event offering this credit has taken place yet")
    elif not earned and not missing:
        how = f"live, or its recording for at least {needed} minutes"
        missing.append(f"No event offering this credit attended yet ({how})")
    return Standing(
        offer=offer,
        earned=earned,
        eligible=earned > 0,
        missing=missing,
        activities=activities,
        completion_date=last_earning_day,
    )


# --- whole collaborative ---------------------------------------------------------------------


def full_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _collaborative_standing(offer: CreditOffer, facts: _Facts) -> Standing:
    collaborative = offer.collaborative
    requirements: list[Requirement] = []
    if offer.min_share_events_attended:
        events = facts.events_by_collaborative.get(collaborative.pk, [])
        attended = sum(1 for e in events if e.pk in facts.attendance)
        share = offer.min_share_events_attended
        met = bool(events) and attended * 100 >= share * len(events)
        detail = (
            f"Attended {attended} of {_plural(len(events), 'session', 'sessions')}; "
            f"the rule asks for {share} %"
            if events
            else f"No session has taken place yet; the rule asks for {share} %"
        )
        requirements.append(Requirement("Sessions attended", met, detail))
    if offer.min_months_active:
        needed = offer.min_months_active
        start = facts.joined.get(collaborative.pk)
        if start is None:
            requirements.append(
                Requirement(
                    "Months active on a team",
                    False,
                    f"Not active on a team of this collaborative; {needed} months needed",
                )
            )
        else:
            end = min(collaborative.end_date or facts.today, facts.today)
            months = full_months(start, end)
            requirements.append(
                Requirement(
                    "Months active on a team",
                    months >= needed,
                    f"Active on a team for {_plural(months, 'month', 'months')}; {needed} needed",
                )
            )
    if offer.min_pdsa_cycles:
        needed = offer.min_pdsa_cycles
        count = facts.cycles.get(collaborative.pk, 0)
        detail = (
            f"No PDSA cycle yet; {needed} needed"
            if count == 0
            else f"Contributed to {_plural(count, 'PDSA cycle', 'PDSA cycles')}; {needed} needed"
        )
        requirements.append(Requirement("PDSA cycles", count >= needed, detail))
    if offer.min_data_periods:
        needed = offer.min_data_periods
        teams = facts.team_ids.get(collaborative.pk, [])
        count = max((facts.periods.get(t, 0) for t in teams), default=0)
        detail = (
            f"Your team submitted {_plural(count, 'month', 'months')} of data; {needed} needed"
            if teams
            else f"Not on a team of this collaborative, so no data submitted; {needed} needed"
        )
        requirements.append(Requirement("Data submitted", count >= needed, detail))
    if offer.requires_attestation:
        requirements.append(_attestation_requirement(facts.attestations.get(offer.pk)))
    missing = [r.detail for r in requirements if not r.met]
    eligible = not missing
    return Standing(
        offer=offer,
        earned=offer.max_amount if eligible else Decimal(0),
        eligible=eligible,
        missing=missing,
        requirements=requirements,
        completion_date=facts.today if eligible else None,
    )


def _attestation_requirement(attestation: MocAttestation | None) -> Requirement:
    label = "MOC attestation"
    if attestation is None:
        return Requirement(label, False, "MOC attestation of your role not made yet")
    status = attestation.status
    if status == AttestationStatus.APPROVED:
        return Requirement(label, True, "MOC attestation approved")
    detail = {
        AttestationStatus.DRAFT: "MOC attestation started but not sent",
        AttestationStatus.ATTESTED: "MOC attestation waiting for your team lead's co-signature",
        AttestationStatus.COSIGNED: "MOC attestation waiting for program staff's approval",
        AttestationStatus.RETURNED: "MOC attestation returned for changes",
    }.get(status, "MOC attestation not approved yet")
    return Requirement(label, False, detail)
