"""Layout: the fields of a filter form that sit side by side line up (found in the
walk-through of issue 13: on a 1280 px screen the audit log's "From" box sat lower
than its neighbours because only it had a hint under its label). The filter rows now
align their columns at the bottom, where the boxes are."""

import pytest
from django.urls import reverse

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: For each control of the form: the bottom of its grid column (one per row, whichever
#: way the row aligns its columns) and the top of the control itself.
CONTROL_TOPS = """(selector) => Array.from(
  document.querySelectorAll(selector + " input:not([type=hidden]), " + selector + " select")
).map((el) => ({
  name: el.name,
  column: Math.round(el.closest("[class*=grid-col]").getBoundingClientRect().bottom),
  top: Math.round(el.getBoundingClientRect().top),
}))"""


FILTER_FORMS = {
    "audit log": (
        "accounts:audit_log",
        lambda t: {"program_id": t.program.public_id},
        "form[aria-label='Filter the audit log']",
    ),
    "cycles": (
        "pdsa:cycle_list",
        lambda t: {"team_id": t.team.public_id},
        "form[aria-label='Filter the cycles']",
    ),
}


@pytest.mark.parametrize("form", sorted(FILTER_FORMS))
@pytest.mark.parametrize("width", [1280, 1024, 820])
def test_filter_fields_line_up_in_each_row(browser, live_server, tenant_a, form, width):
    url_name, kwargs, selector = FILTER_FORMS[form]
    viewport = {"width": width, "height": 900}
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    sign_in_as(page, live_server, tenant_a.staff)
    page.goto(reverse(url_name, kwargs=kwargs(tenant_a)))
    controls = page.evaluate(CONTROL_TOPS, selector)
    context.close()
    assert len(controls) >= 3
    rows: dict[int, dict[str, int]] = {}
    for control in controls:
        rows.setdefault(control["column"], {})[control["name"]] = control["top"]
    misaligned = {column: tops for column, tops in rows.items() if len(set(tops.values())) > 1}
    assert not misaligned, f"{form} at {width}px, rows with uneven controls: {misaligned}"
