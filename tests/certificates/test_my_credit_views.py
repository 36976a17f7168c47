"""My credit (page and API), the claim form and the certificate download."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from certificates.models import (
    Certificate,
    CertificateStatus,
    CreditClaim,
    IssueMode,
    MocAttestation,
)
from core import clock

from .credit_helpers import attend, evaluate, make_world, offer, past_event
from .tenant_builder import PDF_BYTES

pytestmark = pytest.mark.django_db

MY_CREDIT = "/credit/"


@pytest.fixture
def history(tenant_a):
    """The nurse attended two webinars with 0.75 h of CME each and evaluated one."""
    world = make_world(tenant_a)
    cme = offer(world.collaborative, "ama_pra_1", issue_mode=IssueMode.BY_STAFF)
    first = past_event(
        world.collaborative, days_ago=9, title="Sepsis <b>bundle</b>", credit={"ama_pra_1": 0.75}
    )
    second = past_event(world.collaborative, days_ago=4, title="Fluids", credit={"ama_pra_1": 0.75})
    attend(first, world.nurse)
    attend(second, world.nurse)
    evaluate(first, world.nurse)
    return world, cme, first, second


def test_my_credit_shows_what_each_event_earned_and_what_is_missing(client, history):
    world, cme, first, second = history
    client.force_login(world.nurse)
    page = client.get(MY_CREDIT).content.decode()
    assert "Sepsis &lt;b&gt;bundle&lt;/b&gt;" in page and "<b>bundle" not in page
    assert "Earned: 0.75 hours" in page
    assert "webinar “Fluids” not done" in page
    evaluate_url = reverse(
        "learning_sessions:event_evaluation", kwargs={"event_id": second.public_id}
    )
    assert evaluate_url in page
    assert 'name="amount"' in page and 'value="0.75"' in page
    assert "never more than 0.75" in page


def test_the_claim_form_refuses_with_the_message_and_keeps_the_typed_amount(client, history):
    world, cme, *_ = history
    client.force_login(world.nurse)
    url = reverse("certificates:claim", kwargs={"offer_id": cme.public_id})
    response = client.post(url, {"amount": "1.5", "birth_month": "4", "birth_day": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "You earned 0.75 hours; you cannot claim more." in page and 'value="1.5"' in page
    assert not CreditClaim.objects.filter(offer=cme).exists()

    response = client.post(url, {"amount": "0.5", "birth_month": "4", "birth_day": "9"})
    assert response.status_code == 302
    assert CreditClaim.objects.get(offer=cme).amount == Decimal("0.5")
    page = client.get(MY_CREDIT).content.decode()
    assert "You claimed 0.5 hours." in page and "Program staff will issue your certificate" in page
    assert 'name="amount"' not in page.split(str(cme.public_id))[1][:3000]


def test_claiming_an_offer_one_does_not_take_part_in_is_404(client, history, tenant_b):
    _, cme, *_ = history
    client.force_login(tenant_b.lead)
    url = reverse("certificates:claim", kwargs={"offer_id": cme.public_id})
    assert client.post(url, {"amount": "0.25"}).status_code == 404
    assert (
        client.get(reverse("certificates:claim", kwargs={"offer_id": cme.public_id})).status_code
        == 405
    )


def test_certificate_states_on_my_credit(client, tenant_a):
    """The builder's lead has an issued nursing certificate; pending and revoked say so."""
    client.force_login(tenant_a.lead)
    code = tenant_a.extras["certificate_code"]
    page = client.get(MY_CREDIT).content.decode()
    assert (
        "Download PDF" in page
        and reverse("certificates:certificate_pdf", kwargs={"certificate_code": code}) in page
    )
    Certificate.objects.filter(code=code).update(status=CertificateStatus.PENDING)
    assert "is being prepared" in client.get(MY_CREDIT).content.decode()
    Certificate.objects.filter(code=code).update(
        status=CertificateStatus.ISSUED, revoked_at=clock.now(), revoked_reason="Wrong <name>"
    )
    page = client.get(MY_CREDIT).content.decode()
    assert "was revoked" in page and "Wrong &lt;name&gt;" in page and "Download PDF" not in page


