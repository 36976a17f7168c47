"""The progress of a whole collaborative, for its program staff and sponsors: the share
of teams that reported each month, the coaches' IHI progress scores over time, the
gap-analysis change from baseline per section, signals across teams and PDSA activity.

Every figure is counted by the database (or read from the measures' per-team cached
signal summaries) in a fixed number of queries, whatever the number of teams: the page,
the API and the sponsor PDF read the same `progress_figures` dictionary, which is
plain JSON so that it can be cached per viewer (`cached_progress_figures`) until the
collaborative's data change (`dashboards.progress_cache`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import OuterRef, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import staff_program_ids
from assessments.public import section_change_from, section_change_rows
from collaboratives.models import Collaborative
from core import clock
from core.http import parse_uuid
from measures.public import (
    monthly_handed_in_from,
    monthly_handed_in_rows,
    signal_counts,
    signal_versions_from,
    signal_versions_rows,
)
from pdsa.public import monthly_cycle_activity_from, monthly_cycle_activity_rows
from teams.models import IHI_SCALE, Team, TeamStatus
from teams.selectors import rating_distribution_from, rating_distribution_rows

from .progress_cache import progress_version

#: The figures cover at most this many months, the latest first cut off.
MAX_MONTHS = 24
#: How long a viewer's figures are reused; a write to the collaborative's data makes a
#: new key at once (the version), so this only bounds how long an unused entry stays.
FIGURES_CACHE_SECONDS = 120
SCORES = [str(score) for score in IHI_SCALE]


def progress_collaborative_or_404(*, user: User, collaborative_id) -> Collaborative:
    """The collaborative if `user` is staff (or admin) of its program; 404 for anyone
    else, exactly like a collaborative that does not exist."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("No such collaborative.")
    found = (
        Collaborative.objects.filter(
            program_id__in=staff_program_ids(user=user), public_id=collaborative_id
        )
        .select_related("program")
        .first()
    )
    if found is None:
        raise Http404("No such collaborative.")
    return found


