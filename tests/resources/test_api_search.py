"""The library and the top-bar search in the API (resources/api/search.py): list with
filters and ranked `q`, detail without file bytes, the grouped search; scoped, with
token authentication, 404 for another program's resource."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from collaboratives.models import FacilityType, FocusArea
from core import search as search_registry
from core.search import SearchHit
from resources.models import Resource, ResourceKind, Visibility
from tests.conftest import PRIVATE_MARKER

from .search_helpers import make_resource

pytestmark = pytest.mark.django_db

LIST = "/api/v1/resources/"
SEARCH = "/api/v1/search/"


@pytest.fixture(autouse=True)
def _only_this_tests_resources(tenant_a, tenant_b):
    """The tenants' sample resources (tests/resources/*_tenant_builder.py) removed, so
    that lists hold what each test made."""
    Resource.objects.all().delete()


def api(user) -> APIClient:
    """A client authenticated as an integration would be: with the user's token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_the_list_is_scoped_and_sorted_by_title(tenant_a, tenant_b):
    make_resource(tenant_a, "Splint sizes")
    make_resource(tenant_a, "Airway cart", visibility=Visibility.COLLABORATIVE)
    make_resource(
        tenant_a,
        "Recruiting only",
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant_a.recruiting,
    )
    make_resource(tenant_a, "Retired", retired_at=timezone.now())
    make_resource(tenant_b, f"Bravo toolkit {PRIVATE_MARKER}", visibility=Visibility.PUBLIC)
    response = api(tenant_a.member).get(LIST)
    assert titles(response) == ["Airway cart", "Splint sizes"]
    assert PRIVATE_MARKER not in response.content.decode()
    assert titles(api(tenant_a.staff).get(LIST)) == [
        "Airway cart",
        "Recruiting only",
        "Splint sizes",
    ]


def test_q_ranks_title_over_summary_over_body_and_marks_matches(tenant_a):
    make_resource(tenant_a, "Body hit", summary="Nothing.", body="Apply a splint.")
    make_resource(tenant_a, "<b>Splint</b> sizes", summary="Nothing.")
    make_resource(tenant_a, "Summary hit", summary="Which splint to choose.")
    response = api(tenant_a.member).get(LIST, {"q": "splints"})
    assert titles(response) == ["<b>Splint</b> sizes", "Summary hit", "Body hit"]
    first = response.json()["results"][0]
    assert first["title_marked"] == "&lt;b&gt;<mark>Splint</mark>&lt;/b&gt; sizes"
    assert api(tenant_a.member).get(LIST).json()["results"][0]["title_marked"] is None


def test_filters(tenant_a):
    area = FocusArea.objects.create(program=tenant_a.program, name="Trauma")
    toolkit = make_resource(
        tenant_a,
        "Trauma toolkit",
        kind=ResourceKind.TOOLKIT,
        audience=[FacilityType.CRITICAL_ACCESS],
    )
    toolkit.focus_areas.add(area)
    make_resource(tenant_a, "For everyone", kind=ResourceKind.VIDEO)
    make_resource(tenant_a, "Academic only", audience=[FacilityType.ACADEMIC])
    make_resource(tenant_a, "Our collaborative", visibility=Visibility.COLLABORATIVE)
    client = api(tenant_a.member)
    assert titles(client.get(LIST, {"kind": "toolkit"})) == ["Trauma toolkit"]
    assert titles(client.get(LIST, {"focus_area": area.public_id})) == ["Trauma toolkit"]
    assert titles(client.get(LIST, {"audience": "critical_access"})) == [
        "For everyone",
        "Our collaborative",
        "Trauma toolkit",
    ]
    assert titles(client.get(LIST, {"collaborative": tenant_a.collaborative.public_id})) == [
        "Our collaborative"
    ]
    assert titles(client.get(LIST, {"kind": "video", "q": "everyone"})) == ["For everyone"]


@pytest.mark.parametrize(
    "params", [{"kind": "virus"}, {"audience": "moon"}, {"focus_area": "nope"}, {"q": "x" * 2000}]
)
def test_bad_filters_are_a_400(tenant_a, params):
    response = api(tenant_a.member).get(LIST, params)
    assert response.status_code == 400
    assert response.json()["error"]["code"]


