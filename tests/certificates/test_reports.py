"""Reports: the accreditors' upload files byte for byte against files written by hand
from the layouts (tests/data/certificates/), learners who cannot be reported listed
with the reason, the CSV/XLSX of every certificate (formula-safe), and access."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import (
    AttestationStatus,
    Board,
    Certificate,
    CertificateStatus,
    CreditOffer,
    MocAttestation,
)
from core import clock
from core.models import AuditEvent
from tests.factories import UserFactory, client_for

from .bulk_helpers import offer

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "certificates"


def _url(tenant, name: str) -> str:
    return reverse(
        f"certificates:{name}", kwargs={"collaborative_id": tenant.collaborative.public_id}
    )


def _issue(tenant, credit_offer, name, *, amount="1.50", email=None, revoked=False, **claim):
    from certificates.models import CreditClaim

    person = UserFactory(full_name=name, email=email or f"{name.split()[-1].lower()}@alpha.example")
    made = CreditClaim.objects.create(
        program=tenant.program,
        offer=credit_offer,
        user=person,
        amount=Decimal(amount),
        completion_date=date(2026, 11, 2),
        claimed_at=clock.now(),
        **claim,
    )
    return Certificate.objects.create(
        program=tenant.program,
        offer=credit_offer,
        claim=made,
        user=person,
        status=CertificateStatus.ISSUED,
        recipient_name=name,
        activity_title="Sepsis collaborative",
        credit_type=credit_offer.credit_type,
        amount=made.amount,
        completion_date=made.completion_date,
        issued_at=clock.now(),
        revoked_at=clock.now() if revoked else None,
        revoked_reason="Did not attend" if revoked else "",
    )


def _approved(tenant, moc_offer, name, *, permission=True, **facts):
    person = UserFactory(full_name=name)
    return MocAttestation.objects.create(
        program=tenant.program,
        offer=moc_offer,
        user=person,
        team=tenant.team,
        status=AttestationStatus.APPROVED,
        board=Board.ABP,
        permission_to_report=permission,
        **facts,
    )


@pytest.fixture
def credit(tenant_a):
    cme = offer(tenant_a, "ama_pra_1", accreditor_activity_id="201912345")
    _issue(tenant_a, cme, "Ana  María\tLee", birth_month=4, birth_day=9)
    _issue(tenant_a, cme, "Bo Kim", amount="2.00", birth_month=12, birth_day=31)
    _issue(tenant_a, cme, "Cy Dunn")
    _issue(tenant_a, cme, "Di Ray", revoked=True, birth_month=1, birth_day=2)
    moc = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="moc_part4")
    moc.accreditor_activity_id = "MOC-7788"
    moc.save()
    facts = {"board_id": "1234567", "birth_month": 3, "birth_day": 5, "points": 25,
             "completion_date": date(2026, 10, 30)}  # fmt: skip
    _approved(tenant_a, moc, "Eve Stone", **facts)
    _approved(tenant_a, moc, "Fay Wu", permission=False, **facts)
    ems = offer(tenant_a, "ems", accreditor_activity_id="22-QICO-F2-0101")
    _issue(
        tenant_a, ems, "Gil Moss", amount="3.25", email="gil@alpha.example",
        ems_licence_id="E123456", ems_licence_state="nc",
    )  # fmt: skip
    _issue(tenant_a, ems, "Ian Roe")
    _issue(tenant_a, ems, "=HYPERLINK(x) Evil", ems_licence_id="E9", ems_licence_state="NC")
    return tenant_a


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("credit_report_pars_cme", "pars_cme_expected.txt"),
        ("credit_report_pars_moc", "pars_moc_expected.txt"),
        ("credit_report_capce", "capce_expected.csv"),
    ],
)
def test_upload_files_match_the_hand_written_templates(credit, name, expected):
    response = client_for(credit.staff).get(_url(credit, name))
    assert response.status_code == 200
    assert response.content == (DATA / expected).read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="credit_report.downloaded").count() == 1


def test_the_reports_page_lists_who_is_not_reportable_and_why(credit):
    page = client_for(credit.staff).get(_url(credit, "credit_reports")).text
    assert "Cy Dunn: not reportable: no birth month and day given" in page
    assert "Fay Wu: not reportable: did not give permission to report to the board" in page
    assert "Ian Roe: not reportable: no NREMT or state licence number given" in page
    assert "=HYPERLINK(x) Evil: not reportable: “=HYPERLINK(x)” starts with =" in page
    assert "Di Ray" not in page  # revoked: not a completion to report, nor a problem
    assert "2 learners to report." in page and "1 learner to report." in page


def test_an_offer_without_an_accreditor_id_blocks_its_file(tenant_a):
    offer(tenant_a, "ama_pra_1", accreditor_activity_id="")
    staff = client_for(tenant_a.staff)
    response = staff.get(_url(tenant_a, "credit_report_pars_cme"), follow=True)
    assert "has no PARS activity ID" in response.text
    response = staff.get(_url(tenant_a, "credit_report_capce"), follow=True)
    assert "offers no EMS CE hours" in response.text
    # The builder's MOC attestation is not approved yet: nobody to report.
    moc = CreditOffer.objects.get(collaborative=tenant_a.collaborative, credit_type="moc_part4")
    CreditOffer.objects.filter(pk=moc.pk).update(accreditor_activity_id="MOC-1")
    response = staff.get(_url(tenant_a, "credit_report_pars_moc"), follow=True)
    assert "nobody can be reported yet" in response.text


def test_credit_csv_lists_every_certificate_with_its_state_formula_safe(credit):
    response = client_for(credit.staff).get(_url(credit, "credit_report_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name", "E-mail", "Credit type", "Amount", "Unit", "Completion date",
        "Certificate code", "Status", "Issued on",
    ]  # fmt: skip
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Di Ray"][7] == "Revoked: Did not attend"
    assert by_name["Bo Kim"][2:6] == [
        "AMA PRA Category 1 Credit(s)™ (physician CME)", "2.00", "hours", "2026-11-02",
    ]  # fmt: skip
    assert "'=HYPERLINK(x) Evil" in by_name  # made plain text for the spreadsheet
    # Four CME, three EMS and the builder's nursing certificates (the lead's, the coach's).
    builder = Certificate.objects.filter(
        offer__collaborative=credit.collaborative, credit_type="nursing"
    )
    assert builder.count() == 2
    assert len(rows) == 1 + 7 + builder.count()
    only_ems = client_for(credit.staff).get(_url(credit, "credit_report_csv") + "?type=ems")
    assert only_ems.content.decode("utf-8-sig").count("\r\n") == 1 + 3


def test_credit_xlsx_keeps_text_as_text(credit):
    response = client_for(credit.staff).get(_url(credit, "credit_report_xlsx") + "?type=ems")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["=HYPERLINK(x) Evil", "Gil Moss", "Ian Roe"]
    cell = next(c for c in sheet["A"] if c.value == "=HYPERLINK(x) Evil")
    assert cell.data_type == "s"


@pytest.mark.parametrize("who", ["coach", "lead", "member", "other_tenant_staff", "outsider"])
def test_only_the_programs_staff_get_reports(credit, tenant_b, outsider, who):
    user = {"other_tenant_staff": tenant_b.staff, "outsider": outsider}.get(who) or getattr(
        credit, who
    )
    client = client_for(user)
    for name in (
        "credit_reports", "credit_report_csv", "credit_report_xlsx",
        "credit_report_pars_cme", "credit_report_pars_moc", "credit_report_capce",
    ):  # fmt: skip
        assert client.get(_url(credit, name)).status_code == 404, name
    assert not AuditEvent.objects.filter(verb="credit_report.downloaded").exists()
