"""Plain-language explanations of signals and low-volume warnings.

Pages, PDF reports and e-mails all show these sentences, so a team reads the same words
wherever it looks. They are written for people who have never heard of sigma: they say what
was seen (how many points, which side, from when) and what kind of signal it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def label_maker(x: Sequence | None):
    """Return ``f(i) -> str`` naming position ``i`` for people.

    Dates read "March 2026" when every date falls on the first of a month (monthly data) and
    "3 March 2026" otherwise; other labels are used as given; without labels, positions are
    counted from 1 ("point 5"), as people count.
    """
    if x is None:

        def positional(i: int) -> str:
            return f"point {i + 1}"

        positional.positional = True  # type: ignore[attr-defined]
        return positional
    dates = [v for v in x if isinstance(v, dt.date)]
    monthly = bool(dates) and all(v.day == 1 for v in dates)

    def fmt(i: int) -> str:
        v = x[i]
        if isinstance(v, dt.date):
            # month names spelled out here: strftime("%B") would follow the process locale
            month = MONTH_NAMES[v.month - 1]
            return f"{month} {v.year}" if monthly else f"{v.day} {month} {v.year}"
        if v is None:
            return f"point {i + 1}"
        return str(v)

    return fmt


class Explainer:
    def __init__(self, label, categorical: bool, line_name: str):
        self.label = label
        self.positional = getattr(label, "positional", False)
        self.categorical = categorical
        self.line = line_name

    def _at(self, i: int) -> str:
        if self.categorical:
            return f"for {self.label(i)}"
        return f"at {self.label(i)}" if self.positional else f"in {self.label(i)}"

    def _span(self, start: int, end: int, last: int) -> str:
        if start == end:
            return self._at(start)
        if end >= last:
            return f"from {self.label(start)}"
        return f"from {self.label(start)} to {self.label(end)}"

    def _within(self, extra: dict) -> str:
        """ "between A and B, " when the signal concerns one phase of several, else nothing."""
        part = extra.get("part_span")
        if part is None:
            return ""
        return f"between {self.label(part[0])} and {self.label(part[1])}, "

    def text(
        self,
        kind: str,
        start: int,
        end: int,
        side: int,
        count: int,
        last: int,
        extra: dict | None = None,
    ) -> str:
        extra = extra or {}
        where = "above" if side > 0 else "below"
        span = self._span(start, end, last)
        line = self.line
        if kind == "outside_limits":
            limit = "upper" if side > 0 else "lower"
            return f"a point {where} the {limit} limit {self._at(start)}: an unusual value"
        if kind == "shift":
            return f"{count} points in a row {where} the {line} {span}: a shift"
        if kind == "crossings":
            c = extra["crossings"]
            return (
                f"{self._within(extra)}the data cross the {line} only {c} "
                f"time{'' if c == 1 else 's'} in {extra['useful']} points, where at least "
                f"{extra['minimum']} crossings are expected by chance: the process has shifted"
            )
        if kind == "trend":
            way = "rising" if side > 0 else "falling"
            return f"{count} points in a row steadily {way} {span}: a trend"
        if kind == "two_of_three":
            limit = "upper" if side > 0 else "lower"
            return f"2 of 3 points close to the {limit} limit {span}: an early warning of a shift"
        if kind == "four_of_five":
            return f"4 of 5 points more than one sigma {where} the {line} {span}: a shift"
        if kind == "inner_third":
            return (
                f"{count} points in a row hugging the {line} {span}: less variation than the "
                f"limits suggest"
            )
        if kind == "too_few_runs":
            return (
                f"{self._within(extra)}only {extra['runs']} runs above and below the {line}, "
                "fewer than chance allows: the process has shifted"
            )
        if kind == "too_many_runs":
            return (
                f"{self._within(extra)}{extra['runs']} runs above and below the {line}, more "
                "than chance allows: the data alternate too regularly"
            )
        raise AssertionError(kind)  # pragma: no cover


def mdc_suffix(point_type: str) -> str:
    """Say whether an MDC signal is good news, bad news or neither."""
    if point_type == "special_cause_improvement":
        return " (improvement)"
    if point_type == "special_cause_concern":
        return " (concern)"
    return ""
