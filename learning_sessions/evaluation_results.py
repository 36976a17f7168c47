"""Evaluation results: counts, means and distributions per question, the comments, and
the rows of the exports, for one event or a whole collaborative.

Results never carry names (staff and coaches read them; see evaluations.can_read_results):
the exports number responses instead. "Asked" counts the people who attended (an
Attendance row) plus anyone who answered without one any more (a corrected roster), so
the response rate never exceeds 100%. The summary is the one reader the pages, the
exports, the API and CE certificates (issue 15) share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q

from collaboratives.models import Collaborative
from core.clock import now

from .attendance.selectors import present_records
from .evaluations import RATING_LABELS
from .models import (
    RATING_MAX,
    RATING_MIN,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    Event,
    QuestionKind,
)

TWO_PLACES = Decimal("0.01")


@dataclass
class QuestionResult:
    """One question's answers: for a rating, how many, the mean and each score's count;
    for free text, the non-empty answers in the order they came."""

    question: EvaluationQuestion
    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(range(RATING_MIN, RATING_MAX + 1), 0)
    )
    comments: list[str] = field(default_factory=list)

    @property
    def is_rating(self) -> bool:
        return self.question.kind == QuestionKind.RATING

    @property
    def mean(self) -> Decimal | None:
        """The mean rating to two places; None for free text or without answers."""
        if not self.is_rating or not self.count:
            return None
        return (Decimal(self.total) / Decimal(self.count)).quantize(TWO_PLACES, ROUND_HALF_UP)

    @property
    def bars(self) -> list[tuple[int, str, int, int]]:
        """(score, its words, count, percent of answers) for the page's table."""
        return [
            (score, RATING_LABELS[score], n, round(100 * n / self.count) if self.count else 0)
            for score, n in self.distribution.items()
        ]


@dataclass
class EvaluationSummary:
    """What an event's (or several events') evaluations say."""

    asked: int
    answered: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> Decimal | None:
        """Answered / asked, 0 to 1 with four places; None when nobody was asked."""
        if not self.asked:
            return None
        return (Decimal(self.answered) / Decimal(self.asked)).quantize(Decimal("0.0001"))

    @property
    def response_rate_percent(self) -> int | None:
        rate = self.response_rate
        return None if rate is None else int((rate * 100).quantize(Decimal(1), ROUND_HALF_UP))


def _asked_by_event(events: Sequence[Event]) -> dict[int, int]:
    """Per event: distinct people who attended or answered."""
    people: dict[int, set[int]] = defaultdict(set)
    ids = [e.pk for e in events]
    for event_id, user_id in (
        present_records().filter(event_id__in=ids).values_list("event_id", "user_id")
    ):
        people[event_id].add(user_id)
    for event_id, user_id in EvaluationResponse.objects.filter(event_id__in=ids).values_list(
        "event_id", "user_id"
    ):
        people[event_id].add(user_id)
    return {event_id: len(users) for event_id, users in people.items()}


