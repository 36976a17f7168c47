"""Bulk issue, eager: what is issued, what is listed and why, resuming without
issuing twice, one active run per collaborative, and who may see the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates import bulk
from certificates.models import BulkIssue, BulkIssueStatus, Certificate, CertificateStatus
from core import clock
from core.models import AuditEvent
from tests.factories import client_for

from .bulk_helpers import claims, offer
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def _start_url(tenant) -> str:
    return reverse(
        "certificates:bulk_start", kwargs={"collaborative_id": tenant.collaborative.public_id}
    )


def _run_url(run, name="certificates:bulk_progress") -> str:
    return reverse(
        name, kwargs={"collaborative_id": run.collaborative.public_id, "bulk_id": run.public_id}
    )


def _one_current_each(made) -> None:
    for claim in made:
        assert (
            Certificate.objects.filter(offer=claim.offer, user=claim.user, is_current=True).count()
            == 1
        )


def test_a_run_issues_renders_and_lists_what_it_could_not(
    tenant_a, django_capture_on_commit_callbacks
):
    ems = claims(tenant_a, offer(tenant_a), ["Ana Lee", "Bo <script>Kim</script>"])
    hidden = claims(tenant_a, offer(tenant_a, "ama_pra_1", published=False), ["Cy Dunn"])
    staff = client_for(tenant_a.staff)

    page = staff.get(_start_url(tenant_a))
    assert page.status_code == 200
    assert "EMS CE hours" in page.text and "Unpublished" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(_start_url(tenant_a), {"confirm": "yes"})

    run = BulkIssue.objects.get(requested_by=tenant_a.staff)
    assert response.status_code == 302 and response.url == _run_url(run)
    assert (run.status, run.total, run.issued, run.failed, run.skipped) == (
        BulkIssueStatus.DONE, 3, 2, 1, 0,
    )  # fmt: skip
    assert run.errors[0]["name"] == "Cy Dunn"
    assert run.errors[0]["reason"] == "the offer is unpublished"
    _one_current_each(ems)
    assert not Certificate.objects.filter(claim=hidden[0]).exists()
    for certificate in Certificate.objects.filter(bulk_issue=run):
        assert certificate.status == CertificateStatus.ISSUED
        with certificate.pdf.open("rb") as handle:
            assert certificate.code in PdfReader(handle).pages[0].extract_text()
    result = staff.get(_run_url(run))
    assert "Cy Dunn (AMA PRA Category 1 Credit(s)™ (physician CME)): the offer is unpublished" in (
        result.text
    )
    assert "Bo &lt;script&gt;Kim&lt;/script&gt;" in result.text and "<script>Kim" not in result.text
    assert 'http-equiv="refresh"' not in result.text  # finished: no more refreshing
    assert AuditEvent.objects.filter(verb="bulk_issue.started", target_id=str(run.public_id))


def test_a_deactivated_account_or_a_claim_above_the_maximum_is_not_issued(tenant_a):
    made = claims(tenant_a, offer(tenant_a), ["Ana Lee", "Bo Kim", "Cy Dunn"])
    made[0].user.is_active = False
    made[0].user.save(update_fields=["is_active"])
    type(made[1]).objects.filter(pk=made[1].pk).update(amount="6.25")  # offer's max is 6
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    bulk.run_bulk_issue(run.pk)
    run.refresh_from_db()
    assert [(e["name"], e["reason"]) for e in run.errors] == [
        ("Ana Lee", "the account is deactivated"),
        ("Bo Kim", "the claim (6.25) is above the offer's maximum (6.00)"),
    ]
    assert (run.issued, run.failed) == (1, 2)
    assert Certificate.objects.filter(bulk_issue=run).get().claim == made[2]


def test_the_confirmation_is_required(tenant_a):
    claims(tenant_a, offer(tenant_a), ["Ana Lee"])
    response = client_for(tenant_a.staff).post(_start_url(tenant_a), follow=True)
    assert "Tick the box to confirm" in response.text
    assert not BulkIssue.objects.filter(requested_by=tenant_a.staff).exists()


def test_resuming_a_run_cut_short_issues_nothing_twice(tenant_a):
    made = claims(tenant_a, offer(tenant_a), ["Ana Lee", "Bo Kim", "Cy Dunn"])
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    # A worker that did one claim and died: the run is running, one certificate made.
    BulkIssue.objects.filter(pk=run.pk).update(status=BulkIssueStatus.RUNNING)
    bulk._process_claim(run.pk, made[0].pk)

    assert bulk.run_bulk_issue(run.pk) == BulkIssueStatus.DONE
    # A late redelivery of the same task changes nothing.
    assert bulk.run_bulk_issue(run.pk) == BulkIssueStatus.DONE
    run.refresh_from_db()
    assert (run.total, run.issued, run.failed, run.skipped) == (3, 3, 0, 0)
    _one_current_each(made)
    assert Certificate.objects.filter(bulk_issue=run).count() == 3


def test_a_claim_issued_meanwhile_is_skipped_not_issued_again(tenant_a):
    made = claims(tenant_a, offer(tenant_a), ["Ana Lee", "Bo Kim"])
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    BulkIssue.objects.filter(pk=run.pk).update(status=BulkIssueStatus.RUNNING)
    from certificates.services.issuing import issue_certificate

    issue_certificate(claim=made[1])  # the participant's own claim, between list and turn
    bulk._process_claim(run.pk, made[1].pk)
    run.refresh_from_db()
    assert run.skipped == 1 and run.errors[0]["reason"] == "already had a certificate"
    assert Certificate.objects.filter(claim=made[1]).count() == 1


def test_a_render_failure_is_listed_and_leaves_no_certificate(tenant_a, monkeypatch):
    made = claims(tenant_a, offer(tenant_a), ["Ana Lee", "Bo Kim"])

    def broken(certificate):
        if certificate.recipient_name == "Bo Kim":
            raise OSError("disk full")
        return b"%PDF-1.4\n%%EOF\n"

    def broken_batch(certificates):
        return [broken(certificate) for certificate in certificates]

    # The chunk's batch fails as a whole; done again one by one, only Bo Kim's fails.
    monkeypatch.setattr("certificates.tasks.render_certificate_pdfs", broken_batch)
    monkeypatch.setattr("certificates.tasks.render_certificate_pdf", broken)
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    bulk.run_bulk_issue(run.pk)
    run.refresh_from_db()
    assert (run.issued, run.failed) == (1, 1)
    assert run.errors[0]["name"] == "Bo Kim"
    assert "could not be rendered (disk full)" in run.errors[0]["reason"]
    assert not Certificate.objects.filter(claim=made[1]).exists()
    assert Certificate.objects.get(claim=made[0]).status == CertificateStatus.ISSUED


def test_one_active_run_per_collaborative(tenant_a):
    claims(tenant_a, offer(tenant_a), ["Ana Lee"])
    first = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    response = client_for(tenant_a.admin).post(
        _start_url(tenant_a), {"confirm": "yes"}, follow=True
    )
    assert "already running" in response.text
    assert list(BulkIssue.objects.filter(status__in=bulk.ACTIVE)) == [first]
    page = client_for(tenant_a.admin).get(_start_url(tenant_a))
    assert "A run is under way" in page.text and 'name="confirm"' not in page.text


def test_nothing_to_issue_says_so(tenant_a):
    response = client_for(tenant_a.staff).post(
        _start_url(tenant_a), {"confirm": "yes"}, follow=True
    )
    assert "already has a certificate" in response.text


def test_progress_json_and_the_self_refreshing_page(tenant_a):
    claims(tenant_a, offer(tenant_a), ["Ana Lee", "Bo Kim"])
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    staff = client_for(tenant_a.staff)
    data = staff.get(_run_url(run, "certificates:bulk_progress_json")).json()
    assert data == {
        "status": "queued", "status_label": "Queued", "active": True, "total": 2, "done": 0,
        "issued": 0, "failed": 0, "skipped": 0, "percent": 0,
    }  # fmt: skip
    page = staff.get(_run_url(run))
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page.text
    assert '<progress id="bulk-bar"' in page.text and "js/progress.js" in page.text


def test_resume_only_a_stalled_run(tenant_a, django_capture_on_commit_callbacks):
    claims(tenant_a, offer(tenant_a), ["Ana Lee"])
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    staff = client_for(tenant_a.staff)
    response = staff.post(_run_url(run, "certificates:bulk_resume"), follow=True)
    assert "still moving" in response.text

    BulkIssue.objects.filter(pk=run.pk).update(
        status=BulkIssueStatus.RUNNING, progress_at=clock.now() - timedelta(minutes=11)
    )
    assert "Resume" in staff.get(_run_url(run)).text
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(_run_url(run, "certificates:bulk_resume"), follow=True)
    assert "carries on where it stopped" in response.text
    run.refresh_from_db()
    assert run.status == BulkIssueStatus.DONE and run.issued == 1  # eager: ran at once
    assert AuditEvent.objects.filter(verb="bulk_issue.resumed").exists()
    response = staff.post(_run_url(run, "certificates:bulk_resume"), follow=True)
    assert "has finished" in response.text


@pytest.mark.parametrize("who", ["coach", "lead", "member", "other_tenant_staff", "outsider"])
def test_only_the_programs_staff_see_bulk_pages(tenant_a, tenant_b, outsider, who):
    claims(tenant_a, offer(tenant_a), ["Ana Lee"])
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    user = {"other_tenant_staff": tenant_b.staff, "outsider": outsider}.get(who) or getattr(
        tenant_a, who
    )
    client = client_for(user)
    for url in (
        _start_url(tenant_a),
        _run_url(run),
        _run_url(run, "certificates:bulk_progress_json"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_start_url(tenant_a), {"confirm": "yes"}).status_code == 404
    assert client.post(_run_url(run, "certificates:bulk_resume")).status_code == 404
    assert BulkIssue.objects.filter(status__in=bulk.ACTIVE).count() == 1


def test_a_run_of_another_collaborative_is_not_found(tenant_a, tenant_b):
    claims(tenant_b, offer(tenant_b), ["Bravo Person"])
    run_b = bulk.start_bulk_issue(collaborative=tenant_b.collaborative, actor=tenant_b.staff)
    url = reverse(
        "certificates:bulk_progress",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id, "bulk_id": run_b.public_id},
    )
    assert client_for(tenant_a.staff).get(url).status_code == 404


def test_a_chunk_is_rendered_as_one_document_one_pdf_each(tenant_a, monkeypatch):
    from certificates import tasks

    names = [f"Person {i:02d}" for i in range(bulk.CHUNK + 2)]
    claims(tenant_a, offer(tenant_a), names)
    batches, singles = [], []
    real_batch = tasks.render_certificate_pdfs

    def counted(certificates):
        batches.append(len(certificates))
        return real_batch(certificates)

    monkeypatch.setattr(tasks, "render_certificate_pdfs", counted)
    monkeypatch.setattr(tasks, "render_certificate_pdf", lambda c: singles.append(c))
    run = bulk.start_bulk_issue(collaborative=tenant_a.collaborative, actor=tenant_a.staff)
    bulk.run_bulk_issue(run.pk)
    run.refresh_from_db()
    assert (run.issued, run.failed, batches, singles) == (len(names), 0, [bulk.CHUNK, 2], [])
    for certificate in Certificate.objects.filter(bulk_issue=run):
        text = pdf_text(certificate.pdf.read())
        assert certificate.recipient_name in text and certificate.code in text
        others = [n for n in names if n != certificate.recipient_name]
        assert not any(other in text for other in others)
