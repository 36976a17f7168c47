"""``analyze()``: check the arguments, prepare the values, and hand over to the rule set.

The analysis itself lives in ``_qic`` (qicharts2's charts with the Anhøj, IHI or Western
Electric rules) and ``_mdc`` (Making Data Count); both answer in the shape of ``_result``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ._charts import CHARTS
from ._explain import label_maker
from ._input import positions, to_bool, to_float, to_int
from ._mdc import MdcInput, analyze_mdc
from ._prepare import prepare_values
from ._qic import QicInput, analyze_qic

RULE_SETS = ("anhoej", "mdc", "ihi", "western_electric")
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}
MDC_MIN_FIX_AFTER = 12  # NHSRplotthedots refuses fix_after_n_points below 12


def analyze(
    values: Sequence[float | None] | None,
    denominators: Sequence[float | None] | None = None,
    chart: str = "run",
    *,
    subgroups: Sequence[Sequence[float | None]] | None = None,
    x: Sequence | None = None,
    freeze: int | None = None,
    parts: Iterable[int] | None = None,
    exclude: Iterable[int] | None = None,
    multiply: float = 1,
    screened_mr: bool = True,
    categorical_x: bool = False,
    rules: str = "anhoej",
    improvement_direction: str = "increase",
    target: float | None = None,
    rebase: Iterable[int] | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
) -> dict:
    """Analyse one series as a run or control chart and say, in numbers and words, what it shows.

    The calculation reproduces qicharts2's ``qic()`` (``rules="anhoej"``) or
    NHSRplotthedots' ``ptd_spc()`` (``rules="mdc"``) so that a statistician checking a chart in
    R gets the same centre line, limits and signals; the Western Electric and IHI rule sets
    follow their published definitions. Positions (``parts``, ``exclude``, ``rebase``) are
    0-based; ``freeze`` and ``fix_after`` are counts of leading points.

    Every argument and returned key is described in the ``measures.spc`` package docstring.
    In short: ``per_point`` holds lists aligned with the input (values, centre line, limits,
    signals), ``per_part`` one dict per phase with the runs statistics, and ``summary`` the
    signals explained in plain language and the warnings (too few points, small
    denominators, trial limits).

    Raises ValueError naming the problem for bad input; None marks a missing value.
    """
    if not isinstance(chart, str) or chart not in CHARTS:
        raise ValueError(f"unknown chart {chart!r}: choose one of {', '.join(CHARTS)}")
    if not isinstance(rules, str) or rules not in RULE_SETS:
        raise ValueError(f"unknown rule set {rules!r}: choose one of {', '.join(RULE_SETS)}")
    screened = to_bool(screened_mr, "screened_mr")
    categorical = to_bool(categorical_x, "categorical_x")
    screen = to_bool(screen_outliers, "screen_outliers")
    if not isinstance(improvement_direction, str) or improvement_direction not in DIRECTIONS:
        raise ValueError(
            f"unknown improvement_direction {improvement_direction!r}: choose one of "
            "increase, decrease, neutral"
        )
    direction = DIRECTIONS[improvement_direction]
    mult = to_float(multiply, "multiply")
    if mult is None or mult <= 0:
        raise ValueError(f"multiply must be a positive number, got {multiply!r}")
    tgt = None if target is None else to_float(target, "target")

    if rules == "mdc":
        if chart != "i":
            raise ValueError(
                "rules='mdc' (Making Data Count, NHSRplotthedots) applies to chart 'i' only"
            )
        for name, arg in (("freeze", freeze), ("parts", parts), ("exclude", exclude)):
            if arg is not None:
                raise ValueError(
                    f"{name} does not apply to rules='mdc'; use rebase and fix_after instead"
                )
    else:
        if rebase is not None or fix_after is not None:
            raise ValueError(
                "rebase and fix_after apply to rules='mdc' only; use parts and freeze instead"
            )
        if rules == "western_electric" and chart in ("run", "mr"):
            raise ValueError(
                f"the Western Electric rules need sigma limits; chart {chart!r} has none to use"
            )
        if rules == "ihi" and chart == "mr":
            raise ValueError("the IHI rules do not apply to a moving-range chart")

    # ---- data -------------------------------------------------------------------------------
    y, num, den, sub = prepare_values(
        chart=chart, values=values, denominators=denominators, subgroups=subgroups
    )
    n = len(y)

    if x is not None:
        if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
            raise ValueError("x must be a sequence of labels, one per point")
        x = list(x)
        if len(x) != n:
            raise ValueError(f"values and x differ in length ({n} and {len(x)})")

    # ---- positions --------------------------------------------------------------------------
    warnings: list[str] = []
    excl = positions(exclude, "exclude", n)
    starts = positions(parts, "parts", n)
    fz = None
    if freeze is not None:
        fz = to_int(freeze, "freeze")
        if not 1 <= fz <= n:
            raise ValueError(f"freeze must be between 1 and {n} (the number of points), got {fz}")
        if starts:
            fz = None
            warnings.append("freeze is ignored because parts are given (as in qicharts2)")
    rb = positions(rebase, "rebase", n)
    fa = None
    if fix_after is not None:
        fa = to_int(fix_after, "fix_after")
        if fa < MDC_MIN_FIX_AFTER:
            raise ValueError(
                f"fix_after must be at least {MDC_MIN_FIX_AFTER} (as in NHSRplotthedots), got {fa}"
            )

    label = label_maker(x)
    if rules == "mdc":
        return analyze_mdc(
            MdcInput(
                y=y,
                den=den,
                rebase=rb,
                fix_after=fa,
                screen_outliers=screen,
                direction=direction,
                target=tgt,
                multiply=mult,
                label=label,
                warnings=tuple(warnings),
            )
        )
    return analyze_qic(
        QicInput(
            chart=chart,
            rules=rules,
            y=y,
            num=num,
            den=den,
            subgroups=sub,
            starts=starts,
            freeze=fz,
            exclude=excl,
            multiply=mult,
            screened_mr=screened,
            categorical_x=categorical,
            label=label,
            warnings=tuple(warnings),
        )
    )
