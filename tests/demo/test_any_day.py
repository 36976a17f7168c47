"""The demo has the same shape whatever the day it is seeded on.

Seeded on far-apart days (a year's end, the middle of a month, the last day of a
February, the first of a month when last month ended yesterday), it always has a past
collaborative, an active one with data, ratings and cycles up to last month (last month
in every state), a recruiting one whose enrolment is open, and the second tenant's;
nothing is dated after the day of seeding; every login lands on its home page; seeding
again the same day adds nothing, and seeding on a later day completes the same world
instead of adding a second one.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.apps import apps
from django.db.models import F, Max, Q
from django.test import Client

from assessments.models import Answer, SurveyResponse, SurveyTemplate, SurveyWave
from collaboratives.lifecycle import enrolment_problem
from collaboratives.models import Collaborative, CollaborativeStatus
from core import clock
from core.clock import add_months, month_start
from demo.collaboratives import ACTIVE, GREAT_LAKES, PAST, RECRUITING, last_month
from demo.seed import seed_demo
from measures.models import DataPoint, Submission, SubmissionStatus
from pdsa.models import Aim, Comment, Cycle
from teams.models import ProgressRating, RatingKind, Team, TeamStatus
from tests.clock import instant

from .logins import DEMO_LOGINS, assert_lands_on_home

pytestmark = pytest.mark.django_db

DAYS = ["2026-12-31", "2027-09-15", "2031-02-28", "2028-03-01"]


def _on(days: list[str]):
    """Parametrise a test over `days`, each run on its day (the fixed clock's marker)."""
    return pytest.mark.parametrize(
        "day", [pytest.param(day, marks=pytest.mark.today(day), id=day) for day in days]
    )


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def _assert_past(today: date) -> None:
    past = Collaborative.objects.get(slug=PAST)
    assert past.status == CollaborativeStatus.COMMUNITY
    assert past.end_date < today
    assert past.title == f"Pediatric Readiness Quality Collaborative {past.start_date.year}"
    teams = Team.objects.filter(collaborative=past, status=TeamStatus.ACTIVE)
    assert teams.count() == 4
    newest = DataPoint.objects.filter(collaborative=past).aggregate(m=Max("period__start"))["m"]
    assert newest == month_start(past.end_date)  # its data run to its last month
    for team in teams:
        assert DataPoint.objects.filter(team=team).exists(), team
    assert set(Submission.objects.filter(collaborative=past).values_list("status", flat=True)) == {
        SubmissionStatus.REVIEWED
    }
    responses = SurveyResponse.objects.filter(collaborative=past)
    assert (
        sorted(responses.values_list("wave__kind", flat=True))
        == ["baseline"] * 4 + ["follow_up"] * 4
    )


def _assert_active(today: date) -> None:
    active = Collaborative.objects.get(slug=ACTIVE)
    newest = last_month(today)
    assert active.status == CollaborativeStatus.ACTIVE
    assert active.start_date == add_months(today, -8)  # eight months behind it
    assert active.start_date <= today <= active.end_date
    assert active.title == f"Pediatric Readiness Quality Collaborative {active.start_date.year}"
    teams = Team.objects.filter(collaborative=active, status=TeamStatus.ACTIVE)
    assert teams.count() == 12
    assert Team.objects.filter(collaborative=active, status=TeamStatus.APPLIED).count() == 2
    assert not teams.filter(coach_assignments__isnull=True).exists()

    # Measures: every team has data up to last month, except the ones that are late.
    points = DataPoint.objects.filter(collaborative=active)
    assert points.aggregate(m=Max("period__start"))["m"] == newest
    with_last_month = set(points.filter(period__start=newest).values_list("team", flat=True))
    assert 0 < len(with_last_month) < teams.count()  # missing for some
    for team in teams:
        months = points.filter(team=team).values("period").distinct().count()
        assert 12 <= months <= 30, (team, months)
        assert points.filter(team=team, period__start=add_months(newest, -2)).exists(), team
    # Last month in every state; the months before it reviewed by the coach.
    submissions = Submission.objects.filter(collaborative=active)
    last = set(submissions.filter(period__start=newest).values_list("status", flat=True))
    assert last == {SubmissionStatus.SUBMITTED, SubmissionStatus.DRAFT}
    assert set(submissions.filter(period__start__lt=newest).values_list("status", flat=True)) == {
        SubmissionStatus.REVIEWED
    }

    # Ratings: monthly from the start up to last month; some not rated last month yet.
    ratings = ProgressRating.objects.filter(team__collaborative=active)
    assert ratings.aggregate(m=Max("month"))["m"] == newest
    assert ratings.values("month").distinct().count() == 8
    rated_last_month = ratings.filter(month=newest, kind=RatingKind.COACH).count()
    assert 0 < rated_last_month < teams.count()

    # PDSA work for every team, and aims due before the collaborative ends.
    for team in teams:
        assert Cycle.objects.filter(team=team).exists(), team
        aim = Aim.objects.get(team=team)
        assert today < aim.by_when <= active.end_date, aim.by_when
        assert aim.statement.startswith(f"By {aim.by_when:%B %Y}, "), aim.statement

    # Gap analysis: the baseline answered by every team, the follow-up not open yet.
    baseline = SurveyWave.objects.get(collaborative=active, kind="baseline")
    assert baseline.responses.filter(status="submitted").count() == 12
    follow_up = SurveyWave.objects.get(collaborative=active, kind="follow_up")
    assert follow_up.opens_on > today and not follow_up.responses.exists()


def _assert_recruiting(today: date) -> None:
    recruiting = Collaborative.objects.get(slug=RECRUITING)
    assert recruiting.status == CollaborativeStatus.RECRUITING
    assert enrolment_problem(recruiting, today) is None  # the window is open
    assert recruiting.start_date > today
    assert recruiting.title.endswith(str(recruiting.start_date.year))
    assert list(recruiting.teams.values_list("status", flat=True)) == [TeamStatus.APPLIED]


def _assert_second_tenant(today: date) -> None:
    lakes = Collaborative.objects.get(slug=GREAT_LAKES)
    assert lakes.program.slug == "great-lakes"
    assert lakes.status == CollaborativeStatus.ACTIVE
    assert lakes.start_date <= today <= lakes.end_date
    points = DataPoint.objects.filter(collaborative=lakes)
    assert points.aggregate(m=Max("period__start"))["m"] == last_month(today)
    assert Cycle.objects.filter(team__collaborative=lakes).exists()


def _assert_nothing_in_the_future(today: date) -> None:
    now = clock.now()
    assert not DataPoint.objects.filter(period__end__gte=today).exists()
    assert not Submission.objects.filter(Q(submitted_at__gt=now) | Q(reviewed_at__gt=now)).exists()
    assert not ProgressRating.objects.filter(month__gt=last_month(today)).exists()
    dated = Q()
    for field in ("plan_date", "do_date", "study_date", "act_date", "completed_date"):
        dated |= Q(**{f"{field}__gt": today})
    assert not Cycle.objects.filter(dated).exists()
    assert not Cycle.objects.filter(Q(created_at__gt=now) | Q(updated_at__gt=now)).exists()
    assert not Comment.objects.filter(created_at__gt=now).exists()
    assert not SurveyResponse.objects.filter(submitted_at__gt=now).exists()
    assert not Answer.objects.filter(updated_at__gt=now).exists()
    assert not SurveyTemplate.objects.filter(published_at__gt=now).exists()


def _assert_handed_in_after_the_period_ended() -> None:
    """A period is submitted only once it has ended (measures.periods.has_ended), and
    the demo's hand-ins record when they were first made."""
    handed_in = Submission.objects.exclude(status=SubmissionStatus.DRAFT)
    assert handed_in.exists()
    assert not handed_in.filter(submitted_at__date__lte=F("period__end")).exists()
    assert not handed_in.filter(first_submitted_at__isnull=True).exists()


@_on(DAYS)
def test_the_demo_has_the_same_shape_on_any_day(day, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False  # as in `make run` (DEBUG on)
    today = clock.today()
    assert today == date.fromisoformat(day)

    first = seed_demo(today=today)
    assert first.notes == []
    _assert_past(today)
    _assert_active(today)
    _assert_recruiting(today)
    _assert_second_tenant(today)
    _assert_nothing_in_the_future(today)
    _assert_handed_in_after_the_period_ended()
    for email, home in DEMO_LOGINS.items():
        assert_lands_on_home(Client(), email, home)

    counts = _counts()
    again = seed_demo(today=today)
    assert again.created == 0 < first.created
    assert _counts() == counts


@pytest.mark.today("2026-12-31")
def test_seeding_on_a_later_day_completes_the_same_world():
    first_day = clock.today()
    seed_demo(today=first_day)
    active = Collaborative.objects.get(slug=ACTIVE)
    late = {"Turtle Mountain Kids", "Red Mesa Pediatric Readiness"}
    assert not DataPoint.objects.filter(
        team__name__in=late, period__start=last_month(first_day)
    ).exists()
    before = _counts()

    later = first_day + timedelta(days=45)  # mid-February: two more months have passed
    with time_machine.travel(instant(later), tick=True):
        result = seed_demo(today=later)
        assert result.created > 0 and result.notes == []
        after = _counts()
        for label in ("collaboratives.Collaborative", "teams.Team", "pdsa.Cycle", "pdsa.Aim"):
            assert after[label] == before[label], label
        points = DataPoint.objects.filter(collaborative=active)
        assert points.aggregate(m=Max("period__start"))["m"] == last_month(later)
        # The month that was missing is entered now; the newest is missing instead.
        assert points.filter(team__name__in=late, period__start=last_month(first_day)).count()
        assert not points.filter(team__name__in=late, period__start=last_month(later)).exists()
        ratings = ProgressRating.objects.filter(team__collaborative=active)
        assert ratings.aggregate(m=Max("month"))["m"] == last_month(later)
        assert ratings.values("month").distinct().count() == 10
        _assert_nothing_in_the_future(later)
        _assert_handed_in_after_the_period_ended()
        assert seed_demo(today=later).created == 0

    much_later = active.end_date + timedelta(days=40)
    with time_machine.travel(instant(much_later), tick=True):
        result = seed_demo(today=much_later)
        assert Collaborative.objects.count() == 4
        assert any("ended" in note for note in result.notes), result.notes
        points = DataPoint.objects.filter(collaborative=active)
        assert points.aggregate(m=Max("period__start"))["m"] == month_start(active.end_date)