def test_the_pdf_is_ones_own_an_attachment_and_not_stored_by_browsers(client, tenant_a, tenant_b):
    code = tenant_a.extras["certificate_code"]
    url = reverse("certificates:certificate_pdf", kwargs={"certificate_code": code})
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(tenant_a.lead)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{code}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    for other in (tenant_a.member, tenant_a.staff, tenant_b.lead):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(tenant_a.lead)
    Certificate.objects.filter(code=code).update(revoked_at=clock.now(), revoked_reason="x")
    assert client.get(url).status_code == 404
    missing = reverse("certificates:certificate_pdf", kwargs={"certificate_code": "NOPE"})
    assert client.get(missing).status_code == 404


def test_the_api_returns_the_callers_standing_with_a_token(client, history, tenant_b):
    world, cme, *_ = history
    token = Token.objects.get_or_create(user=world.nurse)[0].key
    response = client.get("/api/v1/me/credit/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    [row] = response.json()
    assert row["offer"] == str(cme.public_id) and row["credit_type"] == "ama_pra_1"
    assert row["earned"] == "0.75" and row["eligible"] is True
    assert row["missing"][0].startswith("Evaluation of the")
    assert [a["evaluation"] for a in row["activities"]] == ["Done", "Not done"]
    assert row["claim"] is None and row["certificates"] == []
    assert client.get("/api/v1/me/credit/").status_code in (401, 403)
    other = Token.objects.get_or_create(user=tenant_b.member)[0].key
    response = client.get("/api/v1/me/credit/", headers={"Authorization": f"Token {other}"})
    assert str(cme.public_id) not in response.content.decode()


def test_the_team_home_says_when_credit_is_ready_to_claim(client, tenant_a):
    cme = offer(tenant_a.collaborative, "ama_pra_1", requires_evaluation=False)
    team_home = f"/teams/{tenant_a.team.public_id}/"
    client.force_login(tenant_a.lead)
    assert "Credit ready to claim" not in client.get(team_home).content.decode()
    attend(
        past_event(tenant_a.collaborative, days_ago=3, credit={"ama_pra_1": 1.25}), tenant_a.lead
    )
    page = client.get(team_home).content.decode()
    assert "Credit ready to claim" in page and "1.25 hours of AMA PRA" in page
    client.force_login(tenant_a.member)  # the panel is the viewer's own credit
    assert "Credit ready to claim" not in client.get(team_home).content.decode()
    client.force_login(tenant_a.lead)
    client.post(
        reverse("certificates:claim", kwargs={"offer_id": cme.public_id}),
        {"amount": "1", "birth_month": "12", "birth_day": "31"},
    )
    assert "Credit ready to claim" not in client.get(team_home).content.decode()


def test_the_schema_tells_the_truth_about_my_credit(history, tenant_a):
    """The answers (a standing with activities, a claim and a certificate; 401) match
    the documented schema (schemathesis checks, as tests/api/test_schema_truth.py)."""
    from tests.api.test_schema_truth import call_and_check, load_schema

    schema = load_schema()
    world, *_ = history
    assert call_and_check(schema, "/api/v1/me/credit/", "GET", user=world.nurse) == 200
    assert call_and_check(schema, "/api/v1/me/credit/", "GET", user=tenant_a.lead) == 200
    assert call_and_check(schema, "/api/v1/me/credit/", "GET") == 401


def test_my_credit_links_a_moc_participant_to_their_attestation(client, tenant_a):
    """The builder's MOC offer asks for an attestation; the member's waits for the lead."""
    attestation = MocAttestation.objects.get(public_id=tenant_a.extras["attestation_id"])
    client.force_login(tenant_a.member)
    page = client.get(MY_CREDIT).content.decode()
    assert "waiting for your team lead&#x27;s co-signature" in page
    form = reverse(
        "certificates:attestation_form", kwargs={"offer_id": attestation.offer.public_id}
    )
    assert f'href="{form}">Open your attestation</a>' in page


def test_my_credit_links_the_transcript_once_there_is_a_certificate(client, tenant_a):
    client.force_login(tenant_a.lead)  # the builder issued the lead a certificate
    assert reverse("certificates:transcript") in client.get(MY_CREDIT).content.decode()
    client.force_login(tenant_a.member)
    assert reverse("certificates:transcript") not in client.get(MY_CREDIT).content.decode()


def test_every_page_links_to_certificate_verification(client):
    assert reverse("certificates:verify") in client.get(reverse("accessibility")).content.decode()
