"""The accessibility statement (issue 13): public, linked from every page's footer, and
it says how to report a barrier."""

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

CONTACT = "access@qi.example.org"


@pytest.fixture
def contact(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = CONTACT
    return CONTACT


def test_anyone_can_read_the_statement_and_it_says_whom_to_tell(client, contact):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "WCAG 2.2" in html and "AA" in html
    assert f'href="mailto:{CONTACT}"' in html
    assert "Known limitations" in html


def test_the_statement_is_dated_from_its_constant_not_from_today(client, contact):
    from core.views import ACCESSIBILITY_STATEMENT_DATE

    html = client.get(reverse("accessibility")).content.decode()
    written = ACCESSIBILITY_STATEMENT_DATE
    assert f'<time datetime="{written.isoformat()}">{written.day} {written:%B %Y}</time>' in html


def test_without_a_contact_address_the_page_still_says_how_to_report(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    html = client.get(reverse("accessibility")).content.decode()
    assert "mailto:" not in html
    assert "program staff" in html


def test_a_deployment_without_a_contact_address_is_warned(settings):
    settings.DEBUG = False
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "core.W002" in ids
    settings.ACCESSIBILITY_CONTACT_EMAIL = CONTACT
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "core.W002" not in ids


@pytest.mark.parametrize("persona", [None, "lead", "staff"])
def test_every_page_links_to_the_statement_from_its_footer(tenant_a, persona):
    client = Client()
    url = "/"
    if persona:
        client.force_login(getattr(tenant_a, persona))
        url = client.get("/")["Location"]  # their home: the team or the collaboratives
    html = client.get(url).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("accessibility")}"' in footer
    assert "Accessibility" in footer
