"""Every page and endpoint at the size of a large collaborative, one user at a time, then
the key pages under load; each figure next to /healthz measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qi_routes_bench \\
        .venv/bin/python benchmarks/routes_benchmark.py [--teams 300] [--repeat 15] [--load]

(1) Builds the load test's collaborative (benchmarks/load/dataset.py: 300 teams x 10
measures x 36 months, leads, coaches, staff) in the database it is given, once (later
runs reuse it), and ANALYZEs it.
(2) Walks the project's URL configuration, like the isolation guard does, so that a new
route is timed without editing this file: each keyword in a path is filled with a row of
the dataset (team_id: the first lead's team, measure_id: the first measure, other `<x>_id`s:
the first row of the model of the route's app whose name holds x). A route it cannot
fill is listed as skipped with the reason, never dropped. Each route is requested with
GET as the person who uses it (team pages: the team's lead; /coach/: a coach with ten
teams; the rest: program staff), once to count its SQL queries, then `--repeat` times.
Routes that do not answer GET with 200 (forms that only POST, redirects) are listed with
their status. The output is a Markdown table: p50/p95 ms and queries per route.
(3) With --load: gunicorn with config/gunicorn.conf.py (as in production, but with the
API throttle off: one user's many requests a minute are the point) on this
database, and wrk (apt install wrk) with `--connections` concurrent connections for
`--duration` on /healthz and the key pages, as the same people (signed-in sessions made
the way login() makes them): requests/s, p50 and p95 per page, as a Markdown table.

Caches (Redis when REDIS_URL is set) are warm: the pages' caches are keyed by the data
they show, so a warm cache is what people see between two changes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "load"))

from bench_setup import start_django  # noqa: E402

BENCH_SLUG = "measures-benchmark"
DOMAINS = ("benchmark.invalid", "load.invalid")

#: Pages timed under load, by URL name (the first persona that reaches them). A name
#: that resolves to no route stops the run (check_load_pages): a renamed page must not
#: drop out of the load table unnoticed.
LOAD_PAGES = (
    ("team home", "teams:detail"),
    ("team measure page", "measures:team_measure"),
    ("coach home", "dashboards:coach"),
    ("coach dashboard API", "api:dashboards-coach"),
    ("cycle page", "pdsa:cycle_detail"),
    ("collaborative overview", "collaboratives:detail"),
    ("roster", "teams:roster"),
    ("collaborative measures view", "measures:collaborative"),
    ("collaborative measure page", "measures:measure"),
    ("series API", "api:team-measure-series"),
)


def _walk(resolver, prefix: str, namespace: str):
    from django.urls import URLPattern, URLResolver

    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = ":".join(p for p in (namespace, ns) if p)
            yield from _walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (namespace, entry.name, prefix + str(entry.pattern), entry)


def check_load_pages(names: set[str]) -> None:
    """Stop the run when a LOAD_PAGES entry names no route of the URL configuration
    (`names`: every "namespace:name"): a renamed page would otherwise be left out of the
    load table without a word."""
    unknown = [f"{label} ({url_name})" for label, url_name in LOAD_PAGES if url_name not in names]
    if unknown:
        raise SystemExit("LOAD_PAGES names no route: " + ", ".join(unknown))


def _third_party(entry, namespace: str) -> bool:
    view = entry.callback
    owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    module = getattr(owner, "__module__", "") or ""
    return namespace.split(":")[0] == "admin" or module.startswith(
        ("allauth.", "django.", "drf_spectacular.")
    )


def _kwargs_of(entry) -> dict[str, str]:
    """{keyword: converter name} of a pattern's path."""
    converters = getattr(entry.pattern, "converters", {}) or {}
    out = {}
    for name, converter in converters.items():
        out[name] = type(converter).__name__.replace("Converter", "").lower()
    regex = getattr(entry.pattern, "regex", None)
    for name in regex.groupindex if regex is not None else ():
        out.setdefault(name, "str")
    return out


