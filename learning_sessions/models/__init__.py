"""Learning sessions' records, one module per concern (events and registrations,
attendance, evaluations, ...); everything is importable from here."""

from .attendance import Attendance, AttendanceMode, AttendanceSource
from .evaluations import (
    RATING_MAX,
    RATING_MIN,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    QuestionKind,
)
from .events import Event, EventKind, Registration, RegistrationStatus
from .feeds import CalendarFeed
from .series import MAX_OCCURRENCES, EventSeries, SeriesFrequency, Weekday, WeekOfMonth

__all__ = [
    "MAX_OCCURRENCES",
    "CalendarFeed",
    "EventSeries",
    "SeriesFrequency",
    "Weekday",
    "WeekOfMonth",
    "RATING_MAX",
    "RATING_MIN",
    "Attendance",
    "AttendanceMode",
    "AttendanceSource",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationQuestion",
    "EvaluationResponse",
    "Event",
    "EventKind",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
]
