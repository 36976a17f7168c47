"""Run and control charts, small multiples and funnel plots (SVG) for measures.

Pure functions: they take plain numbers and words (built by measures.presenters from
the engine's analysis) and return a `core.charts.Chart`: the SVG, a one-paragraph text
summary for screen readers and the rows of the "Show data" table. Nothing here computes
a statistic; centre lines, limits and signals come from measures.spc.

The SVG is plain (presentation attributes, no stylesheet, no script, no foreignObject)
so that the same markup renders in a browser, a WeasyPrint PDF and an e-mail. Every
piece of text placed in it is escaped (team names and notes are user input).

Built on the primitives of core.charts (scales, ticks, axes, the accessible document).
Import from `core.charts.spc`; its modules are `run_control` (run and control charts
and their summaries), `small_multiple` (thumbnails, and one scale for several),
`funnel` (funnel plots), `_flags` (the numbered annotation flags) and `_marks` (the
colours, scales and signal marks they share).
"""

from ._marks import PHASE_KINDS, POINT_KINDS, TONE_WORDS
from .funnel import FunnelChartData, FunnelPoint, funnel_chart, funnel_summary
from .run_control import (
    Annotation,
    PhaseSignal,
    PointMark,
    SignalItem,
    SpcChartData,
    spc_chart,
    spc_summary,
)
from .small_multiple import share_scales, small_multiple_chart

__all__ = [
    "PHASE_KINDS",
    "POINT_KINDS",
    "TONE_WORDS",
    "Annotation",
    "FunnelChartData",
    "FunnelPoint",
    "PhaseSignal",
    "PointMark",
    "SignalItem",
    "SpcChartData",
    "funnel_chart",
    "funnel_summary",
    "share_scales",
    "small_multiple_chart",
    "spc_chart",
    "spc_summary",
]
