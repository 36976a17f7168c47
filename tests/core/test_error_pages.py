"""`make run` (DEBUG on, TECHNICAL_ERROR_PAGES off) shows the product's own error pages,
and browsers' automatic requests for the site icon are answered."""

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as project_urls

pytestmark = pytest.mark.django_db


def _missing(request):
    raise Http404("No such cycle")


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test/missing/", _missing),
    path("test/forbidden/", _forbidden),
    path("test/broken/", _broken),
    *project_urls,
]


@pytest.fixture
def make_run(settings):
    """The settings `make run` serves with (scripts/run_demo.py)."""
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = False
    settings.ROOT_URLCONF = __name__
    return settings


def _is_product_404(response) -> bool:
    html = response.content.decode()
    return "Page not found" in html and "Go to your home page" in html


def test_unknown_url_shows_the_product_404_not_the_url_list(make_run, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _is_product_404(response)
    html = response.content.decode()
    assert "Using the URLconf" not in html
    assert "api/v1/" not in html


def test_a_view_raising_404_shows_the_product_page(make_run, client, tenant_a):
    client.force_login(tenant_a.lead)
    response = client.get("/test/missing/")
    assert response.status_code == 404
    assert _is_product_404(response)
    assert "No such cycle" not in response.content.decode()


def test_append_slash_still_redirects(make_run, client):
    response = client.get("/me")
    assert response.status_code == 301
    assert response["Location"] == "/me/"


def test_a_crash_shows_the_product_500_page(make_run):
    client = Client(raise_request_exception=False)
    response = client.get("/test/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "boom" not in html


def test_403_is_the_product_page(make_run, client):
    response = client.get("/test/forbidden/")
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()


def test_technical_pages_stay_available_to_developers(settings, client):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


@pytest.mark.parametrize("url", ["/favicon.ico", "/apple-touch-icon.png"])
def test_browsers_automatic_icon_requests_are_answered(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")


def test_pages_link_the_icons(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
    assert "favicon.svg" in html
    assert finders.find("favicon.svg")
