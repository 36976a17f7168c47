"""Learning sessions' records, one module per concern (events and registrations,
attendance, evaluations, ...); everything is importable from here."""

from .attendance import Attendance, AttendanceMode, AttendanceSource
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

__all__ = [
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
