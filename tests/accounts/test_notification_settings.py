"""The notification settings page (/me/notifications/): a choice per kind of e-mail."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from core.models import AuditEvent, Delivery, NotificationPreference
from core.notification_kinds import optional_kinds
from core.notifications import preferences_of, preferences_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/me/notifications/"


@pytest.fixture
def ana():
    return UserFactory(email="ana@example.org", full_name="Ana Lee")


@pytest.fixture
def client(ana):
    client = Client()
    client.force_login(ana)
    return client


def _all(value: str) -> dict[str, str]:
    return {kind.key: value for kind in optional_kinds()}


def test_the_url_is_under_the_profile():
    assert reverse("accounts:notifications") == URL


def test_signing_in_is_required():
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_lists_every_kind_with_the_current_choice_checked(client, ana):
    preferences_save(user=ana, choices={"pdsa_comment": Delivery.DIGEST})
    page = client.get(URL).content.decode()
    for kind in optional_kinds():
        assert escape(kind.label) in page
    checked = dict(
        re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]*\bchecked>', page)
    )
    expected = {kind.key: Delivery.IMMEDIATELY for kind in optional_kinds()}
    assert checked == expected | {"pdsa_comment": Delivery.DIGEST}
    assert "Account and security" in page and "Always sent immediately" in page
    assert 'name="account"' not in page


def test_saving_stores_the_choices_and_audits_them(client, ana):
    choices = _all(Delivery.IMMEDIATELY) | {
        "session_reminder": Delivery.DIGEST,
        "pdsa_comment": Delivery.OFF,
    }
    response = client.post(URL, choices)
    assert response.status_code == 302 and response["Location"] == URL
    prefs = preferences_of(ana)
    assert prefs["session_reminder"] == Delivery.DIGEST
    assert prefs["pdsa_comment"] == Delivery.OFF
    assert prefs["data_reminder"] == Delivery.IMMEDIATELY
    event = AuditEvent.objects.get(verb="notification_preference.changed")
    assert event.actor == ana
    assert event.data["changes"] == {"session_reminder": "digest", "pdsa_comment": "off"}
    assert "Your notification settings were saved." in client.get(URL).content.decode()


def test_saving_the_same_choices_writes_nothing(client):
    client.post(URL, _all(Delivery.IMMEDIATELY))
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"pdsa_comment": "sometimes"},
            "Choose how you receive “Comments on PDSA cycles” e-mails: immediately",
        ),
        ({"pdsa_comment": ""}, "Choose how you receive “Comments on PDSA cycles” e-mails."),
    ],
)
def test_a_bad_choice_is_said_and_nothing_is_saved(client, change, message):
    choices = _all(Delivery.OFF) | change
    response = client.post(URL, choices)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_choices_of_one_person_are_theirs_only(client, ana):
    bo = UserFactory(email="bo@example.org")
    client.post(URL, _all(Delivery.OFF))
    assert set(preferences_of(bo).values()) == {Delivery.IMMEDIATELY}
    assert set(preferences_of(ana).values()) == {Delivery.OFF}


def test_the_profile_links_to_the_settings(client):
    assert URL in client.get(reverse("accounts:profile")).content.decode()
