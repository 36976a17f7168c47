"""Schemathesis over the API's own OpenAPI schema, in-process, as each persona.

The schema is read from /api/schema/ through the WSGI app (no server); every operation
is then called by each persona with generated data. Path parameters (and UUID filters
and body fields) are drawn mostly from real public ids - the persona's own objects
first, then other objects of both tenants - so that requests reach the views' real code
and the tenancy rule, not only the 404 of a random UUID; some keep schemathesis's
random values.

Each generated request runs inside a savepoint that is rolled back afterwards, so
every example sees the same two tenants (a DELETE or a POST does not change what the
next example finds) and a request that breaks the transaction cannot break the run.

Used by tests/api/test_schema_fuzz.py (the CI-sized run) and, through it, by
scripts/api_fuzz.py (the long run, QI_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import hypothesis
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks as openapi_checks

#: The built-in checks every response goes through (the custom tenancy check is below).
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
TENANCY_CHECK = "no_other_tenant_data"


@dataclass
class Persona:
    """Who calls: a label, the user (None: anonymous) and what they must never see."""

    label: str
    user: object | None
    #: Strings that must not appear in any response body this persona receives: the
    #: other tenant's private marker and the public ids of its objects.
    forbidden: list[str]
    #: The persona's own tenant's ids (`tenant_ids()`): the first of each list is the
    #: object they work on (their team, their active collaborative), tried most often.
    home: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class PersonaResult:
    requests: int = 0
    #: check name -> number of failing responses
    failures: Counter = field(default_factory=Counter)
    elapsed: float = 0.0
    #: status code -> responses (to see how many requests reached real code)
    statuses: Counter = field(default_factory=Counter)
    #: operation -> status codes seen (which operations a persona ever got through)
    by_operation: dict[str, Counter] = field(default_factory=dict)
    #: (operation, check) -> the first failure's report (with a curl command)
    first_failures: dict[tuple[str, str], str] = field(default_factory=dict)


def tenant_ids(tenant) -> dict[str, list[str]]:
    """URL keyword -> public ids of the tenant's objects (tests/conftest.py's Tenant)."""
    ids: dict[str, list[str]] = {
        "program_id": [tenant.program.public_id],
        "collaborative_id": [tenant.collaborative.public_id, tenant.recruiting.public_id],
        "team_id": [tenant.team.public_id, tenant.other_team.public_id],
        "rating_id": [tenant.rating.public_id],
    }
    for name, value in tenant.extras.items():
        if isinstance(value, int):
            # A small number (a template's version) is no secret: "1" is in every body.
            continue
        ids.setdefault(name, []).append(value)
    return {name: [str(value) for value in values] for name, values in ids.items()}


#: Query filters that take a public id, and the URL keyword whose ids they take.
QUERY_IDS = {
    "collaborative": "collaborative_id",
    "team": "team_id",
    "wave": "wave_id",
    "measure": "measure_id",
    "period": "period_id",
    "change_idea": "change_idea_id",
    "lineage": "template_id",
}
#: Body fields that name another object by its public id, and the URL keyword's ids.
BODY_IDS = {
    "change_idea": "change_idea_id",
    "builds_on": "cycle_id",
    "measure": "measure_id",
    "period": "period_id",
}


@contextmanager
def in_process_requests() -> Iterator[None]:
    """Let the WSGI app share the test's connection and transaction.

    Django closes "old" connections when a request starts and finishes; inside the
    test's transaction that would close the connection under it. Django's own test
    client disconnects the same receivers for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def load_schema(app: WSGIHandler | None = None) -> schemathesis.BaseSchema:
    """The schema the API serves at /api/schema/, bound to the WSGI app."""
    app = app or WSGIHandler()
    with in_process_requests():
        return schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", app, config=schemathesis.Config()
        )


def _case_strategy(
    operation, tenants: list[dict[str, list[str]]], home: dict[str, list[str]]
) -> st.SearchStrategy:
    """Cases whose path ids are mostly real, some with schemathesis's random values.

    Most often the persona's own objects (their team and its cycle: the case that
    reaches the view's code); then any combination within one tenant (another team of
    the program, the other tenant's 404) and now and then ids mixed across tenants
    (tenant A's team with tenant B's cycle must be a 404 too). Positive and negative
    data both.
    """
    known = [p.name for p in operation.path_parameters if any(p.name in t for t in tenants)]
    same = [
        dict(zip(known, values, strict=True))
        for ids in tenants
        if all(name in ids for name in known)
        for values in itertools.product(*(ids[name] for name in known))
    ]
    merged = _merge(tenants)
    mixed = [
        combo
        for values in itertools.product(*(merged.get(name, []) for name in known))
        if (combo := dict(zip(known, values, strict=True))) not in same
    ]
    positive, negative = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE

    def with_ids(combos, mode):
        return st.sampled_from(combos).flatmap(
            lambda combo: operation.as_strategy(mode, path_parameters=combo)
        )

    strategies = []
    if known and all(name in home for name in known):
        # First: Hypothesis starts with the first branch and favours it.
        own = [{name: home[name][0] for name in known}]
        strategies += [with_ids(own, positive)] * 2 + [with_ids(own, negative)]
    if known and same:
        strategies += [with_ids(same, positive), with_ids(same, negative)]
    if known and mixed:
        strategies.append(with_ids(mixed, positive))
    # Random ids only ever reach a 404: one branch each.
    strategies += [operation.as_strategy(positive), operation.as_strategy(negative)]
    return st.one_of(*strategies)


