"""Shared set-ups for the evaluation tests: a form with the recommended questions, past
events, attendance rows (made directly: the attendance features are another slice)."""

from __future__ import annotations

from learning_sessions import evaluations as ev
from learning_sessions.models import Attendance, AttendanceSource, EvaluationQuestion, Event

from .conftest import make_event


def default_form(tenant) -> list[EvaluationQuestion]:
    """The recommended questions: three ratings (required), two texts (optional)."""
    return ev.form_add_defaults(collaborative=tenant.collaborative, actor=tenant.staff)


def past_event(tenant, *, title: str = "Past webinar", days: int = -2) -> Event:
    return make_event(tenant, days=days, title=title)


def attend(event: Event, *users) -> None:
    for user in users:
        Attendance.objects.create(
            program=event.program, event=event, user=user, source=AttendanceSource.ROSTER
        )


def answers(questions: list[EvaluationQuestion], *ratings, texts=()) -> dict[int, object]:
    """Raw answers: `ratings` for the rating questions in order, `texts` for the others."""
    ratings_left, texts_left = list(ratings), list(texts)
    raw: dict[int, object] = {}
    for question in questions:
        if question.kind == "rating":
            raw[question.pk] = ratings_left.pop(0) if ratings_left else None
        else:
            raw[question.pk] = texts_left.pop(0) if texts_left else ""
    return raw


def post_data(questions: list[EvaluationQuestion], *ratings, texts=()) -> dict[str, object]:
    """The same answers as the evaluation page posts them (field q<pk>)."""
    return {
        f"q{pk}": ("" if value is None else value)
        for pk, value in answers(questions, *ratings, texts=texts).items()
    }
