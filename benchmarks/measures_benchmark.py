"""Time the measures pages at the size of a large collaborative: 300 teams x 10 measures x
36 months (108,000 values), seeded with bulk inserts into a database of its own.

Run from the repository root, against an empty PostgreSQL database (created first):

    createdb qi_measures_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qi_measures_bench \\
        .venv/bin/python benchmarks/measures_benchmark.py [--teams 300] [--repeat 20]

The script migrates the database, seeds it once (later runs reuse the data) and prints
p50/p95 wall time and the query count of: the team measure page, the collaborative
view (pooled charts and every team's signals; "cold" with the per-team summaries not yet
cached), the collaborative measure page (pooled chart, 300 small multiples and the
funnel plot) and the series APIs; and the preview and commit of a 20,000-row import
(rolled back). It refuses to run
against a database that holds anything but its own benchmark data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_setup import start_django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BENCH_SLUG = "measures-benchmark"
BENCH_DOMAIN = "benchmark.invalid"


def seed(n_teams: int, n_measures: int, n_months: int, first: date = date(2023, 11, 1)) -> None:
    """Everything in bulk: programs, people, a collaborative, teams, measures, values,
    monthly from `first` (the load test, benchmarks/load, ends its months at today's)."""
    from accounts.models import Program, ProgramMembership, ProgramRole, User
    from collaboratives.models import Collaborative, CollaborativeStatus
    from core.clock import add_months
    from measures.models import (
        CollaborativeMeasure,
        DataKind,
        DataPoint,
        Measure,
        MeasureType,
        ReportingPeriod,
        Submission,
        SubmissionStatus,
        TeamMeasure,
    )
    from measures.periods import iter_periods
    from teams.models import CoachAssignment, Facility, Team, TeamMembership, TeamRole, TeamStatus

    rng = random.Random(2026)
    program = Program.objects.create(name="Measures benchmark", slug=BENCH_SLUG)
    staff = User.objects.create_user(
        email=f"staff@{BENCH_DOMAIN}", password=None, full_name="Benchmark staff"
    )
    coach = User.objects.create_user(
        email=f"coach@{BENCH_DOMAIN}", password=None, full_name="Benchmark coach"
    )
    lead = User.objects.create_user(
        email=f"lead@{BENCH_DOMAIN}", password=None, full_name="Benchmark lead"
    )
    ProgramMembership.objects.create(program=program, user=staff, role=ProgramRole.STAFF)
    ProgramMembership.objects.create(program=program, user=coach, role=ProgramRole.COACH)
    last = add_months(first, n_months) - timedelta(days=1)
    collaborative = Collaborative.objects.create(
        program=program,
        title="Benchmark collaborative",
        slug="benchmark",
        status=CollaborativeStatus.ACTIVE,
        start_date=first,
        end_date=last,
    )
    kinds = [DataKind.PROPORTION] * 7 + [DataKind.RATE, DataKind.COUNT, DataKind.CONTINUOUS]
    measures = Measure.objects.bulk_create(
        Measure(
            program=program,
            code=f"B{k + 1}",
            name=f"Benchmark measure {k + 1}",
            short_name=f"Measure {k + 1}",
            measure_type=MeasureType.PROCESS,
            data_kind=kinds[k % len(kinds)],
            multiplier=1000 if kinds[k % len(kinds)] == DataKind.RATE else 1,
            denominator_definition="Sampled visits",
            target=Decimal(90) if kinds[k % len(kinds)] == DataKind.PROPORTION else None,
        )
        for k in range(n_measures)
    )
    CollaborativeMeasure.objects.bulk_create(
        CollaborativeMeasure(program=program, collaborative=collaborative, measure=m, position=k)
        for k, m in enumerate(measures)
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(program=program, collaborative=collaborative, start=s, end=e, due_date=e)
        for s, e in iter_periods("monthly", first, last)
    )
    facilities = Facility.objects.bulk_create(
        Facility(
            program=program,
            name=f"Benchmark hospital {i:03d}",
            facility_type="community_ed",
            state="OH",
        )
        for i in range(n_teams)
    )
    teams = Team.objects.bulk_create(
        Team(
            program=program,
            collaborative=collaborative,
            facility=f,
            name=f"Benchmark team {i:03d}",
            status=TeamStatus.ACTIVE,
        )
        for i, f in enumerate(facilities)
    )
    TeamMembership.objects.create(program=program, team=teams[0], user=lead, role=TeamRole.LEAD)
    CoachAssignment.objects.bulk_create(
        CoachAssignment(program=program, team=t, coach=coach) for t in teams[:30]
    )
    batch: list[DataPoint] = []
    count = 0
    for team in teams:
        improves = rng.random() < 0.4
        for measure in measures:
            base = rng.uniform(0.4, 0.7)
            for index, period in enumerate(periods):
                p = min(0.97, base + (0.25 if improves and index > n_months // 2 else 0))
                den = rng.randint(10, 30)
                if measure.data_kind == DataKind.RATE:
                    num, den, value = rng.randint(0, 6), rng.randint(800, 3000), None
                elif measure.is_ratio:
                    num, value = sum(rng.random() < p for _ in range(den)), None
                else:
                    num, den, value = None, None, rng.randint(20, 300)
                batch.append(
                    DataPoint(
                        program=program,
                        collaborative=collaborative,
                        team=team,
                        measure=measure,
                        period=period,
                        numerator=None if num is None else Decimal(num),
                        denominator=None if den is None else Decimal(den),
                        value=None if value is None else Decimal(value),
                    )
                )
                if len(batch) >= 10000:
                    DataPoint.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
    DataPoint.objects.bulk_create(batch)
    count += len(batch)
    Submission.objects.bulk_create(
        Submission(
            program=program,
            collaborative=collaborative,
            team=t,
            period=p,
            status=SubmissionStatus.REVIEWED,
        )
        for t in teams
        for p in periods
    )
    TeamMeasure.objects.bulk_create(
        TeamMeasure(
            program=program,
            collaborative=collaborative,
            team=t,
            measure=measures[0],
            baseline_end=periods[11].start,
        )
        for t in teams[::2]
    )
    print(f"seeded {n_teams} teams x {n_measures} measures x {len(periods)} months: {count} values")


def timed(client, url: str, repeat: int, cold: bool = False) -> tuple[float, float, int]:
    """p50 and p95 of `repeat` requests, and the queries of one; `cold` clears the cache
    before each request (the per-team signal summaries are cached until data change)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(context.captured_queries)
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95, queries


class _RollBack(Exception):
    pass


def time_import(collaborative, staff, n_rows: int) -> None:
    """Preview and commit a collaborative CSV of `n_rows` changed values (the largest
    file the import accepts is 20,000 rows), then roll the commit back so that runs
    stay comparable."""
    import csv
    import io

    from django.db import transaction

    from measures.models import DataPoint
    from measures.services import import_commit, import_preview

    points = (
        DataPoint.objects.filter(collaborative=collaborative, deleted_at__isnull=True)
        .select_related("team", "measure", "period")
        .order_by("team__name", "measure__code", "period__start")[:n_rows]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Team", "Measure", "Period", "Numerator", "Denominator", "Value", "Note"])
    for p in points:
        if p.value is not None:
            row = ["", "", str(p.value + 1)]
        elif p.numerator < p.denominator:
            row = [str(p.numerator + 1), str(p.denominator), ""]
        else:
            row = [str(p.numerator), str(p.denominator + 1), ""]
        writer.writerow(
            [p.team.name, p.measure.code, p.period.start.strftime("%Y-%m"), *row, "bench"]
        )
    data = out.getvalue().encode()
    print(f"import of {n_rows:,} changed rows ({len(data) / 1e6:.1f} MB CSV), as program staff")
    start = time.perf_counter()
    batch = import_preview(
        collaborative=collaborative, team=None, actor=staff, file_name="bench.csv", data=data
    )
    preview = time.perf_counter() - start
    assert not batch.problems, batch.problems[:3]
    try:
        with transaction.atomic():
            start = time.perf_counter()
            counts = import_commit(batch=batch, actor=staff)
            commit = time.perf_counter() - start
            raise _RollBack
    except _RollBack:
        pass
    batch.delete()
    print(f"  preview (read + check)      {preview * 1000:7.0f} ms")
    print(f"  commit (write + history)    {commit * 1000:7.0f} ms   {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--measures", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--skip-pages", action="store_true", help="time the import only")
    args = parser.parse_args()
    start_django((BENCH_SLUG,), BENCH_DOMAIN)
    from django.test import Client

    from accounts.models import Program, User
    from collaboratives.models import Collaborative
    from measures.models import Measure
    from teams.models import Team

    if not Program.objects.filter(slug=BENCH_SLUG).exists():
        start = time.perf_counter()
        seed(args.teams, args.measures, args.months)
        print(f"seeding took {time.perf_counter() - start:.1f} s")
    collaborative = Collaborative.objects.get(program__slug=BENCH_SLUG)
    teams = list(Team.objects.filter(collaborative=collaborative).order_by("name"))
    measures = list(Measure.objects.filter(program=collaborative.program).order_by("code"))
    staff = User.objects.get(email=f"staff@{BENCH_DOMAIN}")
    client = Client()
    client.force_login(staff)

    team, measure = teams[len(teams) // 2], measures[0]
    cid = collaborative.public_id
    pages = [
        ("team measure page", f"/teams/{team.public_id}/measures/{measure.public_id}/"),
        ("collaborative view, cold", f"/collaboratives/{cid}/measures/", True),
        ("collaborative view", f"/collaboratives/{cid}/measures/"),
        ("collaborative measure page", f"/collaboratives/{cid}/measures/{measure.public_id}/"),
        (
            "series API",
            f"/api/v1/teams/{team.public_id}/measures/{measure.public_id}/series/",
        ),
        (
            "pooled series API",
            f"/api/v1/collaboratives/{cid}/measures/{measure.public_id}/pooled/",
        ),
    ]
    if args.import_rows:
        time_import(collaborative, staff, args.import_rows)
    if args.skip_pages:
        return
    print(
        f"{len(teams)} teams x {len(measures)} measures; {args.repeat} requests each "
        f"(after one warm-up), signed in as program staff"
    )
    print(f"  {'':<28} {'p50':>9} {'p95':>9} {'queries':>8}")
    for name, url, *cold in pages:
        p50, p95, queries = timed(client, url, args.repeat, cold=bool(cold))
        print(f"  {name:<28} {p50 * 1000:7.0f} ms {p95 * 1000:7.0f} ms {queries:8d}")


if __name__ == "__main__":
    main()
