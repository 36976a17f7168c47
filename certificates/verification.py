"""Public verification of a certificate by its code (/verify/<code>/, no login).

What a visitor learns is the minimum an employer or board needs: valid, revoked (and
when) or replaced by a corrected certificate, and the printed name, activity,
completion date, credit type and amount. Nothing else of the tenant.

Guessing is hopeless (12 characters of a 31-letter alphabet, about 59 bits) and
rate-limited per client address. An unknown code and a malformed one take the same
path: the typed text is normalised (case, spaces, dashes); text that cannot be a code
becomes a placeholder that no certificate has, and either way exactly one query by
the unique, indexed `code` column is made, so neither the answer nor its timing tells
the two apart.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime

from core.cache import count_in_window
from learning_sessions.public import CreditType

from .models import Certificate
from .models.issued import CODE_ALPHABET, CODE_LENGTH
from .rendering import credit_line

#: Look-ups allowed per client address per window (found or not: every answer counts).
LOOKUPS_ALLOWED = 60
LOOKUP_WINDOW_SECONDS = 600
#: Matches no certificate (codes never contain a 0); same shape as a real code.
NO_SUCH_CODE = "0000-0000-0000"
_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def normalise_code(text: str) -> str:
    """`text` as a stored code (XXXX-XXXX-XXXX), or NO_SUCH_CODE if it cannot be one."""
    raw = re.sub(r"[\s\-‐-―]+", "", text or "").upper()[: CODE_LENGTH + 1]
    if not _CODE.fullmatch(raw):
        return NO_SUCH_CODE
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _window_key(client: str) -> str:
    return f"verify:{client}:{int(time.time() // LOOKUP_WINDOW_SECONDS)}"


def lookup_allowed(client: str) -> bool:
    """Whether `client` may look up another code in this window (and count this one)."""
    return count_in_window(_window_key(client), LOOKUP_WINDOW_SECONDS) <= LOOKUPS_ALLOWED


@dataclass(frozen=True)
class Verification:
    """The facts the public page shows, and nothing else."""

    state: str  # "valid", "revoked" or "replaced"
    recipient_name: str
    activity_title: str
    completion_date: object
    credit_label: str
    credit_line: str
    revoked_at: datetime | None


def verify(text: str) -> Verification | None:
    """What the public may know of the certificate whose code `text` is; None if none."""
    rows = list(
        Certificate.objects.filter(code=normalise_code(text))
        .order_by()
        .values(
            "recipient_name",
            "activity_title",
            "completion_date",
            "credit_type",
            "amount",
            "revoked_at",
            "is_current",
            "status",
        )[:1]
    )
    row = rows[0] if rows else None
    if row is None:
        return None
    if row["revoked_at"] is not None:
        state = "revoked"
    elif not row["is_current"]:
        state = "replaced"
    else:
        state = "valid"
    return Verification(
        state=state,
        recipient_name=row["recipient_name"],
        activity_title=row["activity_title"],
        completion_date=row["completion_date"],
        credit_label=CreditType(row["credit_type"]).label,
        credit_line=credit_line(row["credit_type"], row["amount"]),
        revoked_at=row["revoked_at"],
    )
