"""The key journeys under load (run by benchmarks/load/run_load.py, which builds the
accounts file named by QI_LOAD_ACCOUNTS).

Each simulated person takes an account of their own, signed in once by the dataset
builder (a session cookie; a token for API clients), and pauses between steps for a
random time in QI_LOAD_THINK ("min,max" seconds, set by run_load.py's --think).
Every response is checked: its status and a marker of the right page (the page title,
or the JSON's shape); a redirect to the sign-in or MFA page fails the check. POSTs carry
the CSRF token of the form they submit, read from the page as a browser would.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, constant_throughput, task

ACCOUNTS = json.loads(Path(os.environ["QI_LOAD_ACCOUNTS"]).read_text())
TITLE = "{} · QI Collaboratives</title>"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
#: The date a form fills in for a field, or the latest its picker allows (both are the
#: site's "today"), formatted with the field's name.
DATE_VALUE = r'name="{}"[^>]*(?:value|max)="(\d{{4}}-\d{{2}}-\d{{2}})"'
_next = {role: itertools.count() for role in ("leads", "coaches", "staff", "api")}
#: A person's pause between two steps (reading a page, typing a plan), in seconds.
THINK = between(*(float(part) for part in os.environ.get("QI_LOAD_THINK", "5,15").split(",")))


def _account(role: str) -> dict:
    """The next unused account of `role` (each simulated person has their own)."""
    pool = ACCOUNTS[role]
    n = next(_next[role])
    if n >= len(pool):
        raise RuntimeError(f"more simulated {role} than accounts ({len(pool)})")
    return pool[n]


class _Browser(HttpUser):
    abstract = True
    wait_time = THINK
    role = ""

    def on_start(self) -> None:
        self.account = _account(self.role)
        self.client.cookies.set("sessionid", self.account["session"])

    def page(self, url: str, title: str, name: str) -> str | None:
        """GET a page and check that it is `title`; return its HTML."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location')}")
                return None
            if TITLE.format(title) not in response.text:
                response.failure(f"not the page {title!r}")
                return None
            return response.text

    def post(self, url: str, form: str, data: dict, name: str, expect: str) -> str | None:
        """POST `data` with the CSRF token of `form` (its HTML); expect a redirect to a
        URL containing `expect`. Return the redirect's target."""
        token = CSRF.search(form)
        if token is None:
            self.environment.events.request.fire(
                request_type="POST",
                name=name,
                response_time=0,
                response_length=0,
                exception=RuntimeError("no CSRF token in the form"),
            )
            return None
        data = {"csrfmiddlewaretoken": token.group(1), **data}
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or expect not in target:
                response.failure(f"{response.status_code} to {target!r}, wanted {expect!r}")
                return None
            return target


class TeamLead(_Browser):
    """A team lead: team home, the PDSA list, a new cycle taken from Plan to Do and on
    to Study, and this month's data entered and saved as a draft."""

    weight = 40
    role = "leads"

    def on_start(self) -> None:
        super().on_start()
        self.team = f"/teams/{self.account['team']}"
        self.name = self.account["team_name"]
        self.n = 0

    @task(3)
    def team_home(self) -> None:
        self.page(f"{self.team}/", self.name, "lead: team home")

    @task(3)
    def pdsa_list(self) -> None:
        self.page(f"{self.team}/pdsa/", f"Tests of change · {self.name}", "lead: PDSA list")

    @task(1)
    def log_a_cycle(self) -> None:
        form = self.page(
            f"{self.team}/pdsa/new/", f"Log a test of change · {self.name}", "lead: new cycle"
        )
        if form is None:
            return
        plan_date = re.search(DATE_VALUE.format("plan_date"), form)
        self.n += 1
        target = self.post(
            f"{self.team}/pdsa/new/",
            form,
            {
                "title": f"Weigh in kg, test {self.n}",
                "change_idea": self.account["change_idea"],
                "scale": "",
                "objective": "See whether the night shift weighs in kilograms.",
                "predictions": "Most children will be weighed in kilograms.",
                "plan_details": "Charge nurse, every child, one night shift.",
                "plan_date": plan_date.group(1) if plan_date else "",
                "action": "advance",
            },
            "lead: create cycle (plan to do)",
            expect="/pdsa/cycles/",
        )
        if target is None:
            return
        self.page(target, f"Weigh in kg, test {self.n} · {self.name}", "lead: cycle")
        edit = f"{target}edit/"
        form = self.page(edit, f"Do · Weigh in kg, test {self.n} · {self.name}", "lead: do stage")
        if form is None:
            return
        do_date = re.search(DATE_VALUE.format("do_date"), form)
        self.post(
            edit,
            form,
            {
                "do_date": do_date.group(1) if do_date else "",
                "what_happened": "Eleven of twelve children were weighed in kilograms.",
                "action": "advance",
            },
            "lead: move cycle (do to study)",
            expect="/pdsa/cycles/",
        )

    @task(2)
    def enter_data(self) -> None:
        url = f"{self.team}/measures/periods/{ACCOUNTS['open_period']}/"
        title = f"{ACCOUNTS['open_period_label']} · {self.name}"
        form = self.page(url, title, "lead: data period")
        if form is None:
            return
        data: dict[str, str] = {"tested": "Weighing in kilograms on nights."}
        for field in re.findall(r'name="(m_[0-9a-f]{32}_(?:numerator|denominator|value))"', form):
            data[field] = str(random.randint(20, 30)) if "denominator" in field else "18"
        if len(data) == 1:
            self.environment.events.request.fire(
                request_type="POST",
                name="lead: save values",
                response_time=0,
                response_length=0,
                exception=RuntimeError("no value fields on the period page"),
            )
            return
        self.post(url, form, data, "lead: save values", expect=url)


