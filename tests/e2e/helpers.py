"""Helpers for browser journeys."""

from django.conf import settings
from django.test import Client


def sign_in_as(page, live_server, user) -> None:
    """Give the browser a signed-in session (journeys that are not about the login page)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
