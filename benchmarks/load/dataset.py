"""The load test's data: the measures benchmark's collaborative (300 teams x 10 measures
x 36 months, ending with today's month), one row of the kinds some routes need (a
learning session, a survey wave, a driver and a coach's rating per team) and the
people who use it under load.

Called by run_load.py inside a Django process pointed at the load database. Each
simulated person gets an account of their own and is signed in once, here: a session
row made the way Django's login() makes one (browser users) or an API token (API
clients). Program staff hold a real TOTP authenticator, so the production rule that
staff must have MFA (MFA_REQUIRED_FOR_STAFF) stays on and is passed, not switched off;
the one-time password step of the sign-in form is what the prepared session stands for.
No login request is made under load, so the login rate limits stay as in production.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N_LEADS = 100  # one per team, the first 100 teams
N_COACHES = 30  # ten teams each
N_STAFF = 30
N_API = 30
DOMAIN = "load.invalid"


def _session_for(user) -> str:
    """A signed-in session for `user`, as django.contrib.auth.login() stores it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _one_of_each(collaborative, teams: list, this_month) -> None:
    """The rows some routes need to exist so that they are timed, not skipped: a
    learning session (last week), a baseline survey wave, and per team a primary driver
    and last month's coach rating (bulk: a few hundred rows, well under a second)."""
    from datetime import timedelta

    from assessments.models import SurveyTemplate, SurveyWave, TemplateStatus, WaveKind
    from core import clock
    from core.clock import add_months
    from learning_sessions.models import Event, EventKind
    from pdsa.models import Driver, DriverKind
    from teams.models import CoachAssignment, ProgressRating, RatingKind

    program = collaborative.program
    now = clock.now()
    Event.objects.create(
        program=program,
        collaborative=collaborative,
        kind=EventKind.LEARNING_SESSION,
        title="Learning session 1",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(hours=2),
    )
    template = SurveyTemplate.objects.create(
        program=program, name="Readiness gap analysis", status=TemplateStatus.PUBLISHED
    )
    SurveyWave.objects.create(
        program=program,
        collaborative=collaborative,
        template=template,
        kind=WaveKind.BASELINE,
        opens_on=add_months(this_month, -2),
        due_on=add_months(this_month, 1),
    )
    Driver.objects.bulk_create(
        Driver(program=program, team=t, kind=DriverKind.PRIMARY, title="Reliable weighing")
        for t in teams
    )
    coach_of = dict(
        CoachAssignment.objects.filter(team__in=teams).values_list("team_id", "coach_id")
    )
    ProgressRating.objects.bulk_create(
        ProgressRating(
            program=program,
            team=t,
            month=add_months(this_month, -1),
            kind=RatingKind.COACH,
            score="2.5",
            rationale="Testing changes on a small scale.",
            rated_by_id=coach_of.get(t.pk),
        )
        for t in teams
    )


def build(n_teams: int, accounts_file: Path) -> dict[str, Any]:
    """Seed the database and write the accounts and ids locust needs to `accounts_file`;
    return the dataset's size."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection
    from measures_benchmark import seed
    from rest_framework.authtoken.models import Token

    from accounts.models import ProgramMembership, ProgramRole, User
    from collaboratives.models import Collaborative
    from core import clock
    from core.clock import add_months
    from measures.models import DataPoint, Measure, ReportingPeriod, Submission, SubmissionStatus
    from pdsa.models import ChangeIdea
    from teams.models import CoachAssignment, Team, TeamMembership, TeamRole

    months = 36
    this_month = clock.today().replace(day=1)
    seed(n_teams, 10, months, first=add_months(this_month, -(months - 1)))

    collaborative = Collaborative.objects.get()
    program = collaborative.program
    teams = list(Team.objects.filter(collaborative=collaborative).order_by("name"))
    measures = list(Measure.objects.filter(program=program).order_by("code"))
    periods = list(ReportingPeriod.objects.filter(collaborative=collaborative).order_by("start"))
    open_period, review_period = periods[-1], periods[-2]
    # This month is open for data entry; last month is handed in, waiting for review.
    DataPoint.objects.filter(period=open_period).delete()
    Submission.objects.filter(period=open_period).delete()
    Submission.objects.filter(period=review_period).update(status=SubmissionStatus.SUBMITTED)

    def person(role: str, k: int) -> User:
        return User.objects.create_user(
            email=f"{role}{k:03d}@{DOMAIN}", password=None, full_name=f"Load {role} {k}"
        )

    leads = []
    ideas = ChangeIdea.objects.bulk_create(
        ChangeIdea(program=program, team=t, title="Weigh every child in kilograms")
        for t in teams[:N_LEADS]
    )
    for k, (team, idea) in enumerate(zip(teams[:N_LEADS], ideas, strict=True)):
        user = person("lead", k)
        TeamMembership.objects.create(program=program, team=team, user=user, role=TeamRole.LEAD)
        leads.append(
            {
                "session": _session_for(user),
                "team": str(team.public_id),
                "team_name": team.name,
                "change_idea": str(idea.public_id),
            }
        )
    coaches = []
    per_coach = max(1, n_teams // N_COACHES)
    for k in range(N_COACHES):
        user = person("coach", k)
        ProgramMembership.objects.create(program=program, user=user, role=ProgramRole.COACH)
        mine = teams[k * per_coach : (k + 1) * per_coach]
        CoachAssignment.objects.bulk_create(
            CoachAssignment(program=program, team=t, coach=user) for t in mine
        )
        coaches.append(
            {
                "session": _session_for(user),
                "teams": [{"id": str(t.public_id), "name": t.name} for t in mine],
            }
        )
    _one_of_each(collaborative, teams, this_month)
    staff, api = [], []
    for role, n, out in (("staff", N_STAFF, staff), ("api", N_API, api)):
        for k in range(n):
            user = person(role, k)
            ProgramMembership.objects.create(program=program, user=user, role=ProgramRole.STAFF)
            TOTP.activate(user, generate_totp_secret())
            if role == "api":
                out.append({"token": Token.objects.create(user=user).key})
            else:
                out.append({"session": _session_for(user)})

    accounts = {
        "collaborative": str(collaborative.public_id),
        "collaborative_title": collaborative.title,
        "measures": [{"id": str(m.public_id), "name": m.short_name} for m in measures],
        "teams": [{"id": str(t.public_id), "name": t.name} for t in teams],
        "open_period": str(open_period.public_id),
        "open_period_label": open_period.label,
        "review_period": str(review_period.public_id),
        "review_period_label": review_period.label,
        "leads": leads,
        "coaches": coaches,
        "staff": staff,
        "api": api,
    }
    accounts_file.write_text(json.dumps(accounts))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT sum(n_live_tup) FROM pg_stat_user_tables")
        rows = cursor.fetchone()[0]
    return {
        "teams": len(teams),
        "measures": len(measures),
        "months": len(periods),
        "values": DataPoint.objects.count(),
        "users": User.objects.count(),
        "rows": int(rows or 0),
        "bytes": int(size),
    }
