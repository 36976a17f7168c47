"""Writes to the library: staff of a program create, edit, retire and restore its
resources, and anyone who may open a resource counts one open.

Every write is one transaction with its audit row, refuses anything not of the
resource's own program (a focus area, a collaborative), and re-indexes the resource
for search (resources.search) so that the search box finds the new words at once.
Opens are counted without recording who opened what: one number on the resource and
one per day (ResourceViewDay), which "most used" and "no one opens this" read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import Program, User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative, FacilityType, FocusArea
from core import clock
from core.audit import audit_record
from core.filetypes import MP4

from ..models import Resource, ResourceKind, ResourceViewDay, Visibility
from ..search import index_resources
from ..uploads import VIDEO_KINDS, check_resource_file, check_web_link
from .links import resource_links_refresh

#: Limits on tags: short words staff filter and search by, not sentences.
MAX_TAGS = 20
MAX_TAG_LENGTH = 40

STAFF_ONLY = "Only the program's staff keep its library."


@dataclass
class ResourceInput:
    """What staff say about a resource (the form's or the API's cleaned input).

    `upload` replaces the file and `url` the link; on an edit, giving neither keeps
    what the resource has."""

    kind: str
    title: str
    summary: str
    visibility: str = Visibility.PROGRAM
    collaborative: Collaborative | None = None
    body: str = ""
    focus_areas: list[FocusArea] = field(default_factory=list)
    tags: str | list[str] = ""
    audience: list[str] = field(default_factory=list)
    source: str = ""
    source_date: date | None = None
    upload: UploadedFile | None = None
    url: str = ""


def parse_tags(value: str | Iterable[str] | None) -> list[str]:
    """Tags from comma-separated text (or a list): trimmed, blank ones dropped,
    repeats (ignoring case) kept once in the order given. Raises ValidationError for
    a tag over MAX_TAG_LENGTH characters or more than MAX_TAGS tags."""
    parts = value.split(",") if isinstance(value, str) else list(value or [])
    tags: list[str] = []
    seen: set[str] = set()
    for part in parts:
        tag = " ".join(str(part).split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                f"“{tag[:MAX_TAG_LENGTH]}…” is too long: a tag can be at most "
                f"{MAX_TAG_LENGTH} characters.",
                code="tag_too_long",
            )
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            f"{len(tags)} tags given; a resource can have at most {MAX_TAGS}.", code="too_many"
        )
    return tags


def _require_staff(*, actor: User, program: Program) -> None:
    if not is_program_staff(user=actor, program=program):
        raise PermissionDenied(STAFF_ONLY)


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _clean(data: ResourceInput, *, program: Program, existing: Resource | None) -> dict:
    """The resource's fields from `data`, or a ValidationError naming every problem
    at its field (model field names, as the forms know them)."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    if data.kind not in ResourceKind.values:
        _add(errors, "kind", "Choose the type of resource.")
    for name, limit, label in (("title", 200, "title"), ("summary", 1000, "summary")):
        text = (getattr(data, name) or "").strip()
        if not text:
            _add(errors, name, f"Give the resource a {label}.")
        elif len(text) > limit:
            _add(errors, name, f"The {label} can be at most {limit} characters.")
        out[name] = text
    out["body"] = (data.body or "").strip()
    if len(out["body"]) > 20000:
        _add(errors, "body", "The description can be at most 20,000 characters.")
    out["source"] = (data.source or "").strip()
    if len(out["source"]) > 200:
        _add(errors, "source", "The source can be at most 200 characters.")
    out["source_date"] = data.source_date
    try:
        out["tags"] = parse_tags(data.tags)
    except ValidationError as error:
        errors.setdefault("tags", []).extend(error.messages)
    audience = list(dict.fromkeys(data.audience or []))
    if any(value not in FacilityType.values for value in audience):
        _add(errors, "audience", "Choose the audience from the list of facility types.")
    out["audience"] = audience
    focus_areas = list(data.focus_areas or [])
    if any(area.program_id != program.pk for area in focus_areas):
        _add(errors, "focus_areas", "Choose focus areas of this program only.")
    out["focus_areas"] = focus_areas
    out["visibility"] = data.visibility
    out["collaborative"] = None
    if data.visibility == Visibility.COLLABORATIVE:
        if data.collaborative is None:
            _add(errors, "collaborative", "Choose the collaborative whose people may see it.")
        elif data.collaborative.program_id != program.pk:
            _add(errors, "collaborative", "Choose one of this program's collaboratives.")
        else:
            out["collaborative"] = data.collaborative
    elif data.visibility not in Visibility.values:
        _add(errors, "visibility", "Choose who may see the resource.")
    _clean_content(data, existing=existing, errors=errors, out=out)
    if errors:
        raise ValidationError(errors)
    return out