@pytest.mark.parametrize("query", ["&|!():*'", "'; DROP TABLE resources_resource; --", '"', "-"])
def test_any_words_are_answered(tenant_a, query):
    make_resource(tenant_a, "Splint sizes")
    assert api(tenant_a.member).get(LIST, {"q": query}).status_code == 200
    assert api(tenant_a.member).get(SEARCH, {"q": query}).status_code == 200


def test_the_list_reads_a_fixed_number_of_queries(tenant_a):
    area = FocusArea.objects.create(program=tenant_a.program, name="Trauma")
    for i in range(3):
        make_resource(tenant_a, f"Splint {i}").focus_areas.add(area)
    client = api(tenant_a.member)
    client.get(LIST)  # the token and the roles are read once per request anyway
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"q": "splint"})
    for i in range(3, 10):
        make_resource(tenant_a, f"Splint {i}").focus_areas.add(area)
    with CaptureQueriesContext(connection) as many:
        assert len(titles(client.get(LIST, {"q": "splint"}))) == 10
    assert len(many) == len(few)


def test_detail_without_file_bytes(tenant_a):
    resource = make_resource(tenant_a, "Splint sizes", source="ENA", tags=["ortho"])
    response = api(tenant_a.member).get(f"{LIST}{resource.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(resource.public_id)
    assert body["page_url"] == f"/resources/{resource.public_id}/"
    assert body["link"] == "https://example.org/resource"
    assert (body["file_name"], body["file_size"], body["is_file"]) == (None, None, False)
    assert body["tags"] == ["ortho"] and body["source"] == "ENA"


def test_detail_of_another_program_or_a_hidden_resource_is_404(tenant_a, tenant_b):
    theirs = make_resource(tenant_b, "Bravo public", visibility=Visibility.PUBLIC)
    recruiting = make_resource(
        tenant_a,
        "Recruiting",
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant_a.recruiting,
    )
    retired = make_resource(tenant_a, "Retired", retired_at=timezone.now())
    for resource in (theirs, recruiting, retired):
        response = api(tenant_a.member).get(f"{LIST}{resource.public_id}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api(tenant_a.staff).get(f"{LIST}{recruiting.public_id}/").status_code == 200


def test_not_signed_in_is_a_401(tenant_a):
    resource = make_resource(tenant_a, "Splint sizes")
    client = APIClient()
    for path in (LIST, f"{LIST}{resource.public_id}/", f"{SEARCH}?q=splint"):
        assert client.get(path).status_code == 401


def test_search_groups_like_the_page(tenant_a, tenant_b):
    make_resource(tenant_a, "Kg poster")
    make_resource(tenant_b, f"Kg poster {PRIVATE_MARKER}")
    response = api(tenant_a.member).get(SEARCH, {"q": "kg"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "kg"
    assert [g["name"] for g in body["groups"]] == [
        "resources",
        "change_ideas",
        "pdsa_cycles",
        "measures",
    ]
    (hit,) = body["groups"][0]["hits"]
    assert hit["title"] == "<mark>Kg</mark> poster"
    assert hit["kind"] == "Link"
    assert PRIVATE_MARKER not in response.content.decode()


def test_search_one_group_and_more(tenant_a):
    for i in range(7):
        make_resource(tenant_a, f"Splint {i}")
    client = api(tenant_a.member)
    (group,) = client.get(SEARCH, {"q": "splint"}).json()["groups"]
    assert (len(group["hits"]), group["has_more"]) == (5, True)
    (group,) = client.get(SEARCH, {"q": "splint", "group": "resources"}).json()["groups"]
    assert (len(group["hits"]), group["has_more"]) == (7, False)
    assert client.get(SEARCH, {"q": "splint", "group": "nope"}).status_code == 400
    assert client.get(SEARCH, {"q": ""}).json() == {"query": "", "groups": []}


def test_a_providers_plain_text_is_escaped_in_the_answer(tenant_a, monkeypatch):
    monkeypatch.setattr(search_registry, "_PROVIDERS", {})
    search_registry.register_search_provider(
        "plain",
        "Plain",
        lambda user, query, limit: [SearchHit("<b>bold</b>", "/x/", "a < b", "Thing")],
    )
    (group,) = api(tenant_a.member).get(SEARCH, {"q": "bold"}).json()["groups"]
    assert group["hits"][0]["title"] == "&lt;b&gt;bold&lt;/b&gt;"
    assert group["hits"][0]["snippet"] == "a &lt; b"