def _merge(tenants: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for ids in tenants:
        for name, values in ids.items():
            merged.setdefault(name, []).extend(values)
    return merged


def _swap_ids(data, case, ids: dict[str, list[str]]) -> None:
    """Replace generated UUIDs of filters and body fields by real ids now and then."""
    for container, names in ((case.query, QUERY_IDS), (case.body, BODY_IDS)):
        if not isinstance(container, dict):
            continue
        for name, keyword in names.items():
            if name in container and keyword in ids and data.draw(st.booleans()):
                container[name] = data.draw(st.sampled_from(ids[keyword]))


def run_persona(
    schema: schemathesis.BaseSchema,
    persona: Persona,
    tenants: list[dict[str, list[str]]],
    *,
    examples: int,
) -> PersonaResult:
    """Call every operation of `schema` as `persona` with up to `examples` cases each,
    ids drawn from `tenants` (each a `tenant_ids()`)."""
    result = PersonaResult()
    headers = {}
    if persona.user is not None:
        token, _ = Token.objects.get_or_create(user=persona.user)
        headers["Authorization"] = f"Token {token.key}"
    started = time.perf_counter()
    with in_process_requests():
        for operation_result in schema.get_all_operations():
            operation = operation_result.ok()
            _fuzz_operation(operation, persona, headers, tenants, examples, result)
    result.elapsed = time.perf_counter() - started
    return result


def _fuzz_operation(operation, persona, headers, tenants, examples, result) -> None:
    strategy = _case_strategy(operation, tenants, persona.home)
    ids = _merge(tenants)

    @hypothesis.settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        # The tenants are built once per test, outside Hypothesis, and rolled back per
        # example; the health checks about fixtures and slow data do not apply.
        suppress_health_check=list(hypothesis.HealthCheck),
        # Failures are collected and reported, not raised: no shrinking to do.
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.given(data=st.data())
    def call(data):
        case = data.draw(strategy)
        _swap_ids(data, case, ids)
        _call_once(case, operation.label, persona, headers, result)

    call()


def _call_once(case, label: str, persona: Persona, headers: dict, result: PersonaResult) -> None:
    with transaction.atomic():
        response = case.call(headers=headers)
        result.requests += 1
        result.statuses[response.status_code] += 1
        result.by_operation.setdefault(label, Counter())[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                name = failure.checks[0] if failure.checks else type(failure).__name__
                _record(result, label, name, str(group))
        leaked = leaked_values(persona, response)
        if leaked:
            _record(
                result,
                label,
                TENANCY_CHECK,
                f"{case.method} {case.formatted_path} as {persona.label} "
                f"answered {response.status_code} with {leaked[:3]}",
            )
        transaction.set_rollback(True)


def leaked_values(persona: Persona, response) -> list[str]:
    """What of the other tenant's the response body shows to `persona`.

    An id the request itself carried (in its path, query or body) may come back
    without a leak, e.g. in a page's `next` link; the object it names would still be
    caught by its private marker, which counts wherever it appears.
    """
    body = response.text or ""
    request = response.request
    sent = f"{request.url} {request.body!r}"
    return [
        value
        for value in persona.forbidden
        if value in body and (not _is_id(value) or value not in sent)
    ]


def _is_id(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


def _record(result: PersonaResult, label: str, check: str, report: str) -> None:
    result.failures[check] += 1
    result.first_failures.setdefault((label, check), report)


def format_report(results: dict[str, PersonaResult]) -> str:
    """One line per persona: requests, failures by check, elapsed; then each first failure."""
    lines = ["", "API fuzz (schemathesis) per persona:"]
    for label, result in results.items():
        failures = ", ".join(f"{name}={n}" for name, n in sorted(result.failures.items()))
        statuses = " ".join(f"{code}:{n}" for code, n in sorted(result.statuses.items()))
        succeeded = sum(any(code < 300 for code in codes) for codes in result.by_operation.values())
        lines.append(
            f"  {label:<12} {result.requests:>6} requests {result.elapsed:6.1f} s  "
            f"failures: {failures or 'none'}  [{statuses}]  "
            f"{succeeded}/{len(result.by_operation)} operations answered 2xx"
        )
    lines.append(f"  {'total':<12} {sum(r.requests for r in results.values()):>6} requests")
    if os.environ.get("QI_FUZZ_VERBOSE"):
        for label, result in results.items():
            for operation, codes in result.by_operation.items():
                lines.append(f"  {label:<12} {operation}: {dict(sorted(codes.items()))}")
    for label, result in results.items():
        for (operation, check), report in result.first_failures.items():
            lines.append(f"\n--- {label}: {operation}: {check}\n{report.strip()}")
    return "\n".join(lines)