class Filler:
    """Values for a route's path keywords, from the dataset."""

    def __init__(self, *, program, collaborative, team, measure, period) -> None:
        self.program = program
        self.fixed = {
            "team_id": team.public_id,
            "collaborative_id": collaborative.public_id,
            "measure_id": measure.public_id,
            "period_id": period.public_id,
            "program_id": program.public_id,
            "format": "json",
        }
        self.team = team

    def _model_for(self, app_label: str, stem: str):
        from django.apps import apps

        key = stem.replace("_", "")
        candidates = [
            m
            for m in apps.get_app_config(app_label).get_models()
            if key in m.__name__.lower() and any(f.name == "public_id" for f in m._meta.fields)
        ] or [
            m
            for m in apps.get_models()
            if key in m.__name__.lower() and any(f.name == "public_id" for f in m._meta.fields)
        ]
        return min(candidates, key=lambda m: len(m.__name__)) if candidates else None

    def value(self, app_label: str, name: str, converter: str):
        """(value, None) or (None, why it cannot be filled)."""
        if name in self.fixed:
            return self.fixed[name], None
        if converter != "uuid" or not name.endswith("_id"):
            return None, f"`{name}` ({converter}) is not a row id"
        model = self._model_for(app_label, name[: -len("_id")])
        if model is None:
            return None, f"no model for `{name}`"
        fields = {f.name for f in model._meta.fields}
        rows = model._default_manager.all()
        if "program" in fields:
            rows = rows.filter(program=self.program)
        if "team" in fields and rows.filter(team=self.team).exists():
            rows = rows.filter(team=self.team)
        row = rows.order_by("pk").first()
        if row is None:
            return None, f"no {model.__name__} in the dataset"
        return row.public_id, None


def _personas():
    from accounts.models import User

    return {
        "lead": User.objects.get(email="lead000@load.invalid"),
        "coach": User.objects.get(email="coach000@load.invalid"),
        "staff": User.objects.get(email="staff000@load.invalid"),
    }


def _persona_order(path: str) -> tuple[str, ...]:
    if path.startswith(("teams/", "api/v1/teams/")):
        return ("lead", "staff")
    if path.startswith(("coach", "api/v1/dashboards/coach")):
        return ("coach", "staff")
    return ("staff", "coach", "lead")


def _pct(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, max(0, round(q * len(times)) - 1))]


def _time(client, url: str, repeat: int) -> tuple[int, float, float, int, float]:
    """(status, p50 ms, p95 ms, queries, p50 CPU ms of this process): the CPU time
    leaves out PostgreSQL and the waits of a busy machine, so it compares runs made
    while others share the cores."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    status, queries = response.status_code, len(context.captured_queries)
    if status != 200:
        return status, 0.0, 0.0, queries, 0.0
    if time.perf_counter() - start > 1:
        repeat = min(repeat, 3)  # whole-collaborative exports take seconds: a few will do
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return status, statistics.median(times), _pct(times, 0.95), queries, statistics.median(cpu)


def ensure_dataset(teams: int) -> None:
    """The load test's dataset, and a PDSA cycle with a coach's comment on the first
    lead's team (the cycle pages need one)."""
    from collaboratives.models import Collaborative

    if not Collaborative.objects.filter(program__slug=BENCH_SLUG).exists():
        import dataset

        start = time.perf_counter()
        size = dataset.build(teams, Path(tempfile.mkdtemp()) / "accounts.json")
        print(f"built in {time.perf_counter() - start:.0f} s: {size}", file=sys.stderr)
    from pdsa import services
    from pdsa.models import ChangeIdea, Cycle
    from teams.models import TeamMembership

    personas = _personas()
    team = TeamMembership.objects.get(user=personas["lead"]).team
    if not Cycle.objects.filter(team=team).exists():
        cycle = services.cycle_create(
            team=team,
            actor=personas["lead"],
            values={
                "title": "Weigh in kg, one shift",
                "change_idea": ChangeIdea.objects.filter(team=team).first(),
            },
        )
        services.comment_create(
            cycle=cycle, actor=personas["coach"], body="Try the night shift too", by_coach=True
        )


