"""What learning sessions publish to the other feature apps (certificates reads
attendance, evaluations and the credit offered per event through this module only;
resources links library resources to events as their materials: it finds the event a
link names, offers the program's events to staff, and lists the linked events a person
may see)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import User
from core.http import parse_uuid

from .attendance.selectors import attended_by, present_records
from .models import (
    CREDIT_MAX,
    HOUR_CREDITS,
    HOUR_STEP,
    MOC_POINT_STEP,
    AttendanceMode,
    CreditType,
    EvaluationResponse,
    Event,
    EventCredit,
)
from .selectors import events_visible_to

__all__ = [
    "CREDIT_MAX",
    "HOUR_CREDITS",
    "HOUR_STEP",
    "MOC_POINT_STEP",
    "AttendanceMode",
    "CreditType",
    "attendance_by_event",
    "attended_collaborative_ids",
    "credit_offered_by_events",
    "credits_by_event",
    "ended_events",
    "evaluated_event_ids",
    "event_of",
    "events_attended_by_teams",
    "events_attended_column",
    "events_linked_for",
    "events_of_program",
]


def ended_events(*, collaborative_ids: Iterable[int], now: datetime) -> list[Event]:
    """The collaboratives' events that have ended by `now` and were not cancelled, in
    date order (one query): what participation and credit are counted against."""
    return list(
        Event.objects.filter(
            collaborative_id__in=list(collaborative_ids), is_cancelled=False, ends_at__lte=now
        ).order_by("starts_at", "id")
    )


def credits_by_event(*, event_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """{event id: {credit type: amount offered}} for these events (one query)."""
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for event_id, credit_type, amount in EventCredit.objects.filter(
        event_id__in=list(event_ids)
    ).values_list("event_id", "credit_type", "amount"):
        out[event_id][credit_type] = amount
    return dict(out)


def attendance_by_event(
    *, user: User, event_ids: Iterable[int]
) -> dict[int, tuple[str, int | None]]:
    """{event id: (mode, minutes)} of `user`'s present records at these events (one
    query; "attended" as learning_sessions.attendance.selectors.attended says)."""
    return {
        event_id: (mode, minutes)
        for event_id, mode, minutes in attended_by(user=user, event_ids=event_ids).values_list(
            "event_id", "mode", "minutes"
        )
    }


def evaluated_event_ids(*, user: User, event_ids: Iterable[int]) -> set[int]:
    """The events among `event_ids` that `user` has evaluated (one query)."""
    return set(
        EvaluationResponse.objects.filter(user=user, event_id__in=list(event_ids)).values_list(
            "event_id", flat=True
        )
    )


def attended_collaborative_ids(*, user: User) -> set[int]:
    """The collaboratives at whose events `user` was present (one query): staff and
    coaches who attended earn per-event credit without being on a team."""
    return set(
        present_records()
        .filter(user=user)
        .values_list("event__collaborative_id", flat=True)
        .distinct()
    )


def credit_offered_by_events(*, collaborative_id: int, credit_type: str) -> Decimal:
    """The sum of the credit of `credit_type` offered by the collaborative's events that
    were not cancelled (0 when none): what per-event credit can add up to."""
    total = EventCredit.objects.filter(
        event__collaborative_id=collaborative_id,
        event__is_cancelled=False,
        credit_type=credit_type,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def events_attended_by_teams(*, team_ids: Iterable[int]) -> dict[int, int]:
    """{team id: number of events at which at least one of the team's active members
    was present} (one query); teams without any are absent."""
    rows = (
        present_records()
        .filter(
            user__team_memberships__team_id__in=list(team_ids),
            user__team_memberships__is_active=True,
            event__is_cancelled=False,
        )
        .values("user__team_memberships__team_id")
        .annotate(n=Count("event_id", distinct=True))
        .order_by()
    )
    return {row["user__team_memberships__team_id"]: row["n"] for row in rows}


def events_attended_column() -> Coalesce:
    """`events_attended_by_teams` as an annotation of a query over teams (the team is
    OuterRef("pk"); 0 for a team without any), so that a dashboard reads it with the
    teams' other figures."""
    attended = (
        present_records()
        .filter(
            user__team_memberships__team_id=OuterRef("pk"),
            user__team_memberships__is_active=True,
            event__is_cancelled=False,
        )
        .order_by()
        .values("user__team_memberships__team_id")
        .annotate(n=Count("event_id", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(attended, output_field=IntegerField()), 0)


def events_of_program(*, program_id: int) -> list[Event]:
    """The program's events that are not cancelled, newest first, for staff choosing
    which event a resource is material for."""
    return list(
        Event.objects.filter(program_id=program_id, is_cancelled=False)
        .select_related("collaborative")
        .order_by("-starts_at", "-id")
    )


def event_of(*, program_id: int, event_id: UUID | str) -> Event | None:
    """One event of the program by public id; None for another program's, an unknown
    or a malformed id."""
    public_id = parse_uuid(str(event_id))
    if public_id is None:
        return None
    return (
        Event.objects.filter(program_id=program_id, public_id=public_id)
        .select_related("collaborative")
        .first()
    )


def events_linked_for(*, user: User, event_ids: Iterable[UUID]) -> list[tuple[UUID, str, str]]:
    """(public id, "title, date", page) of the events among `event_ids` that `user`
    sees (events_visible_to: the events of their collaboratives), in date order."""
    ids = list(event_ids)
    if not ids:
        return []
    events = events_visible_to(user=user).filter(public_id__in=ids).order_by("starts_at", "id")
    return [
        (
            event.public_id,
            f"{event.title}, {event.starts_at:%B %Y}",
            reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id}),
        )
        for event in events
    ]
