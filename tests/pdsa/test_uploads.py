"""Attachments: checked by content (not the name), limited in size, stored through the
storage API and served only by the scoped view."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pdsa import services
from pdsa.models import Attachment
from pdsa.uploads import MAX_ATTACHMENT_BYTES, check_attachment

from .helpers import make_cycle, make_idea
from .tenant_builder import png_bytes

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("whiteboard.png", png_bytes(), "image/png"),
        ("Checklist.JPG", jpeg_bytes(), "image/jpeg"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg"),
        ("tool.pdf", PDF, "application/pdf"),
    ],
)
def test_real_photos_and_pdfs_are_accepted(name, content, kind):
    assert check_attachment(upload(name, content)).content_type == kind


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("page.jpg", b"<html><script>alert(1)</script></html>", "is not a photo"),
        ("script.png", b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "cannot be read"),
        ("report.png", PDF, "content is a PDF"),
        ("photo.pdf", png_bytes(), "content is a PNG image"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "is not a photo"),
        ("macro.docm", b"PK\x03\x04rest-of-a-zip", "is not a photo"),
        ("broken.pdf", b"%PDF-1.4 no end marker", "not a complete PDF"),
        ("photo.png", jpeg_bytes(), "content is a JPEG image"),
        ("empty.png", b"", "is empty"),
    ],
)
def test_disguised_broken_or_unsupported_files_are_refused(name, content, words):
    with pytest.raises(ValidationError) as excinfo:
        check_attachment(upload(name, content))
    assert words in excinfo.value.messages[0]


def test_oversized_file_is_refused_with_its_size():
    big = png_bytes() + b"\0" * MAX_ATTACHMENT_BYTES
    with pytest.raises(ValidationError) as excinfo:
        check_attachment(upload("huge.png", big))
    assert excinfo.value.messages[0] == (
        "“huge.png” is 10.0 MB; attachments can be at most 10 MB. "
        "Send a smaller photo or split the document."
    )


def _office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.docx", _office("word/document.xml")),
        ("data.xlsx", _office("xl/workbook.xml")),
        ("clip.mp4", b"\0\0\0\x18ftypisom\0\0\0\0isomavc1"),
    ],
)
def test_the_shared_check_keeps_attachments_to_photos_and_pdfs(name, content):
    # core.filetypes proves these types for the library; a cycle still takes none of them.
    with pytest.raises(ValidationError) as excinfo:
        check_attachment(upload(name, content))
    assert excinfo.value.messages[0].startswith(f"“{name}” is not a photo (JPEG or PNG) or a PDF.")


@pytest.mark.django_db
def test_attachment_is_stored_under_a_random_name_through_the_storage_api(tenant_a):
    cycle = make_cycle(tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member)
    attachment = services.attachment_add(
        cycle=cycle,
        actor=tenant_a.member,
        upload=upload("../../etc/passwd <b>.png", png_bytes()),
        caption="Whiteboard",
    )
    assert attachment.original_name == "passwd <b>.png"
    assert attachment.content_type == "image/png"
    name = attachment.file.name
    assert name.startswith(f"pdsa/{tenant_a.program.public_id}/{tenant_a.team.public_id}/")
    assert name.endswith(".png") and "passwd" not in name
    assert default_storage.exists(name)


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(tenant_a):
    cycle = make_cycle(tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member)
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(
            cycle=cycle, actor=tenant_a.member, upload=upload("x.jpg", b"GIF89a....")
        )
    assert "file" in excinfo.value.message_dict
    assert not Attachment.objects.filter(cycle=cycle).exists()


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares `width` x `height` pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [12_000, 40_000])  # over the limit, and over twice it
def test_a_decompression_bomb_is_refused_with_a_clear_message(side):
    bomb = SimpleUploadedFile("bomb.png", _png_declaring(side, side), content_type="image/png")
    with pytest.raises(ValidationError, match="declares an image too large to open"):
        check_attachment(bomb)


@pytest.mark.django_db
def test_a_full_disk_is_a_clear_error_and_leaves_nothing_half_written(tenant_a, full_disk):
    cycle = make_cycle(tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member)
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(
            cycle=cycle, actor=tenant_a.member, upload=upload("whiteboard.png", png_bytes())
        )
    assert "no room to store" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.filter(cycle=cycle).exists()
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []
