"""Input checking: every problem becomes a ValueError that names the argument and position.

Missing values (None, or a float NaN) are normal data and pass through as None.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from decimal import Decimal

_INF = math.inf


def _bad_number(name: str, i: int | None, v: object) -> ValueError:
    where = name if i is None else f"{name}[{i}]"
    return ValueError(f"{where} is not a number: {v!r}")


def to_float(v: object, name: str, i: int | None = None) -> float | None:
    """Convert one value to float, None for missing; reject text, booleans and infinities."""
    t = type(v)
    if t is float:
        if v != v:  # NaN is R's NA for doubles
            return None
        if v == _INF or v == -_INF:
            raise ValueError(f"{name if i is None else f'{name}[{i}]'} is not finite: {v!r}")
        return v  # type: ignore[return-value]
    if t is int:
        return float(v)  # type: ignore[arg-type]
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (numbers.Real, Decimal)):
        raise _bad_number(name, i, v)
    f = float(v)  # Decimal from Django's DecimalField, numpy scalars, Fraction...
    if f != f:
        return None
    if f in (_INF, -_INF):
        raise ValueError(f"{name if i is None else f'{name}[{i}]'} is not finite: {v!r}")
    return f


def to_floats(values: object, name: str) -> list[float | None]:
    """Convert a sequence of numbers or None; the fast path keeps 36 000 values cheap."""
    if values is None:
        raise ValueError(f"{name} is required")
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be a sequence of numbers or None, got {values!r}")
    out: list[float | None] = []
    append = out.append
    for i, v in enumerate(values):
        t = type(v)
        if t is float and v == v and v != _INF and v != -_INF:
            append(v)
        elif t is int:
            append(float(v))
        else:
            append(to_float(v, name, i))
    return out


def to_bool(v: object, name: str) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"{name} must be True or False, got {v!r}")
    return v


def to_int(v: object, name: str) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        raise ValueError(f"{name} must be an integer, got {v!r}")
    return int(v)


def positions(v: object, name: str, n: int) -> list[int]:
    """A list of 0-based positions, each within 0..n-1."""
    if v is None:
        return []
    if isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
        v = [v]
    out = []
    for p in v:  # type: ignore[union-attr]
        k = to_int(p, name)
        if not 0 <= k < n:
            raise ValueError(
                f"{name} position {k} is out of range: positions run from 0 to {n - 1}"
            )
        out.append(k)
    return sorted(set(out))
