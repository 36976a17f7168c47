"""Staff's certificate page: history, revoke (with a confirmation step, e-mail, audit),
re-issue after a correction (new code, history kept, claim corrected)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus
from core.models import AuditEvent, OutboundEmail

pytestmark = pytest.mark.django_db


def _nursing(tenant) -> Certificate:
    return Certificate.objects.get(code=tenant.extras["certificate_code"])


def _url(name, tenant, certificate):
    return reverse(
        f"certificates:{name}",
        kwargs={
            "collaborative_id": tenant.collaborative.public_id,
            "certificate_code": certificate.code,
        },
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_the_certificate_and_others_get_404(tenant_a, tenant_b):
    certificate = _nursing(tenant_a)
    page = _client(tenant_a.staff).get(_url("certificate_detail", tenant_a, certificate))
    assert page.status_code == 200
    assert certificate.code in page.content.decode()
    for person in (tenant_a.lead, tenant_a.coach, tenant_b.staff):
        assert (
            _client(person).get(_url("certificate_detail", tenant_a, certificate)).status_code
            == 404
        )
    assert Client().get(_url("certificate_detail", tenant_a, certificate)).status_code == 302


def test_revoke_asks_for_a_reason_then_revokes_for_good(tenant_a):
    certificate = _nursing(tenant_a)
    client = _client(tenant_a.staff)
    url = _url("certificate_revoke", tenant_a, certificate)

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Revoke certificate" in confirm.content.decode()
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    certificate.refresh_from_db()
    assert not certificate.is_revoked

    done = client.post(url, {"reason": "Attendance <b>not</b> confirmed"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == tenant_a.staff
    assert certificate.revoked_reason == "Attendance <b>not</b> confirmed"
    email = OutboundEmail.objects.get(to_email=tenant_a.lead.email, kind="certificate")
    assert "Attendance <b>not</b> confirmed" in email.body_text
    assert "&lt;b&gt;not&lt;/b&gt;" in email.body_html
    assert AuditEvent.objects.filter(verb="certificate.revoked", actor=tenant_a.staff).exists()

    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 400 and "stays revoked" in again.content.decode()
    reissue = client.post(
        _url("certificate_reissue", tenant_a, certificate),
        {"recipient_name": "X", "amount": "1.5", "completion_date": "2026-10-15", "reason": "r"},
    )
    assert reissue.status_code == 400
    assert Certificate.objects.filter(offer=certificate.offer, user=certificate.user).count() == 1


def test_reissue_replaces_the_certificate_and_keeps_the_history(
    tenant_a, django_capture_on_commit_callbacks
):
    certificate = _nursing(tenant_a)
    client = _client(tenant_a.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("certificate_reissue", tenant_a, certificate),
            {
                "recipient_name": "Alpha Lead, RN",
                "amount": "1.75",
                "completion_date": "2026-10-16",
                "reason": "Name misspelt",
            },
        )
    assert response.status_code == 302
    new = Certificate.objects.get(offer=certificate.offer, user=certificate.user, is_current=True)
    certificate.refresh_from_db()
    assert new.pk != certificate.pk and new.code != certificate.code
    assert new.replaces == certificate and not certificate.is_current
    assert (new.recipient_name, new.amount, new.completion_date) == (
        "Alpha Lead, RN",
        Decimal("1.75"),
        date(2026, 10, 16),
    )
    assert new.status == CertificateStatus.ISSUED and new.pdf
    claim = new.claim
    assert (claim.amount, claim.completion_date) == (Decimal("1.75"), date(2026, 10, 16))
    email = OutboundEmail.objects.get(kind="certificate", to_email=tenant_a.lead.email)
    assert "corrected" in email.subject and new.code in email.body_text
    assert AuditEvent.objects.filter(verb="certificate.reissued").exists()

    detail = client.get(response["Location"]).content.decode()
    assert certificate.code in detail and "Name misspelt" in detail and "Replaced" in detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "7"}, "at most 6"),
        ({"amount": "1.3"}, "steps of 0.25"),
        ({"amount": "0"}, "more than 0"),
        ({"completion_date": "2027-01-01"}, "future"),
        ({"reason": ""}, "This field is required"),
        ({}, "Nothing was changed"),
    ],
)
def test_bad_corrections_are_refused_with_a_message(tenant_a, change, message):
    certificate = _nursing(tenant_a)
    data = {
        "recipient_name": certificate.recipient_name,
        "amount": "1.5",
        "completion_date": "2026-10-15",
        "reason": "Because",
        **change,
    }
    response = _client(tenant_a.staff).post(
        _url("certificate_reissue", tenant_a, certificate), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Certificate.objects.filter(offer=certificate.offer, user=certificate.user).count() == 1


def test_staff_can_open_the_stored_pdf(tenant_a, tenant_b):
    certificate = _nursing(tenant_a)
    response = _client(tenant_a.staff).get(_url("certificate_pdf_staff", tenant_a, certificate))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        _client(tenant_b.admin)
        .get(_url("certificate_pdf_staff", tenant_a, certificate))
        .status_code
        == 404
    )


def test_my_credit_lists_a_long_correction_history_in_the_same_queries(
    tenant_a, django_capture_on_commit_callbacks
):
    """Each replaced certificate says why it was corrected, without a query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.services.revocation import Correction, reissue_certificate

    page = reverse("certificates:my_credit")
    member = _client(tenant_a.lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member.get(page).status_code == 200
        return len(captured)

    certificate = _nursing(tenant_a)
    names = ["Alpha Lead, RN", "Alpha Lead, BSN", "Alpha Lead, MSN"]
    with django_capture_on_commit_callbacks(execute=True):
        certificate = reissue_certificate(
            certificate=certificate,
            actor=tenant_a.staff,
            correction=Correction(names[0], certificate.amount, certificate.completion_date, "r0"),
        )
    member.get(page)  # the top bar's unread count is cached by the first page
    before = queries()
    for number, name in enumerate(names[1:], start=1):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = reissue_certificate(
                certificate=certificate,
                actor=tenant_a.staff,
                correction=Correction(
                    name, certificate.amount, certificate.completion_date, f"reason {number}"
                ),
            )
    text = member.get(page).content.decode()
    assert "replaced (reason 1)" in text and "replaced (reason 2)" in text
    assert queries() == before
