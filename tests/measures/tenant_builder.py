"""One object of every measures kind for a tenant, for the isolation guard (tests/conftest.py).

Private text carries `marker` (a custom measure's name, notes, the narrative, a review
comment, an import's file name), so that a page, an export or an API answer leaking it
is caught. Kept small: every test that builds a tenant runs this.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from core.clock import month_end
from measures.models import (
    BenchmarkConsent,
    CollaborativeExport,
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    DataPointRevision,
    ExportKind,
    ExportStatus,
    ImportBatch,
    Measure,
    MeasureType,
    ReportingPeriod,
    RevisionAction,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from tests.clock import instant, month


def build(tenant, marker: str) -> dict[str, object]:
    m = f" {marker}" if marker else ""
    #: The sample month: the collaborative's second (April 2026 on the suite's default day).
    sample = month(-7)
    program, collaborative, team = tenant.program, tenant.collaborative, tenant.team
    library = Measure.objects.create(
        program=program,
        code="M1",
        name=f"Weight in kg only{m}",
        short_name="Weight in kg",
        measure_type=MeasureType.PROCESS,
        data_kind=DataKind.PROPORTION,
        numerator_definition=f"Triage weight recorded only in kg{m}",
        denominator_definition="Sampled visits",
        target=Decimal("95"),
    )
    CollaborativeMeasure.objects.create(
        program=program, collaborative=collaborative, measure=library, position=1
    )
    custom = Measure.objects.create(
        program=program,
        collaborative=collaborative,
        team=team,
        name=f"Our own huddles{m}",
        short_name=f"Huddles{m}"[:60],
        measure_type=MeasureType.PROCESS,
        data_kind=DataKind.COUNT,
    )
    TeamMeasure.objects.create(
        program=program,
        collaborative=collaborative,
        team=team,
        measure=custom,
        is_selected=True,
        phases=[{"start": sample.isoformat(), "label": f"New scale{m}"}],
    )
    handed_in = instant(month_end(sample) + timedelta(days=5))
    period = ReportingPeriod.objects.create(
        program=program,
        collaborative=collaborative,
        start=sample,
        end=month_end(sample),
        due_date=month_end(sample) + timedelta(days=15),
    )
    Submission.objects.create(
        program=program,
        collaborative=collaborative,
        team=team,
        period=period,
        status=SubmissionStatus.SUBMITTED,
        tested=f"Kilogram-only scale{m}",
        review_comment=f"Check April{m}",
        # Handed in on time: five days after the month ended, ten before it was due.
        submitted_at=handed_in,
        first_submitted_at=handed_in,
        submitted_by=tenant.lead,
    )
    point = DataPoint.objects.create(
        program=program,
        collaborative=collaborative,
        team=team,
        measure=library,
        period=period,
        numerator=Decimal(8),
        denominator=Decimal(10),
        note=f"Scale broken for a week{m}",
        entered_by=tenant.lead,
    )
    DataPointRevision.objects.create(
        program=program,
        team=team,
        data_point=point,
        action=RevisionAction.CREATED,
        changed_by=tenant.lead,
        new_numerator=point.numerator,
        new_denominator=point.denominator,
        new_note=point.note,
    )
    DataPoint.objects.create(
        program=program,
        collaborative=collaborative,
        team=tenant.other_team,
        measure=library,
        period=period,
        numerator=Decimal(3),
        denominator=Decimal(12),
        note=f"Other team's note{m}",
    )
    batch = ImportBatch.objects.create(
        program=program,
        collaborative=collaborative,
        team=team,
        file_name=f"april{m}.csv",
        file_format="csv",
        file_sha256="0" * 64,
        problems=[{"row": 2, "column": "Note", "message": f"Problem{m}"}],
        uploaded_by=tenant.lead,
    )
    BenchmarkConsent.objects.create(program=program, team=team, show_name=False)
    export = CollaborativeExport.objects.create(
        program=program,
        collaborative=collaborative,
        kind=ExportKind.VALUES,
        file_format="csv",
        status=ExportStatus.READY,
        progress=100,
        requested_by=tenant.staff,
        requested_at=instant(sample),
        filename=f"measures-{collaborative.slug}",
    )
    export.file.save("export.csv", ContentFile(f"Team{m}\n".encode()))
    return {
        "measure_id": library.public_id,
        "period_id": period.public_id,
        "import_id": batch.public_id,
        "data_point_id": point.public_id,
        "export_id": export.public_id,
    }
