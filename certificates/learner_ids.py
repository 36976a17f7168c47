"""The learner identifiers an accreditor's upload needs, asked when a person claims.

ACCME PARS matches a physician's CME completion by name and birth month and day; CAPCE
matches an EMS provider by their NREMT number or state licence number. The claim form
asks for them only for the credit types that report them (docs/decisions, accreditor
exports) and this module checks them, so that the files never carry an invalid row.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError

from learning_sessions.public import CreditType

#: Which identifiers each credit type's upload needs.
LEARNER_FIELDS: dict[str, tuple[str, ...]] = {
    CreditType.AMA_PRA_1: ("birth_month", "birth_day"),
    CreditType.EMS: ("ems_licence_id", "ems_licence_state"),
}

#: USPS codes of the states, DC and the territories that licence EMS providers.
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
    ]
)
_LICENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")


def fields_for(credit_type: str) -> tuple[str, ...]:
    return LEARNER_FIELDS.get(credit_type, ())


def _whole(raw: str, *, field: str, label: str, low: int, high: int) -> int:
    text = (raw or "").strip()
    if not text:
        raise ValidationError({field: [f"Enter your {label}."]})
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError({field: [f"Enter your {label} as a number from {low} to {high}."]})
    return int(text)


def clean_learner_ids(*, credit_type: str, data: Mapping[str, str]) -> dict[str, object]:
    """The identifiers `credit_type` needs, checked, from the form's `data`; a
    ValidationError ({field: [message]}) names each one that is missing or wrong."""
    wanted = fields_for(credit_type)
    errors: dict[str, list[str]] = {}
    clean: dict[str, object] = {}
    if "birth_month" in wanted:
        try:
            clean["birth_month"] = _whole(
                data.get("birth_month", ""),
                field="birth_month",
                label="birth month",
                low=1,
                high=12,
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            clean["birth_day"] = _whole(
                data.get("birth_day", ""), field="birth_day", label="birth day", low=1, high=31
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        if not errors:
            # A leap year, so that 29 February is a birthday.
            last = calendar.monthrange(2024, clean["birth_month"])[1]
            if clean["birth_day"] > last:
                month = calendar.month_name[clean["birth_month"]]
                errors["birth_day"] = [f"{month} has {last} days."]
    if "ems_licence_id" in wanted:
        licence = (data.get("ems_licence_id") or "").strip()
        if not licence:
            errors["ems_licence_id"] = ["Enter your NREMT number or state EMS licence number."]
        elif not _LICENCE.match(licence):
            errors["ems_licence_id"] = [
                "Enter the number as it is written on your card: letters, digits and "
                "hyphens, at most 30."
            ]
        else:
            clean["ems_licence_id"] = licence.upper()
        state = (data.get("ems_licence_state") or "").strip().upper()
        if state not in US_STATES:
            errors["ems_licence_state"] = [
                "Enter the two-letter code of the state that issued the licence, e.g. NC."
            ]
        else:
            clean["ems_licence_state"] = state
    if errors:
        raise ValidationError(errors)
    return clean
