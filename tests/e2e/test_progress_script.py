"""static/js/progress.js on the "print every storyboard" page: while the run is active
the bar and counts follow progress.json, and once the PDF is ready its download link
appears and "This page updates by itself" goes (the bulk-issue page's counts are
checked in test_accessibility_credit_bulk.py)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from resources.models import StoryboardBatch, StoryboardBatchStatus

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_storyboard_run_shows_its_progress_then_the_download(page, live_server, tenant_a):
    t = tenant_a
    batch = StoryboardBatch.objects.create(
        program=t.program,
        collaborative=t.collaborative,
        status=StoryboardBatchStatus.RUNNING,
        total=4,
        done=1,
        requested_by=t.staff,
    )
    kwargs = {"collaborative_id": t.collaborative.public_id, "batch_id": batch.public_id}
    sign_in_as(page, live_server, t.staff)
    page.goto(reverse("resources:storyboard_batch", kwargs=kwargs))
    box = page.locator("#storyboard-progress")
    download = box.get_by_role("link", name="Download the storyboards (PDF)")
    expect(download).to_be_hidden()
    expect(box.get_by_text("This page updates by itself.")).to_be_visible()

    StoryboardBatch.objects.filter(pk=batch.pk).update(done=3)
    expect(box.locator('[data-field="done"]')).to_have_text("3")
    assert page.evaluate("() => document.getElementById('storyboard-bar').value") == 3

    batch.refresh_from_db()
    batch.pdf.save("storyboards.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    batch.status, batch.done = StoryboardBatchStatus.DONE, 4
    batch.save()
    expect(download).to_be_visible()
    expect(download).to_have_attribute(
        "href", reverse("resources:storyboard_batch_download", kwargs=kwargs)
    )
    expect(box.locator('[data-field="status_label"]')).to_have_text(batch.get_status_display())
    expect(box.get_by_text("This page updates by itself.")).to_be_hidden()
    assert page.evaluate("() => document.getElementById('storyboard-bar').value") == 4
