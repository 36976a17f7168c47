"""The admin site signs in through allauth (issue 13, item 6).

Django's own admin login form checked a password with no rate limit and no second
factor: a way around allauth's failed-login limits and the staff MFA rule. It now
sends the visitor to allauth's sign-in page, and back to the admin afterwards.
"""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    user = UserFactory(is_staff=True, is_superuser=True)
    give_totp(user)
    return user


def test_the_admin_login_form_checks_no_password_and_sends_to_allauth(superuser):
    client = Client()
    for password in ["wrong"] * 12 + [PASSWORD]:
        response = client.post("/admin/login/", {"username": superuser.email, "password": password})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Flogin%2F"
    # Not even the right password signs in without allauth's limits and the TOTP step.
    assert "_auth_user_id" not in client.session
    chain = client.get("/admin/", follow=True).redirect_chain
    assert chain[-1] == ("/accounts/login/?next=%2Fadmin%2F", 302)


def test_staff_signed_in_through_allauth_reach_the_admin(superuser):
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"
