"""Every team's state at a glance, for the coach and staff dashboards.

One `TeamSummary` per team: its data (latest period's status, days late, last month
handed in), its key measures (sparkline values and a new signal), its gap-analysis
score, its PDSA activity, its last coach and self ratings, the viewer's unread
comments and the events its members attended. `team_summaries` builds them for any
number of teams in a fixed number of queries: one per source, each over all the
teams at once (the feature apps publish these in their public.py); the SPC analysis
of the key measures, the costly part, is cached per team under the team's version
(dashboards.summary_versions), which the writes that matter bump.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_program_ids
from assessments.public import GapScore, latest_gap_score_column, latest_gap_score_from
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from core.http import parse_uuid
from core.memo import page_memo
from learning_sessions.public import events_attended_column
from measures.public import (
    MeasureDigest,
    TeamDataStatus,
    team_data_statuses,
    team_measure_digests,
    team_submissions_column,
    team_submissions_from,
)
from pdsa.public import CycleActivity, cycle_activity_columns, cycle_activity_from
from teams.models import CoachAssignment, Team, TeamStatus
from teams.selectors import TeamScores, team_ratings_column, team_scores_from, teams_coached_by

from .summary_versions import team_versions

#: How long a team's key-measure digests stay cached (a new version replaces them
#: sooner: any change to the team's data bumps it).
DIGEST_CACHE_SECONDS = 6 * 3600


@dataclass
class TeamSummary:
    """One team's row on the dashboard (see the module docstring)."""

    team: Team
    data: TeamDataStatus
    measures: list[MeasureDigest]
    cycles: CycleActivity
    ratings: TeamScores
    gap: GapScore | None = None
    unread_comments: int = 0
    events_attended: int = 0
    today: date = field(default_factory=clock.today)

    @property
    def months_without_data(self) -> int | None:
        """Whole months from the last month handed in to the latest ended period (None
        when the collaborative has no ended period yet)."""
        latest = self.data.period_start
        if latest is None:
            return None
        last = self.data.last_handed_in
        if last is None:
            return None
        return max(0, (latest.year - last.year) * 12 + latest.month - last.month)

    @property
    def days_since_cycle(self) -> int | None:
        """Days since the team last started a PDSA cycle (None: never)."""
        started: datetime | None = self.cycles.last_started
        if started is None:
            return None
        return (self.today - started.date()).days

    @property
    def concern_measures(self) -> list[MeasureDigest]:
        return [m for m in self.measures if m.signal_tone == "concern"]

    @property
    def rating_gap(self) -> Decimal | None:
        return self.ratings.gap


def _digest_key(team_id: int, version: int, today: date) -> str:
    return f"dashboards:digest:1:{team_id}:{version}:{today}"


def _digests(teams: Sequence[Team], today: date) -> dict[int, list[MeasureDigest]]:
    """Key-measure digests, from the cache where the team's version is unchanged."""
    versions = team_versions([t.pk for t in teams])
    keys = {t.pk: _digest_key(t.pk, versions[t.pk], today) for t in teams}
    cached = cache.get_many(list(keys.values())) if teams else {}
    missing = [t for t in teams if keys[t.pk] not in cached]
    if missing:
        fresh = team_measure_digests(teams=missing, today=today)
        cache.set_many({keys[pk]: v for pk, v in fresh.items()}, timeout=DIGEST_CACHE_SECONDS)
        cached.update({keys[pk]: v for pk, v in fresh.items()})
    return {t.pk: cached.get(keys[t.pk], []) for t in teams}


#: Teams whose digests one refresh step computes together (four queries a step).
DIGEST_REFRESH_CHUNK = 200


