"""A sponsor progress report of the tenant's active collaborative, for the isolation
guard (tests/conftest.py): its status and download routes name it. The PDF is stored
as-is (no rendering: the builder runs for every test that builds a tenant)."""

from django.core.files.base import ContentFile

from core import clock
from dashboards.models import ProgressReport, ProgressReportStatus

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(tenant, marker: str) -> dict:
    report = ProgressReport(
        program=tenant.program,
        collaborative=tenant.collaborative,
        requested_by=tenant.staff,
        requested_at=clock.now(),
        status=ProgressReportStatus.READY,
        finished_at=clock.now(),
        last_error=marker,
    )
    report.pdf.save("progress.pdf", ContentFile(PDF_BYTES), save=False)
    report.save()
    return {"report_id": report.public_id}
