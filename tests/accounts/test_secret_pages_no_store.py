"""Pages that show a secret once are never cached (issue 13, item 5).

The TOTP set-up page shows the authenticator's secret and its QR code; the recovery
code pages show, regenerate or download the codes. A browser or proxy cache would
keep them on disk for anyone who opens the cache (a shared clinic tablet), so
they answer Cache-Control: no-store, like the page showing a new API token.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, give_totp

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    """A session that just confirmed its password, as allauth asks before MFA pages."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _assert_no_store(response) -> None:
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control, cache_control
    assert "private" in cache_control, cache_control


def test_totp_set_up_page_with_its_secret_is_not_cached(tenant_a):
    Authenticator.objects.filter(user=tenant_a.member).delete()
    client = _signed_in(tenant_a.member)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "data:image/svg+xml" in response.content.decode()  # the QR code
    _assert_no_store(response)
    # A wrong code shows the secret again: that page is not cached either.
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    _assert_no_store(wrong)


def test_recovery_code_pages_are_not_cached(tenant_a):
    give_totp(tenant_a.member)
    client = _signed_in(tenant_a.member)
    generated = client.post(reverse("mfa_generate_recovery_codes"))
    _assert_no_store(generated)
    shown = client.get(reverse("mfa_view_recovery_codes"))
    assert shown.status_code == 200
    _assert_no_store(shown)
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    _assert_no_store(download)


def test_ordinary_pages_keep_their_caching(tenant_a):
    client = _signed_in(tenant_a.member)
    response = client.get(reverse("accessibility"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_staff_without_mfa_can_still_send_csp_reports(tenant_a, settings):
    """The report endpoint is not sent to the MFA set-up page like other pages."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    client = Client()
    client.force_login(tenant_a.staff)
    response = client.post(
        "/csp-report/",
        data='{"csp-report": {"effective-directive": "img-src", "blocked-uri": "data"}}',
        content_type="application/csp-report",
    )
    assert response.status_code == 204
