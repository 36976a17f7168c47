"""Participation histories for the credit tests: a collaborative of their own (the
tenant builder's collaborative already has offers and events), its team and people,
past events with credit, attendance and evaluations made directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from accounts.models import User
from certificates.models import CreditBasis, CreditOffer
from collaboratives.models import Collaborative
from core import clock
from learning_sessions.models import (
    Attendance,
    AttendanceMode,
    AttendanceSource,
    EvaluationResponse,
    Event,
    EventCredit,
    EventKind,
)
from teams.models import Team, TeamMembership, TeamRole
from tests.factories import CollaborativeFactory, FacilityFactory, TeamFactory, UserFactory


@dataclass
class World:
    tenant: object
    collaborative: Collaborative
    team: Team
    nurse: User  # the team lead
    physician: User


def make_world(tenant, *, label: str = "Sepsis") -> World:
    program = tenant.program
    collaborative = CollaborativeFactory(
        program=program, title=f"{label} Collaborative", slug=f"{label.lower()}-credit"
    )
    team = TeamFactory(
        program=program,
        collaborative=collaborative,
        facility=FacilityFactory(program=program),
        name=f"{label} Team",
    )
    nurse = UserFactory(email=f"nurse-{label.lower()}@example.org", full_name="Nia Nurse")
    physician = UserFactory(email=f"doc-{label.lower()}@example.org", full_name="Dev Doctor")
    TeamMembership.objects.create(program=program, team=team, user=nurse, role=TeamRole.LEAD)
    TeamMembership.objects.create(program=program, team=team, user=physician)
    return World(tenant, collaborative, team, nurse, physician)


def join(world: World, user: User, *, months_ago: int) -> TeamMembership:
    """Make `user` a member who joined `months_ago` months before today."""
    membership, _ = TeamMembership.objects.get_or_create(
        program=world.team.program, team=world.team, user=user
    )
    TeamMembership.objects.filter(pk=membership.pk).update(
        joined_at=clock.now() - timedelta(days=round(30.5 * months_ago))
    )
    return membership


def past_event(
    collaborative: Collaborative,
    *,
    days_ago: int,
    title: str = "Sepsis webinar",
    credit: dict | None = None,
    cancelled: bool = False,
    kind: str = EventKind.WEBINAR,
) -> Event:
    starts = clock.now() - timedelta(days=days_ago)
    event = Event.objects.create(
        program=collaborative.program,
        collaborative=collaborative,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        is_cancelled=cancelled,
    )
    for credit_type, amount in (credit or {}).items():
        EventCredit.objects.create(
            program=collaborative.program,
            event=event,
            credit_type=credit_type,
            amount=Decimal(str(amount)),
        )
    return event


def attend(event: Event, user: User, *, minutes=None, recording=False, present=True):
    return Attendance.objects.create(
        program=event.program,
        event=event,
        user=user,
        source=AttendanceSource.SELF_RECORDING if recording else AttendanceSource.ROSTER,
        mode=AttendanceMode.RECORDING if recording else AttendanceMode.LIVE,
        minutes=minutes,
        present=present,
    )


def evaluate(event: Event, user: User) -> EvaluationResponse:
    return EvaluationResponse.objects.create(
        program=event.program, event=event, user=user, submitted_at=clock.now()
    )


def offer(collaborative: Collaborative, credit_type: str = "ama_pra_1", **rules) -> CreditOffer:
    fields = {
        "program": collaborative.program,
        "collaborative": collaborative,
        "credit_type": credit_type,
        "basis": CreditBasis.PER_EVENT,
        "provider_name": "Alpha Children's Hospital",
        "accreditation_statement": "Alpha is accredited by the ACCME.",
        "max_amount": Decimal("6.00"),
        "min_minutes_per_event": 45,
        "requires_evaluation": True,
        "is_published": True,
    }
    fields.update(rules)
    return CreditOffer.objects.create(**fields)