def walk_routes(repeat: int, only: str | None) -> tuple[list[dict], dict]:
    """Time every route; return the rows and the URLs of LOAD_PAGES with their persona."""
    from django.test import Client
    from django.urls import get_resolver

    from collaboratives.models import Collaborative
    from measures.models import Measure, ReportingPeriod
    from teams.models import TeamMembership

    collaborative = Collaborative.objects.get(program__slug=BENCH_SLUG)
    personas = _personas()
    team = TeamMembership.objects.get(user=personas["lead"]).team
    filler = Filler(
        program=collaborative.program,
        collaborative=collaborative,
        team=team,
        measure=Measure.objects.filter(program=collaborative.program).order_by("code").first(),
        # Last month's: handed in, waiting for review (dataset.py).
        period=ReportingPeriod.objects.filter(collaborative=collaborative).order_by("-start")[1],
    )
    clients = {}
    for name, user in personas.items():
        clients[name] = Client()
        clients[name].force_login(user)

    rows = [{"route": "healthz", "path": "/healthz", "persona": "-"}]
    floor = _time(Client(), "/healthz", repeat)
    rows[0].update(zip(("status", "p50", "p95", "queries", "cpu"), floor, strict=True))
    load_urls = {}
    wanted = dict((url_name, label) for label, url_name in LOAD_PAGES)
    routes = list(_walk(get_resolver(), "", ""))
    check_load_pages({f"{ns}:{name}" if ns else name for ns, name, _, _ in routes})
    for namespace, name, pattern, entry in routes:
        if _third_party(entry, namespace):
            continue
        full = f"{namespace}:{name}" if namespace else name
        if only and not re.search(only, full):
            continue
        app_label = entry.callback.__module__.split(".")[0]
        kwargs, why = {}, None
        for key, converter in _kwargs_of(entry).items():
            value, why = filler.value(app_label, key, converter)
            if why:
                break
            kwargs[key] = value
        row = {"route": full, "path": "/" + pattern}
        if why:
            rows.append({**row, "persona": "-", "skipped": why})
            if full in wanted:
                load_urls[wanted[full]] = f"skipped: {why}"
            continue
        from django.urls import reverse

        url = reverse(full, kwargs=kwargs)
        for persona in _persona_order(pattern):
            status, p50, p95, queries, cpu = _time(clients[persona], url, repeat)
            if status not in (403, 404):
                break
        rows.append(
            {
                **row,
                "persona": persona,
                "status": status,
                "p50": p50,
                "p95": p95,
                "queries": queries,
                "cpu": cpu,
            }
        )
        if full in wanted:
            load_urls[wanted[full]] = (url, persona) if status == 200 else f"answered {status}"
    return rows, load_urls


