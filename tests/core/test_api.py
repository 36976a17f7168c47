"""API base: authentication, scoping, pagination, errors, schema and docs."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from collaboratives.api.base import CollaborativeScopedAPIView
from core.api.exceptions import exception_handler
from core.api.views import ScopedAPIView, UserScopedReadOnlyViewSet
from teams.api.base import TeamScopedAPIView
from tests.isolation import iter_routes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/teams/", "/api/v1/collaboratives/", "/api/v1/me/"])
def test_anonymous_is_refused_with_the_error_shape(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication_works_and_is_scoped(tenant_a, tenant_b):
    token = Token.objects.create(user=tenant_a.coach)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/teams/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [t["id"] for t in body["results"]] == [str(tenant_a.team.public_id)]


def test_bad_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/teams/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_session_authentication_works(tenant_a):
    client = APIClient()
    client.force_login(tenant_a.member)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    me = response.json()
    assert me["email"] == tenant_a.member.email
    assert me["team_roles"] == [
        {
            "team": str(tenant_a.team.public_id),
            "team_name": tenant_a.team.name,
            "collaborative": str(tenant_a.collaborative.public_id),
            "role": "member",
        }
    ]
    assert me["program_roles"] == []


def test_staff_see_all_teams_of_their_program_only(tenant_a, tenant_b):
    client = APIClient()
    client.force_login(tenant_a.staff)
    names = {t["name"] for t in client.get("/api/v1/teams/").json()["results"]}
    assert names == {tenant_a.team.name, tenant_a.other_team.name}


def test_other_tenants_object_is_a_404(tenant_a, tenant_b):
    client = APIClient()
    client.force_login(tenant_a.staff)
    response = client.get(f"/api/v1/teams/{tenant_b.team.public_id}/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_filters_and_pagination(tenant_a):
    client = APIClient()
    client.force_login(tenant_a.staff)
    response = client.get("/api/v1/collaboratives/", {"status": "recruiting", "page_size": 1})
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(tenant_a.recruiting.public_id)
    bad = client.get("/api/v1/collaboratives/", {"status": "bogus"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"
    assert "status" in bad.json()["error"]["fields"]


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/teams/{team_id}/" in text
    assert "openapi: 3" in text


def test_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("method", ["get_queryset", "initial"])
def test_api_view_cannot_override_where_the_scoping_happens(method):
    with pytest.raises(TypeError, match="scoped_queryset"):
        type("Unsafe", (UserScopedReadOnlyViewSet,), {method: lambda self, *a, **k: None})


def api_views(urlconf: str | None = None) -> dict[str, type]:
    """Every route served by a view class of ours that is an API view: a route of the
    `api` namespace, or any DRF view (third-party views such as the schema excepted)."""
    found = {}
    for route in iter_routes(urlconf):
        if route.is_third_party:
            continue
        view = getattr(route.callback, "view_class", None) or getattr(route.callback, "cls", None)
        in_api = route.namespace.split(":")[0] == "api"
        is_drf = isinstance(view, type) and issubclass(view, APIView)
        if view is None or not (in_api or is_drf):
            continue
        if view.__module__.startswith(("rest_framework.", "drf_spectacular.")):
            continue  # the router's root (names of routes, no data; refused as unscoped)
        found[route.name] = view
    return found


def unscoped(views: dict[str, type]) -> list[str]:
    return sorted(
        f"{name}: {view.__module__}.{view.__qualname__}"
        for name, view in views.items()
        if not (isinstance(view, type) and issubclass(view, ScopedAPIView))
    )


def test_every_api_view_inherits_the_scoped_base():
    """A new API view must inherit core.api.views.ScopedAPIView (through the base of what
    its URL names: UserScopedAPIView, CollaborativeScopedAPIView, TeamScopedAPIView)."""
    views = api_views()
    assert {"api:me", "api:team-list", "api:collaborative-phases", "api:team-ratings"} <= set(views)
    assert {"api:pdsa-comment-list", "api:measure-list", "api:survey-wave-list"} <= set(views)
    assert unscoped(views) == []


def test_the_base_check_catches_a_view_without_it():
    assert unscoped(api_views("tests.leaky_urls")) == [
        "leaky-teams: tests.leaky_urls.LeakyTeamList"
    ]


def test_every_api_view_describes_itself():
    """The schema describes an endpoint with its view's docstring, else the nearest base
    class's: a view without one would publish the base's internals."""
    missing = sorted(name for name, view in api_views().items() if not view.__dict__.get("__doc__"))
    assert missing == []


def forgetful(base: type) -> type:
    """A view whose handler never looks at its scope."""

    def get(self, request, *args, **kwargs):
        return Response({"ok": True})

    return type("Forgetful", (base,), {"__doc__": "Forgets its scope.", "get": get})


@pytest.mark.parametrize(
    "base, kwarg, mine, not_mine",
    [
        (TeamScopedAPIView, "team_id", "team", "other_team"),
        (CollaborativeScopedAPIView, "collaborative_id", "collaborative", "recruiting"),
    ],
)
def test_the_base_resolves_the_scope_before_any_handler_runs(
    tenant_a, tenant_b, base, kwarg, mine, not_mine
):
    """Even a handler that forgets the scope answers 404 for an object the caller may not
    see (in another program, or in theirs but not theirs to read); a method the view
    does not handle still answers 405."""
    view = forgetful(base)

    def call(method, obj):
        request = getattr(APIRequestFactory(), method)("/")
        force_authenticate(request, user=tenant_a.member)
        response = view.as_view()(request, **{kwarg: obj.public_id})
        return response.status_code, response.data

    not_found = (404, {"error": {"code": "not_found", "message": "Not found."}})
    assert call("get", getattr(tenant_a, mine)) == (200, {"ok": True})
    assert call("get", getattr(tenant_b, mine)) == not_found
    assert call("get", getattr(tenant_a, not_mine)) == not_found
    assert call("delete", getattr(tenant_b, mine))[0] == 405


@pytest.mark.parametrize(
    "error, fields",
    [
        (DjangoValidationError({"stage": "Unknown stage."}), {"stage": ["Unknown stage."]}),
        (DjangoValidationError("Closed."), {"non_field_errors": ["Closed."]}),
        (DjangoValidationError(["One.", "Two."]), {"non_field_errors": ["One.", "Two."]}),
        (DjangoValidationError("Week %(n)s.", params={"n": 3}), {"non_field_errors": ["Week 3."]}),
        (
            DjangoValidationError({NON_FIELD_ERRORS: ["Both."], "f": ["Bad."]}),
            {"f": ["Bad."], "non_field_errors": ["Both."]},
        ),
    ],
)
def test_django_validation_errors_become_the_error_shape(error, fields):
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "code": "invalid",
            "message": "The request contains invalid data.",
            "fields": fields,
        }
    }
