"""Tenant isolation, proven over every URL of the project (see tests/isolation.py)."""

import pytest
from django.test import Client

from .conftest import PRIVATE_MARKER, Tenant
from .isolation import Guard, iter_routes, tenant_fingerprint


def object_kwargs(t: Tenant) -> dict[str, object]:
    """One object of tenant `t` for every URL keyword the project uses.

    A new URL keyword makes the guard fail until it is added here.
    """
    return {
        "program_id": t.program.public_id,
        "collaborative_id": t.collaborative.public_id,
        "team_id": t.team.public_id,
        "facility_id": t.facility.public_id,
        "membership_id": t.member_membership.public_id,
        "assignment_id": t.coach_assignment.public_id,
        "user_id": t.member.public_id,
        "focus_area_id": t.focus_area.public_id,
        "phase_id": t.phase.public_id,
        "invitation_id": t.invitation.public_id,
        "rating_id": t.rating.public_id,
        # Invitation links carry a secret token, not an object id: any string works.
        "token": "not-a-valid-token",
        "format": "json",
        **t.extras,
    }


#: The self-checks below serve tests.leaky_urls (the project plus deliberate mistakes)
#: and walk only the mistakes: the project's routes are the guard tests' job.
LEAKY_ONLY = "tests.leaky_only_urls"

PERSONAS = ["admin", "staff", "coach", "lead", "member", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_tenant_a_cannot_reach_tenant_b_anywhere(persona, tenant_a, tenant_b, outsider):
    actor = outsider if persona == "outsider" else getattr(tenant_a, persona)
    client = Client()
    client.force_login(actor)
    before = tenant_fingerprint(tenant_b.program)

    problems = Guard(
        client=client,
        b_kwargs=object_kwargs(tenant_b),
        a_kwargs=object_kwargs(tenant_a),
        marker=PRIVATE_MARKER,
    ).problems()

    assert problems == [], "\n".join(problems)
    assert tenant_fingerprint(tenant_b.program) == before, "tenant B's rows were changed"


def test_anonymous_visitor_cannot_reach_tenant_data(tenant_a, tenant_b):
    problems = Guard(
        client=Client(),
        b_kwargs=object_kwargs(tenant_b),
        a_kwargs=object_kwargs(tenant_a),
        marker=PRIVATE_MARKER,
    ).problems()
    # Anonymous visitors are redirected to the login page; nothing private may show.
    leaks = [p for p in problems if "private data" in p or "server error" in p]
    assert leaks == []


def test_guard_sees_the_api_routes_and_pages():
    names = {route.name for route in iter_routes()}
    assert {"api:team-list", "api:team-detail", "teams:detail", "home"} <= names
    # the program audit log and both its exports (program staff only)
    assert {"accounts:audit_log", "accounts:audit_log_csv", "accounts:audit_log_xlsx"} <= names
    # the program outbox and its retry button (program staff only), the unsubscribe link
    assert {"accounts:outbox", "accounts:outbox_retry", "unsubscribe"} <= names


@pytest.mark.urls("tests.leaky_urls")
def test_guard_catches_a_view_that_forgets_scoping(tenant_a, tenant_b):
    """The guard itself must fail when a view reads tenant data without a selector."""
    client = Client()
    client.force_login(tenant_a.member)
    problems = Guard(
        client=client,
        b_kwargs=object_kwargs(tenant_b),
        a_kwargs=object_kwargs(tenant_a),
        marker=PRIVATE_MARKER,
        urlconf=LEAKY_ONLY,
    ).problems()
    leaky = [p for p in problems if "leaky" in p]
    assert any("answered 200" in p for p in leaky)
    assert any("private data" in p for p in leaky)


@pytest.mark.urls("tests.leaky_urls")
def test_guard_rejects_unknown_url_keywords(tenant_a, tenant_b):
    client = Client()
    client.force_login(tenant_a.member)
    problems = Guard(
        client=client,
        b_kwargs=object_kwargs(tenant_b),
        a_kwargs=object_kwargs(tenant_a),
        marker=PRIVATE_MARKER,
        urlconf=LEAKY_ONLY,
    ).problems()
    assert any("unknown URL keyword(s) ['widget_id']" in p for p in problems)


@pytest.mark.urls("tests.leaky_urls")
def test_api_view_without_scoping_is_refused_by_default(tenant_a, tenant_b):
    """An API view that does not use the scoped base class answers 403, not data."""
    client = Client()
    client.force_login(tenant_a.member)
    response = client.get("/api/leaky-teams/")
    assert response.status_code == 403
    assert PRIVATE_MARKER not in response.content.decode()
