"""The inbox in the API: /api/v1/me/notifications/ (list with the unread count, read,
read-all), scoped to the caller, with token and session authentication."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import clock
from core.inbox import notice_create, unread_count
from core.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/api/v1/me/notifications/"
READ_ALL = "/api/v1/me/notifications/read-all/"


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        yield


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def read_url(notice) -> str:
    return f"/api/v1/me/notifications/{notice.public_id}/read/"


def make(user, title, **extra):
    return notice_create(recipient=user, kind="pdsa_comment", title=title, url="/a/", **extra)


def test_the_list_is_mine_newest_first_with_the_unread_count(tenant_a, tenant_b):
    old = make(tenant_a.lead, "Old")
    Notification.objects.filter(pk=old.pk).update(
        created_at=clock.now().replace(year=2025), read_at=clock.now()
    )
    new = make(tenant_a.lead, "New")
    make(tenant_a.member, "Someone else's")
    body = api(tenant_a.lead).get(LIST).json()
    assert body["count"] == 2
    assert body["unread_count"] == 1
    assert [n["title"] for n in body["results"]] == ["New", "Old"]
    first = body["results"][0]
    assert first == {
        "id": str(new.public_id),
        "kind": "pdsa_comment",
        "kind_label": "Comments on PDSA cycles",
        "title": "New",
        "url": "/a/",
        "created_at": first["created_at"],
        "read": False,
        "read_at": None,
    }
    assert body["results"][1]["read"] is True


def test_the_list_filters_unread_and_pages_by_25(tenant_a):
    for i in range(30):
        make(tenant_a.lead, f"N{i}")
    Notification.objects.filter(title="N0").update(read_at=clock.now())
    client = api(tenant_a.lead)
    body = client.get(LIST).json()
    assert body["count"] == 30 and len(body["results"]) == 25 and body["next"]
    unread = client.get(LIST + "?unread=1").json()
    assert unread["count"] == 29 and unread["unread_count"] == 29
    assert "N0" not in {n["title"] for n in unread["results"]}
    assert client.get(LIST + "?page_size=5").json()["results"].__len__() == 5


def test_the_list_costs_a_constant_number_of_queries(tenant_a):
    client = api(tenant_a.lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for i in range(3):
        make(tenant_a.lead, f"N{i}")
    client.get(LIST)
    few = queries()
    for i in range(40):
        make(tenant_a.lead, f"M{i}")
    client.get(LIST)
    # Session, user, the staff-MFA check, the page's COUNT and its rows; the unread
    # count comes from the cache.
    assert queries() == few <= 5


def test_read_marks_one_of_mine_read(tenant_a):
    notice = make(tenant_a.lead, "A")
    make(tenant_a.lead, "B")
    client = api(tenant_a.lead)
    response = client.post(read_url(notice))
    assert response.status_code == 200
    assert response.json()["read"] is True
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert unread_count(user=tenant_a.lead) == 1
    assert client.get(read_url(notice)).status_code == 405


@pytest.mark.parametrize("name", ["member", "coach", "staff"])
def test_reading_someone_elses_notice_is_a_404(tenant_a, name):
    notice = make(tenant_a.lead, "A")
    response = api(getattr(tenant_a, name)).post(read_url(notice))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    notice.refresh_from_db()
    assert notice.read_at is None


def test_another_tenants_notice_is_a_404(tenant_a, tenant_b):
    notice = Notification.objects.get(recipient=tenant_b.lead)
    assert api(tenant_a.lead).post(read_url(notice)).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_read_all_marks_only_mine(tenant_a):
    make(tenant_a.lead, "A")
    make(tenant_a.lead, "B")
    theirs = make(tenant_a.member, "C")
    response = api(tenant_a.lead).post(READ_ALL)
    assert response.status_code == 200
    assert response.json() == {"marked_read": 2, "unread_count": 0}
    assert api(tenant_a.lead).get(LIST).json()["unread_count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_token_authentication_works(tenant_a):
    make(tenant_a.member, "For the member")
    token = Token.objects.create(user=tenant_a.member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = client.get(LIST).json()
    assert [n["title"] for n in body["results"]] == ["For the member"]
    assert client.post(READ_ALL).json()["marked_read"] == 1


@pytest.mark.parametrize("url", [LIST, READ_ALL])
def test_anonymous_is_refused(url):
    assert APIClient().get(url).status_code == 401
    assert APIClient().post(url).status_code == 401


def test_the_schema_describes_the_inbox(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    schema = out.read_text()
    assert "/api/v1/me/notifications/:" in schema
    assert "/api/v1/me/notifications/{notification_id}/read/:" in schema
    assert "/api/v1/me/notifications/read-all/:" in schema
    assert "unread_count" in schema
