"""Journey: charts read on a 390 px phone and on a desktop (issue 12).

On a phone the page shows the chart's narrow drawing, whose text is at least 12 px as
rendered (not a desktop chart scaled down to 6 px); on a desktop the wide one, also at
least 12 px. In both, no two texts of a chart overlap as the browser draws them (real
fonts, not the server's estimate)."""

from decimal import Decimal

import pytest

from measures import services
from measures.models import DataPoint, Measure, ReportingPeriod
from tests.clock import month

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: For every chart text the page shows: its rendered size (font size times the SVG's
#: scale on screen) and its box in the chart's units, to compare with its neighbours.
MEASURE_TEXTS = """() => {
  const out = [];
  document.querySelectorAll("svg.chart-svg").forEach((svg, chart) => {
    if (!svg.checkVisibility()) return;
    const scale = svg.getScreenCTM().a;
    svg.querySelectorAll("text").forEach((t) => {
      if (!t.textContent.trim()) return;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      const b = t.getBBox();
      out.push({chart, text: t.textContent, size, rotated: t.hasAttribute("transform"),
                box: [b.x, b.y, b.x + b.width, b.y + b.height]});
    });
  });
  return out;
}"""


def _overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    flat = [t for t in texts if not t["rotated"]]
    found = []
    for i, a in enumerate(flat):
        for b in flat[i + 1 :]:
            if a["chart"] != b["chart"]:
                continue
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            # Line boxes include the font's leading; a pixel of it may touch.
            if ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and ay0 < by1 - 1.5 and by0 < ay1 - 1.5:
                found.append((a["text"], b["text"]))
    return found


def _team_with_a_year_of_data(t):
    services.periods_generate(collaborative=t.collaborative, actor=t.staff, baseline_months=0)
    m1 = Measure.objects.get(program=t.program, code="M1")
    periods = {p.start: p for p in ReportingPeriod.objects.filter(collaborative=t.collaborative)}
    for offset in range(-8, 0):
        for team, base in ((t.team, 5), (t.other_team, 3)):
            DataPoint.objects.update_or_create(
                program=t.program,
                collaborative=t.collaborative,
                team=team,
                measure=m1,
                period=periods[month(offset)],
                defaults={"numerator": Decimal(base + offset % 4), "denominator": Decimal(10)},
            )
    return m1


def test_charts_keep_their_text_at_12px_on_a_phone_and_on_a_desktop(browser, live_server, tenant_a):
    t = tenant_a
    m1 = _team_with_a_year_of_data(t)
    pages = [
        (t.lead, f"/teams/{t.team.public_id}/measures/{m1.public_id}/"),
        (t.lead, f"/teams/{t.team.public_id}/measures/"),
        (t.staff, f"/collaboratives/{t.collaborative.public_id}/measures/{m1.public_id}/"),
    ]
    problems = []
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        for user, url in pages:
            context.clear_cookies()
            sign_in_as(page, live_server, user)
            page.goto(url)
            texts = page.evaluate(MEASURE_TEXTS)
            if not texts:
                problems.append(f"{url} at {viewport['width']}px: no chart text found")
            small = sorted({(round(x["size"], 1), x["text"]) for x in texts if x["size"] < 12})
            if small:
                problems.append(f"{url} at {viewport['width']}px: text under 12px: {small[:5]}")
            if _overlaps(texts):
                problems.append(f"{url} at {viewport['width']}px: overlaps {_overlaps(texts)[:5]}")
        if viewport is PHONE:
            page.goto(pages[0][1])
            # The phone gets the narrow drawing, not the wide one scaled down.
            assert page.locator(".chart-picture__narrow svg").first.is_visible()
            assert not page.locator(".chart-picture__wide svg").first.is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        context.close()
    assert not problems, "\n".join(problems)
