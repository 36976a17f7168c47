"""Browser journeys: Playwright driving Debian's Chromium against the live test server."""

import os

import pytest

from tests.conftest import require_services

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(path):
        if require_services():
            pytest.fail(f"Chromium not found at {path} but REQUIRE_SERVICES=1")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


class ServerClockBrowser:
    """Chromium whose pages read the server's clock.

    The server's clock is the test's (tests/clock.py: a fixed day, ticking), Chromium's
    is the machine's. Every new context installs Playwright's clock at the server's
    `now`, so `Date.now()` in the page counts from the same instant and ticks with it
    (timers run in real time). Pages that compare a time they took with one the server
    sent (the PDSA draft kept on the device, tests/e2e/test_pdsa_phone.py) see the
    same calendar as the server on any day the suite runs on.
    """

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        from core import clock

        context = self._browser.new_context(**options)
        context.clock.install(time=clock.now())
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield ServerClockBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 820, "height": 1180})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _browser_session_cookies(settings):
    """The server's clock is fixed (tests/clock.py) but Chromium's network stack keeps the
    machine's (Playwright's clock reaches only the pages' JavaScript): a cookie with an
    expiry date counted from the fixed day could already be in the browser's past.
    Cookies that last until the browser closes have no date to compare.
    """
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
