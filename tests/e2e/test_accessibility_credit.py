"""axe-core on My credit in the states the automatic walk does not reach: events with a
missing evaluation and the claim form (also refused, with its error), whole-collaborative
thresholds, a claim waiting for staff, a certificate ready, being prepared and revoked;
wide and on a 320 px screen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus, CreditBasis, CreditClaim, IssueMode
from core import clock
from tests.certificates.credit_helpers import attend, evaluate, offer, past_event

from .helpers import sign_in_as
from .test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _problems(page, label: str, narrow: bool) -> list[str]:
    if narrow:
        width = page.evaluate("document.documentElement.scrollWidth")
        return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []
    return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]


def test_my_credit_meets_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    collaborative = tenant_a.collaborative
    cme = offer(collaborative, "ama_pra_1", provider_name="Alpha <Children's>")
    done = past_event(
        collaborative, days_ago=9, title="Sepsis <b>huddles</b>", credit={"ama_pra_1": 1}
    )
    missing = past_event(collaborative, days_ago=4, title="Fluids", credit={"ama_pra_1": 1})
    past_event(collaborative, days_ago=3, title="Missed", credit={"ama_pra_1": 1})
    for event in (done, missing):
        attend(event, tenant_a.lead)
        attend(event, tenant_a.member)
    evaluate(done, tenant_a.lead)
    offer(
        collaborative,
        "participation",
        basis=CreditBasis.COLLABORATIVE,
        min_share_events_attended=50,
        min_months_active=1,
        max_amount=Decimal(10),
    )
    ems = offer(collaborative, "ems", issue_mode=IssueMode.BY_STAFF, requires_evaluation=False)
    CreditClaim.objects.create(
        program=tenant_a.program,
        offer=ems,
        user=tenant_a.lead,
        amount=Decimal("0.5"),
        completion_date=clock.today(),
        claimed_at=clock.now(),
    )
    code = tenant_a.extras["certificate_code"]
    url = reverse("certificates:my_credit")
    claim_url = reverse("certificates:claim", kwargs={"offer_id": cme.public_id})

    problems: list[str] = []
    for narrow in (False, True):
        context = browser.new_context(base_url=live_server.url, viewport=NARROW if narrow else None)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.lead)
        Certificate.objects.filter(code=code).update(
            status=CertificateStatus.ISSUED, revoked_at=None
        )
        page.goto(url)
        page.get_by_role("link", name="Download PDF").wait_for()
        problems += _problems(page, "My credit (lead, certificate ready)", narrow)
        # A refused claim: the message next to the amount.
        box = page.locator(f"#offer-{cme.public_id}")
        box.get_by_label("Hours you claim").fill("5")
        box.get_by_label("Month").fill("4")
        box.get_by_label("Day").fill("9")
        box.get_by_role("button", name="Claim AMA PRA").click()
        page.get_by_text("you cannot claim more").wait_for()
        assert page.url.endswith(claim_url)
        problems += _problems(page, "My credit (claim refused)", narrow)
        Certificate.objects.filter(code=code).update(status=CertificateStatus.PENDING)
        page.goto(url)
        page.get_by_text("is being prepared").wait_for()
        problems += _problems(page, "My credit (certificate being prepared)", narrow)
        Certificate.objects.filter(code=code).update(
            status=CertificateStatus.ISSUED, revoked_at=clock.now(), revoked_reason="Name <typo>"
        )
        page.goto(url)
        page.get_by_text("was revoked").wait_for()
        problems += _problems(page, "My credit (certificate revoked)", narrow)
        sign_in_as(page, live_server, tenant_a.member)
        page.goto(url)
        page.get_by_text("waiting for your team lead's co-signature").wait_for()
        problems += _problems(page, "My credit (member, MOC waiting)", narrow)
        context.close()
    assert not problems, "\n".join(problems)