def team_digests_refresh(*, team_ids: Iterable[int] | None = None) -> int:
    """Compute and store today's key-measure digests of every active team (or of
    `team_ids`), cached or not; returns how many teams.

    The digests are keyed by the day and kept DIGEST_CACHE_SECONDS, so without this the
    first dashboard of each day, and of each six hours, computed every team's in the
    request: about a second for a 300-team collaborative, where a warm answer takes
    milliseconds. Beat runs it just after midnight (the site's zone, which `today`
    uses) and every four hours (`dashboards.tasks.refresh_dashboard_digests`), so
    people find them ready. Each chunk reads the teams' versions before computing: a
    change made meanwhile bumps the version, and the entry written under the old one is
    never read."""
    today = clock.today()
    teams = Team.objects.filter(status=TeamStatus.ACTIVE)
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    ids = list(teams.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), DIGEST_REFRESH_CHUNK):
        chunk = list(
            Team.objects.filter(pk__in=ids[start : start + DIGEST_REFRESH_CHUNK])
            .select_related("collaborative")
            .order_by("pk")
        )
        versions = team_versions([t.pk for t in chunk])
        fresh = team_measure_digests(teams=chunk, today=today)
        cache.set_many(
            {_digest_key(t.pk, versions[t.pk], today): fresh.get(t.pk, []) for t in chunk},
            timeout=DIGEST_CACHE_SECONDS,
        )
    return len(ids)


@dataclass
class _Figures:
    cycles: CycleActivity
    gap: GapScore | None
    events_attended: int
    ratings: list[dict] | None
    submissions: list[dict] | None


def _team_figures(*, ids: list[int], viewer: User, now: datetime) -> dict[int, _Figures]:
    """{team id: its PDSA activity with the viewer's unread comments, gap score, events
    attended, ratings and submissions} in one query: each source is a correlated subquery (published
    by its app) of one query over the teams, not a query of its own, so a dashboard
    request stays within its budget of queries."""
    rows = (
        Team.objects.filter(pk__in=ids)
        .order_by()
        .annotate(
            **cycle_activity_columns(now=now, unread_for=viewer),
            gap_responses=latest_gap_score_column(),
            events_attended=events_attended_column(),
            ratings=team_ratings_column(),
            submissions=team_submissions_column(),
        )
        .values(
            "pk",
            "pdsa_activity",
            "pdsa_unread",
            "gap_responses",
            "events_attended",
            "ratings",
            "submissions",
        )
    )
    return {
        row["pk"]: _Figures(
            cycles=cycle_activity_from(row),
            gap=latest_gap_score_from(row["gap_responses"]),
            events_attended=row["events_attended"],
            ratings=row["ratings"],
            submissions=row["submissions"],
        )
        for row in rows
    }


def team_summaries(
    *, teams: Iterable[Team], viewer: User, now: datetime | None = None
) -> list[TeamSummary]:
    """A summary of each team (in the given order), in a number of queries that does not
    depend on the number of teams or of their collaboratives: the collaboratives'
    periods (1), the teams' submissions, ratings, PDSA activity with the viewer's
    unread comments, gap scores and events attended (1), and for teams
    whose digests are not cached, measure sets, values and chart settings (3). The
    caller has already decided that `viewer` may see every team."""
    now = now or clock.now()
    today = clock.today()
    teams = list(teams)
    if not teams:
        return []
    ids = [t.pk for t in teams]
    figures = _team_figures(ids=ids, viewer=viewer, now=now)
    submissions = {
        team.pk: team_submissions_from(team=team, value=figures[team.pk].submissions)
        for team in teams
    }
    # The data statuses and the key measures' series read the same periods: once.
    with page_memo():
        data = team_data_statuses(teams=teams, today=today, submissions_of=submissions)
        digests = _digests(teams, today)
    scores = team_scores_from(teams=teams, ratings={pk: f.ratings for pk, f in figures.items()})
    return [
        TeamSummary(
            team=team,
            data=data.get(team.pk, TeamDataStatus()),
            measures=digests.get(team.pk, []),
            cycles=figures[team.pk].cycles,
            ratings=scores[team.pk],
            gap=figures[team.pk].gap,
            unread_comments=figures[team.pk].cycles.unread_comments,
            events_attended=figures[team.pk].events_attended,
            today=today,
        )
        for team in teams
    ]


#: How long a viewer's summaries of a set of teams are reused (a change to any of the
#: teams changes the key, so this only bounds staleness from writes without signals).
SUMMARY_CACHE_SECONDS = 60


