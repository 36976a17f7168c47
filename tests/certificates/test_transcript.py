"""The transcript: the signed-in person's current, unrevoked certificates in one PDF."""

import pytest
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from certificates.services.revocation import revoke_certificate

from .helpers import issued, pdf_text

pytestmark = pytest.mark.django_db


def test_the_transcript_lists_only_the_persons_current_certificates(tenant_a, tenant_b):
    ama = issued(tenant_a)  # the member's
    ems = issued(tenant_a, credit_type="ems")
    revoke_certificate(certificate=ems, actor=tenant_a.staff, reason="Not attended")
    lead_code = Certificate.objects.get(code=tenant_a.extras["certificate_code"]).code
    client = Client()
    client.force_login(tenant_a.member)

    response = client.get(reverse("certificates:transcript"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())  # table cells wrap
    assert ama.code in text and "4.75 AMA PRA Category 1 Credit(s)™" in text
    assert ems.code not in text and lead_code not in text
    assert "Alpha Children's Hospital" in text and tenant_a.member.full_name in text
    assert Client().get(reverse("certificates:transcript")).status_code == 302
