"""Realistic collaboratives for the progress dashboard's tests: teams that report most
months, coaches' ratings that climb, baseline and follow-up gap analyses, cycles."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from assessments.models import ResponseStatus, SurveyResponse, SurveyWave, WaveKind
from core.clock import month_end
from measures.models import (
    DataPoint,
    Measure,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
)
from pdsa.models import ChangeIdea, Cycle
from teams.models import ProgressRating, RatingKind
from tests.clock import instant, month
from tests.factories import TeamFactory

#: Months of data each team gets, oldest first (-24 .. -1).
MONTHS = list(range(-24, 0))
#: Numerators out of 20 per month: about 50% for a year, then about 85% (a run of twelve
#: points above the median, up to the latest: a shift in the better direction).
RISING = dict(zip(MONTHS, [9, 10, 11] * 4 + [16, 17, 18] * 4, strict=True))


def periods(tenant) -> dict:
    """The collaborative's monthly periods for MONTHS (reusing the builder's one)."""
    out = {}
    for offset in MONTHS:
        start = month(offset)
        out[offset], _ = ReportingPeriod.objects.get_or_create(
            collaborative=tenant.collaborative,
            frequency="monthly",
            start=start,
            defaults={
                "program": tenant.program,
                "end": month_end(start),
                "due_date": month_end(start) + timedelta(days=15),
            },
        )
    return out


def _sections(a: int, b: int) -> list[dict]:
    return [
        {"key": "A", "title": "Administration", "earned": 0, "possible": 0, "score": a},
        {"key": "B", "title": "Competencies", "earned": 0, "possible": 0, "score": b},
    ]


def add_teams(tenant, n: int) -> list:
    """`n` more active teams in the tenant's collaborative, each with: reports handed in
    every month but the last for even-numbered teams (odd ones stop 3 months ago);
    measure values (RISING; odd teams stop 3 months ago); a coach's rating last month
    (2.0, 2.5 or 3.0 by team) re-rated once; a baseline (50, 40) and follow-up (70, 40)
    gap analysis; one cycle started last month and completed this month."""
    program, collaborative = tenant.program, tenant.collaborative
    by_period = periods(tenant)
    measure = Measure.objects.get(public_id=tenant.extras["measure_id"])
    wave = SurveyWave.objects.get(public_id=tenant.extras["wave_id"])
    follow_up, _ = SurveyWave.objects.get_or_create(
        program=program,
        collaborative=collaborative,
        kind=WaveKind.FOLLOW_UP,
        defaults={
            "template": wave.template,
            "opens_on": wave.opens_on + timedelta(days=120),
            "due_on": wave.due_on + timedelta(days=120),
        },
    )
    idea = ChangeIdea.objects.get(public_id=tenant.extras["change_idea_id"])
    teams = []
    points, submissions, ratings, responses, cycles = [], [], [], [], []
    for i in range(n):
        team = TeamFactory(program=program, collaborative=collaborative, name=f"Progress {i}")
        teams.append(team)
        for offset, period in by_period.items():
            if i % 2 and offset > -4:
                continue
            numerator = RISING[offset]
            points.append(
                DataPoint(
                    program=program,
                    collaborative=collaborative,
                    team=team,
                    measure=measure,
                    period=period,
                    numerator=Decimal(numerator),
                    denominator=Decimal(20),
                )
            )
            if offset == -1:
                continue
            submissions.append(
                Submission(
                    program=program,
                    collaborative=collaborative,
                    team=team,
                    period=period,
                    status=SubmissionStatus.SUBMITTED,
                    submitted_at=instant(month_end(period.start)),
                    first_submitted_at=instant(month_end(period.start)),
                )
            )
        score = Decimal("2.0") + Decimal("0.5") * (i % 3)
        for first in (True, False):
            ratings.append(
                ProgressRating(
                    program=program,
                    team=team,
                    month=month(-1),
                    kind=RatingKind.COACH,
                    score=Decimal("1.0") if first else score,
                    rationale="Rated",
                )
            )
        ratings.append(
            ProgressRating(
                program=program,
                team=team,
                month=month(-1),
                kind=RatingKind.SELF,
                score=Decimal("5.0"),
                rationale="Self",
            )
        )
        for w, sections in ((wave, _sections(50, 40)), (follow_up, _sections(70, 40))):
            responses.append(
                SurveyResponse(
                    program=program,
                    collaborative=collaborative,
                    team=team,
                    wave=w,
                    template=w.template,
                    status=ResponseStatus.SUBMITTED,
                    section_scores=sections,
                )
            )
        cycles.append(
            Cycle(
                program=program,
                team=team,
                change_idea=idea,
                title="Test",
                created_at=instant(month(-1) + timedelta(days=3)),
                completed_date=month(0),
            )
        )
    # One at a time: the re-rated month must have a later created_at than the first.
    for rating in ratings:
        rating.save()
    DataPoint.objects.bulk_create(points)
    Submission.objects.bulk_create(submissions)
    SurveyResponse.objects.bulk_create(responses)
    Cycle.objects.bulk_create(cycles)
    return teams
