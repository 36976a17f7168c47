"""Writes of the links between resources and what they help with.

One transaction each, the audit event inside it. Everything is checked before
anything is written, with a message a person can act on: a target of another program
(or one that does not exist), a retired resource, a resource scoped to another
collaborative than its target's, or a link that already exists. Who may write is
checked here too (PermissionDenied, a 403): the program's staff link resources to gap
questions, measures, package items and events; a team's working members link the
resources they may open to their own team's change ideas.

Gap-analysis questions keep their links in assessments (`QuestionLink`, through
assessments.public), so the gap report and its PDF show them beside the gap.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from accounts.selectors import is_program_staff
from assessments.public import (
    resource_question_link_add,
    resource_question_link_remove,
    resource_question_links_clear,
    resource_question_links_retitle,
    survey_template_of,
)
from core.audit import audit_record
from learning_sessions.public import event_of
from measures.public import library_measure_of
from pdsa.public import change_idea_of, package_item_of
from teams.selectors import team_access

from ..models import LinkTarget, Resource, ResourceLink, Visibility
from ..selectors.links import resources_seen_by

STAFF_ONLY = "Program staff link resources to gap questions, measures, changes and events."
TEAM_ONLY = "The team's members link resources to its change ideas."

#: What to call a missing target of each kind, in "Choose ... of this program".
_TARGET_WORDS = {
    LinkTarget.MEASURE: "a measure of this program's library",
    LinkTarget.PACKAGE_ITEM: "a change-package item of this program's collaboratives",
    LinkTarget.CHANGE_IDEA: "a change idea of one of this program's teams",
    LinkTarget.EVENT: "an event of this program's collaboratives",
}


def resource_page_path(resource: Resource) -> str:
    """The resource's page, as a gap report links to it."""
    return reverse("resources:detail", kwargs={"resource_id": resource.public_id})


def _refuse_retired(resource: Resource) -> None:
    if resource.retired_at is not None:
        raise ValidationError(
            "This resource is retired: reinstate it before linking it to anything."
        )


def _target_of(resource: Resource, target_kind: str, target_id) -> tuple[object, str, int | None]:
    """(target, title, its collaborative's id or None) in the resource's program, or a
    ValidationError naming what to choose instead."""
    program_id = resource.program_id
    target = None
    if target_kind == LinkTarget.MEASURE:
        target = library_measure_of(program_id=program_id, measure_id=target_id)
        if target is not None:
            return target, str(target), None
    elif target_kind == LinkTarget.PACKAGE_ITEM:
        target = package_item_of(program_id=program_id, item_id=target_id)
        if target is not None:
            return target, target.title, target.collaborative_id
    elif target_kind == LinkTarget.CHANGE_IDEA:
        target = change_idea_of(program_id=program_id, change_idea_id=target_id)
        if target is not None:
            return target, target.title, target.team.collaborative_id
    elif target_kind == LinkTarget.EVENT:
        target = event_of(program_id=program_id, event_id=target_id)
        if target is not None:
            return target, target.title, target.collaborative_id
    else:
        raise ValidationError(
            {"target_kind": "Link to a measure, a change, a change idea or an event."}
        )
    raise ValidationError({"target_id": f"Choose {_TARGET_WORDS[target_kind]}."})


