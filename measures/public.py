"""What other feature apps may use of measures. import-linter lets them import only
this module (pyproject.toml; docs/decisions/0007-layers.md).

certificates counts the periods a team handed in (whole-collaborative credit).
pdsa is a user too: a PDSA cycle's Study links the measures whose data show its
result (only those the team reports may be linked), and the cycle page shows their
charts. Everything here reads a team the caller has already been allowed to see.

dashboards reads a whole collaborative's figures (the staff progress dashboard): the
share of teams that handed in each month and the signals across teams; the caller has
checked that the viewer is the program's staff.

resources links library resources to library measures ("operational definitions,
data-collection tools"): it picks a program's library measure, and lists the linked
measures a person may read, each with the page to open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import Count, IntegerField, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse

from accounts.models import User
from accounts.selectors import staff_or_coach_program_ids
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from core.charts.sparkline import sparkline_words
from core.clock import add_months, month_start
from core.http import parse_uuid
from teams.models import Team
from teams.selectors import team_joined_on

from .analysis import (
    Settings,
    analyse_series,
    signal_tone,
    team_signal_summary,
    team_versions_from,
    team_versions_rows,
)
from .models import (
    HANDED_IN,
    CollaborativeMeasure,
    Frequency,
    Measure,
    MeasureType,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
)
from .periods import has_ended
from .presenters import team_chart_cards
from .selectors import (
    PeriodStatus,
    library_of,
    measure_set_of,
    measure_sets_of,
    measures_visible_to,
    periods_of_teams,
    team_measure_rows,
    teams_chart_settings,
    teams_series,
)
from .services import submission_review

__all__ = [
    "MeasureDigest",
    "MeasureSignalCount",
    "TeamDataStatus",
    "team_submissions_column",
    "team_submissions_from",
    "library_measure_of",
    "library_measures_of",
    "measures_linked_for",
    "monthly_handed_in_from",
    "monthly_handed_in_rows",
    "periods_handed_in",
    "signal_counts",
    "signal_versions_from",
    "signal_versions_rows",
    "submission_review",
    "team_data_statuses",
    "team_measure_charts",
    "team_measure_digests",
    "team_reported_measures",
    "team_submission_or_404",
]


def team_reported_measures(*, team: Team, also_ids: Iterable[int] = ()) -> QuerySet[Measure]:
    """The measures the team reports (required, the optional ones it chose, its own),
    plus those whose ids are in `also_ids` (e.g. links made before the team dropped an
    optional measure), by name."""
    ids = {row.measure.pk for row in team_measure_rows(team=team)} | set(also_ids)
    return Measure.objects.filter(program_id=team.program_id, pk__in=ids).order_by("name")


def team_measure_charts(*, team: Team, measure_ids: Collection[int]) -> list[dict]:
    """A small chart of each of these measures of the team, with its signals, drawn with
    the team's own chart settings (for template `measures/_chart_cards.html`)."""
    if not measure_ids:
        return []
    rows = [
        row
        for row in team_measure_rows(team=team, include_unselected=True)
        if row.measure.pk in measure_ids
    ]
    return team_chart_cards(team=team, rows=rows)


