"""The library's writes: staff only, files judged by their content and size, links
http/https only, tags cleaned, nothing of another program, every write audited and
indexed for search; opens counted without storing who opened."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from collaboratives.models import FacilityType
from core import clock
from core.models import AuditEvent
from resources import uploads
from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility
from resources.services.library import (
    ResourceInput,
    parse_tags,
    resource_create,
    resource_open_count,
    resource_restore,
    resource_retire,
    resource_update,
)

from .library_tenant_builder import PDF_BYTES

pytestmark = pytest.mark.django_db

#: The first bytes of an MP4 file: a 24-byte ftyp box with the isom brand.
MP4_BYTES = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def link(**overrides) -> ResourceInput:
    values = {
        "kind": ResourceKind.LINK,
        "title": "ENA pediatric readiness toolkit",
        "summary": "Checklists and policies for every emergency department.",
        "url": "https://example.org/toolkit",
    }
    return ResourceInput(**(values | overrides))


def pdf(name: str = "checklist.pdf", content: bytes = PDF_BYTES, **overrides) -> ResourceInput:
    values = {
        "kind": ResourceKind.DOCUMENT,
        "title": "Weight in kilograms checklist",
        "summary": "A one-page checklist.",
        "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }
    return ResourceInput(**(values | overrides))


def errors_of(excinfo) -> dict:
    return {field: " ".join(messages) for field, messages in excinfo.value.message_dict.items()}


def test_staff_add_a_link_audited_and_indexed_for_search(tenant_a):
    resource = resource_create(
        program=tenant_a.program,
        actor=tenant_a.staff,
        data=link(
            tags=" triage, Weight ,triage,, weight, kg ",
            audience=[FacilityType.CRITICAL_ACCESS],
            focus_areas=[tenant_a.focus_area],
            source="Emergency Nurses Association",
        ),
    )
    resource.refresh_from_db()
    assert resource.program == tenant_a.program and resource.created_by == tenant_a.staff
    assert resource.tags == ["triage", "Weight", "kg"]
    assert resource.audience == [FacilityType.CRITICAL_ACCESS]
    assert list(resource.focus_areas.all()) == [tenant_a.focus_area]
    assert resource.url == "https://example.org/toolkit" and not resource.file
    assert resource.search_vector  # indexed: the search box finds it at once
    event = AuditEvent.objects.get(verb="resource.created")
    assert event.program == tenant_a.program and event.target_id == str(resource.public_id)


def test_an_uploaded_pdf_is_stored_under_a_random_name_with_its_proven_type(tenant_a):
    resource = resource_create(
        program=tenant_a.program, actor=tenant_a.staff, data=pdf("Weight <b>list.pdf")
    )
    assert resource.content_type == "application/pdf" and resource.size == len(PDF_BYTES)
    assert resource.original_name == "Weight <b>list.pdf"
    assert "Weight" not in resource.file.name and resource.file.name.endswith(".pdf")
    assert str(tenant_a.program.public_id) in resource.file.name


def test_an_mp4_video_is_recognised_by_its_content(tenant_a):
    video = pdf("skills.mp4", MP4_BYTES, kind=ResourceKind.VIDEO)
    resource = resource_create(program=tenant_a.program, actor=tenant_a.staff, data=video)
    assert resource.content_type == "video/mp4"
    with pytest.raises(ValidationError) as excinfo:
        resource_create(
            program=tenant_a.program,
            actor=tenant_a.staff,
            data=pdf("skills.mp4", MP4_BYTES, kind=ResourceKind.DOCUMENT),
        )
    assert "is not a PDF, a Word" in errors_of(excinfo)["file"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF, a Word"),
        ("slides.png", PDF_BYTES, "content is a PDF"),
        ("empty.pdf", b"", "is empty"),
        ("notes.docx", b"PK\x03\x04 not really a zip", "is not a PDF, a Word"),
    ],
)
def test_disguised_and_empty_files_are_refused_and_nothing_is_stored(
    tenant_a, name, content, message
):
    with pytest.raises(ValidationError) as excinfo:
        resource_create(program=tenant_a.program, actor=tenant_a.staff, data=pdf(name, content))
    assert message in errors_of(excinfo)["file"]
    assert not Resource.objects.filter(title="Weight in kilograms checklist").exists()


def test_an_office_document_is_accepted_by_its_parts(tenant_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<x/>")
    data = pdf("template.docx", buffer.getvalue(), kind=ResourceKind.TEMPLATE)
    resource = resource_create(program=tenant_a.program, actor=tenant_a.staff, data=data)
    assert resource.content_type.endswith("wordprocessingml.document")


def test_an_oversized_file_is_refused_with_the_limit_in_words(tenant_a, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_RESOURCE_BYTES", 1024 * 1024)
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        resource_create(program=tenant_a.program, actor=tenant_a.staff, data=pdf(content=big))
    assert (
        "“checklist.pdf” is 1.0 MB; library files can be at most 1 MB. "
        "Share a larger file as a link." in errors_of(excinfo)["file"]
    )
    assert not Resource.objects.filter(title="Weight in kilograms checklist").exists()
    assert uploads.too_large_message(60 * 1024 * 1024).startswith("The upload is 60.0 MB")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "A “javascript:” address cannot be shared"),
        (" JavaScript:alert(document.cookie)", "A “javascript:” address cannot be shared"),
        ("data:text/html,<script>x</script>", "A “data:” address cannot be shared"),
        ("ftp://example.org/f", "A “ftp:” address cannot be shared"),
        ("https://", "starting with https://"),
        ("", "Give the link's web address."),
    ],
)
def test_links_are_http_or_https_only(tenant_a, url, message):
    with pytest.raises(ValidationError) as excinfo:
        resource_create(program=tenant_a.program, actor=tenant_a.staff, data=link(url=url))
    assert message in errors_of(excinfo)["url"]
    assert not Resource.objects.filter(title="ENA pediatric readiness toolkit").exists()


def test_a_file_and_a_link_together_or_neither_are_refused(tenant_a):
    with pytest.raises(ValidationError) as both:
        resource_create(
            program=tenant_a.program,
            actor=tenant_a.staff,
            data=pdf(url="https://example.org/x"),
        )
    assert "not both" in errors_of(both)["file"]
    with pytest.raises(ValidationError) as neither:
        resource_create(program=tenant_a.program, actor=tenant_a.staff, data=pdf(upload=None))
    assert "Upload a file or give a link." in errors_of(neither)["file"]


def test_tags_are_trimmed_deduplicated_and_limited():
    assert parse_tags("a,  b  c ,A,,b  c") == ["a", "b c"]
    assert parse_tags(["x", " x ", "y"]) == ["x", "y"]
    with pytest.raises(ValidationError, match="at most 40 characters"):
        parse_tags("ok, " + "w" * 41)
    assert len(parse_tags(",".join(f"t{n}" for n in range(20)))) == 20
    with pytest.raises(ValidationError, match="21 tags given; a resource can have at most 20"):
        parse_tags(",".join(f"t{n}" for n in range(21)))


def test_required_words_and_audience_values_are_checked(tenant_a):
    with pytest.raises(ValidationError) as excinfo:
        resource_create(
            program=tenant_a.program,
            actor=tenant_a.staff,
            data=link(title="  ", summary="", audience=["hospital_of_mars"]),
        )
    errors = errors_of(excinfo)
    assert "Give the resource a title." in errors["title"]
    assert "Give the resource a summary." in errors["summary"]
    assert "facility types" in errors["audience"]


def test_a_focus_area_or_collaborative_of_another_program_is_refused(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as excinfo:
        resource_create(
            program=tenant_a.program,
            actor=tenant_a.staff,
            data=link(
                focus_areas=[tenant_b.focus_area],
                visibility=Visibility.COLLABORATIVE,
                collaborative=tenant_b.collaborative,
            ),
        )
    errors = errors_of(excinfo)
    assert "this program only" in errors["focus_areas"]
    assert "this program's collaboratives" in errors["collaborative"]
    with pytest.raises(ValidationError) as missing:
        resource_create(
            program=tenant_a.program,
            actor=tenant_a.staff,
            data=link(visibility=Visibility.COLLABORATIVE),
        )
    assert "Choose the collaborative" in errors_of(missing)["collaborative"]
    assert not Resource.objects.filter(title="ENA pediatric readiness toolkit").exists()


@pytest.mark.parametrize("who", ["coach", "lead", "member"])
def test_only_the_programs_staff_write(tenant_a, tenant_b, who):
    with pytest.raises(PermissionDenied):
        resource_create(program=tenant_a.program, actor=getattr(tenant_a, who), data=link())
    with pytest.raises(PermissionDenied):
        resource_create(program=tenant_a.program, actor=tenant_b.staff, data=link())
    resource = Resource.objects.get(title__startswith="Alpha Program Readiness Toolkit")
    with pytest.raises(PermissionDenied):
        resource_retire(resource=resource, actor=getattr(tenant_a, who))
    assert resource.retired_at is None


def test_an_edit_replaces_the_file_with_a_link_and_is_audited(tenant_a):
    resource = resource_create(program=tenant_a.program, actor=tenant_a.staff, data=pdf())
    old_name = resource.file.name
    storage = resource.file.storage
    resource_update(
        resource=resource,
        actor=tenant_a.staff,
        data=link(title="Checklist online", visibility=Visibility.PUBLIC),
    )
    resource.refresh_from_db()
    assert resource.url == "https://example.org/toolkit" and not resource.file
    assert resource.kind == ResourceKind.LINK and resource.visibility == Visibility.PUBLIC
    assert resource.original_name == "" and resource.size is None
    changed = AuditEvent.objects.get(verb="resource.updated").data["changed"]
    assert {"kind", "title", "url", "visibility"} <= set(changed)
    # The old file leaves storage once the edit is committed (on_commit in tests: never
    # run inside the test's transaction, so only the row is checked here).
    assert old_name.startswith("resources/") and storage.exists(old_name)


def test_an_edit_without_a_new_file_keeps_it_unless_the_type_no_longer_fits(tenant_a):
    resource = resource_create(program=tenant_a.program, actor=tenant_a.staff, data=pdf())
    kept = resource_update(
        resource=resource, actor=tenant_a.staff, data=pdf(upload=None, kind=ResourceKind.TOOLKIT)
    )
    assert kept.is_file and kept.kind == ResourceKind.TOOLKIT
    with pytest.raises(ValidationError) as excinfo:
        resource_update(
            resource=resource, actor=tenant_a.staff, data=pdf(upload=None, kind=ResourceKind.VIDEO)
        )
    assert "does not suit this type" in errors_of(excinfo)["kind"]
    with pytest.raises(ValidationError) as as_link:
        resource_update(
            resource=resource, actor=tenant_a.staff, data=pdf(upload=None, kind=ResourceKind.LINK)
        )
    assert "Give the link's web address." in errors_of(as_link)["url"]


def test_retire_and_restore_are_audited_and_idempotent(tenant_a):
    resource = resource_create(program=tenant_a.program, actor=tenant_a.staff, data=link())
    resource_retire(resource=resource, actor=tenant_a.staff)
    resource_retire(resource=resource, actor=tenant_a.admin)
    resource.refresh_from_db()
    assert resource.retired_at is not None
    resource_restore(resource=resource, actor=tenant_a.staff)
    resource.refresh_from_db()
    assert resource.retired_at is None
    verbs = list(
        AuditEvent.objects.filter(target_id=str(resource.public_id))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["resource.created", "resource.retired", "resource.restored"]


def test_script_in_the_title_is_stored_as_text(tenant_a):
    resource = resource_create(
        program=tenant_a.program,
        actor=tenant_a.staff,
        data=link(title="<script>alert('x')</script> Toolkit"),
    )
    assert Resource.objects.get(pk=resource.pk).title == "<script>alert('x')</script> Toolkit"


def test_opens_are_counted_per_day_without_anyone_recorded(tenant_a):
    resource = resource_create(program=tenant_a.program, actor=tenant_a.staff, data=link())
    resource_open_count(resource=resource)
    resource_open_count(resource=resource)
    resource.refresh_from_db()
    assert resource.view_count == 2
    day = ResourceViewDay.objects.get(resource=resource)
    assert (day.day, day.count) == (clock.today(), 2)
    ResourceViewDay.objects.filter(pk=day.pk).update(day=clock.today() - timedelta(days=1))
    resource_open_count(resource=resource)
    assert sorted(resource.view_days.values_list("count", flat=True)) == [1, 2]
    # Only the day and a count: nothing names who opened it.
    assert {f.name for f in ResourceViewDay._meta.concrete_fields} == {
        "id",
        "resource",
        "day",
        "count",
    }
