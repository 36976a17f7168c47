"""Staff's credit configuration of a collaborative: who may open it, the offer form's
messages for each kind of bad input, publishing, the audit trail, the panel, the
copy step and the paged list of claims."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.models import CreditClaim, CreditOffer
from collaboratives.copying import run_copy_steps
from core import clock
from core.models import AuditEvent
from learning_sessions.models import EventCredit
from tests.factories import UserFactory, client_for

pytestmark = pytest.mark.django_db


def credit_url(collaborative) -> str:
    return reverse(
        "certificates:collaborative_credit", kwargs={"collaborative_id": collaborative.public_id}
    )


def new_url(collaborative) -> str:
    return reverse(
        "certificates:offer_create", kwargs={"collaborative_id": collaborative.public_id}
    )


def edit_url(offer) -> str:
    return reverse(
        "certificates:offer_edit",
        kwargs={"collaborative_id": offer.collaborative.public_id, "offer_id": offer.public_id},
    )


def publish_url(offer) -> str:
    return reverse(
        "certificates:offer_publish",
        kwargs={"collaborative_id": offer.collaborative.public_id, "offer_id": offer.public_id},
    )


STATEMENT = (
    "Alpha Children's Hospital is accredited by the Accreditation Council for Continuing "
    "Medical Education (ACCME) to provide continuing medical education for physicians."
)


def form_data(**overrides) -> dict:
    data = {
        "credit_type": "ama_pra_1",
        "basis": "per_event",
        "issue_mode": "on_claim",
        "activity_title": "",
        "accreditor_activity_id": "202612345",
        "provider_name": "Alpha Children's Hospital",
        "provider_address": "1 Main St, Springfield",
        "accreditation_statement": STATEMENT,
        "designation_statement": "",
        "max_amount": "4.5",
        "min_minutes_per_event": "45",
        "requires_evaluation": "on",
        "min_share_events_attended": "0",
        "min_months_active": "0",
        "min_pdsa_cycles": "0",
        "min_data_periods": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_only_staff_of_the_program_open_the_credit_pages(tenant_a, tenant_b):
    offer = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="nursing")
    urls = [credit_url(tenant_a.collaborative), new_url(tenant_a.collaborative), edit_url(offer)]
    for user in (tenant_b.staff, tenant_b.admin, tenant_a.coach, tenant_a.member, tenant_a.lead):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(publish_url(offer), {"published": "0"}).status_code == 404
    offer.refresh_from_db()
    assert offer.is_published
    for user in (tenant_a.staff, tenant_a.admin):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)


def test_the_credit_page_lists_offers_with_rules_counts_and_claims(tenant_a, tenant_b):
    page = client_for(tenant_a.staff).get(credit_url(tenant_a.collaborative))
    html = page.content.decode()
    assert "Nursing contact hours (ANCC NCPD)" in html
    assert "45 minutes live or on the recording, and its evaluation" in html
    assert "6 months on a team. 1 PDSA cycle." in html
    assert "Published" in html
    assert tenant_a.lead.full_name in html  # the lead's claim, with its certificate
    assert "Certificate issued" in html
    assert tenant_a.member.full_name in html  # the member's attestation waits
    assert "BRAVO-PRIVATE" not in html
    kwargs = {"collaborative_id": tenant_a.collaborative.public_id}
    assert f'href="{reverse("certificates:bulk_start", kwargs=kwargs)}"' in html
    assert f'href="{reverse("certificates:credit_reports", kwargs=kwargs)}"' in html
    design = reverse(
        "certificates:template_editor", kwargs={"program_id": tenant_a.program.public_id}
    )
    assert f'href="{design}"' in html


def test_staff_create_an_offer_as_a_draft_and_it_is_audited(tenant_a):
    client = client_for(tenant_a.staff)
    response = client.post(new_url(tenant_a.collaborative), form_data())
    assert response.status_code == 302
    offer = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="ama_pra_1")
    assert offer.max_amount == Decimal("4.5")
    assert not offer.is_published
    assert offer.program_id == tenant_a.program.pk
    event = AuditEvent.objects.get(verb="credit_offer.created", target_id=str(offer.public_id))
    assert event.actor == tenant_a.staff
    assert event.program == tenant_a.program
    # Per-event credit above what the events offer: a warning, not a refusal.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("The events offer 0" in m for m in messages)


def test_the_warning_counts_the_events_credit_and_is_quiet_within_it(tenant_a):
    from tests.learning_sessions.conftest import make_event

    for days, cancelled in ((-30, False), (-10, False), (-5, True)):
        event = make_event(tenant_a, days=days, is_cancelled=cancelled)
        EventCredit.objects.create(
            program=tenant_a.program, event=event, credit_type="ama_pra_1", amount=Decimal("1")
        )
    client = client_for(tenant_a.staff)
    response = client.post(new_url(tenant_a.collaborative), form_data(max_amount="2"))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert not any("The events offer" in m for m in messages)
    offer = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="ama_pra_1")
    response = client.post(edit_url(offer), form_data(max_amount="2.5"))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("The events offer 2 hours" in m for m in messages)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_type": "nursing"}, "credit_type", "already offers Nursing contact hours"),
        ({"max_amount": "abc"}, "max_amount", "Enter a number"),
        ({"max_amount": "0"}, "max_amount", "Enter an amount above 0"),
        ({"max_amount": "1.3"}, "max_amount", "quarter hours"),
        ({"max_amount": "100000"}, "max_amount", "At most"),
        ({"accreditor_activity_id": "PARS-12"}, "accreditor_activity_id", "6 to 12 digits"),
        ({"provider_name": "  "}, "provider_name", ""),
        (
            {"designation_statement": "[Name of accredited provider] designates this"},
            "designation_statement",
            "Replace [Name of accredited provider] with the real value",
        ),
        ({"accreditation_statement": "x" * 1001}, "accreditation_statement", "under 1000"),
        ({"provider_address": "x" * 201}, "provider_address", "under 200"),
        ({"min_share_events_attended": "150"}, "min_share_events_attended", ""),
        ({"min_minutes_per_event": "0"}, "min_minutes_per_event", "Enter 1 to 1440 minutes"),
        ({"min_months_active": "61"}, "min_months_active", "Enter 0 to 60 months"),
    ],
)
def test_bad_offers_are_refused_with_a_message(tenant_a, overrides, field, message):
    before = CreditOffer.objects.count()
    response = client_for(tenant_a.staff).post(
        new_url(tenant_a.collaborative), form_data(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert CreditOffer.objects.count() == before


def test_moc_needs_25_point_units_the_whole_collaborative_and_forces_attestation(tenant_a):
    client = client_for(tenant_a.staff)
    # The builder's MOC offer sits on the active collaborative: use the recruiting one.
    url = new_url(tenant_a.recruiting)
    response = client.post(url, form_data(credit_type="moc_part4", max_amount="30"))
    errors = response.context["form"].errors
    assert "25-point units" in " ".join(errors["max_amount"])
    assert "whole collaborative" in " ".join(errors["basis"])
    response = client.post(
        url, form_data(credit_type="moc_part4", max_amount="25", basis="collaborative")
    )
    assert response.status_code == 302
    offer = CreditOffer.objects.get(collaborative=tenant_a.recruiting, credit_type="moc_part4")
    assert offer.requires_attestation  # not ticked in the form, forced


def test_a_capce_course_number_is_checked_loosely(tenant_a):
    client = client_for(tenant_a.staff)
    bad = client.post(
        new_url(tenant_a.collaborative), form_data(credit_type="ems", accreditor_activity_id="12")
    )
    assert "CAPCE course number" in " ".join(bad.context["form"].errors["accreditor_activity_id"])
    good = client.post(
        new_url(tenant_a.collaborative),
        form_data(credit_type="ems", accreditor_activity_id="24-DCH-F3-0012"),
    )
    assert good.status_code == 302


def test_statements_are_stored_verbatim_and_shown_escaped(tenant_a):
    client = client_for(tenant_a.staff)
    statement = "Alpha <script>alert(1)</script> & Co is accredited."
    client.post(
        new_url(tenant_a.collaborative),
        form_data(
            credit_type="participation",
            provider_name="<b>Alpha</b>",
            accreditation_statement=statement,
        ),
    )
    offer = CreditOffer.objects.get(
        collaborative=tenant_a.collaborative, credit_type="participation"
    )
    assert offer.accreditation_statement == statement
    html = client.get(edit_url(offer)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = client.get(credit_url(tenant_a.collaborative)).content.decode()
    assert "<b>Alpha</b>" not in page and "&lt;b&gt;Alpha&lt;/b&gt;" in page


def test_once_claimed_the_type_stays_and_the_maximum_covers_the_largest_claim(tenant_a):
    offer = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="nursing")
    client = client_for(tenant_a.staff)
    data = form_data(
        credit_type="ems",
        max_amount="1",
        provider_name=offer.provider_name,
        accreditation_statement="",
        accreditor_activity_id="",
    )
    response = client.post(edit_url(offer), data)
    errors = response.context["form"].errors
    assert "its type cannot change" in " ".join(errors["credit_type"])
    response = client.post(edit_url(offer), {**data, "credit_type": "nursing"})
    # The builder's claims on this offer: the lead's 1.5 and the coach's 2.
    largest = max(c.amount for c in CreditClaim.objects.filter(offer=offer))
    message = " ".join(response.context["form"].errors["max_amount"])
    assert f"already claimed {largest.normalize():f}" in message
    response = client.post(edit_url(offer), {**data, "credit_type": "nursing", "max_amount": "3"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.max_amount == Decimal(3)
    event = AuditEvent.objects.get(verb="credit_offer.changed", target_id=str(offer.public_id))
    assert event.data["max_amount"] == {"from": "6.00", "to": "3"}


def test_publish_and_unpublish_keep_claims_and_are_audited_once(tenant_a):
    offer = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="nursing")
    client = client_for(tenant_a.staff)
    claims = CreditClaim.objects.filter(offer=offer).count()
    response = client.post(publish_url(offer), {"published": "0"}, follow=True)
    assert "stay valid" in response.content.decode()
    client.post(publish_url(offer), {"published": "0"})  # a second click changes nothing
    offer.refresh_from_db()
    assert not offer.is_published
    assert claims and CreditClaim.objects.filter(offer=offer).count() == claims
    assert AuditEvent.objects.filter(verb="credit_offer.unpublished").count() == 1
    client.post(publish_url(offer), {"published": "1"})
    offer.refresh_from_db()
    assert offer.is_published
    assert AuditEvent.objects.filter(verb="credit_offer.published").count() == 1


def test_the_collaborative_page_links_staff_to_credit_and_nobody_else(tenant_a):
    url = reverse(
        "collaboratives:detail", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
    )
    link = credit_url(tenant_a.collaborative)
    assert link in client_for(tenant_a.staff).get(url).content.decode()
    for user in (tenant_a.coach, tenant_a.lead, tenant_a.member):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert link not in response.content.decode()
    # Team members find their MOC attestation there instead; a coach does not.
    attest = reverse(
        "certificates:attestation_form",
        kwargs={
            "offer_id": CreditOffer.objects.get(
                credit_type="moc_part4", collaborative=tenant_a.collaborative
            ).public_id
        },
    )
    member_page = client_for(tenant_a.member).get(url).content.decode()
    assert attest in member_page
    assert "attested, waiting for the team lead" in member_page
    assert attest in client_for(tenant_a.lead).get(url).content.decode()
    assert attest not in client_for(tenant_a.coach).get(url).content.decode()


def test_copying_a_collaborative_carries_offers_as_drafts_without_claims(tenant_a):
    source = tenant_a.collaborative
    CreditOffer.objects.filter(collaborative=source).update(accreditor_activity_id="202600001")
    run_copy_steps(source, tenant_a.recruiting, 365)
    copies = CreditOffer.objects.filter(collaborative=tenant_a.recruiting)
    assert set(copies.values_list("credit_type", flat=True)) == {"nursing", "moc_part4"}
    assert not copies.filter(is_published=True).exists()
    assert not copies.exclude(accreditor_activity_id="").exists()
    moc = copies.get(credit_type="moc_part4")
    assert moc.requires_attestation and moc.min_months_active == 6
    assert not CreditClaim.objects.filter(offer__in=copies).exists()


def test_the_claims_list_is_paged(tenant_a):
    offer = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="nursing")
    for n in range(30):
        CreditClaim.objects.create(
            program=tenant_a.program,
            offer=offer,
            user=UserFactory(full_name=f"Participant {n:02d}"),
            amount=Decimal("1.00"),
            completion_date=date(2026, 10, 1),
            claimed_at=clock.now(),
        )
    client = client_for(tenant_a.staff)
    first = client.get(credit_url(tenant_a.collaborative)).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(credit_url(tenant_a.collaborative) + "?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert client.get(credit_url(tenant_a.collaborative) + "?page=xyz").status_code == 200
