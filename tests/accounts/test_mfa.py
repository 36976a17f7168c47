"""MFA: available to everyone, required for program staff when the setting is on."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories import give_totp

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_authenticator_must_enrol_first(tenant_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    client = _client(tenant_a.staff)
    response = client.get(reverse("collaboratives:staff_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The enrolment page itself is reachable (allauth first asks to confirm the
    # password of a session that did not just sign in): no redirect loop.
    enrol = client.get(reverse("mfa_activate_totp"))
    assert enrol.status_code == 302
    assert enrol["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(enrol["Location"]).status_code == 200
    api = client.get("/api/v1/teams/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "mfa_required"


def test_staff_with_authenticator_works(tenant_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    assert _client(tenant_a.staff).get(reverse("collaboratives:staff_list")).status_code == 200


def test_members_and_coaches_are_not_forced(tenant_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    url = reverse("teams:detail", kwargs={"team_id": tenant_a.team.public_id})
    assert _client(tenant_a.member).get(url).status_code == 200
    assert _client(tenant_a.coach).get(url).status_code == 200


def test_members_may_enrol_too(tenant_a):
    give_totp(tenant_a.member)
    assert Authenticator.objects.filter(user=tenant_a.member, type="totp").exists()
    assert _client(tenant_a.member).get(reverse("mfa_index")).status_code == 200


def test_setting_off_lets_staff_in_without_mfa(tenant_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    assert _client(tenant_a.staff).get(reverse("collaboratives:staff_list")).status_code == 200


def test_login_of_staff_with_totp_asks_for_the_code(tenant_a):
    from tests.factories import PASSWORD

    client = Client()
    response = client.post(
        reverse("account_login"), {"login": tenant_a.staff.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
