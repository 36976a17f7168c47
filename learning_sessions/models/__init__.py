"""Learning sessions' records, one module per concern (events and registrations,
attendance, evaluations, ...); everything is importable from here."""

from .attendance import (
    Attendance,
    AttendanceCode,
    AttendanceImport,
    AttendanceMode,
    AttendanceSource,
    ImportPlatform,
    ImportStatus,
)
from .details import (
    CREDIT_MAX,
    HOUR_CREDITS,
    HOUR_STEP,
    MOC_POINT_STEP,
    CreditType,
    EventCredit,
    EventMaterial,
    MaterialKind,
)
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
    "CREDIT_MAX",
    "HOUR_CREDITS",
    "HOUR_STEP",
    "MOC_POINT_STEP",
    "CreditType",
    "EventCredit",
    "EventMaterial",
    "MaterialKind",
    "RATING_MAX",
    "RATING_MIN",
    "Attendance",
    "AttendanceCode",
    "AttendanceImport",
    "AttendanceMode",
    "AttendanceSource",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationQuestion",
    "EvaluationResponse",
    "Event",
    "EventKind",
    "ImportPlatform",
    "ImportStatus",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
]
