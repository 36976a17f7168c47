"""axe-core on the library's pages: the library (browsing with its sections, and a
search with highlighted matches), a resource's page, its public page without login,
the staff's management list and the resource form with errors; wide and on a 320 px
screen (nothing wider than the screen)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core import clock
from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility
from resources.search import index_resources

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _library(tenant) -> Resource:
    public = Resource.objects.create(
        program=tenant.program,
        visibility=Visibility.PUBLIC,
        kind=ResourceKind.TOOLKIT,
        title="Weighing children in kilograms: implementation toolkit",
        summary="How departments moved to kilograms only, and how to measure it.",
        body="Scale settings.\n\nTriage prompts and the electronic record.",
        tags=["weight", "kilograms"],
        audience=["critical_access"],
        source="ENA-style guidance (demo)",
        source_date=clock.today() - timedelta(days=200),
        url="https://example.org/kg",
    )
    ResourceViewDay.objects.create(resource=public, day=clock.today(), count=4)
    index_resources(Resource.objects.values_list("pk", flat=True))
    return public


def test_library_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    public = _library(tenant_a)
    toolkit = Resource.objects.get(program=tenant_a.program, kind=ResourceKind.TOOLKIT, file__gt="")
    pages = [
        ("library", tenant_a.member, reverse("resources:library"), "Resources"),
        ("search", tenant_a.member, reverse("resources:library") + "?q=kilograms", "Resources"),
        (
            "detail",
            tenant_a.staff,
            reverse("resources:detail", args=[toolkit.public_id]),
            toolkit.title,
        ),
        ("public", None, reverse("resources:public", args=[public.public_id]), public.title),
        (
            "manage",
            tenant_a.staff,
            reverse("resources:manage", args=[tenant_a.program.public_id]),
            "Library of",
        ),
        (
            "new",
            tenant_a.staff,
            reverse("resources:new", args=[tenant_a.program.public_id]),
            "New resource",
        ),
    ]
    problems: list[str] = []
    for narrow in (False, True):
        for name, user, url, heading in pages:
            context = browser.new_context(
                base_url=live_server.url, viewport=NARROW if narrow else None
            )
            page = context.new_page()
            if user is not None:
                sign_in_as(page, live_server, user)
            page.goto(url)
            if name == "new":
                # The form's errors: a javascript: link and no summary.
                page.get_by_label("Title").fill("Bad link")
                page.get_by_label("Type").select_option("link")
                page.get_by_label("Or a link").fill("javascript:alert(1)")
                page.get_by_role("button", name="Add to the library").click()
                page.get_by_text("Please correct").wait_for()
            page.get_by_role("heading", level=1).filter(has_text=heading).wait_for()
            if narrow:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > NARROW["width"]:
                    problems.append(f"{name}: {width}px wide on a 320px screen")
            else:
                problems += [
                    f"{name}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)
                ]
            context.close()
    assert not problems, "\n".join(problems)
