"""Signing in through the real login page lands each person on their home page."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_team_lead_signs_in_and_lands_on_the_team_page(page, tenant_a):
    _sign_in(page, tenant_a.lead.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(tenant_a.team.name)
    expect(page.get_by_text(tenant_a.coach.full_name)).to_be_visible()


def test_coach_signs_in_and_sees_their_teams(page, tenant_a):
    _sign_in(page, tenant_a.coach.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("My teams")
    expect(page.get_by_role("link", name=tenant_a.team.name, exact=True)).to_be_visible()


def test_staff_sign_in_with_password_and_authenticator_code(page, tenant_a):
    from allauth.mfa.models import Authenticator

    from tests.factories import give_totp

    Authenticator.objects.filter(user=tenant_a.staff).delete()
    secret = give_totp(tenant_a.staff)
    _sign_in(page, tenant_a.staff.email)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Collaboratives")
    expect(page.get_by_role("link", name=tenant_a.collaborative.title)).to_be_visible()


def test_wrong_password_shows_a_message_in_the_page(page, tenant_a):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(tenant_a.lead.email)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
