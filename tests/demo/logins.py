"""The demo logins and where each lands after signing in."""

from django.test import Client

from demo.world import DEMO_PASSWORD

DEMO_LOGINS = {
    "staff@demo.example": "/collaboratives/",
    "coach@demo.example": "/coach/",
    "lead@demo.example": "/teams/",
    "member@demo.example": "/teams/",
    "other-staff@demo.example": "/collaboratives/",
}


def assert_lands_on_home(client: Client, email: str, home: str) -> None:
    """Sign in with the demo password, open the site's root and land on `home` (200)."""
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, email
    landing = client.get("/", follow=True)
    assert landing.status_code == 200, email
    assert landing.redirect_chain[-1][0].startswith(home), (email, landing.redirect_chain)
