"""The progress figures as charts (core.charts), each with its sentence and data table:
the same charts on the page and in the sponsor PDF."""

from __future__ import annotations

from datetime import date

from core.charts import HIGHLIGHT, PRIMARY, Chart, fmt
from core.charts.bars import (
    SEQUENTIAL,
    PairedRow,
    Series,
    lines_chart,
    paired_bars_chart,
    stacked_columns_chart,
)


def month_label(iso: str, *, short: bool = True) -> str:
    """ "Mar 2026" (short, on axes) or "March 2026" (in sentences) from "2026-03-01"."""
    return date.fromisoformat(iso).strftime("%b %Y" if short else "%B %Y")


def submissions_chart(figures: dict) -> Chart:
    rows = figures["submissions"]
    labels = [month_label(r["month"]) for r in rows]
    # A month whose report is not due yet is left out of the line (not a drop to 0%).
    shares = [r["share"] if r["is_due"] else None for r in rows]
    known = [r for r in rows if r["share"] is not None]
    # The latest month whose report was due: a month still open is not "missing" yet.
    due = [r for r in known if r["is_due"]]
    if known:
        latest = due[-1] if due else known[-1]
        summary = (
            f"For {month_label(latest['month'], short=False)}, {latest['handed_in']} of "
            f"{figures['active_teams']} active teams handed in their monthly report "
            f"({fmt(latest['share'])}%)."
        )
        still_open = [r for r in known if not r["is_due"]]
        if still_open:
            words = ", ".join(month_label(r["month"], short=False) for r in still_open)
            summary += f" Not due yet: {words}."
        best = max(due or known, key=lambda r: r["share"])
        summary += f" Highest: {fmt(best['share'])}% in {month_label(best['month'], short=False)}."
    else:
        summary = "No monthly reporting periods in these months yet."
    return lines_chart(
        title="Share of teams that handed in their monthly report",
        x_labels=labels,
        series=[Series("Teams that handed in", shares, PRIMARY)],
        summary=summary,
        y_label="Percent of active teams",
        unit="%",
        domain=(0, 100),
    )


def ratings_chart(figures: dict) -> Chart:
    rows = figures["ratings"]
    scores = figures["scores"]
    series = [
        Series(score, [r["counts"][score] for r in rows], SEQUENTIAL[i % len(SEQUENTIAL)])
        for i, score in enumerate(scores)
    ]
    rated = [r for r in rows if r["rated"]]
    if rated:
        latest = rated[-1]
        at_or_above = sum(n for score, n in latest["counts"].items() if float(score) >= 3.0)
        top = max(latest["counts"].items(), key=lambda item: (item[1], float(item[0])))
        summary = (
            f"In {month_label(latest['month'], short=False)} coaches rated {latest['rated']} "
            f"teams; most at {top[0]} ({top[1]} teams); {at_or_above} at 3.0 (modest "
            "improvement) or above."
        )
    else:
        summary = "No team has a coach's progress score in these months yet."
    return stacked_columns_chart(
        title="Teams at each IHI progress score, by month",
        x_labels=[month_label(r["month"]) for r in rows],
        series=series,
        summary=summary,
        y_label="Teams",
    )


def sections_chart(figures: dict) -> Chart:
    sections = figures["sections"]
    rows = [
        PairedRow(
            label=s["title"],
            before=s["baseline"],
            after=s["latest"],
            extra=(
                "–"
                if s["change"] is None
                else f"{'+' if s['change'] > 0 else ''}{fmt(s['change'])}",
                str(s["teams_with_both"]),
            ),
        )
        for s in sections
    ]
    changes = [s for s in sections if s["change"] is not None]
    if changes:
        best = max(changes, key=lambda s: s["change"])
        worst = min(changes, key=lambda s: s["change"])
        summary = (
            f"Largest gain: {best['title']} ({'+' if best['change'] > 0 else ''}"
            f"{fmt(best['change'])} points, {best['teams_with_both']} teams with a baseline "
            f"and a later survey). Smallest: {worst['title']} ({fmt(worst['change'])})."
        )
    elif sections:
        summary = "Baseline scores only: no team has submitted a later survey yet."
    else:
        summary = "No team has submitted a gap analysis yet."
    return paired_bars_chart(
        title="Gap analysis: mean section score at baseline and in the latest survey",
        rows=rows,
        summary=summary,
        before_label="Baseline (mean)",
        after_label="Latest survey (mean)",
        extra_headers=["Change (points)", "Teams with both"],
    )


def signals_chart(figures: dict) -> Chart:
    rows = figures["signals"]
    if rows:
        improving = sum(r["teams_improvement"] for r in rows)
        concern = sum(r["teams_concern"] for r in rows)
        summary = (
            f"Across {len(rows)} measures, {improving} team charts show a signal in the better "
            f"direction and {concern} in the worse direction at their latest point."
        )
    else:
        summary = "The collaborative has no measure set yet."
    chart = stacked_columns_chart(
        title="Teams with a signal at their latest point, per measure",
        x_labels=[r["measure"]["short_name"] for r in rows],
        series=[
            Series("Better direction", [r["teams_improvement"] for r in rows], PRIMARY),
            Series("Worse direction", [r["teams_concern"] for r in rows], HIGHLIGHT),
        ],
        summary=summary,
        y_label="Teams",
        first_header="Measure",
        categories=True,
    )
    chart.headers.append("Teams with data")
    for row, source in zip(chart.rows, rows, strict=True):
        row.append(str(source["teams_with_data"]))
    return chart


def cycles_chart(figures: dict) -> Chart:
    rows = figures["cycles"]
    started = sum(r["started"] for r in rows)
    completed = sum(r["completed"] for r in rows)
    if started or completed:
        summary = (
            f"Over these {len(rows)} months teams logged {started} PDSA cycles and completed "
            f"{completed}."
        )
        last = rows[-1]
        summary += (
            f" {month_label(last['month'], short=False)} so far: {last['started']} started, "
            f"{last['completed']} completed."
        )
    else:
        summary = "No PDSA cycles logged in these months yet."
    return lines_chart(
        title="PDSA cycles started and completed, by month",
        x_labels=[month_label(r["month"]) for r in rows],
        series=[
            Series("Started", [r["started"] for r in rows], PRIMARY),
            Series("Completed", [r["completed"] for r in rows], HIGHLIGHT, "6 3"),
        ],
        summary=summary,
        y_label="Cycles",
    )


def progress_charts(figures: dict) -> list[tuple[str, str, Chart]]:
    """(anchor, heading, chart) of every section of the page and the report, in order."""
    return [
        ("reporting", "Monthly reporting", submissions_chart(figures)),
        ("ratings", "Progress scores", ratings_chart(figures)),
        ("gap-analysis", "Gap analysis: change from baseline", sections_chart(figures)),
        ("signals", "Signals across teams", signals_chart(figures)),
        ("pdsa", "PDSA activity", cycles_chart(figures)),
    ]
