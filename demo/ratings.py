"""Demo progress ratings: every active team of the active collaborative is rated each
month from the collaborative's start up to last month, by its coach and by itself.

Each team follows a trajectory of coach scores on the IHI scale (the self-rating runs
half a point higher, a full point for two teams so that the coach sees gaps flagged);
past the end of a trajectory (a world seeded long ago and completed since) the score
keeps rising slowly. Two teams have not rated last month yet, so the coach sees ratings
missing; this month's ratings are what is due. Rows are found by their natural key
(team, month, kind), so seeding twice adds nothing.
"""

from datetime import date
from decimal import Decimal

from core.clock import add_months, month_start
from teams.models import ProgressRating, RatingKind

from .collaboratives import ACTIVE, last_month
from .world import COACHING, DemoResult, DemoWorld

#: Coach scores, month by month from the collaborative's start.
TRAJECTORIES = {
    "Riverside ED Peds Ready": "1.0 1.5 2.0 2.0 2.5 3.0 3.0 3.5",
    "Prairie View Kids First": "1.0 1.5 1.5 2.0 2.0 2.0 2.5 2.5",
    "Red Mesa Pediatric Readiness": "1.0 1.0 1.5 1.5 2.0 2.0 2.0 2.0",
    "Lakeside Pain Champions": "1.5 2.0 2.5 3.0 3.0 3.5 4.0 4.0",
    "Northgate Peds Team": "1.0 1.5 2.0 2.5 2.5 2.5 3.0 3.0",
    "St. Brendan Peds Readiness": "1.0 1.5 2.0 2.0 2.0 2.5 2.5 2.5",
    "Bayou Parish Kids Count": "1.0 1.0 1.5 2.0 2.5 2.5 3.0 3.0",
    "Green Mountain Ready": "1.0 1.5 1.5 1.5 2.0 2.0 2.0 2.5",
    "Cascade Vital Signs Team": "1.5 2.0 2.5 2.5 3.0 3.5 3.5 4.0",
    "Desert Springs Peds Ready": "1.0 1.5 2.0 2.0 2.5 2.5 2.5 3.0",
    "Turtle Mountain Kids": "1.0 1.0 1.0 1.5 1.5 2.0 2.0 2.0",
    "Coastal Carolina Peds": "1.0 1.5 1.5 2.0 2.0 2.5 2.5 2.5",
}
#: Teams whose coach and lead have not rated last month yet.
LATE_RATERS = {"St. Brendan Peds Readiness", "Turtle Mountain Kids"}
BIG_SELF_GAP = {"Red Mesa Pediatric Readiness", "Prairie View Kids First"}
RATIONALES = {
    "1.0": "Team and charter in place; meetings scheduled.",
    "1.5": "Aim drafted and measures chosen; baseline data collection planned.",
    "2.0": "Baseline data collected; first changes being planned.",
    "2.5": "Changes tested in PDSA cycles; no improvement in the data yet.",
    "3.0": "Modest improvement on the main process measure.",
    "3.5": "Further improvement; several changes adopted on all shifts.",
    "4.0": "More than half of the goals met; spreading to the whole department.",
}
TOP = Decimal("5.0")


def coach_score(trajectory: str, index: int) -> Decimal:
    """The coach's score in the collaborative's month `index` (0 is the first month)."""
    scores = [Decimal(score) for score in trajectory.split()]
    if index < len(scores):
        return scores[index]
    # Half a point more every three months after the written trajectory ends.
    return min(scores[-1] + Decimal("0.5") * ((index - len(scores) + 1) // 3), TOP)


def rated_months(collaborative, today: date) -> list[date]:
    """The months rated so far: from the start to last month (or the end, if sooner)."""
    first = month_start(collaborative.start_date)
    last = min(last_month(today), month_start(collaborative.end_date))
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Coach and self ratings of the active collaborative's teams, up to last month."""
    lead = world.users["lead@demo.example"]
    coaches = {}
    for key, email in COACHING:
        coaches.setdefault(key, world.users[email])
    newest = last_month(today)
    for key, team in world.teams_of(ACTIVE):
        trajectory = TRAJECTORIES.get(key)
        if trajectory is None:
            continue
        gap = Decimal("1.0") if key in BIG_SELF_GAP else Decimal("0.5")
        self_rater = lead if key.startswith("Riverside") else None
        for index, month in enumerate(rated_months(team.collaborative, today)):
            if month == newest and key in LATE_RATERS:
                continue
            score = coach_score(trajectory, index)
            for kind, value, who in (
                (RatingKind.COACH, score, coaches[key]),
                (RatingKind.SELF, min(score + gap, TOP), self_rater),
            ):
                _, created = ProgressRating.objects.get_or_create(
                    program=team.program,
                    team=team,
                    month=month,
                    kind=kind,
                    defaults={
                        "score": value,
                        "rationale": RATIONALES.get(str(value), "Good progress this month."),
                        "rated_by": who,
                    },
                )
                result.count(created)