@transaction.atomic
def resource_link_create(
    *, resource: Resource, actor: User, target_kind: str, target_id: UUID | str
) -> ResourceLink:
    """Link `resource` to a measure, package item, change idea or event of its program,
    so that the target's page lists the resource and the resource's page the target."""
    target, title, collaborative_id = _target_of(resource, target_kind, target_id)
    if target_kind == LinkTarget.CHANGE_IDEA:
        if not team_access(user=actor, team=target.team).can_edit_change_ideas:
            raise PermissionDenied(TEAM_ONLY)
    elif not is_program_staff(user=actor, program=resource.program):
        raise PermissionDenied(STAFF_ONLY)
    _refuse_retired(resource)
    if not resources_seen_by(user=actor).filter(pk=resource.pk).exists():
        raise ValidationError({"resource": "Choose a resource of the library you can open."})
    if resource.collaborative_id is not None and resource.collaborative_id != collaborative_id:
        raise ValidationError(
            f"“{resource.title}” is seen only by {resource.collaborative.title}: link it to "
            "that collaborative's measures, changes and events, or make it program-wide first."
        )
    # One link per resource and target: lock the resource so that two people adding
    # the same link at once get the message below rather than a database error.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    existing = ResourceLink.objects.filter(
        resource=resource, target_kind=target_kind, target_id=target.public_id
    )
    if existing.exists():
        raise ValidationError(f"“{resource.title}” is already linked to “{title}”.")
    try:
        with transaction.atomic():
            link = ResourceLink.objects.create(
                program_id=resource.program_id,
                resource=resource,
                target_kind=target_kind,
                target_id=target.public_id,
                target_title=title[:200],
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(f"“{resource.title}” is already linked to “{title}”.") from None
    audit_record(
        actor=actor,
        verb="resource_link.created",
        target=link,
        data={"resource": resource.title, "target": title, "kind": target_kind},
    )
    return link


def can_remove_link(*, user: User, link: ResourceLink) -> bool:
    """Staff remove any link of their program; a team's working members also remove
    the links of their own change ideas."""
    if is_program_staff(user=user, program=link.resource.program):
        return True
    if link.target_kind != LinkTarget.CHANGE_IDEA:
        return False
    idea = change_idea_of(program_id=link.program_id, change_idea_id=link.target_id)
    return idea is not None and team_access(user=user, team=idea.team).can_edit_change_ideas


@transaction.atomic
def resource_link_delete(*, link: ResourceLink, actor: User) -> None:
    """Remove a link (audited): the resource leaves the target's page."""
    if not can_remove_link(user=actor, link=link):
        raise PermissionDenied(
            TEAM_ONLY if link.target_kind == LinkTarget.CHANGE_IDEA else STAFF_ONLY
        )
    audit_record(
        actor=actor,
        verb="resource_link.removed",
        target=link,
        data={"resource": link.resource.title, "target": link.target_title},
    )
    link.delete()


@transaction.atomic
def resource_question_link_create(
    *, resource: Resource, actor: User, survey_id: UUID | str, question_key: str
):
    """Link `resource` to a gap-analysis question, so the gap report (page and PDF)
    lists it beside that gap. The survey must be one of the program's instruments.

    Only program-wide and public resources: a gap report reaches every collaborative
    that uses the survey, and must not show a resource meant for one of them.
    """
    if not is_program_staff(user=actor, program=resource.program):
        raise PermissionDenied(STAFF_ONLY)
    _refuse_retired(resource)
    if resource.visibility == Visibility.COLLABORATIVE:
        raise ValidationError(
            "Gap reports reach every collaborative that uses the survey: link a resource "
            "seen by the whole program (or public), not one collaborative's."
        )
    template = survey_template_of(program_id=resource.program_id, template_id=survey_id)
    if template is None:
        raise ValidationError({"survey": "Choose a gap-analysis survey of this program."})
    return resource_question_link_add(
        template=template,
        actor=actor,
        question_key=str(question_key or ""),
        resource_id=resource.public_id,
        title=resource.title,
        url=resource_page_path(resource),
    )


@transaction.atomic
def resource_question_link_delete(*, resource: Resource, actor: User, link_id: UUID) -> None:
    """Take `resource` off one gap question (audited)."""
    if not is_program_staff(user=actor, program=resource.program):
        raise PermissionDenied(STAFF_ONLY)
    resource_question_link_remove(
        program_id=resource.program_id, resource_id=resource.public_id, link_id=link_id, actor=actor
    )


@transaction.atomic
def resource_links_refresh(*, resource: Resource, actor: User) -> None:
    """Keep the gap reports in step after a resource changed (the library's services
    call this after a rename, a change of visibility, retiring or reinstating): its
    new title; and off every gap report once retired or seen by one collaborative only.
    The links to measures, changes and events stay (their pages hide what the viewer
    may not open) so that reinstating a resource brings them back."""
    if resource.retired_at is not None or resource.visibility == Visibility.COLLABORATIVE:
        resource_question_links_clear(
            program_id=resource.program_id, resource_id=resource.public_id, actor=actor
        )
        return
    resource_question_links_retitle(
        program_id=resource.program_id, resource_id=resource.public_id, title=resource.title
    )
