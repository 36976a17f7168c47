"""Share and sustain for the isolation guard (tests/conftest.py): the team's lessons
learned (private text carries `marker`) and a finished "every storyboard" run of the
active collaborative with its stored PDF, named by `batch_id` in the run's routes. The
PDF is stored as-is (no rendering: the builder runs for every test that builds a
tenant). The heat map's drill-down uses pdsa's `package_item_id`."""

from django.core.files.base import ContentFile

from core import clock
from resources.models import Storyboard, StoryboardBatch, StoryboardBatchStatus

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(tenant, marker: str) -> dict:
    m = f" {marker}" if marker else ""
    Storyboard.objects.create(
        program=tenant.program,
        team=tenant.team,
        lessons_learned=f"Lock the scale before the night shift{m}",
        updated_by=tenant.lead,
    )
    batch = StoryboardBatch(
        program=tenant.program,
        collaborative=tenant.collaborative,
        status=StoryboardBatchStatus.DONE,
        total=2,
        done=2,
        requested_by=tenant.staff,
        finished_at=clock.now(),
        last_error=marker,
    )
    batch.pdf.save("storyboards.pdf", ContentFile(PDF_BYTES), save=False)
    batch.save()
    return {"batch_id": batch.public_id}
