"""Links in e-mails: one helper builds them from SITE_URL, `make run` derives SITE_URL
from where it listens, and `check --deploy` warns when it is left at localhost."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.checks import run_checks

from core.emails import absolute_url
from teams.services.enrolment import team_approve

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _run_demo():
    spec = importlib.util.spec_from_file_location("run_demo", ROOT / "scripts" / "run_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site_url_warnings() -> list:
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "core.W001"]


@pytest.mark.parametrize("url", ["http://localhost:8000", "http://127.0.0.1:8001", "http://[::1]"])
def test_check_deploy_warns_when_site_url_is_left_at_localhost(settings, url):
    settings.DEBUG = False
    settings.SITE_URL = url
    warnings = _site_url_warnings()
    assert len(warnings) == 1
    assert url in warnings[0].msg


def test_check_deploy_accepts_a_public_site_url(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://qi.example.org"
    assert _site_url_warnings() == []


def test_check_deploy_does_not_warn_in_development(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://localhost:8000"
    assert _site_url_warnings() == []


def test_plain_check_does_not_warn(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://localhost:8000"
    assert not [m for m in run_checks() if m.id == "core.W001"]


@pytest.mark.parametrize(
    ("environ", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "192.168.1.20", "PORT": "9000"}, "http://192.168.1.20:9000"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://localhost:8080"),  # noqa: S104
        ({"HOST": "::1"}, "http://[::1]:8000"),
        ({"PORT": "8123", "SITE_URL": "https://qi.example.org"}, "https://qi.example.org"),
    ],
)
def test_make_run_derives_site_url_from_host_and_port(environ, site_url):
    env = _run_demo().demo_environment(environ)
    assert env["SITE_URL"] == site_url


def test_make_run_keeps_what_the_env_file_sets():
    env = _run_demo().demo_environment({"PORT": "8123"}, {"SITE_URL", "ALLOWED_HOSTS"})
    assert "SITE_URL" not in env
    assert "ALLOWED_HOSTS" not in env


def test_make_run_allows_the_host_it_listens_on():
    env = _run_demo().demo_environment({"HOST": "192.168.1.20"})
    assert env["ALLOWED_HOSTS"].split(",") == ["localhost", "127.0.0.1", "[::1]", "192.168.1.20"]
    assert _run_demo().demo_environment({"ALLOWED_HOSTS": "qi.lan"})["ALLOWED_HOSTS"] == "qi.lan"


def test_make_run_shows_the_product_error_pages_with_debug_on():
    env = _run_demo().demo_environment({})
    assert env["DEBUG"] == "true"
    assert env["TECHNICAL_ERROR_PAGES"] == "false"


def test_absolute_url_joins_site_url_and_path(settings):
    settings.SITE_URL = "https://qi.example.org/"
    assert absolute_url("/teams/x/") == "https://qi.example.org/teams/x/"


def test_only_the_helper_reads_site_url():
    """Every e-mail link goes through core.emails.absolute_url: one rule, one place."""
    readers = [
        path.relative_to(ROOT).as_posix()
        for app in ROOT.iterdir()
        if (app / "apps.py").exists()
        for path in app.rglob("*.py")
        if "settings.SITE_URL" in path.read_text()
    ]
    assert readers == ["core/emails.py"]


def test_emails_link_to_the_configured_site(tenant_a, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://192.168.1.20:9000"
    tenant_a.team.status = "applied"
    tenant_a.team.save()
    with django_capture_on_commit_callbacks(execute=True):
        team_approve(team=tenant_a.team, actor=tenant_a.staff)
    assert mail.outbox
    for message in mail.outbox:
        links = re.findall(r"https?://[^\s\"<]+", message.body)
        assert links
        assert all(link.startswith("http://192.168.1.20:9000/") for link in links), links
