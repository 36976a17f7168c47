"""A team's choices: the optional measures it reports, its charts, its name in comparisons.

Required measures are not the team's to choose; optional measures of the set and the
team's own measures are. Chart settings (chart type, end of the baseline, phases) are
per team and measure and decide how `measures.analysis` reads the series; nothing
derived from them is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record
from teams.models import Team

from ..models import (
    BenchmarkConsent,
    ChartType,
    CollaborativeMeasure,
    Measure,
    Requirement,
    TeamMeasure,
)

MAX_PHASES = 12


def _team_measure(team: Team, measure: Measure) -> TeamMeasure:
    tm, _ = TeamMeasure.objects.select_for_update().get_or_create(
        team=team,
        measure=measure,
        defaults={"program_id": team.program_id, "collaborative_id": team.collaborative_id},
    )
    return tm


@transaction.atomic
def team_measures_choose(*, team: Team, actor: User, selected: Iterable[Measure]) -> None:
    """Set which optional (and own) measures the team reports."""
    selected_ids = {m.pk for m in selected}
    optional = {
        e.measure_id: e.measure
        for e in CollaborativeMeasure.objects.filter(
            collaborative_id=team.collaborative_id, requirement=Requirement.OPTIONAL
        ).select_related("measure")
    }
    own = {m.pk: m for m in Measure.objects.filter(program_id=team.program_id, team=team)}
    choosable = {**optional, **own}
    unknown = selected_ids - set(choosable)
    if unknown:
        raise ValidationError({"measures": "Choose among the optional measures and your own."})
    changes = {}
    for measure_id, measure in choosable.items():
        tm = _team_measure(team, measure)
        wanted = measure_id in selected_ids
        if tm.is_selected != wanted:
            tm.is_selected = wanted
            tm.updated_by = actor
            tm.save(update_fields=["is_selected", "updated_by", "updated_at"])
            changes[str(measure.public_id)] = wanted
    if changes:
        audit_record(actor=actor, verb="team_measures.chosen", target=team, data=changes)


def _clean_phases(phases: Iterable[Mapping]) -> list[dict]:
    cleaned = []
    for phase in phases:
        start = phase.get("start")
        if isinstance(start, str):
            try:
                start = date.fromisoformat(start)
            except ValueError:
                raise ValidationError({"phases": f"“{start}” is not a date."}) from None
        if not isinstance(start, date):
            raise ValidationError({"phases": "Each phase needs a start date."})
        label = " ".join(str(phase.get("label", "")).split())[:80]
        cleaned.append({"start": start.replace(day=1).isoformat(), "label": label})
    if len(cleaned) > MAX_PHASES:
        raise ValidationError({"phases": f"At most {MAX_PHASES} phases."})
    starts = [p["start"] for p in cleaned]
    if len(set(starts)) != len(starts):
        raise ValidationError({"phases": "Two phases start in the same month."})
    return sorted(cleaned, key=lambda p: p["start"])


@transaction.atomic
def chart_settings_update(
    *,
    team: Team,
    measure: Measure,
    actor: User,
    chart_type: str,
    baseline_end: date | None,
    phases: Iterable[Mapping] = (),
) -> TeamMeasure:
    """The team's (or coach's) choice of chart, baseline and phases, audited."""
    if chart_type not in ChartType.values:
        raise ValidationError({"chart_type": "Choose a run chart or a control chart."})
    clean = _clean_phases(phases)
    tm = _team_measure(team, measure)
    before = {
        "chart_type": tm.chart_type,
        "baseline_end": str(tm.baseline_end or ""),
        "phases": tm.phases,
    }
    tm.chart_type = chart_type
    tm.baseline_end = baseline_end.replace(day=1) if baseline_end else None
    tm.phases = clean
    tm.updated_by = actor
    tm.save()
    after = {"chart_type": chart_type, "baseline_end": str(tm.baseline_end or ""), "phases": clean}
    if after != before:
        audit_record(
            actor=actor,
            verb="chart_settings.changed",
            target=tm,
            data={"measure": str(measure.public_id), "before": before, "after": after},
        )
    return tm


@transaction.atomic
def benchmark_consent_set(*, team: Team, actor: User, show_name: bool) -> BenchmarkConsent:
    consent, _ = BenchmarkConsent.objects.select_for_update().get_or_create(
        team=team, defaults={"program_id": team.program_id}
    )
    if consent.show_name != show_name:
        consent.show_name = show_name
        consent.updated_by = actor
        consent.save()
        audit_record(
            actor=actor,
            verb="benchmark_consent.changed",
            target=team,
            data={"show_name": show_name},
        )
    return consent
