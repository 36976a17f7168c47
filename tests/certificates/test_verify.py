"""Public verification: no login, the minimum facts, the same 404 for unknown and
malformed codes, revoked and replaced states, a rate limit per address."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from certificates import verification
from certificates.models import Certificate
from certificates.services.revocation import (
    Correction,
    reissue_certificate,
    revoke_certificate,
)

pytestmark = pytest.mark.django_db


def _url(code: str) -> str:
    return reverse("certificates:verify_code", kwargs={"verify_code": code})


def _certificate(tenant) -> Certificate:
    return Certificate.objects.get(code=tenant.extras["certificate_code"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn", "ABCD-EFGH-JKMN"),
        (" ABCD EFGH JKMN ", "ABCD-EFGH-JKMN"),
        ("ABCDEFGHJKMN", "ABCD-EFGH-JKMN"),
        ("ABCD–EFGH—JKMN", "ABCD-EFGH-JKMN"),
        ("ABCD-EFGH-JKM0", verification.NO_SUCH_CODE),  # 0 is not in the alphabet
        ("ABCD-EFGH", verification.NO_SUCH_CODE),
        ("<script>", verification.NO_SUCH_CODE),
        ("", verification.NO_SUCH_CODE),
        ("A" * 500, verification.NO_SUCH_CODE),
    ],
)
def test_codes_are_normalised(typed, expected):
    assert verification.normalise_code(typed) == expected


def test_a_valid_certificate_shows_only_the_minimum_without_login(tenant_a):
    certificate = _certificate(tenant_a)
    response = Client().get(_url(certificate.code.lower().replace("-", "")))

    assert response.status_code == 200
    html = response.content.decode()
    assert "is valid" in html
    assert certificate.recipient_name in html and certificate.activity_title in html
    assert "October 15, 2026" in html and "1.5 nursing contact hours" in html
    # Nothing else: no provider, statements, e-mail, team, footer.
    for private in (
        certificate.offer.provider_name,
        certificate.offer.accreditation_statement,
        tenant_a.lead.email,
        tenant_a.team.name,
    ):
        assert private not in html


def _strip_code(html: str, code: str) -> str:
    return html.replace(code, "CODE")


def test_unknown_and_malformed_codes_give_the_same_404_page(tenant_a):
    client = Client()
    unknown = client.get(_url("ZZZZ-ZZZZ-ZZZZ"))
    malformed = client.get(_url("NOT-A-CODE!"))
    assert unknown.status_code == malformed.status_code == 404
    assert _strip_code(unknown.content.decode(), "ZZZZ-ZZZZ-ZZZZ") == _strip_code(
        malformed.content.decode(), "NOT-A-CODE!"
    )
    # And the form's answer for a typed unknown code is the same page.
    typed = client.get(reverse("certificates:verify"), {"code": "nope"})
    assert typed.status_code == 404
    assert _strip_code(typed.content.decode(), "nope") == _strip_code(
        unknown.content.decode(), "ZZZZ-ZZZZ-ZZZZ"
    )


def test_the_form_sends_a_typed_code_to_its_page(tenant_a):
    certificate = _certificate(tenant_a)
    response = Client().get(reverse("certificates:verify"), {"code": certificate.code.lower()})
    assert response.status_code == 302 and response["Location"] == _url(certificate.code)
    page = Client().get(reverse("certificates:verify"))
    assert page.status_code == 200 and "Certificate ID" in page.content.decode()


def test_a_revoked_certificate_says_so_with_the_date_not_the_reason(tenant_a):
    certificate = _certificate(tenant_a)
    revoke_certificate(certificate=certificate, actor=tenant_a.staff, reason="Secret <reason>")
    html = Client().get(_url(certificate.code)).content.decode()
    assert "was revoked" in html and "November 20, 2026" in html
    assert "Secret" not in html and "is valid" not in html


def test_a_replaced_certificate_says_so_without_the_new_code(
    tenant_a, django_capture_on_commit_callbacks
):
    certificate = _certificate(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        new = reissue_certificate(
            certificate=certificate,
            actor=tenant_a.staff,
            correction=Correction(
                "Corrected Name", certificate.amount, certificate.completion_date, "Typo"
            ),
        )
    old_page = Client().get(_url(certificate.code)).content.decode()
    assert "replaced by a corrected certificate" in old_page
    assert new.code not in old_page and "Corrected Name" not in old_page
    new_page = Client().get(_url(new.code)).content.decode()
    assert "is valid" in new_page and "Corrected Name" in new_page


def test_look_ups_are_rate_limited_per_address(tenant_a, monkeypatch):
    monkeypatch.setattr(verification, "LOOKUPS_ALLOWED", 3)
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [client.get(_url("ZZZZ-ZZZZ-ZZZ" + c)).status_code for c in "ABCDE"]
    assert codes == [404, 404, 404, 429, 429]
    # Even a real code is refused now; another address is not.
    assert client.get(_url(_certificate(tenant_a).code)).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.7").get(_url(_certificate(tenant_a).code))
    assert other.status_code == 200


def test_one_query_by_code_whatever_the_input(tenant_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        verification.verify("garbage")
    code = _certificate(tenant_a).code
    with django_assert_num_queries(1) as context:
        verification.verify(code)
    assert "ORDER BY" not in context.captured_queries[0]["sql"]
    sql = str(Certificate.objects.filter(code="X").query)
    assert re.search(r'"code" = ', sql)
