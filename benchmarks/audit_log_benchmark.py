"""Time the program audit log at the size of a busy program: 100,000 events of its own
(200 people, every recorded verb, two years) next to 100,000 of another program.

Run from the repository root, against an empty PostgreSQL database (created first):

    createdb qi_audit_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qi_audit_bench \\
        .venv/bin/python benchmarks/audit_log_benchmark.py [--events 100000] [--repeat 10]

The script migrates the database, seeds it once (later runs reuse the data) and prints
p50/p95 wall time and the query count of: the first page, a page deep in the log
(keyset, no OFFSET), filtered pages (person, kind of change, dates, text), and the CSV
(streamed) and XLSX exports of a filtered set. It refuses to run against a database
that holds anything but its own benchmark data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_setup import start_django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BENCH_SLUGS = ("audit-benchmark", "audit-benchmark-other")
BENCH_DOMAIN = "audit-benchmark.invalid"


def seed(n_events: int) -> None:
    """Two programs with `n_events` events each, spread over two years, in bulk."""
    from accounts.models import Program, ProgramMembership, ProgramRole, User
    from core.audit import VERB_LABELS
    from core.models import AuditEvent

    rng = random.Random(2026)
    verbs = sorted(VERB_LABELS)
    types = ["collaboratives.collaborative", "teams.team", "pdsa.cycle", "measures.datapoint"]
    end = datetime(2026, 11, 20, tzinfo=UTC)
    for slug in BENCH_SLUGS:
        program = Program.objects.create(name=slug.replace("-", " ").title(), slug=slug)
        people = User.objects.bulk_create(
            User(email=f"{slug}-{i}@{BENCH_DOMAIN}", full_name=f"Person {i:03d} {slug}")
            for i in range(200)
        )
        if slug == BENCH_SLUGS[0]:
            staff = User.objects.create_user(
                email=f"staff@{BENCH_DOMAIN}", password=None, full_name="Benchmark staff"
            )
            ProgramMembership.objects.create(program=program, user=staff, role=ProgramRole.STAFF)
        batch = []
        for n in range(n_events):
            batch.append(
                AuditEvent(
                    program=program,
                    actor=None if n % 20 == 0 else rng.choice(people),
                    verb=rng.choice(verbs),
                    target_type=rng.choice(types),
                    target_id=str(n),
                    target_repr=f"Object {n} of {slug}",
                    data={"fields": ["title", "end_date"], "from": "draft", "to": "active"},
                )
            )
            if len(batch) == 10_000:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)
        # Spread the events over two years, ten minutes apart (auto_now_add stamped
        # them all now), newest last.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditevent SET created_at = %s - (m.last - core_auditevent.id)"
                " * interval '10 minutes' FROM (SELECT max(id) AS last FROM core_auditevent"
                " WHERE program_id = %s) m WHERE program_id = %s",
                [end, program.pk, program.pk],
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditevent")


def timed(client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """p50 and p95 of `repeat` requests, the queries of one and its response size."""
    from django.db import connection

    def body(response) -> bytes:
        return b"".join(response.streaming_content) if response.streaming else response.content

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
        size = len(body(response))
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        body(response)
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95, len(executed), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    start_django(BENCH_SLUGS, BENCH_DOMAIN)
    from django.test import Client

    from accounts.models import Program, User
    from core.models import AuditEvent

    if not Program.objects.filter(slug=BENCH_SLUGS[0]).exists():
        start = time.perf_counter()
        seed(args.events)
        print(f"seeding took {time.perf_counter() - start:.1f} s")
    program = Program.objects.get(slug=BENCH_SLUGS[0])
    staff = User.objects.get(email=f"staff@{BENCH_DOMAIN}")
    person = User.objects.filter(email__startswith=f"{BENCH_SLUGS[0]}-7@").get()
    client = Client()
    client.force_login(staff)
    base = f"/programs/{program.public_id}/audit/"
    # Four fifths into the log (event 80,000 of the default 100,000).
    depth = AuditEvent.objects.filter(program=program).count() * 4 // 5
    deep = AuditEvent.objects.filter(program=program).order_by("-created_at", "-id")[depth]
    from accounts.selectors import AuditCursor

    month = "from=2026-03-01&to=2026-03-31"
    pages = [
        ("first page", base),
        (f"page at event {depth:,} (keyset)", f"{base}?before={AuditCursor.of(deep)}"),
        ("one person", f"{base}?actor={person.public_id}"),
        ("kind of change group", f"{base}?kind=pdsa_cycle.*"),
        ("one month", f"{base}?{month}"),
        ("text in the object", f"{base}?q=object 4242"),
        ("CSV export, one month", f"{base}export.csv?{month}"),
        ("XLSX export, one month", f"{base}export.xlsx?{month}"),
        ("CSV export, whole log", f"{base}export.csv"),
    ]
    total = AuditEvent.objects.filter(program=program).count()
    print(f"audit log of a program with {total:,} events (p50 / p95 of {args.repeat} runs)")
    for label, url in pages:
        repeat = 2 if "whole log" in label else args.repeat
        p50, p95, queries, size = timed(client, url, repeat)
        print(
            f"  {label:32s} {p50 * 1000:7.0f} ms {p95 * 1000:7.0f} ms"
            f"  {queries:3d} queries  {size / 1e3:8.0f} kB"
        )


if __name__ == "__main__":
    main()