def progress_scope_or_404(*, user: User, collaborative_id) -> tuple[Collaborative, list[int]]:
    """(`progress_collaborative_or_404`, the ids of the collaborative's active teams) in
    one query: the collaborative with the ids as an array column (the API's budget of
    queries, issue 16); no team row is read, so a request whose figures are cached
    stays cheap."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("No such collaborative.")
    public_id = parse_uuid(str(collaborative_id))
    found = (
        Collaborative.objects.filter(
            program_id__in=staff_program_ids(user=user), public_id=public_id
        )
        .select_related("program")
        .annotate(
            active_team_ids=ArraySubquery(
                Team.objects.filter(
                    program_id=OuterRef("program_id"),
                    collaborative_id=OuterRef("pk"),
                    status=TeamStatus.ACTIVE,
                ).values("pk")
            )
        )
        .first()
        if public_id is not None
        else None
    )
    if found is None:
        raise Http404("No such collaborative.")
    return found, list(found.active_team_ids or [])


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def progress_months(collaborative: Collaborative, *, today: date | None = None) -> list[date]:
    """The months the figures cover: from the collaborative's start (at most
    MAX_MONTHS back) to the running month, or to its last month once it has ended."""
    this_month = clock.current_month(collaborative.timezone) if today is None else today
    this_month = this_month.replace(day=1)
    last = this_month
    if collaborative.end_date and collaborative.end_date.replace(day=1) < last:
        last = collaborative.end_date.replace(day=1)
    first = _add_months(last, -(MAX_MONTHS - 1))
    if collaborative.start_date and collaborative.start_date.replace(day=1) > first:
        first = min(collaborative.start_date.replace(day=1), last)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    return months


def _active_teams(collaborative: Collaborative) -> QuerySet[Team]:
    return Team.objects.filter(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        status=TeamStatus.ACTIVE,
    ).only("pk", "collaborative_id", "program_id")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _monthly_rows(*, collaborative: Collaborative, team_ids: list[int], months: list[date]) -> dict:
    """The rows of the figures counted in SQL (months handed in, ratings, gap-analysis
    responses, PDSA cycles started and completed, and the teams' versions that key the
    cached signal summaries), each app's query a column of ONE statement: one round
    trip instead of five (the API's budget of queries, issue 16)."""
    first, last = months[0], months[-1]
    started, completed = monthly_cycle_activity_rows(
        program_id=collaborative.program_id,
        team_ids=team_ids,
        first_month=first,
        last_month=last,
        tz=ZoneInfo(collaborative.timezone),
    )
    data_versions, settings_versions = signal_versions_rows(
        collaborative=collaborative, team_ids=team_ids
    )
    columns = {
        "handed_in": monthly_handed_in_rows(
            collaborative=collaborative, team_ids=team_ids, first_month=first, last_month=last
        ),
        "ratings": rating_distribution_rows(
            collaborative=collaborative, first_month=first, last_month=last
        ),
        "sections": section_change_rows(collaborative=collaborative, team_ids=team_ids),
        "started": started,
        "completed": completed,
        "data_versions": data_versions,
        "settings_versions": settings_versions,
    }
    found = (
        Collaborative.objects.filter(pk=collaborative.pk)
        .values(**{name: ArraySubquery(rows) for name, rows in columns.items()})
        .get()
    )
    # A column whose query cannot match (no team: `team_id IN ()`) comes back NULL.
    return {name: found[name] or [] for name in columns}


def progress_figures(*, collaborative: Collaborative, team_ids: list[int] | None = None) -> dict:
    """Every figure of the collaborative's progress as plain JSON (see the module's
    text). The caller has checked that the viewer is the program's staff; `team_ids`:
    its active teams' when the caller has read them already (`progress_scope_or_404`)."""
    months = progress_months(collaborative)
    if team_ids is None:
        team_ids = list(_active_teams(collaborative).values_list("pk", flat=True))
    # What the signal summaries read of a team (its id, program and collaborative), known
    # without reading the teams again: they are this collaborative's active teams.
    teams = [
        Team(pk=pk, program_id=collaborative.program_id, collaborative_id=collaborative.pk)
        for pk in team_ids
    ]
    n_teams = len(teams)

    rows = _monthly_rows(collaborative=collaborative, team_ids=team_ids, months=months)
    handed_in = monthly_handed_in_from(rows["handed_in"])
    today = clock.today(collaborative.timezone)
    submissions = []
    for month in months:
        n, due = handed_in.get(month, (None, None))
        submissions.append(
            {
                "month": month.isoformat(),
                "has_period": n is not None,
                "due_date": due.isoformat() if due else None,
                "is_due": due is not None and due < today,
                "handed_in": n or 0,
                "share": round(100 * n / n_teams, 1) if n is not None and n_teams else None,
            }
        )

    distribution = rating_distribution_from(rows["ratings"])
    ratings = []
    for month in months:
        counts = {str(score): n for score, n in distribution.get(month, {}).items()}
        ratings.append(
            {
                "month": month.isoformat(),
                "counts": {score: counts.get(score, 0) for score in SCORES},
                "rated": sum(counts.values()),
            }
        )

    sections = [
        {
            "key": s.key,
            "title": s.title,
            "baseline": _number(s.baseline),
            "latest": _number(s.latest),
            "change": _number(s.change),
            "teams_at_baseline": s.n_baseline,
            "teams_with_later_survey": s.n_latest,
            "teams_with_both": s.n_paired,
        }
        for s in section_change_from(rows["sections"])
    ]

    signals = [
        {
            "measure": {
                "id": str(c.measure.public_id),
                "name": c.measure.name,
                "short_name": c.measure.short_name,
            },
            "teams_improvement": c.improvement,
            "teams_concern": c.concern,
            "teams_with_data": c.with_data,
        }
        for c in signal_counts(
            collaborative=collaborative,
            teams=teams,
            versions=signal_versions_from(rows["data_versions"], rows["settings_versions"]),
        )
    ]

    activity = monthly_cycle_activity_from(rows["started"], rows["completed"])
    cycles = [
        {
            "month": month.isoformat(),
            "started": activity.get(month, (0, 0))[0],
            "completed": activity.get(month, (0, 0))[1],
        }
        for month in months
    ]
    return {
        "collaborative": {"id": str(collaborative.public_id), "title": collaborative.title},
        "as_of": today.isoformat(),
        "active_teams": n_teams,
        "months": [m.isoformat() for m in months],
        "scores": SCORES,
        "submissions": submissions,
        "ratings": ratings,
        "sections": sections,
        "signals": signals,
        "cycles": cycles,
    }


def _cache_key(*, user: User, collaborative: Collaborative, what: str) -> str:
    version = progress_version(collaborative.pk)
    return (
        f"dashboards:progress:{what}:1:{collaborative.pk}:{version}:{user.pk}:"
        f"{clock.today(collaborative.timezone)}"
    )


def cached_progress_figures(
    *, user: User, collaborative: Collaborative, team_ids: list[int] | None = None
) -> dict:
    """`progress_figures`, reused for the same viewer for a short time and recomputed
    at once after a write to the collaborative's data (its version is in the key)."""
    key = _cache_key(user=user, collaborative=collaborative, what="figures")
    figures = cache.get(key)
    if figures is None:
        figures = progress_figures(collaborative=collaborative, team_ids=team_ids)
        cache.set(key, figures, timeout=FIGURES_CACHE_SECONDS)
    return figures


def cached_progress_page(*, user: User, collaborative: Collaborative, draw) -> tuple[dict, object]:
    """(figures, what `draw(figures)` makes of them), both reused like the figures: the
    page's charts cost more to draw than the figures to read back (at 24 months)."""
    key = _cache_key(user=user, collaborative=collaborative, what="page")
    cached = cache.get(key)
    if cached is None:
        figures = cached_progress_figures(user=user, collaborative=collaborative)
        cached = (figures, draw(figures))
        cache.set(key, cached, timeout=FIGURES_CACHE_SECONDS)
    return cached