def _answered_by_event(events: Sequence[Event]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for event_id in EvaluationResponse.objects.filter(
        event_id__in=[e.pk for e in events]
    ).values_list("event_id", flat=True):
        counts[event_id] += 1
    return counts


def questions_for(*, collaborative: Collaborative, events: Sequence[Event]) -> list:
    """The questions results show: those asked now and retired ones answered at `events`."""
    return list(
        EvaluationQuestion.objects.filter(
            program_id=collaborative.program_id, form__collaborative=collaborative
        )
        .filter(Q(is_active=True) | Q(answers__response__event__in=events))
        .distinct()
        .order_by("-is_active", "position", "id")
    )


def _summarise(collaborative: Collaborative, events: Sequence[Event]) -> EvaluationSummary:
    asked = _asked_by_event(events)
    answered = _answered_by_event(events)
    results = {
        q.pk: QuestionResult(question=q)
        for q in questions_for(collaborative=collaborative, events=events)
    }
    answers = (
        EvaluationAnswer.objects.filter(
            program_id=collaborative.program_id, response__event__in=events
        )
        .order_by("response__submitted_at", "response_id")
        .values_list("question_id", "rating", "text")
    )
    for question_id, rating, text in answers:
        result = results.get(question_id)
        if result is None:
            continue
        if result.is_rating and rating is not None:
            result.count += 1
            result.total += rating
            result.distribution[rating] += 1
        elif not result.is_rating and text:
            result.count += 1
            result.comments.append(text)
    return EvaluationSummary(
        asked=sum(asked.get(e.pk, 0) for e in events),
        answered=sum(answered.get(e.pk, 0) for e in events),
        questions=list(results.values()),
    )


def evaluation_summary(*, event: Event) -> EvaluationSummary:
    """One event's results (the caller has checked who may read them)."""
    return _summarise(event.collaborative, [event])


@dataclass
class EventRow:
    event: Event
    asked: int
    answered: int

    @property
    def response_rate_percent(self) -> int | None:
        return EvaluationSummary(self.asked, self.answered, []).response_rate_percent


@dataclass
class CollaborativeEvaluationSummary:
    """Every evaluated event of a collaborative: one line each, and the pooled results."""

    overall: EvaluationSummary
    events: list[EventRow]


def evaluated_events(*, collaborative: Collaborative) -> list[Event]:
    """Events that were asked or answered: started, not cancelled (or answered anyway).

    An attendance record can come before the start (check-in opens 15 minutes early),
    but nobody is asked until the event starts, so a future event is not listed."""
    return list(
        Event.objects.filter(program_id=collaborative.program_id, collaborative=collaborative)
        .filter(
            Q(attendances__present=True, starts_at__lte=now(), is_cancelled=False)
            | Q(evaluations__isnull=False)
        )
        .distinct()
        .select_related("collaborative")
        .order_by("starts_at", "id")
    )


def collaborative_evaluation_summary(
    *, collaborative: Collaborative
) -> CollaborativeEvaluationSummary:
    """The collaborative's results across its events, and each event's response rate."""
    events = evaluated_events(collaborative=collaborative)
    asked = _asked_by_event(events)
    answered = _answered_by_event(events)
    return CollaborativeEvaluationSummary(
        overall=_summarise(collaborative, events),
        events=[EventRow(e, asked.get(e.pk, 0), answered.get(e.pk, 0)) for e in events],
    )


# --- exports -------------------------------------------------------------------------------


def export_table(
    *, collaborative: Collaborative, events: Sequence[Event]
) -> tuple[list[str], Iterator[list[object]]]:
    """Header and rows of an export: one row per response, numbered per event, no names;
    one column per question (ratings as numbers 1-5, free text as written)."""
    questions = questions_for(collaborative=collaborative, events=events)
    zone = ZoneInfo(collaborative.timezone)
    header = ["Event", "Event date", "Response", "Submitted on"] + [
        q.prompt
        + (" (1-5)" if q.kind == QuestionKind.RATING else "")
        + ("" if q.is_active else " (retired)")
        for q in questions
    ]

    def rows() -> Iterator[list[object]]:
        values: dict[int, dict[int, object]] = defaultdict(dict)
        for response_id, question_id, rating, text in EvaluationAnswer.objects.filter(
            program_id=collaborative.program_id, response__event__in=events
        ).values_list("response_id", "question_id", "rating", "text"):
            values[response_id][question_id] = rating if rating is not None else text
        numbers: dict[int, int] = defaultdict(int)
        for response in (
            EvaluationResponse.objects.filter(program_id=collaborative.program_id, event__in=events)
            .select_related("event")
            .order_by("event__starts_at", "event_id", "submitted_at", "id")
        ):
            numbers[response.event_id] += 1
            answers = values.get(response.pk, {})
            yield [
                response.event.title,
                response.event.starts_at.astimezone(zone).date().isoformat(),
                numbers[response.event_id],
                response.submitted_at.astimezone(zone).date().isoformat(),
                *(answers.get(q.pk, "") for q in questions),
            ]

    return header, rows()
