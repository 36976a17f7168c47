"""Every upload form tells the browser its file limit (data-max-bytes), taken from the
same constant the server's check uses, so static/js/app.js can refuse a file too large
before the form is sent (and before the server's refusal loses what was typed)."""

import re

import pytest

from assessments.forms import ImportForm as SurveyImportForm
from assessments.template_io import MAX_FILE_BYTES
from certificates.services.design import MAX_IMAGE_BYTES
from certificates.staff_forms import TemplateDesignForm
from core.filetypes import DOCUMENTS, MP4, size_limit_attrs
from learning_sessions.attendance.forms import ImportForm as AttendanceImportForm
from learning_sessions.attendance.parsing import MAX_BYTES as ATTENDANCE_MAX_BYTES
from learning_sessions.forms import MaterialForm
from learning_sessions.materials import MAX_MATERIAL_BYTES
from measures.forms import ImportForm as MeasuresImportForm
from measures.imports import MAX_UPLOAD_BYTES, file_too_large_message
from pdsa.forms import AttachmentForm
from pdsa.uploads import MAX_ATTACHMENT_BYTES, too_large_message
from resources.forms_library import ResourceForm
from resources.uploads import MAX_RESOURCE_BYTES

pytestmark = pytest.mark.django_db


def _attrs(html: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', html))


FORMS = {
    "library resource": (lambda t: ResourceForm(program=t.program), "file", MAX_RESOURCE_BYTES),
    "event material": (lambda t: MaterialForm(), "file", MAX_MATERIAL_BYTES),
    "PDSA attachment": (lambda t: AttachmentForm(), "file", MAX_ATTACHMENT_BYTES),
    "certificate logo": (lambda t: TemplateDesignForm(), "logo_upload", MAX_IMAGE_BYTES),
    "certificate signature": (lambda t: TemplateDesignForm(), "signature_upload", MAX_IMAGE_BYTES),
    "measures import": (lambda t: MeasuresImportForm(), "file", MAX_UPLOAD_BYTES),
    "survey import": (lambda t: SurveyImportForm(), "file", MAX_FILE_BYTES),
    "attendance report": (lambda t: AttendanceImportForm(), "report", ATTENDANCE_MAX_BYTES),
}

ACCEPT = {
    "library resource": ".pdf,.png,.jpg,.jpeg,.docx,.pptx,.xlsx,.mp4,.m4v",
    "event material": ".pdf,.png,.jpg,.jpeg,.docx,.pptx,.xlsx",
    "PDSA attachment": "image/jpeg,image/png,application/pdf",
    "certificate logo": "image/png,image/jpeg",
    "certificate signature": "image/png,image/jpeg",
    "measures import": ".csv,.xlsx,text/csv",
    "survey import": ".json,application/json",
    "attendance report": ".csv,.txt,text/csv",
}


#: The last sentence of the browser's message where the server advises otherwise than
#: "Share a larger file as a link." (static/js/app.js).
ADVICE = {
    "PDSA attachment": too_large_message(MAX_ATTACHMENT_BYTES + 1).rsplit(". ", 1)[1],
    "certificate logo": "Export it smaller.",
    "certificate signature": "Export it smaller.",
    "measures import": "Split it by team or by year and upload the parts one after the other.",
    "survey import": (
        "A survey exported from this platform is far smaller. Check that you chose the right file."
    ),
    "attendance report": (
        "A participant report is far smaller. Check that you chose the right file."
    ),
}


@pytest.mark.parametrize("name", FORMS)
def test_each_upload_field_renders_the_servers_limit(tenant_a, name):
    make, field, limit = FORMS[name]
    attrs = _attrs(str(make(tenant_a)[field]))
    assert attrs["type"] == "file"
    assert attrs["data-max-bytes"] == str(limit)
    assert attrs["accept"] == ACCEPT[name]
    assert attrs.get("data-too-large-advice") == ADVICE.get(name)


def test_the_browsers_advice_is_the_servers():
    assert ADVICE["PDSA attachment"] == "Send a smaller photo or split the document."
    assert file_too_large_message(MAX_UPLOAD_BYTES + 1).endswith(ADVICE["measures import"])


def test_the_limits_are_the_numbers_the_help_texts_promise():
    # The constants, spelled out once: a change to one is a change people will read.
    assert MAX_RESOURCE_BYTES == 50 * 1024 * 1024
    assert MAX_MATERIAL_BYTES == 25 * 1024 * 1024
    assert MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    assert MAX_IMAGE_BYTES == 1024 * 1024
    assert MAX_UPLOAD_BYTES == 5 * 1024 * 1024
    assert MAX_FILE_BYTES == 1_000_000
    assert ATTENDANCE_MAX_BYTES == 2 * 1024 * 1024


def test_size_limit_attrs_takes_accept_from_the_types_or_as_given():
    assert size_limit_attrs(10) == {"data-max-bytes": "10"}
    assert size_limit_attrs(10, types=(MP4,)) == {"data-max-bytes": "10", "accept": ".mp4,.m4v"}
    assert size_limit_attrs(10, accept="image/png", types=DOCUMENTS)["accept"] == "image/png"
