"""axe-core (WCAG 2.1 A/AA) and reflow on the credit and attestation pages in states the walk
does not reach: staff's credit page with attestations waiting, the offer form with its
errors, the participant's attestation form with errors and after attesting, and the
lead's co-sign page."""

import pytest
from django.urls import reverse

from certificates.models import CreditOffer, MocAttestation
from teams.models import TeamRole
from tests.e2e.test_accessibility import AXE, NARROW, _page_problems
from tests.factories import TeamMembershipFactory, UserFactory

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_credit_and_attestation_pages_meet_wcag_21_aa(browser, live_server, tenant_a):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci installs it)")
    collaborative = {"collaborative_id": tenant_a.collaborative.public_id}
    credit = reverse("certificates:collaborative_credit", kwargs=collaborative)
    new = reverse("certificates:offer_create", kwargs=collaborative)
    moc = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="moc_part4")
    form = reverse("certificates:attestation_form", kwargs={"offer_id": moc.public_id})
    waiting = MocAttestation.objects.get(user=tenant_a.member)
    cosign = reverse("certificates:attestation", kwargs={"attestation_id": waiting.public_id})
    physician = UserFactory(full_name="Dr Pia Park")
    TeamMembershipFactory(team=tenant_a.team, user=physician, role=TeamRole.MEMBER)

    problems = []
    for viewport in (None, NARROW):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.staff)
        page.goto(credit)
        problems += _page_problems(page, f"{credit} (staff)", viewport)
        page.goto(new)
        page.select_option("#id_credit_type", "ama_pra_1")
        page.fill("#id_max_amount", "1.3")
        page.fill("#id_accreditation_statement", "[Name of accredited provider] is accredited")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Hours are offered in quarter hours").first.wait_for()
        problems += _page_problems(page, f"{new} with errors", viewport)
        context.close()

        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, physician)
        page.goto(form)
        problems += _page_problems(page, form, viewport)
        page.fill("#id_board_id", "12")
        page.get_by_role("button", name="Attest and ask my lead to co-sign").click()
        page.get_by_text("6 digits, digits only").first.wait_for()
        problems += _page_problems(page, f"{form} with errors", viewport)
        context.close()

        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        sign_in_as(page, live_server, tenant_a.lead)
        page.goto(cosign)
        problems += _page_problems(page, f"{cosign} (lead)", viewport)
        if viewport is None:
            page.get_by_role("button", name="Co-sign").click()
            page.get_by_text("Program staff approve it next").first.wait_for()
            problems += _page_problems(page, f"{cosign} co-signed", viewport)
        context.close()
    assert not problems, "\n".join(problems)