def print_routes(rows: list[dict], teams: int, repeat: int) -> None:
    timed = [r for r in rows if r.get("status") == 200]
    print(f"\n### One user at a time, {teams} teams ({repeat} requests each, warm caches)\n")
    print(f"Load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| route | as | p50 ms | p95 ms | queries | CPU p50 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in timed:
        print(
            f"| {r['route']} | {r['persona']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['queries']} | {r['cpu']:.1f} |"
        )
    over = [r for r in timed if r["p95"] > 150 and r["route"] != "healthz"]
    print(
        f"\n{len(timed)} routes timed; p95 over 150 ms: "
        + (", ".join(f"{r['route']} ({r['p95']:.0f})" for r in over) or "none")
    )
    others = [r for r in rows if r.get("status") not in (200, None)]
    if others:
        print(
            "\nNot a GET page (status to GET, not timed): "
            + ", ".join(f"{r['route']} {r['status']}" for r in others)
        )
    skipped = [r for r in rows if "skipped" in r]
    if skipped:
        print(f"\nSkipped ({len(skipped)}, path keyword not filled from the dataset): ")
        for r in skipped:
            print(f"- {r['route']}: {r['skipped']}")


def _session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("WRK {\\"requests\\": %d, \\"seconds\\": %f, \\"errors\\": %d, "
    .. "\\"non2xx\\": %d, \\"p50\\": %f, \\"p95\\": %f}\\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def _wrk(url: str, cookie: str | None, connections: int, duration: str, script: Path) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("WRK "):
            result = json.loads(line[4:])
            result["rps"] = result["requests"] / result["seconds"]
            return result
    raise RuntimeError(f"wrk printed no summary:\n{out}")


def _recovery(base: str, limit: float = 60) -> float:
    """Seconds until /healthz answers within 100 ms again after a run: sync workers
    finish the requests queued by connections wrk has closed."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        asked = time.monotonic()
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=10).read()  # noqa: S310
        except OSError:
            continue
        if time.monotonic() - asked < 0.1:
            break
    return time.monotonic() - start


def run_load(load_urls: dict, args) -> None:
    if shutil.which("wrk") is None:
        print("\nLoad: wrk is not installed (apt install wrk); skipped.")
        return
    personas = _personas()
    cookies = {name: _session_cookie(user) for name, user in personas.items()}
    base = f"http://127.0.0.1:{args.port}"
    work = Path(tempfile.mkdtemp(prefix="qi-routes-"))
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": base,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MFA_REQUIRED_FOR_STAFF": "false",
        # Many requests a minute from one user are the point here: with the API throttle
        # (600/min per user) on, the API rows would count 429s as errors.
        "API_THROTTLE_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "consolemail://",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_ACCESS_LOG": "",
    }
    if "SECRET_KEY" not in env:
        from django.conf import settings

        env["SECRET_KEY"] = settings.SECRET_KEY
    if args.collectstatic or not (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.conf.py")]
    command += ["config.wsgi:application"]
    gunicorn = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or gunicorn.poll() is not None:
                    print((work / "gunicorn.log").read_text()[-3000:])
                    raise
                time.sleep(0.5)
        print(
            f"\n### Under load: {args.connections} concurrent connections, {args.duration} each "
            f"(wrk, 2 threads, on the same machine; API throttle off; errors: failed "
            f"connections and non-2xx answers)\n"
        )
        print(
            "| page | as | requests/s | p50 ms | p95 ms | errors | back to normal s "
            "| /healthz requests/s |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        pages = [("healthz", ("/healthz", None))] + [
            (label, load_urls[label]) for label, _ in LOAD_PAGES if label in load_urls
        ]
        for label, (url, persona) in pages:
            headers = {"Cookie": f"sessionid={cookies[persona]}"} if persona else {}
            request = urllib.request.Request(base + url, headers=headers)  # noqa: S310
            for _ in range(3):  # warm every worker's caches
                urllib.request.urlopen(request).read()  # noqa: S310
            result = _wrk(base + url, cookies.get(persona), args.connections, args.duration, script)
            recovery = _recovery(base)
            floor = _wrk(f"{base}/healthz", None, args.connections, "5s", script)
            _recovery(base)
            print(
                f"| {label} | {persona or '-'} | {result['rps']:.0f} | {result['p50']:.0f} | "
                f"{result['p95']:.0f} | {result['errors'] + result['non2xx']} | "
                f"{recovery:.1f} | {floor['rps']:.0f} |"
            )
    finally:
        if gunicorn.poll() is not None:
            print(f"gunicorn stopped (status {gunicorn.returncode}):", file=sys.stderr)
            print((work / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", help="time only routes whose name matches this regex")
    parser.add_argument("--load", action="store_true", help="then the load figures (wrk)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", default="15s")
    parser.add_argument("--port", type=int, default=8351)
    parser.add_argument(
        "--collectstatic", action="store_true", help="collect the static files again"
    )
    args = parser.parse_args()
    # Stopped with SIGTERM, still stop gunicorn (the `finally` of run_load).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    start_django((BENCH_SLUG,), DOMAINS)
    ensure_dataset(args.teams)
    # As config/gunicorn.conf.py does once the application is loaded: what start-up made
    # is left out of the garbage collector's full collections.
    gc.collect()
    gc.freeze()
    rows, load_urls = walk_routes(args.repeat, args.only)
    print_routes(rows, args.teams, args.repeat)
    if args.load:
        unusable = {k: v for k, v in load_urls.items() if isinstance(v, str)}
        if unusable:
            raise SystemExit(
                "Load pages that cannot be timed: "
                + ", ".join(f"{label} ({why})" for label, why in unusable.items())
            )
        run_load(load_urls, args)


if __name__ == "__main__":
    main()
