"""The staff MFA rule holds for API tokens as for sessions (issue 13, item 1): a token
does not let staff without an authenticator in, is not issued to them, and is revoked
when its holder becomes staff without one or removes their authenticator."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import ProgramMembership, ProgramRole
from accounts.services import api_token_rotate
from core.models import AuditEvent
from tests.factories import give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def _api(key: str):
    return Client().get("/api/v1/teams/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_does_not_let_staff_without_an_authenticator_read_the_api(tenant_a, mfa_required):
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    # A token issued before the rule applied to this person (e.g. before the setting
    # was turned on): the API still refuses it.
    token = Token.objects.create(user=tenant_a.staff)
    response = _api(token.key)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


def test_staff_with_an_authenticator_and_members_use_their_tokens(tenant_a, mfa_required):
    if not Authenticator.objects.filter(user=tenant_a.staff).exists():
        give_totp(tenant_a.staff)
    assert _api(api_token_rotate(user=tenant_a.staff)).status_code == 200
    assert _api(api_token_rotate(user=tenant_a.member)).status_code == 200


def test_no_token_is_issued_to_staff_without_an_authenticator(tenant_a, mfa_required):
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    # The page is behind the MFA middleware; the service refuses on its own too, for
    # any other way in (the admin, a shell, a future endpoint).
    client = Client()
    client.force_login(tenant_a.staff)
    response = client.post(reverse("accounts:api_token"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    with pytest.raises(ValidationError, match="Set up two-factor authentication first"):
        api_token_rotate(user=tenant_a.staff)
    assert not Token.objects.filter(user=tenant_a.staff).exists()


def test_removing_the_authenticator_revokes_the_token(tenant_a, mfa_required):
    if not Authenticator.objects.filter(user=tenant_a.staff).exists():
        give_totp(tenant_a.staff)
    key = api_token_rotate(user=tenant_a.staff)
    for authenticator in Authenticator.objects.filter(user=tenant_a.staff):
        authenticator.delete()
    assert not Token.objects.filter(user=tenant_a.staff).exists()
    assert _api(key).status_code == 401
    assert AuditEvent.objects.filter(
        verb="api_token.revoked", data__reason="authenticator removed"
    ).exists()


def test_a_coach_without_an_authenticator_who_becomes_staff_loses_the_token(tenant_a, mfa_required):
    coach = tenant_a.coach
    Authenticator.objects.filter(user=coach).delete()
    key = api_token_rotate(user=coach)  # coaches need no authenticator
    assert _api(key).status_code == 200
    ProgramMembership.objects.create(program=tenant_a.program, user=coach, role=ProgramRole.STAFF)
    assert not Token.objects.filter(user=coach).exists()
    assert AuditEvent.objects.filter(
        verb="api_token.revoked", data__reason="became program staff"
    ).exists()


def test_members_keep_their_tokens_when_the_rule_does_not_apply(tenant_a, mfa_required):
    key = api_token_rotate(user=tenant_a.member)
    ProgramMembership.objects.filter(user=tenant_a.member).update(role=ProgramRole.STAFF)
    assert Token.objects.filter(user=tenant_a.member, key=key).exists()  # update(): no signal


def test_the_new_token_page_is_never_stored(tenant_a):
    client = Client()
    client.force_login(tenant_a.member)
    response = client.post(reverse("accounts:api_token"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
