"""A file larger than the server accepts is refused in the browser as soon as it is
chosen (static/js/app.js, data-max-bytes): the message sits in the field's error area,
the form is not sent, and what was typed is still there. The server refuses such a
body before reading it, so its answer would have lost the typed fields."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from resources.models import Resource
from resources.uploads import MAX_RESOURCE_BYTES

from .helpers import sign_in_as
from .test_accessibility import _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_library_file_too_large_is_refused_before_anything_typed_is_lost(
    page, live_server, tenant_a, tmp_path
):
    # The real limit (50 MB): a sparse file of 60 MB costs nothing on disk, and the
    # browser reads only its size.
    too_large = tmp_path / "webinar-slides.pdf"
    with too_large.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    assert too_large.stat().st_size > MAX_RESOURCE_BYTES
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    sign_in_as(page, live_server, tenant_a.staff)
    page.goto(reverse("resources:new", kwargs={"program_id": tenant_a.program.public_id}))
    file_input = page.locator('input[type="file"][name="file"]')
    expect(file_input).to_have_attribute("data-max-bytes", str(MAX_RESOURCE_BYTES))
    page.locator("#id_title").fill("Sepsis webinar slides")
    page.locator("#id_summary").fill("The slides of the March webinar.")
    page.locator("#id_body").fill("Screening in triage, then the bundle.")

    file_input.set_input_files(too_large)
    error = page.locator("#id_file-size-error")
    expect(error).to_have_text(
        "“webinar-slides.pdf” is 60.0 MB; the largest file accepted is 50 MB. "
        "Share a larger file as a link."
    )
    expect(error).to_have_attribute("role", "alert")
    assert "id_file-size-error" in (file_input.get_attribute("aria-describedby") or "")
    expect(page.locator(".usa-form-group--error")).to_have_count(1)
    assert file_input.evaluate("input => input.validity.customError") is True
    assert not _violations(page), "the message must keep the page WCAG 2.1 AA"

    page.get_by_role("button", name="Add to the library").click()
    expect(file_input).to_be_focused()
    assert posts == []
    expect(page.locator("#id_title")).to_have_value("Sepsis webinar slides")
    expect(page.locator("#id_summary")).to_have_value("The slides of the March webinar.")
    expect(page.locator("#id_body")).to_have_value("Screening in triage, then the bundle.")

    # A smaller file clears the message, and the form goes.
    file_input.set_input_files(
        {"name": "webinar-slides.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    expect(error).to_have_count(0)
    expect(page.locator(".usa-form-group--error")).to_have_count(0)
    assert "id_file-size-error" not in (file_input.get_attribute("aria-describedby") or "")
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sepsis webinar slides")
    assert len(posts) == 1
    resource = Resource.objects.get(title="Sepsis webinar slides")
    assert resource.original_name == "webinar-slides.pdf"
    assert resource.body == "Screening in triage, then the bundle."