class Coach(_Browser):
    """A coach: their teams ranked by need, a team's progress ratings, a measure chart
    and last month's data handed in for review."""

    weight = 20
    role = "coaches"

    def _team(self) -> dict:
        return random.choice(self.account["teams"])

    @task(3)
    def coach_home(self) -> None:
        self.page("/coach/", "My teams", "coach: home")

    @task(2)
    def progress(self) -> None:
        team = self._team()
        self.page(
            f"/teams/{team['id']}/progress/",
            f"Progress ratings · {team['name']}",
            "coach: progress",
        )

    @task(2)
    def measure_chart(self) -> None:
        team, measure = self._team(), random.choice(ACCOUNTS["measures"])
        self.page(
            f"/teams/{team['id']}/measures/{measure['id']}/",
            f"{measure['name']} · {team['name']}",
            "coach: team measure chart",
        )

    @task(2)
    def period_review(self) -> None:
        team = self._team()
        html = self.page(
            f"/teams/{team['id']}/measures/periods/{ACCOUNTS['review_period']}/",
            f"{ACCOUNTS['review_period_label']} · {team['name']}",
            "coach: period to review",
        )
        if html is not None and 'name="decision"' not in html:
            self.environment.events.request.fire(
                request_type="CHECK",
                name="coach: review form shown",
                response_time=0,
                response_length=0,
                exception=RuntimeError("the period page shows no review form"),
            )


class Staff(_Browser):
    """Program staff: the collaborative's overview, its roster, the measures view with
    every team's signals, and one measure pooled over all teams."""

    weight = 15
    role = "staff"

    @task(2)
    def overview(self) -> None:
        c = ACCOUNTS["collaborative"]
        self.page(f"/collaboratives/{c}/", ACCOUNTS["collaborative_title"], "staff: overview")

    @task(2)
    def roster(self) -> None:
        c = ACCOUNTS["collaborative"]
        title = f"Roster · {ACCOUNTS['collaborative_title']}"
        self.page(f"/collaboratives/{c}/roster/", title, "staff: roster")

    @task(2)
    def measures_view(self) -> None:
        c = ACCOUNTS["collaborative"]
        title = f"Measures · {ACCOUNTS['collaborative_title']}"
        self.page(f"/collaboratives/{c}/measures/", title, "staff: collaborative measures")

    @task(1)
    def pooled_measure(self) -> None:
        c, measure = ACCOUNTS["collaborative"], random.choice(ACCOUNTS["measures"])
        title = f"{measure['name']} · {ACCOUNTS['collaborative_title']}"
        self.page(
            f"/collaboratives/{c}/measures/{measure['id']}/", title, "staff: pooled measure page"
        )


class ApiClient(HttpUser):
    """A program's reporting script with a token: teams, a team's series, the pooled
    series, a team's PDSA cycles."""

    weight = 23
    wait_time = THINK

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {_account('api')['token']}"

    def json(self, url: str, name: str, key: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            try:
                body = response.json()
            except ValueError:
                response.failure("not JSON")
                return
            if key not in body:
                response.failure(f"no {key!r} in the answer")

    @task(2)
    def teams(self) -> None:
        self.json("/api/v1/teams/", "api: teams", "results")

    @task(2)
    def series(self) -> None:
        team, measure = random.choice(ACCOUNTS["teams"]), random.choice(ACCOUNTS["measures"])
        self.json(
            f"/api/v1/teams/{team['id']}/measures/{measure['id']}/series/",
            "api: team measure series",
            "points",
        )

    @task(1)
    def pooled(self) -> None:
        c, measure = ACCOUNTS["collaborative"], random.choice(ACCOUNTS["measures"])
        self.json(
            f"/api/v1/collaboratives/{c}/measures/{measure['id']}/pooled/",
            "api: pooled series",
            "points",
        )

    @task(2)
    def cycles(self) -> None:
        team = random.choice(ACCOUNTS["teams"])
        self.json(f"/api/v1/teams/{team['id']}/cycles/", "api: PDSA cycles", "results")


class Trivial(HttpUser):
    """The trivial view, measured in the same run: /healthz once a second each."""

    fixed_count = 2
    wait_time = constant_throughput(1)

    @task
    def healthz(self) -> None:
        with self.client.get("/healthz", name="/healthz", catch_response=True) as response:
            if response.status_code != 200 or '"database": "ok"' not in response.text:
                response.failure(f"{response.status_code}: {response.text[:100]}")