def cached_team_summaries(*, teams: Sequence[Team], viewer: User) -> list[TeamSummary]:
    """`team_summaries`, reused for SUMMARY_CACHE_SECONDS for the same viewer, teams
    and team versions: the page and the API ask for the same rows, often in a row
    (sorting and filtering re-rank them without reading anything again)."""
    teams = list(teams)
    versions = team_versions([t.pk for t in teams])
    digest = hashlib.sha256(
        ",".join(f"{t.pk}:{versions[t.pk]}" for t in teams).encode()
    ).hexdigest()[:24]
    key = f"dashboards:summaries:1:{viewer.pk}:{clock.today()}:{digest}"
    summaries = cache.get(key)
    if summaries is None:
        summaries = team_summaries(teams=teams, viewer=viewer)
        cache.set(key, summaries, timeout=SUMMARY_CACHE_SECONDS)
    return summaries


# --- which teams a dashboard shows -------------------------------------------------------


def coach_dashboard_teams(*, user: User) -> list[Team]:
    """The coach's assigned active teams, across collaboratives and programs (one query)."""
    return list(teams_coached_by(user=user).filter(status=TeamStatus.ACTIVE))


def dashboard_collaborative_or_404(*, user: User, collaborative_id) -> Collaborative:
    """A collaborative whose dashboard `user` may open: its program's staff, or a coach
    assigned to one of its teams (who sees their own teams there). Anyone else: 404."""
    try:
        collaborative = (
            collaboratives_visible_to(user=user)
            .select_related("program")
            .get(public_id=collaborative_id)
        )
    except (Collaborative.DoesNotExist, ValueError):
        raise Http404("No such collaborative.") from None
    if collaborative.program_id in staff_program_ids(user=user):
        return collaborative
    if not coaches_in(user=user, collaborative=collaborative):
        raise Http404("No such collaborative.")
    return collaborative


def coaches_in(*, user: User, collaborative: Collaborative) -> bool:
    """Whether `user` is a coach of the collaborative's program assigned to at least one
    of its teams (one query; none for someone who coaches in no program)."""
    if collaborative.program_id not in coach_program_ids(user=user):
        return False
    return teams_coached_by(user=user).filter(collaborative=collaborative).exists()


def collaborative_dashboard_teams(*, user: User, collaborative: Collaborative) -> list[Team]:
    """The active teams of the collaborative that `user` sees on its dashboard: every
    one for the program's staff, the assigned ones for a coach (one query)."""
    qs: QuerySet[Team]
    if collaborative.program_id in staff_program_ids(user=user):
        qs = Team.objects.filter(
            program_id=collaborative.program_id, collaborative=collaborative
        ).select_related("collaborative", "facility", "program")
    else:
        qs = teams_coached_by(user=user).filter(collaborative=collaborative)
    return list(qs.filter(status=TeamStatus.ACTIVE).order_by("name"))


def collaborative_dashboard_scope(
    *, user: User, collaborative_id
) -> tuple[Collaborative, list[Team]]:
    """(`dashboard_collaborative_or_404`, `collaborative_dashboard_teams`) in one query
    when the user sees at least one active team there: the teams a staff member of
    their program or their assigned coach sees, each with its collaborative, and a team
    seen proves the collaborative may be opened. Otherwise (no team, or no access: 404)
    the two steps, so that the answer is the same as theirs."""
    staff, coach = staff_program_ids(user=user), coach_program_ids(user=user)
    public_id = parse_uuid(str(collaborative_id))
    if (staff or coach) and public_id is not None:
        assigned = Exists(CoachAssignment.objects.filter(team=OuterRef("pk"), coach=user))
        teams = list(
            Team.objects.filter(collaborative__public_id=public_id, status=TeamStatus.ACTIVE)
            .filter(Q(program_id__in=staff) | (Q(program_id__in=coach) & Q(assigned)))
            .select_related("collaborative", "collaborative__program", "facility", "program")
            .order_by("name")
        )
        if teams:
            return teams[0].collaborative, teams
    collaborative = dashboard_collaborative_or_404(user=user, collaborative_id=collaborative_id)
    return collaborative, collaborative_dashboard_teams(user=user, collaborative=collaborative)


def sees_team_summary(*, user: User, team: Team) -> bool:
    """Whether `user` is program staff of the team (no query: the request's roles) or
    one of its assigned coaches (one query): who may read its dashboard summary."""
    if team.program_id in staff_program_ids(user=user):
        return True
    return teams_coached_by(user=user).filter(pk=team.pk).exists()
