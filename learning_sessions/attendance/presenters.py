"""What pages outside attendance show about it (the event page's attendance box)."""

from __future__ import annotations

from accounts.models import User
from core.clock import now

from ..models import AttendanceSource, Event
from .selectors import attendance_of, counts_of, may_attend
from .services import minutes_cap


def event_panel(*, event: Event, user: User, is_staff: bool) -> dict:
    """What the event page shows about attendance: the viewer's record and what they
    may state, and for staff the counts and links."""
    mine = attendance_of(event=event, user=user)
    own = (AttendanceSource.SELF_LIVE, AttendanceSource.SELF_RECORDING)
    return {
        "mine": mine,
        "can_attest": event.starts_at <= now() and (mine is None or mine.source in own),
        "may_attend": may_attend(event=event, user=user),
        "counts": counts_of(event=event) if is_staff else None,
        "minutes_cap": minutes_cap(event=event),
    }
