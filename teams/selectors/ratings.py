"""Monthly progress ratings on the IHI scale: history, gaps between coach and team,
and the latest scores of many teams (the coach dashboard ranks them: dashboards)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import CharField, Count, Exists, F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import Cast, JSONObject, RowNumber

from core.clock import current_month

from ..models import (
    IHI_SCALE,
    ProgressRating,
    RatingKind,
    Team,
    TeamStatus,
)
from .rating_rule import RatingExpectation, rating_expectation

#: A coach and a team that disagree by this much about the same month should talk.
GAP_THRESHOLD = Decimal("1.0")


def score_definition(score: Decimal | None) -> str:
    """The IHI scale's words for a score ("" for none)."""
    if score is None:
        return ""
    return IHI_SCALE.get(Decimal(score).quantize(Decimal("0.1")), "")


def progress_ratings_for(*, team: Team) -> QuerySet[ProgressRating]:
    """Every rating of a team the caller may see, newest month first.

    `is_current` marks the newest row of its month and kind: re-rating a month adds
    a row, and the earlier ones stay as history.
    """
    newer = ProgressRating.objects.filter(
        team_id=OuterRef("team_id"),
        kind=OuterRef("kind"),
        month=OuterRef("month"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return (
        ProgressRating.objects.filter(team=team, program_id=team.program_id)
        .select_related("rated_by", "team")
        .annotate(is_current=~Exists(newer))
        .order_by("-month", "-created_at", "-pk")
    )


def gap_label(gap: Decimal | None) -> str:
    """The gap between coach and team, in words ("" when only one of them rated)."""
    if gap is None:
        return ""
    if gap >= GAP_THRESHOLD:
        return f"Gap of {gap}: talk it through"
    if gap:
        return f"Difference of {gap}"
    return "Same score"


class _GapWords:
    """Words and a colour class for a `gap` attribute, for templates."""

    gap: Decimal | None

    @property
    def needs_talk(self) -> bool:
        return self.gap is not None and self.gap >= GAP_THRESHOLD

    @property
    def gap_label(self) -> str:
        return gap_label(self.gap)

    @property
    def gap_status(self) -> str:
        return "gap" if self.needs_talk else "close"


@dataclass
class MonthRatings(_GapWords):
    """One month of a team's progress: the current coach and self rating side by side."""

    month: date
    coach: ProgressRating | None = None
    self_rating: ProgressRating | None = None
    replaced: list[ProgressRating] = field(default_factory=list)

    @property
    def gap(self) -> Decimal | None:
        if self.coach is None or self.self_rating is None:
            return None
        return abs(self.coach.score - self.self_rating.score)


def progress_history(*, team: Team) -> list[MonthRatings]:
    """A team's ratings grouped by month (newest first), in one query.

    Rows come newest first, so the first coach row and the first self row of each
    month are the current ones; later rows of the month are the replaced history.
    """
    months: dict[date, MonthRatings] = {}
    for rating in progress_ratings_for(team=team):
        rating.definition = score_definition(rating.score)
        entry = months.setdefault(rating.month, MonthRatings(month=rating.month))
        if rating.kind == RatingKind.COACH and entry.coach is None:
            entry.coach = rating
        elif rating.kind == RatingKind.SELF and entry.self_rating is None:
            entry.self_rating = rating
        else:
            entry.replaced.append(rating)
    return list(months.values())


@dataclass
class LatestScore:
    month: date
    score: Decimal

    @property
    def definition(self) -> str:
        return score_definition(self.score)


@dataclass
class TeamScores(_GapWords):
    """The latest coach and self scores of one team, and the newest month's gap."""

    team: Team
    coach: LatestScore | None = None
    self_rating: LatestScore | None = None
    gap_month: date | None = None
    gap: Decimal | None = None
    coach_rated_this_month: bool = False
    #: Whether this month's ratings are expected at all (the rule both sides share).
    expectation: RatingExpectation | None = None

    @property
    def rating_due(self) -> bool:
        """The coach still owes this month's rating: it is expected (rating_rule:
        an approved team of a running collaborative, in its dates) and not given."""
        return (
            not self.coach_rated_this_month
            and self.expectation is not None
            and self.expectation.expected
        )


def _scores_of(teams: Iterable[Team], this_month: date) -> tuple[list[Team], dict[int, TeamScores]]:
    teams = list(teams)
    return teams, {
        team.pk: TeamScores(team=team, expectation=rating_expectation(team=team, month=this_month))
        for team in teams
    }


def _add_ratings(
    result: dict[int, TeamScores],
    rows: Iterable[tuple[int, str, date, Decimal]],
    this_month: date,
) -> dict[int, TeamScores]:
    """Fill `result` from the current rating of each (team, kind, month), newest month
    first per team: the gap is taken from the newest month in which both the coach and
    the team rated, because scores of different months are not comparable."""
    pending: dict[int, dict[date, dict[str, Decimal]]] = {}
    for team_id, kind, month, score in rows:
        scores = result[team_id]
        latest = LatestScore(month=month, score=score)
        if kind == RatingKind.COACH:
            scores.coach = scores.coach or latest
            if month == this_month:
                scores.coach_rated_this_month = True
        else:
            scores.self_rating = scores.self_rating or latest
        by_month = pending.setdefault(team_id, {}).setdefault(month, {})
        by_month[kind] = score
        if scores.gap_month is None and len(by_month) == 2:
            scores.gap_month = month
            scores.gap = abs(by_month[RatingKind.COACH] - by_month[RatingKind.SELF])
    return result


def team_scores(*, teams: Iterable[Team], this_month: date | None = None) -> dict[int, TeamScores]:
    """Latest coach and self scores for many teams, in one query whatever their number.

    A window function keeps only the current row of each (team, kind, month); the
    gap is taken from the newest month in which both the coach and the team rated,
    because scores of different months are not comparable.
    """
    this_month = this_month or current_month()
    teams, result = _scores_of(teams, this_month)
    if not teams:
        return result
    rows = (
        ProgressRating.objects.filter(
            program_id__in={team.program_id for team in teams}, team_id__in=list(result)
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("team_id"), F("kind"), F("month")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("team_id", "kind", "month", "score")
        .order_by("team_id", "-month")
    )
    return _add_ratings(result, rows, this_month)


def team_ratings_column() -> Subquery:
    """The ratings `team_scores` reads, as an annotation of a query over teams (the team
    is OuterRef("pk")): a JSON list of the team's ratings, newest month first and the
    current one first within a (kind, month), so that a dashboard reads them with the
    teams' other figures. `team_scores_from` turns the lists into TeamScores."""
    ratings = (
        ProgressRating.objects.filter(team_id=OuterRef("pk"), program_id=OuterRef("program_id"))
        .order_by()
        .values("team_id")
        .annotate(
            ratings=JSONBAgg(
                JSONObject(kind="kind", month="month", score=Cast("score", CharField())),
                order_by=("-month", "-created_at", "-pk"),
            )
        )
        .values("ratings")
    )
    return Subquery(ratings, output_field=JSONField())


def team_scores_from(
    *, teams: Iterable[Team], ratings: dict[int, list[dict] | None], this_month: date | None = None
) -> dict[int, TeamScores]:
    """`team_scores` from each team's `team_ratings_column` ({team id: its value}), with
    no query of its own: the first rating of each (kind, month) is its current one."""
    this_month = this_month or current_month()
    _, result = _scores_of(teams, this_month)
    rows = []
    for team_id in result:
        seen: set[tuple[str, str]] = set()
        for rating in ratings.get(team_id) or ():
            if (rating["kind"], rating["month"]) in seen:
                continue
            seen.add((rating["kind"], rating["month"]))
            rows.append(
                (
                    team_id,
                    rating["kind"],
                    date.fromisoformat(rating["month"]),
                    Decimal(rating["score"]),
                )
            )
    return _add_ratings(result, rows, this_month)


def rating_distribution_rows(*, collaborative, first_month: date, last_month: date) -> QuerySet:
    """The figures of `rating_distribution_from` as a query of one JSON column ("row"),
    that a dashboard reads as a column of one statement with its other figures (the
    progress API's budget of queries, issue 16): per month first_month..last_month and
    score, the number of the collaborative's active teams whose coach's current rating
    it is, counted in SQL whatever the number of teams.

    The coach's (or staff's) rating is the collaborative's score of record (the IHI
    scale is scored by the director and improvement advisor; self-ratings are the
    team's view); a re-rated month counts its newest row only.
    """
    newer = ProgressRating.objects.filter(
        team_id=OuterRef("team_id"), kind=OuterRef("kind"), month=OuterRef("month")
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return (
        ProgressRating.objects.filter(
            program_id=collaborative.program_id,
            team__collaborative=collaborative,
            team__status=TeamStatus.ACTIVE,
            kind=RatingKind.COACH,
            month__gte=first_month,
            month__lte=last_month,
        )
        .filter(~Exists(newer))
        .order_by()
        .values("month", "score")
        .annotate(row=JSONObject(month="month", score=Cast("score", CharField()), n=Count("id")))
        .values("row")
    )


def rating_distribution_from(rows: Iterable[dict]) -> dict[date, dict[Decimal, int]]:
    """{month: {score: number of teams}} from the rows of `rating_distribution_rows`."""
    out: dict[date, dict[Decimal, int]] = {}
    for row in rows:
        out.setdefault(date.fromisoformat(row["month"]), {})[Decimal(row["score"])] = row["n"]
    return out