def periods_handed_in(*, team_ids: Iterable[int]) -> dict[int, int]:
    """{team id: number of reporting periods} the team handed in (submitted or
    reviewed), in one query: whole-collaborative credit counts them. Teams without
    any are absent."""
    rows = (
        Submission.objects.filter(team_id__in=list(team_ids), status__in=HANDED_IN)
        .values("team_id")
        .annotate(n=Count("period_id", distinct=True))
        .order_by()
    )
    return {row["team_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class TeamDataStatus:
    """Where a team stands with its data: the collaborative's latest ended monthly
    period, the team's status for it and how late it is, and the last month it handed
    in (None: never)."""

    period_label: str = ""
    period_start: date | None = None
    status: str = SubmissionStatus.NOT_STARTED
    status_label: str = SubmissionStatus.NOT_STARTED.label
    is_late: bool = False
    days_late: int = 0
    last_handed_in: date | None = None
    #: The submission waiting for review (submitted, not yet reviewed), if any.
    review_submission: UUID | None = None
    review_period_label: str = ""


def team_submissions_column() -> Subquery:
    """The submissions `team_data_statuses` reads, as an annotation of a query over
    teams (the team is OuterRef("pk")): a JSON list of the team's submissions for its
    collaborative's periods, so that a dashboard reads them with the teams' other
    figures. `team_submissions_from` turns a value back into Submissions."""
    submissions = (
        Submission.objects.filter(
            team_id=OuterRef("pk"),
            program_id=OuterRef("program_id"),
            period__collaborative_id=OuterRef("collaborative_id"),
        )
        .order_by()
        .values("team_id")
        .annotate(
            submissions=JSONBAgg(
                JSONObject(
                    id="id",
                    period_id="period_id",
                    status="status",
                    public_id="public_id",
                    submitted_at="submitted_at",
                    first_submitted_at="first_submitted_at",
                )
            )
        )
        .values("submissions")
    )
    return Subquery(submissions, output_field=JSONField())


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


#: The fields of a Submission that `team_submissions_column` carries.
_SUBMISSION_FIELDS = (
    "id",
    "program_id",
    "team_id",
    "period_id",
    "status",
    "public_id",
    "submitted_at",
    "first_submitted_at",
)


def team_submissions_from(*, team: Team, value: list[dict] | None) -> list[Submission]:
    """The team's submissions from its `team_submissions_column`, made as the ORM makes
    a row it read with only() (`from_db`: the other fields deferred; a model's own
    __init__ costs several times more, and a dashboard makes thousands)."""
    names = [f.attname for f in Submission._meta.concrete_fields if f.attname in _SUBMISSION_FIELDS]
    out = []
    for row in value or ():
        known = {
            **row,
            "program_id": team.program_id,
            "team_id": team.pk,
            "public_id": UUID(row["public_id"]),
            "submitted_at": _instant(row["submitted_at"]),
            "first_submitted_at": _instant(row["first_submitted_at"]),
        }
        out.append(Submission.from_db(None, names, [known[name] for name in names]))
    return out


def team_data_statuses(
    *,
    teams: Sequence[Team],
    today: date | None = None,
    submissions_of: dict[int, list[Submission]] | None = None,
) -> dict[int, TeamDataStatus]:
    """{team id: TeamDataStatus} for many teams across collaboratives, in two queries
    (the collaboratives' periods, shared with `team_measure_digests` inside a
    core.memo.page_memo, and the teams' submissions, none when the caller read them
    with `team_submissions_column` and passes them as `submissions_of`) whatever their
    number. "Late" is the measures' one rule (`PeriodStatus.is_late`). Teams of a
    collaborative without an ended period get an empty status."""
    today = today or clock.today()
    teams = list(teams)
    if not teams:
        return {}
    periods = [
        period
        for group in periods_of_teams(teams=teams).values()
        for period in group
        if period.frequency == Frequency.MONTHLY
    ]
    latest: dict[int, ReportingPeriod] = {}
    by_pk = {p.pk: p for p in periods}
    for period in periods:
        if has_ended(period, today):
            latest[period.collaborative_id] = period
    submissions: dict[int, dict[int, Submission]] = defaultdict(dict)
    if submissions_of is None:
        read: Iterable[Submission] = Submission.objects.filter(
            program_id__in={t.program_id for t in teams},
            team_id__in=[t.pk for t in teams],
            period_id__in=list(by_pk),
        ).only(
            "id",
            "team_id",
            "period_id",
            "status",
            "public_id",
            "submitted_at",
            "first_submitted_at",
        )
    else:
        read = (
            sub
            for team in teams
            for sub in submissions_of.get(team.pk, ())
            if sub.period_id in by_pk
        )
    for sub in read:
        submissions[sub.team_id][sub.period_id] = sub
    out: dict[int, TeamDataStatus] = {}
    for team in teams:
        own = submissions.get(team.pk, {})
        handed_in = [by_pk[pid].start for pid, s in own.items() if s.status in HANDED_IN]
        waiting = sorted(
            (s for s in own.values() if s.status == SubmissionStatus.SUBMITTED),
            key=lambda s: by_pk[s.period_id].start,
        )
        period = latest.get(team.collaborative_id)
        if period is None:
            out[team.pk] = TeamDataStatus(last_handed_in=max(handed_in, default=None))
            continue
        tz = team.collaborative.timezone
        status = PeriodStatus(period, own.get(period.pk), today, team_joined_on(team, tz=tz), tz)
        days_late = (today - status.due_date).days if status.is_overdue else 0
        out[team.pk] = TeamDataStatus(
            period_label=period.label,
            period_start=period.start,
            status=status.status,
            status_label=status.status_label,
            is_late=status.is_late,
            days_late=max(days_late, 0),
            last_handed_in=max(handed_in, default=None),
            review_submission=waiting[-1].public_id if waiting else None,
            review_period_label=by_pk[waiting[-1].period_id].label if waiting else "",
        )
    return out


def team_submission_or_404(*, team: Team, submission_id) -> Submission:
    """One submission of a team the caller may already see (Submission.DoesNotExist
    otherwise, a 404 for the view)."""
    return Submission.objects.select_related("period", "team").get(
        program_id=team.program_id, team=team, public_id=submission_id
    )


@dataclass(frozen=True)
class MeasureDigest:
    """One of a team's key measures at a glance: its recent values (for a sparkline),
    and the signal its latest point belongs to, if that point is this month's or last
    month's (a "new" signal), with its tone ("improvement" or "concern")."""

    measure_id: int
    name: str
    unit: str
    is_balancing: bool
    values: tuple[float | None, ...] = ()
    labels: tuple[str, ...] = ()
    signal_tone: str = ""
    signal_text: str = ""

    @property
    def words(self) -> str:
        """The sparkline's text alternative: the values in words."""
        return sparkline_words(self.values, self.labels, name=self.name, unit=self.unit)


#: How many of the measure set's first measures count as "key" (sparklines, signals).
KEY_MEASURES = 4
#: Points a sparkline shows.
SPARK_POINTS = 12


def _digest(measure: Measure, series, settings: Settings, since: date) -> MeasureDigest:
    analysis = analyse_series(series, settings)
    labels = tuple(
        f"{start:%b %Y}" if isinstance(start, date) else str(start)
        for start in series.starts[-SPARK_POINTS:]
    )
    values = tuple(series.display_value(i) for i in range(len(series)))[-SPARK_POINTS:]
    tone = text = ""
    result = analysis.result
    if result is not None and analysis.signals:
        y = result["per_point"]["y"]
        last = max((i for i, v in enumerate(y) if v is not None), default=-1)
        starts = analysis.series.starts
        if last >= 0 and last < len(starts) and starts[last] >= since:
            current = [s for s in analysis.signals if s["end"] == last]
            for s in current:
                s_tone = signal_tone(measure, s, result)
                if s_tone in ("improvement", "concern") and tone != "concern":
                    tone, text = s_tone, s["text"]
    return MeasureDigest(
        measure_id=measure.pk,
        name=measure.short_name or measure.name,
        unit=measure.unit,
        is_balancing=measure.measure_type == MeasureType.BALANCING,
        values=values,
        labels=labels,
        signal_tone=tone,
        signal_text=text,
    )


def team_measure_digests(
    *, teams: Sequence[Team], today: date | None = None
) -> dict[int, list[MeasureDigest]]:
    """{team id: digests of the collaborative's key measures} (the first KEY_MEASURES
    of its measure set, by the set's order), each analysed with the team's own chart
    settings and rule set, as its chart is. Four queries (measure sets, periods,
    values, chart settings) whatever the number of teams and collaboratives, three
    inside a page_memo where `team_data_statuses` read the periods; callers cache the
    result per team (the SPC analysis is the costly part)."""
    today = today or clock.today()
    since = add_months(month_start(today), -1)
    teams = list(teams)
    if not teams:
        return {}
    key_measures: dict[int, list[Measure]] = defaultdict(list)
    for entry in measure_sets_of(collaborative_ids={t.collaborative_id for t in teams}):
        group = key_measures[entry.collaborative_id]
        if len(group) < KEY_MEASURES:
            group.append(entry.measure)
    series = teams_series(
        teams=teams,
        measures_of=key_measures,
        periods_of_collaborative=periods_of_teams(teams=teams),
        today=today,
    )
    settings = teams_chart_settings(
        teams=teams, measure_ids={m.pk for group in key_measures.values() for m in group}
    )
    return {
        team.pk: [
            _digest(
                measure,
                series[(team.pk, measure.pk)],
                Settings.from_team_measure(settings.get((team.pk, measure.pk))),
                since,
            )
            for measure in key_measures.get(team.collaborative_id, [])
        ]
        for team in teams
    }


def signal_versions_rows(*, collaborative, team_ids: Sequence[int]) -> tuple[QuerySet, QuerySet]:
    """The teams' versions that `signal_counts` keys its cache with, as two queries of
    one JSON column, for a dashboard to read as columns of one statement with its
    other figures; `signal_versions_from` turns the rows into its `versions`."""
    return team_versions_rows(collaborative=collaborative, team_ids=list(team_ids))


def signal_versions_from(data_rows: Iterable[dict], settings_rows: Iterable[dict]):
    """`signal_counts`'s `versions` from the rows of `signal_versions_rows`."""
    return team_versions_from(data_rows, settings_rows)


def monthly_handed_in_rows(
    *, collaborative, team_ids: Sequence[int], first_month: date, last_month: date
) -> QuerySet:
    """The figures of `monthly_handed_in_from`, as a query of one JSON column ("row")
    that a dashboard reads as a column of one statement with its other figures (the
    progress API's budget of queries, issue 16): each monthly reporting period of the
    collaborative starting first_month..last_month, with its count of these teams that
    handed in (submitted or reviewed), counted in SQL by a correlated subquery."""
    handed_in = (
        Submission.objects.filter(
            period_id=OuterRef("pk"),
            program_id=collaborative.program_id,
            team_id__in=list(team_ids),
            status__in=HANDED_IN,
        )
        .order_by()
        .values("period_id")
        .annotate(n=Count("team_id", distinct=True))
        .values("n")
    )
    return (
        ReportingPeriod.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            frequency=Frequency.MONTHLY,
            start__gte=first_month,
            start__lte=last_month,
        )
        .order_by()
        .annotate(n=Coalesce(Subquery(handed_in, output_field=IntegerField()), 0))
        .values(row=JSONObject(start="start", n="n", due="due_date"))
    )


def monthly_handed_in_from(rows: Iterable[dict]) -> dict[date, tuple[int, date]]:
    """{month: (number of the teams that handed in that month's report, the report's
    due date)} from the rows of `monthly_handed_in_rows` (months without a period are
    absent)."""
    return {
        date.fromisoformat(row["start"]): (row["n"], date.fromisoformat(row["due"])) for row in rows
    }


@dataclass(frozen=True)
class MeasureSignalCount:
    """How many teams' run charts of one measure show a signal at their latest point."""

    measure: Measure
    improvement: int
    concern: int
    with_data: int


def signal_counts(
    *, collaborative, teams: Sequence[Team], versions: tuple[dict, dict] | None = None
) -> list[MeasureSignalCount]:
    """Per measure of the collaborative's set (in order): the number of `teams` whose
    run chart has a signal in the better direction, in the worse direction, and with
    any data. Reads the per-team signal summaries that the collaborative's measures page
    caches (`team_signal_summary`): a fixed number of queries whatever the number of
    teams, and no chart analysed again until a team's data change. `versions`: the
    teams' versions when the caller read them already (`signal_versions_rows`), one
    query fewer."""
    measures = [entry.measure for entry in measure_set_of(collaborative=collaborative)]
    if not measures or not teams:
        return [MeasureSignalCount(m, 0, 0, 0) for m in measures]
    summary = team_signal_summary(
        collaborative=collaborative, teams=teams, measures=measures, versions=versions
    )
    counts = {m.pk: [0, 0, 0] for m in measures}
    for item in summary:
        for measure, cell in item.cells:
            tones = {signal.get("tone") for signal in cell.signals}
            tally = counts[measure.pk]
            tally[0] += "improvement" in tones
            tally[1] += "concern" in tones
            tally[2] += cell.n_points > 0
    return [MeasureSignalCount(m, *counts[m.pk]) for m in measures]


def library_measures_of(*, program_id: int) -> list[Measure]:
    """The program's active library measures, for staff choosing what a resource helps
    to measure (custom team measures are the teams' own and are not offered)."""
    return list(library_of(program_ids=[program_id], include_inactive=False))


def library_measure_of(*, program_id: int, measure_id: UUID | str) -> Measure | None:
    """One library measure of the program by public id; None for another program's, a
    team's own, an unknown or a malformed id."""
    public_id = parse_uuid(str(measure_id))
    if public_id is None:
        return None
    return Measure.objects.filter(
        program_id=program_id, team__isnull=True, public_id=public_id
    ).first()


def measures_linked_for(*, user: User, measure_ids: Iterable[UUID]) -> list[tuple[UUID, str, str]]:
    """(public id, name, page) of the library measures among `measure_ids` that `user`
    may read (measures_visible_to): the library page for the program's staff and
    coaches, the measure's page in one of the viewer's collaboratives for the rest."""
    ids = list(measure_ids)
    if not ids:
        return []
    measures = list(measures_visible_to(user=user).filter(public_id__in=ids, team__isnull=True))
    reviewers = staff_or_coach_program_ids(user=user)
    in_collaborative = dict(
        CollaborativeMeasure.objects.filter(
            measure__in=[m for m in measures if m.program_id not in reviewers],
            collaborative__in=collaboratives_visible_to(user=user),
        )
        # oldest first: the newest collaborative's page wins
        .order_by("collaborative__start_date", "pk")
        .values_list("measure_id", "collaborative__public_id")
    )
    out = []
    for measure in measures:
        if measure.program_id in reviewers:
            url = reverse("measures:library_detail", kwargs={"measure_id": measure.public_id})
        elif measure.pk in in_collaborative:
            url = reverse(
                "measures:measure",
                kwargs={
                    "collaborative_id": in_collaborative[measure.pk],
                    "measure_id": measure.public_id,
                },
            )
        else:
            continue
        out.append((measure.public_id, str(measure), url))
    return out
