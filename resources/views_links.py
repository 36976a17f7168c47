"""Pages of the links part: staff link a resource to gap questions, measures,
change-package items and events (the resource's Links page); a team's members link a
resource to their change idea from its panel; both remove links.

Thin: the scoped selectors find the resource or link (404 for what the viewer may not
see), the services check and write (403 for a viewer without the role).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments.public import survey_question_choices
from core.forms import apply_validation_error
from core.http import require
from learning_sessions.public import events_of_program
from measures.public import library_measures_of
from pdsa.public import change_idea_of, package_items_of_program
from teams.selectors import team_and_access_or_404

from .forms_links import ChangeIdeaResourceForm, QuestionLinkForm, TargetLinkForm
from .models import LinkTarget, Resource, Visibility
from .selectors.links import (
    can_manage_links,
    resource_for_links_or_404,
    resource_link_or_404,
    resource_targets_for,
    resources_to_link_for_team,
)
from .services.links import (
    STAFF_ONLY,
    resource_link_create,
    resource_link_delete,
    resource_question_link_create,
    resource_question_link_delete,
)

QUESTION = "question"


def _grouped(rows, group_of, label_of) -> list:
    """Choices grouped by collaborative (an optgroup each), in the rows' order."""
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(group_of(row), []).append((str(row.public_id), label_of(row)))
    return list(groups.items())


def _target_choices(resource: Resource) -> dict[str, list]:
    """The program's targets of each kind; a resource seen by one collaborative is
    offered only that collaborative's changes and events."""
    scoped = resource.collaborative_id

    def ours(row) -> bool:
        return scoped is None or row.collaborative_id == scoped

    items = [i for i in package_items_of_program(program_id=resource.program_id) if ours(i)]
    events = [e for e in events_of_program(program_id=resource.program_id) if ours(e)]
    return {
        LinkTarget.MEASURE: [
            (str(m.public_id), str(m)) for m in library_measures_of(program_id=resource.program_id)
        ],
        LinkTarget.PACKAGE_ITEM: _grouped(
            items, lambda i: i.collaborative.title, lambda i: i.title
        ),
        LinkTarget.EVENT: _grouped(
            events,
            lambda e: e.collaborative.title,
            lambda e: f"{e.title}, {e.starts_at:%d %B %Y}",
        ),
    }


def _forms(resource: Resource, posted_kind: str | None, data) -> dict[str, object]:
    """One small form per kind of target; only the one posted is bound."""

    def bound(kind: str):
        return data if kind == posted_kind else None

    forms: dict[str, object] = {}
    if resource.visibility != Visibility.COLLABORATIVE:
        forms[QUESTION] = QuestionLinkForm(
            bound(QUESTION),
            prefix=QUESTION,
            choices=survey_question_choices(program_id=resource.program_id),
        )
    for kind, choices in _target_choices(resource).items():
        forms[kind] = TargetLinkForm(bound(kind), prefix=kind, kind=kind, choices=choices)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def resource_links(request: HttpRequest, resource_id) -> HttpResponse:
    """What the resource is linked to, and the forms that link it (program staff)."""
    resource = resource_for_links_or_404(user=request.user, resource_id=resource_id)
    require(can_manage_links(user=request.user, resource=resource), STAFF_ONLY)
    posted_kind = request.POST.get("kind") if request.method == "POST" else None
    forms = _forms(resource, posted_kind, request.POST)
    if request.method == "POST":
        form = forms.get(posted_kind)
        if form is None:
            messages.error(request, "Choose what to link the resource to.")
            return redirect("resources:links", resource_id=resource.public_id)
        if form.is_valid():
            try:
                if posted_kind == QUESTION:
                    survey, key = form.survey_and_key()
                    resource_question_link_create(
                        resource=resource, actor=request.user, survey_id=survey, question_key=key
                    )
                else:
                    resource_link_create(
                        resource=resource,
                        actor=request.user,
                        target_kind=posted_kind,
                        target_id=form.cleaned_data["target"],
                    )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"“{resource.title}” linked.")
                return redirect("resources:links", resource_id=resource.public_id)
    return render(
        request,
        "resources/links/links.html",
        {
            "resource": resource,
            "targets": resource_targets_for(user=request.user, resource=resource),
            "forms": forms,
            "can_manage": True,
            "manage": True,
        },
    )


@login_required
@require_POST
def resource_link_remove(request: HttpRequest, resource_link_id) -> HttpResponse:
    """Remove a link (staff; a team's members for their change ideas), back to where
    it was listed."""
    link = resource_link_or_404(user=request.user, link_id=resource_link_id)
    back = None
    if link.target_kind == LinkTarget.CHANGE_IDEA and not can_manage_links(
        user=request.user, resource=link.resource
    ):
        idea = change_idea_of(program_id=link.program_id, change_idea_id=link.target_id)
        if idea is not None:
            back = (
                "pdsa:ramp_detail",
                {"team_id": idea.team.public_id, "change_idea_id": idea.public_id},
            )
    resource_link_delete(link=link, actor=request.user)
    messages.success(
        request, f"“{link.resource.title}” is no longer linked to “{link.target_title}”."
    )
    if back is not None:
        return redirect(back[0], **back[1])
    return redirect("resources:links", resource_id=link.resource.public_id)


@login_required
@require_POST
def question_link_remove(request: HttpRequest, resource_id, question_link_id) -> HttpResponse:
    """Take the resource off one gap question (program staff)."""
    resource = resource_for_links_or_404(user=request.user, resource_id=resource_id)
    require(can_manage_links(user=request.user, resource=resource), STAFF_ONLY)
    try:
        resource_question_link_delete(
            resource=resource, actor=request.user, link_id=question_link_id
        )
    except ValidationError:
        raise Http404("No such link.") from None
    messages.success(request, "The gap report no longer lists this resource for that question.")
    return redirect("resources:links", resource_id=resource.public_id)


@login_required
@require_POST
def change_idea_link_add(request: HttpRequest, team_id, change_idea_id) -> HttpResponse:
    """A team member links a library resource they may open to the team's change idea."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    idea = change_idea_of(program_id=team.program_id, change_idea_id=change_idea_id)
    if idea is None or idea.team_id != team.pk:
        raise Http404("No such change idea.")
    require(access.can_edit_change_ideas, "The team's members link resources to its change ideas.")
    choices = resources_to_link_for_team(
        user=request.user, program_id=team.program_id, collaborative_id=team.collaborative_id
    )
    form = ChangeIdeaResourceForm(request.POST, resources=choices)
    if not form.is_valid():
        messages.error(request, "Choose a resource of the library to link.")
    else:
        resource = choices.get(public_id=form.cleaned_data["resource"])
        try:
            resource_link_create(
                resource=resource,
                actor=request.user,
                target_kind=LinkTarget.CHANGE_IDEA,
                target_id=idea.public_id,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{resource.title}” linked to this change idea.")
    return redirect("pdsa:ramp_detail", team_id=team.public_id, change_idea_id=idea.public_id)
