"""Links from questions to resources and change ideas, made by other features.

Links are not part of the instrument's meaning: they are keyed by lineage and
question key rather than by version, may be added to published versions, and
follow the question into new versions (docs/decisions/0004-gap-analysis.md).
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record

from ..definition import questions_by_key
from ..models import LinkKind, QuestionLink, SurveyTemplate


@transaction.atomic
def question_link_add(
    *,
    template: SurveyTemplate,
    actor: User,
    question_key: str,
    kind: str,
    title: str,
    url: str = "",
    target_id: UUID | None = None,
) -> QuestionLink:
    """Link a resource or change idea to a question of an instrument (any version).

    For the resources and PDSA features: links are not part of the instrument's
    meaning, so they may be added to published versions too.
    """
    if question_key not in questions_by_key(template.definition):
        raise ValidationError({"question_key": f"There is no question {question_key}."})
    if kind not in LinkKind.values:
        raise ValidationError({"kind": "Link a resource or a change idea."})
    link = QuestionLink.objects.create(
        program_id=template.program_id,
        lineage=template.lineage,
        question_key=question_key,
        kind=kind,
        title=" ".join(title.split())[:200],
        url=url,
        target_id=target_id,
    )
    audit_record(actor=actor, verb="question_link.created", target=link)
    return link


@transaction.atomic
def change_idea_link_set(
    *, program_id: int, target_id: UUID, title: str, gap_question: str = ""
) -> QuestionLink | None:
    """Make the gap report show a collaborative-level change idea beside its item.

    `gap_question` is "<lineage>:<question key>" (see selectors.gap_question_choices);
    empty removes the link. Only change-package items (shared with every team) are
    linked this way: a team's own ideas are private and never shown to other teams.
    """
    QuestionLink.objects.filter(
        program_id=program_id, kind=LinkKind.CHANGE_IDEA, target_id=target_id
    ).delete()
    if not gap_question:
        return None
    lineage, _, key = gap_question.partition(":")
    return QuestionLink.objects.create(
        program_id=program_id,
        lineage=lineage,
        question_key=key,
        kind=LinkKind.CHANGE_IDEA,
        title=" ".join(title.split())[:200],
        target_id=target_id,
    )


@transaction.atomic
def resource_question_link_add(
    *,
    template: SurveyTemplate,
    actor: User,
    question_key: str,
    resource_id: UUID,
    title: str,
    url: str,
) -> QuestionLink:
    """Link a library resource to a question, so the gap report and its PDF list it
    beside the gap ("resources for this gap").

    One link per resource and question across the instrument's versions: a second
    one is refused with a message saying it exists. The template's row is locked
    so that two staff adding the same link at once cannot both succeed.
    """
    SurveyTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if QuestionLink.objects.filter(
        program_id=template.program_id,
        lineage=template.lineage,
        question_key=question_key,
        kind=LinkKind.RESOURCE,
        target_id=resource_id,
    ).exists():
        raise ValidationError(
            {
                "question_key": (
                    f"This resource is already linked to question {question_key} "
                    f"of “{template.name}”."
                )
            }
        )
    return question_link_add(
        template=template,
        actor=actor,
        question_key=question_key,
        kind=LinkKind.RESOURCE,
        title=title,
        url=url,
        target_id=resource_id,
    )


@transaction.atomic
def resource_question_link_remove(
    *, program_id: int, resource_id: UUID, link_id: UUID, actor: User
) -> None:
    """Remove one question's link to a resource (audited); a link of another resource
    or program is refused as if it did not exist."""
    link = QuestionLink.objects.filter(
        program_id=program_id, kind=LinkKind.RESOURCE, target_id=resource_id, public_id=link_id
    ).first()
    if link is None:
        raise ValidationError("This resource is not linked to that question.")
    audit_record(actor=actor, verb="question_link.removed", target=link)
    link.delete()


def resource_question_links_retitle(*, program_id: int, resource_id: UUID, title: str) -> int:
    """Keep the title the gap report shows in step with a renamed resource; returns
    how many links changed."""
    return (
        QuestionLink.objects.filter(
            program_id=program_id, kind=LinkKind.RESOURCE, target_id=resource_id
        )
        .exclude(title=" ".join(title.split())[:200])
        .update(title=" ".join(title.split())[:200])
    )


@transaction.atomic
def resource_question_links_clear(*, program_id: int, resource_id: UUID, actor: User) -> int:
    """Take a resource off every gap report (it was retired, or is now seen by one
    collaborative only while gap reports reach every collaborative using the survey).
    Each removal is audited; returns how many links were removed."""
    links = list(
        QuestionLink.objects.filter(
            program_id=program_id, kind=LinkKind.RESOURCE, target_id=resource_id
        )
    )
    for link in links:
        audit_record(actor=actor, verb="question_link.removed", target=link)
    QuestionLink.objects.filter(pk__in=[link.pk for link in links]).delete()
    return len(links)
