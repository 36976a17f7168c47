"""SPC engine: run charts and control charts that call the same signals as the reference tools.

Pure Python, standard library only, no Django: every chart in the product (team measures,
collaborative aggregates, coach dashboards, PDF reports) rests on this package, so it can be
used and tested on its own. Its statistics reproduce

* **qicharts2** 0.8 (R, Jacob Anhøj): charts run, i, mr, xbar, s, t, p, pp, c, u, up, g; the
  Anhøj runs rules plus the 3-sigma rule; moving-range screening on by default
  (``rules="anhoej"``, the default);
* **NHSRplotthedots** 0.2 (R, NHS-R community, "Making Data Count"): XmR chart with the MDC
  rules and point types (``rules="mdc"``, chart ``"i"`` only);

and adds the Western Electric (``rules="western_electric"``) and IHI (``rules="ihi"``) rule
sets, implemented from their published definitions. The algorithms, and the edge cases where
naive implementations go wrong, are described in ``shared/docs/SPC.md``; the choices made
where the references are silent are in ``docs/decisions/0003-spc-engine.md``.

Public API
----------
``analyze(values, denominators=None, chart="run", *, ...) -> dict``
    Analyse one series (see :func:`analyze` below for the arguments).
``critical_values(n_useful) -> (longest_run_max, n_crossings_min)``
    The Anhøj critical values for a number of useful points.
``funnel(numerators, denominators, *, kind, method, labels, multiply, centre) -> dict``
    Funnel plot of many units at one point in time, with 95% and 99.8% limits.
``funnel_limits(centre, denominator, level, kind, method) -> (lower, upper)``
    One pair of funnel limits, for drawing the funnel curves.

Arguments of ``analyze``
------------------------
Positions are **0-based** everywhere (SPC.md and R use 1-based positions).

``values``
    One number or None (missing) per period; numerators when ``denominators`` are given.
    Accepts int, float, ``decimal.Decimal`` and other real numbers; a float NaN is missing.
``denominators``
    One per period, required for p, pp, u, up and allowed for run, i and mr (which then plot
    the ratio). A missing numerator or denominator makes the point missing.
``chart``
    "run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up" or "g".
``subgroups``
    For xbar and s, instead of ``values``: one list of measurements (None allowed) per period.
``x``
    Labels, one per point (dates, ``datetime.date`` or text), used only in the explanations.
``freeze``
    Number of leading points forming the baseline: the centre line and limits come from them
    and are drawn over all points; the runs analysis still covers every point. Ignored (with a
    warning) when ``parts`` are given, as in qicharts2.
``parts``
    Positions where a new phase starts; each phase has its own centre line, limits and runs
    analysis. ``parts=[24]`` splits 0..23 and 24..N-1 (qicharts2 ``part = 24``).
``exclude``
    Positions left out of the centre line, limits, moving ranges (which bridge the gap) and
    runs analysis; they are still plotted and still tested against the limits.
``multiply``
    Positive factor applied to y, centre line and limits (100 for percent).
``screened_mr``
    Nelson's moving-range screening for the i, t, pp and up charts (qicharts2 default True).
``categorical_x``
    The x are categories, not time (funnel-style charts): no runs signal, and the pp/up charts
    use the SD of the z-scores.
``rules``
    "anhoej" (default), "mdc" (chart i only), "ihi" or "western_electric".
``improvement_direction``, ``target``, ``rebase``, ``fix_after``, ``screen_outliers``
    For ``rules="mdc"`` only (NHSRplotthedots semantics): "increase", "decrease" or "neutral";
    a target in displayed units (after ``multiply``) for the assurance icon; positions where a
    new group starts; the number of leading points of each group that fix its limits (at least
    12); and the moving-range screening (default True; False reproduces the MDC Excel tools).

Bad input (mismatched lengths, negative counts, numerators above denominators for p charts,
zero or negative denominators, non-numeric values, unknown charts, rule sets or directions,
positions out of range, arguments that do not apply to the chosen rule set) raises ValueError
with a message naming the problem.

Returned dictionary
-------------------
``per_point``: lists aligned with the input (length N)
    ``y``: plotted value (the ratio with denominators, the subgroup mean for xbar, the subgroup
    SD for s, the moving range for mr, whose first point of each part is None), multiplied;
    ``cl``, ``lcl``, ``ucl``: centre line and 3-sigma limits (None where they cannot be
    computed); ``lcl_95``, ``ucl_95``: the 2-sigma lines (the "near limits" for mdc);
    ``sigma_signal``: the point lies strictly outside the limits; ``runs_signal``: the Anhøj
    runs signal of the point's part (always False for mr charts, categorical x and rule sets
    other than "anhoej"); ``part``: 1-based phase (or rebase group) number; ``baseline``: the
    point feeds the limits (freeze / fix_after); ``include``: not excluded;
    ``signal_kinds``: the kinds of the signals the point belongs to (see below).
    With ``rules="mdc"`` also: ``mean``, ``lpl``, ``upl``, ``outside_limits``,
    ``close_to_limits``, ``relative_to_mean`` (-1, 0, 1 or None), ``special_cause_type``
    ("Above UCL", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)",
    "2 in 3 Above CL", "2 in 3 Below CL", "7 Points Above CL", "7 Points Below CL",
    "Common Cause") and ``point_type`` ("common_cause", "special_cause_improvement",
    "special_cause_concern", "special_cause_neutral_high", "special_cause_neutral_low").
``per_part``: one dict per phase (or rebase group)
    ``part``, ``start``, ``end`` (0-based positions), ``n_obs``, ``n_useful``,
    ``longest_run``, ``longest_run_max``, ``n_crossings``, ``n_crossings_min`` (None without
    useful points), ``runs_signal``, ``cl``, ``lcl`` and ``ucl`` (means of the per-point
    limits, as qicharts2's summary), ``sigma_signals`` (count), ``n_base`` (points the limits
    rest on) and ``trial_limits``; for mdc also ``mean``, ``lpl``, ``upl`` and
    ``variation_type`` (the point type of the group's last point).
``summary``
    ``chart``, ``rules``, ``n_points``, ``special_cause`` (any signal), ``runs_signal`` (any
    part), ``sigma_signals`` (count), ``trial_limits``, ``low_volume`` (a part with fewer than
    10 useful points), ``signals`` and ``warnings``; for mdc also ``variation_type`` (of the
    last group) and ``assurance_type`` ("consistent_pass", "consistent_fail", "inconsistent" or
    None without a target or with a neutral direction).

    ``signals`` is a list of ``{"kind", "start", "end", "points", "text"}`` in time order, the
    text in plain language, e.g. "9 points in a row above the centre line from March 2026: a
    shift". Kinds: "outside_limits", "shift", "crossings" (Anhøj), "trend", "two_of_three",
    "four_of_five", "inner_third", "too_few_runs", "too_many_runs".
    ``warnings`` is a list of sentences: too few points to judge (fewer than 10 useful points),
    denominators under 10, trial limits (fewer than 20 baseline points; for mdc fewer than 13
    points in a group), limits that cannot be computed, a freeze ignored because of parts.
"""

from ._analyze import analyze
from ._charts import D2, D4
from ._funnel import funnel, funnel_limits
from ._rules import MDC_CLOSE, MDC_LIMIT
from ._runs import critical_values
from ._stats import a3, b3, b4, c4, c5

__all__ = [
    "D2",
    "D4",
    "MDC_CLOSE",
    "MDC_LIMIT",
    "a3",
    "analyze",
    "b3",
    "b4",
    "c4",
    "c5",
    "critical_values",
    "funnel",
    "funnel_limits",
]
