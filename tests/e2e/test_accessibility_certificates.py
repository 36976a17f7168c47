"""axe-core on the certificate pages of this part: the public verification pages
(anonymous: the form, a valid, a revoked and an unknown code), the template editor with
upload errors, a certificate's detail with its history, and the revoke and re-issue
forms with errors; also wide enough for a 320 px phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.services.revocation import Correction, reissue_certificate, revoke_certificate
from tests.e2e.helpers import sign_in_as
from tests.e2e.test_accessibility import AXE, NARROW, _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _problems(page, label: str) -> list[str]:
    return [f"{label}: {v['rule']} {v['where']} {v['why']}" for v in _violations(page)]


def _too_wide(page, label: str) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    return [f"{label}: {width}px wide on a 320px screen"] if width > NARROW["width"] else []


def test_the_certificate_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    nursing = Certificate.objects.get(code=tenant_a.extras["certificate_code"])
    new = reissue_certificate(
        certificate=nursing,
        actor=tenant_a.staff,
        correction=Correction("Alpha Lead, RN", nursing.amount, nursing.completion_date, "Typo"),
    )
    revoked = Certificate.objects.get(code=tenant_a.extras["verify_code"])
    revoke_certificate(certificate=revoked, actor=tenant_a.staff, reason="Not attended")

    def verify(code):
        return reverse("certificates:verify_code", kwargs={"verify_code": code})

    public = [
        reverse("certificates:verify"),
        verify(new.code),
        verify(revoked.code),
        verify(nursing.code),
        verify("ZZZZ-ZZZZ-ZZZZ"),
    ]
    c = {"collaborative_id": tenant_a.collaborative.public_id, "certificate_code": new.code}
    staff_pages = [
        reverse("certificates:template_editor", kwargs={"program_id": tenant_a.program.public_id}),
        reverse("certificates:certificate_detail", kwargs=c),
        reverse("certificates:certificate_revoke", kwargs=c),
        reverse("certificates:certificate_reissue", kwargs=c),
    ]
    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        for url in public:
            page.goto(url)
            problems += _problems(page, url) if viewport is None else _too_wide(page, url)
        sign_in_as(page, live_server, tenant_a.staff)
        for url in staff_pages:
            page.goto(url)
            problems += _problems(page, url) if viewport is None else _too_wide(page, url)
        if viewport is None:
            # The forms with their errors.
            page.goto(staff_pages[0])
            page.locator("#id_logo_upload").set_input_files(
                files=[{"name": "logo.png", "mimeType": "image/png", "buffer": b"not an image"}]
            )
            page.get_by_role("button", name="Save the draft").click()
            expect(page.get_by_text("must be a PNG or JPEG").first).to_be_visible()
            problems += _problems(page, "template editor with errors")
            page.goto(staff_pages[2])
            page.locator("#id_reason").fill("   ")
            page.get_by_role("button", name="Revoke the certificate").click()
            expect(page.get_by_text("This field is required").first).to_be_visible()
            problems += _problems(page, "revoke without a reason")
            page.goto(staff_pages[3])
            page.locator("#id_amount").fill("99")
            page.locator("#id_reason").fill("Wrong hours")
            page.get_by_role("button", name="Re-issue the corrected certificate").click()
            expect(page.get_by_text("at most 6").first).to_be_visible()
            problems += _problems(page, "re-issue with errors")
        context.close()
    assert not problems, "\n".join(problems)
