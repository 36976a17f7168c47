"""Sign-up, login, verification, rate limiting and bad input (allauth, our settings)."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import OutboundEmail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, **overrides):
    data = {
        "email": "nurse@example.org",
        "full_name": "Nia Nurse",
        "credentials": "RN, CPEN",
        "password1": "a-Long-enough-passphrase-42",
        "password2": "a-Long-enough-passphrase-42",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_signup_records_name_and_credentials_and_requires_verification(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nurse@example.org")
    assert user.full_name == "Nia Nurse"
    assert user.credentials == "RN, CPEN"
    assert user.display_name == "Nia Nurse, RN, CPEN"
    # The verification mail went through our outbox and was sent by the task.
    queued = OutboundEmail.objects.get(to_email="nurse@example.org")
    assert queued.status == "sent"
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_unverified_user_cannot_sign_in_until_verified(client):
    user = UserFactory(email="new@example.org", verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_by_email_is_case_insensitive(client):
    UserFactory(email="lead@example.org")
    response = client.post(
        reverse("account_login"), {"login": "Lead@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_password_gives_a_clear_message(client):
    UserFactory(email="lead@example.org")
    response = client.post(
        reverse("account_login"), {"login": "lead@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_repeated_failures_are_rate_limited(client):
    UserFactory(email="lead@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "lead@example.org", "password": "nope"})
    response = client.post(
        reverse("account_login"), {"login": "lead@example.org", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "x" * 300 + "@example.org"}, "Ensure this value has at most"),
        ({"full_name": "n" * 151}, "Ensure this value has at most 150 characters"),
        ({"full_name": ""}, "This field is required."),
        ({"password2": "different-passphrase-99"}, "You must type the same password each time."),
        ({"password1": "123", "password2": "123"}, "This password is too short."),
    ],
)
def test_bad_signup_input_gets_a_clear_message(client, overrides, message):
    response = _signup(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_is_refused(client, django_capture_on_commit_callbacks):
    UserFactory(email="nurse@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    # allauth prevents account enumeration: same page as a new sign-up, no second account.
    assert response.status_code == 302
    assert User.objects.filter(email="nurse@example.org").count() == 1


def test_post_without_csrf_token_gets_a_clear_403_page():
    client = Client(enforce_csrf_checks=True)
    UserFactory(email="lead@example.org")
    response = client.post(
        reverse("account_login"), {"login": "lead@example.org", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_password_reset_mail_is_queued_and_sent(client, django_capture_on_commit_callbacks):
    UserFactory(email="lead@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "lead@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_logout_requires_post_and_signs_out(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
