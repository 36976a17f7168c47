"""Journey (issue 15): a team lead who attended a webinar with CME opens My credit on
a phone (390 px), learns the evaluation is missing, evaluates the webinar through the
event's evaluation page, claims 1.25 of the 1.5 hours, waits for the certificate and
downloads the PDF, whose text names them, the hours and the certificate's code."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate, CreditClaim, IssueMode
from learning_sessions import evaluations
from tests.certificates.credit_helpers import attend, offer, past_event

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 390px phone"


def test_attend_evaluate_claim_and_download_the_certificate(
    browser, live_server, tenant_a, tmp_path
):
    collaborative = tenant_a.collaborative
    cme = offer(
        collaborative,
        "ama_pra_1",
        provider_name="Alpha Children's Hospital",
        max_amount=Decimal("6"),
        issue_mode=IssueMode.ON_CLAIM,
    )
    questions = evaluations.form_add_defaults(collaborative=collaborative, actor=tenant_a.staff)
    ratings = [q for q in questions if q.kind == "rating"]
    webinar = past_event(
        collaborative, days_ago=2, title="Sepsis huddles webinar", credit={"ama_pra_1": 1.5}
    )
    webinar.ends_at = webinar.starts_at + timedelta(minutes=90)
    webinar.save()
    attend(webinar, tenant_a.lead)

    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(20000)
    sign_in_as(page, live_server, tenant_a.lead)

    # My credit says what is missing, and links to the evaluation.
    page.goto(reverse("certificates:my_credit"))
    _fits_the_phone(page)
    box = page.locator(f"#offer-{cme.public_id}")
    box.get_by_text("Earned: 0 hours").wait_for()
    box.get_by_text("“Sepsis huddles webinar” not done").first.wait_for()
    assert box.get_by_role("button", name="Claim").count() == 0
    box.get_by_role("link", name="evaluate “Sepsis huddles webinar”").click()

    # The existing evaluation page.
    _fits_the_phone(page)
    for question, score in zip(ratings, (5, 4, 5), strict=False):
        group = page.get_by_role("group", name=question.prompt)
        radio = group.locator(f"input[type=radio][value='{score}']")
        group.locator(f"label[for='{radio.get_attribute('id')}']").tap()
    page.get_by_role("button", name="Send my evaluation").click()
    page.get_by_text("An evaluation cannot be changed once it is sent.").wait_for()

    # Back to My credit: 1.5 earned, the form offers it; claim 1.25.
    page.goto(reverse("certificates:my_credit"))
    box = page.locator(f"#offer-{cme.public_id}")
    box.get_by_text("Earned: 1.5 hours").wait_for()
    amount = box.get_by_label("Hours you claim")
    assert amount.input_value() == "1.5"
    amount.fill("1.25")
    box.get_by_label("Month").fill("4")
    box.get_by_label("Day").fill("9")
    box.get_by_role("button", name="Claim AMA PRA").click()
    page.get_by_role("status").get_by_text("You claimed 1.25 hours.").wait_for()
    _fits_the_phone(page)
    claim = CreditClaim.objects.get(offer=cme, user=tenant_a.lead)
    assert claim.amount == Decimal("1.25") and (claim.birth_month, claim.birth_day) == (4, 9)
    # The completion date is the webinar's, in the collaborative's time zone.
    tz = ZoneInfo(collaborative.timezone)
    assert claim.completion_date == webinar.starts_at.astimezone(tz).date()

    # Wait for the certificate (rendered after commit by Celery; refresh while it is not).
    box = page.locator(f"#offer-{cme.public_id}")
    for _ in range(10):
        if box.get_by_role("link", name="Download PDF").count():
            break
        box.get_by_role("link", name="Refresh").click()
        box = page.locator(f"#offer-{cme.public_id}")
    with page.expect_download() as caught:
        box.get_by_role("link", name="Download PDF").click()
    download = caught.value
    certificate = Certificate.objects.get(claim=claim)
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    saved = tmp_path / "certificate.pdf"
    download.save_as(saved)
    text = PdfReader(saved).pages[0].extract_text()
    assert tenant_a.lead.full_name in text
    assert "1.25" in text and certificate.code in text
    phone.close()