def _clean_content(
    data: ResourceInput, *, existing: Resource | None, errors: dict, out: dict
) -> None:
    """The file or the link: exactly one, the file checked by its content for the
    kind, the link http or https only. A link-kind resource always needs a URL."""
    url = (data.url or "").strip()
    if data.upload is not None and url:
        _add(errors, "file", "Upload a file or give a link, not both.")
        return
    if data.upload is not None:
        if data.kind == ResourceKind.LINK:
            _add(errors, "url", "A link needs its web address, not a file.")
            return
        try:
            out["file_type"] = check_resource_file(data.upload, kind=data.kind)
        except ValidationError as error:
            errors.setdefault("file", []).extend(error.messages)
        return
    if url:
        try:
            out["url"] = check_web_link(url)
        except ValidationError as error:
            errors.setdefault("url", []).extend(error.messages)
        return
    if existing is None or (data.kind == ResourceKind.LINK and not existing.url):
        if data.kind == ResourceKind.LINK:
            _add(errors, "url", "Give the link's web address.")
        else:
            _add(errors, "file", "Upload a file or give a link.")
        return
    if existing.is_file and data.kind != existing.kind:
        # The kept file must suit the new kind (a PDF cannot become a video); its type
        # was proven by its content when it was uploaded.
        is_video = existing.content_type == MP4.content_type
        if is_video != (data.kind in VIDEO_KINDS):
            _add(errors, "kind", "The stored file does not suit this type; upload a new one.")


def _apply(resource: Resource, fields: dict, data: ResourceInput) -> list[str]:
    """Set the cleaned fields on `resource` (file or link included); the names changed."""
    changed = []
    for name in ("kind", "visibility", "title", "summary", "body", "tags", "audience", "source"):
        value = data.kind if name == "kind" else fields[name]
        if getattr(resource, name) != value:
            setattr(resource, name, value)
            changed.append(name)
    if resource.source_date != fields["source_date"]:
        resource.source_date = fields["source_date"]
        changed.append("source_date")
    if resource.collaborative_id != getattr(fields["collaborative"], "pk", None):
        resource.collaborative = fields["collaborative"]
        changed.append("collaborative")
    if "file_type" in fields:
        kind = fields["file_type"]
        upload = data.upload
        resource.url = ""
        resource.original_name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
        resource.content_type = kind.content_type
        resource.size = upload.size
        # The stored name's extension is the one the content proved.
        resource.file.save(f"resource{kind.extensions[0]}", upload, save=False)
        changed.append("file")
    elif "url" in fields and fields["url"] != resource.url:
        resource.url = fields["url"]
        resource.file = ""
        resource.original_name = resource.content_type = ""
        resource.size = None
        changed.append("url")
    return changed


@transaction.atomic
def resource_create(*, program: Program, actor: User, data: ResourceInput) -> Resource:
    """A new resource in `program`'s library (program staff only)."""
    _require_staff(actor=actor, program=program)
    fields = _clean(data, program=program, existing=None)
    resource = Resource(program=program, created_by=actor)
    _apply(resource, fields, data)
    resource.save()
    resource.focus_areas.set(fields["focus_areas"])
    audit_record(
        actor=actor,
        verb="resource.created",
        target=resource,
        data={"kind": resource.kind, "visibility": resource.visibility},
    )
    index_resources([resource.pk])
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, actor: User, data: ResourceInput) -> Resource:
    """Edit a resource (program staff only); a new upload or link replaces the old."""
    _require_staff(actor=actor, program=resource.program)
    fields = _clean(data, program=resource.program, existing=resource)
    old_file = resource.file.name if resource.is_file else ""
    changed = _apply(resource, fields, data)
    resource.save()
    if set(resource.focus_areas.all()) != set(fields["focus_areas"]):
        resource.focus_areas.set(fields["focus_areas"])
        changed.append("focus_areas")
    audit_record(actor=actor, verb="resource.updated", target=resource, data={"changed": changed})
    index_resources([resource.pk])
    resource_links_refresh(resource=resource, actor=actor)
    if old_file and old_file != resource.file.name:
        storage = resource.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return resource


@transaction.atomic
def resource_retire(*, resource: Resource, actor: User) -> Resource:
    """Take a resource out of the library, its search and its public page (program
    staff only); its counts and its links to measures, changes and events stay (their
    pages hide it) and staff can restore it. It leaves the gap reports: a gap report
    reaches every team of the survey, and a retired resource would be a dead link."""
    _require_staff(actor=actor, program=resource.program)
    if resource.retired_at is None:
        resource.retired_at = clock.now()
        resource.save(update_fields=["retired_at", "updated_at"])
        audit_record(actor=actor, verb="resource.retired", target=resource)
        index_resources([resource.pk])
        resource_links_refresh(resource=resource, actor=actor)
    return resource


@transaction.atomic
def resource_restore(*, resource: Resource, actor: User) -> Resource:
    """Put a retired resource back in the library (program staff only)."""
    _require_staff(actor=actor, program=resource.program)
    if resource.retired_at is not None:
        resource.retired_at = None
        resource.save(update_fields=["retired_at", "updated_at"])
        audit_record(actor=actor, verb="resource.restored", target=resource)
        index_resources([resource.pk])
    return resource


def resource_open_count(*, resource: Resource) -> None:
    """Count one open of `resource`, today, without recording who opened it.

    Both counts are UPDATEs of the stored number (F() + 1), so simultaneous opens
    never lose one; the day's row is created by the first open of the day, and a
    racing second creator falls back to the update."""
    day = clock.today()
    with transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(view_count=F("view_count") + 1)
        days = ResourceViewDay.objects.filter(resource=resource, day=day)
        if days.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                ResourceViewDay.objects.create(resource=resource, day=day, count=1)
        except IntegrityError:
            days.update(count=F("count") + 1)
