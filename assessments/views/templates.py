"""Survey template pages: the library, the builder, publishing, versions, JSON import/export.

Thin: parse the form, call a selector or a service, render. A template the person
may not see answers 404 (`templates_visible_to`); building needs the program staff
role (403 for coaches and team members who may read it).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.models import Program
from accounts.selectors import coach_program_ids, programs_run_by, staff_program_ids
from core.forms import apply_validation_error

from .. import services
from ..definition import (
    IMPACTS,
    QUESTION_TYPES,
    format_points,
    iter_questions,
    publish_problems,
    question_max_points,
)
from ..forms import ImportForm, QuestionForm, SectionForm, TemplateForm
from ..models import SurveyTemplate
from ..selectors import (
    can_manage_templates,
    points_summary,
    question_links,
    template_library,
    template_versions,
    templates_visible_to,
)
from ..template_io import MAX_FILE_BYTES, export_document


def visible_template(request: HttpRequest, template_id) -> SurveyTemplate:
    return get_object_or_404(templates_visible_to(user=request.user), public_id=template_id)


def managed_template(request: HttpRequest, template_id) -> SurveyTemplate:
    """A template the person may see (else 404) and build (else 403)."""
    template = visible_template(request, template_id)
    if not can_manage_templates(user=request.user, template=template):
        raise PermissionDenied("Only program staff build survey templates.")
    return template


PUBLISHED_MESSAGE = (
    "This version is published and can no longer change. Choose “Edit as a new version”."
)


def _draft_or_back(request: HttpRequest, template_id) -> tuple[SurveyTemplate, HttpResponse | None]:
    """A template the person builds (404/403 otherwise) and, when it is published and so
    can no longer change, the way back to its page with the reason."""
    template = managed_template(request, template_id)
    if template.is_published:
        messages.error(request, PUBLISHED_MESSAGE)
        return template, redirect("assessments:template_detail", template_id=template_id)
    return template, None


def _staff_programs(request: HttpRequest) -> list[Program]:
    programs = programs_run_by(user=request.user)
    if not programs:
        raise PermissionDenied("Only program staff build survey templates.")
    return programs


def _add_program_field(form, programs: list[Program]) -> None:
    if len(programs) > 1:
        form.fields["program"] = forms.ChoiceField(
            choices=[(str(p.public_id), p.name) for p in programs],
            help_text="The program that owns the template.",
        )
        form.order_fields(["program"])


def _chosen_program(form, programs: list[Program]) -> Program:
    if len(programs) == 1:
        return programs[0]
    return next(p for p in programs if str(p.public_id) == form.cleaned_data["program"])


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """The survey library: every instrument with its published version and draft."""
    is_staff = bool(staff_program_ids(user=request.user))
    if not is_staff and not coach_program_ids(user=request.user):
        raise PermissionDenied("Survey templates are for program staff and coaches.")
    return render(
        request,
        "assessments/template_list.html",
        {"instruments": template_library(user=request.user), "is_staff": is_staff},
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    programs = _staff_programs(request)
    form = TemplateForm(request.POST or None)
    _add_program_field(form, programs)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(
                program=_chosen_program(form, programs),
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                max_points=form.cleaned_data["max_points"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Draft created. Add a section, then its questions.")
            return redirect("assessments:template_detail", template_id=template.public_id)
    return render(request, "assessments/template_form.html", {"form": form, "creating": True})


@login_required
def template_import(request: HttpRequest) -> HttpResponse:
    """Import a shared instrument (JSON) as a new draft; every problem is listed."""
    programs = _staff_programs(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    _add_program_field(form, programs)
    if request.method == "POST" and form.is_valid():
        try:
            template, warnings = services.template_import(
                program=_chosen_program(form, programs),
                actor=request.user,
                content=form.cleaned_data["file"].read(MAX_FILE_BYTES + 1),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{template.name}” was imported as a draft.")
            for warning in warnings:
                messages.warning(request, f"Before publishing: {warning}")
            return redirect("assessments:template_detail", template_id=template.public_id)
    return render(request, "assessments/template_import.html", {"form": form})


def _question_rows(template: SurveyTemplate) -> list[dict]:
    links = question_links(template=template)
    sections = []
    summary = points_summary(template)
    points = {s.key: s.points for s in summary.sections}
    for section in template.definition.get("sections", []):
        questions = []
        for question in section["questions"]:
            questions.append(
                {
                    "q": question,
                    "type_label": QUESTION_TYPES.get(question["type"], question["type"]),
                    "points": question_max_points(question),
                    "impact_label": IMPACTS.get(question.get("impact", ""), ""),
                    "links": links.get(question["key"], []),
                    "options": [
                        {**o, "points_text": format_points(o.get("points"))}
                        for o in question.get("options", [])
                    ],
                    "bands": [
                        {
                            "at_least": format_points(b["at_least"]),
                            "points": format_points(b["points"]),
                        }
                        for b in question.get("bands", [])
                    ],
                }
            )
        sections.append({"s": section, "questions": questions, "points": points[section["key"]]})
    return sections


@login_required
def template_detail(request: HttpRequest, template_id) -> HttpResponse:
    """A version's questions and points; for staff on a draft, the builder."""
    template = visible_template(request, template_id)
    can_build = can_manage_templates(user=request.user, template=template)
    summary = points_summary(template)
    problems = (
        [str(p) for p in publish_problems(template.definition, template.max_points)]
        if not template.is_published
        else []
    )
    details_form = TemplateForm(
        initial={
            "name": template.name,
            "description": template.description,
            "max_points": template.max_points,
        }
    )
    return render(
        request,
        "assessments/template_detail.html",
        {
            "template": template,
            "sections": _question_rows(template),
            "summary": summary,
            "problems": problems,
            "versions": template_versions(template=template, user=request.user),
            "can_build": can_build and not template.is_published,
            "can_manage": can_build,
            "details_form": details_form,
        },
    )


@login_required
def template_edit(request: HttpRequest, template_id) -> HttpResponse:
    """The draft's name, description and stated maximum."""
    template, published = _draft_or_back(request, template_id)
    if published:
        return published
    form = TemplateForm(
        request.POST or None,
        initial={
            "name": template.name,
            "description": template.description,
            "max_points": template.max_points,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update_details(
                template=template,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                max_points=form.cleaned_data["max_points"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("assessments:template_detail", template_id=template_id)
    return render(
        request,
        "assessments/template_form.html",
        {"form": form, "creating": False, "template": template},
    )


def _find(definition: dict, kind: str, key: str | None) -> tuple[dict | None, dict | None]:
    """(section, question) named by the query string; (None, None) when absent."""
    if not key:
        return None, None
    for section, question in [(s, None) for s in definition.get("sections", [])] + list(
        iter_questions(definition)
    ):
        if kind == "section" and question is None and section["key"] == key:
            return section, None
        if kind == "question" and question is not None and question["key"] == key:
            return section, question
    return None, None


def _next_key(existing: list[str], prefix: str) -> str:
    n = 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


@login_required
def section_edit(request: HttpRequest, template_id) -> HttpResponse:
    """Add a section (no ?key=) or edit the one named by ?key=."""
    template, published = _draft_or_back(request, template_id)
    if published:
        return published
    key = request.GET.get("key")
    section, _ = _find(template.definition, "section", key)
    if key and section is None:
        messages.error(request, f"There is no section {key}.")
        return redirect("assessments:template_detail", template_id=template_id)
    if section:
        initial = {k: section.get(k, "") for k in ("key", "title", "description")}
    else:
        used = [s["key"] for s in template.definition.get("sections", [])]
        letter = next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used), "")
        initial = {"key": letter}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_section_save(
                template=template,
                actor=request.user,
                original_key=key,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Section {form.cleaned_data['key']} saved.")
            return redirect("assessments:template_detail", template_id=template_id)
    return render(
        request,
        "assessments/section_form.html",
        {"form": form, "template": template, "section": section},
    )


@login_required
def question_edit(request: HttpRequest, template_id) -> HttpResponse:
    """Add a question to ?section= or edit the one named by ?key=."""
    template, published = _draft_or_back(request, template_id)
    if published:
        return published
    key = request.GET.get("key")
    section, question = _find(template.definition, "question", key)
    if key and question is None:
        messages.error(request, f"There is no question {key}.")
        return redirect("assessments:template_detail", template_id=template_id)
    section_key = section["key"] if section else request.GET.get("section", "")
    if not any(s["key"] == section_key for s in template.definition.get("sections", [])):
        messages.error(request, "Add a section first, then its questions.")
        return redirect("assessments:template_detail", template_id=template_id)
    initial = {"section": section_key}
    if question is None:
        existing = [q["key"] for _, q in iter_questions(template.definition)]
        initial.update({"key": _next_key(existing, slugify(section_key).upper() or "Q")})
    links = question_links(template=template).get(key, []) if key else []
    form = QuestionForm(
        request.POST or None,
        definition=template.definition,
        question=question,
        links=links,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_question_save(
                template=template,
                actor=request.user,
                section_key=form.cleaned_data["section"],
                original_key=key,
                question=form.question(),
                links=form.cleaned_data["links"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Question {form.cleaned_data['key']} saved.")
            return redirect(f"{_detail_path(template)}#question-{form.cleaned_data['key']}")
    summary = points_summary(template)
    own_points = question_max_points(question) if question else 0
    return render(
        request,
        "assessments/question_form.html",
        {
            "form": form,
            "template": template,
            "question": question,
            "summary": summary,
            "points_without": summary.total - own_points,
            "own_points": own_points,
        },
    )


def _detail_path(template: SurveyTemplate) -> str:
    return reverse("assessments:template_detail", kwargs={"template_id": template.public_id})


@login_required
@require_POST
def template_item_action(request: HttpRequest, template_id) -> HttpResponse:
    """Delete, or move up or down, a section or a question of a draft."""
    template = managed_template(request, template_id)
    kind = request.POST.get("kind")
    key = request.POST.get("key", "")
    action = request.POST.get("action")
    if kind not in ("section", "question") or action not in ("delete", "up", "down"):
        messages.error(request, "Choose what to do.")
        return redirect("assessments:template_detail", template_id=template_id)
    try:
        if action == "delete":
            services.template_item_delete(template=template, actor=request.user, kind=kind, key=key)
            messages.success(request, f"{kind.title()} {key} deleted.")
        else:
            services.template_item_move(
                template=template, actor=request.user, kind=kind, key=key, direction=action
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{_detail_path(template)}#{kind}-{key}")


@login_required
@require_POST
def template_publish(request: HttpRequest, template_id) -> HttpResponse:
    template = managed_template(request, template_id)
    try:
        services.template_publish(template=template, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Version {template.version} is published. Attach it to a collaborative as a "
            "baseline or follow-up survey.",
        )
    return redirect("assessments:template_detail", template_id=template_id)


@login_required
@require_POST
def template_new_version(request: HttpRequest, template_id) -> HttpResponse:
    """Edit a published instrument: open (or create) its next draft version."""
    template = managed_template(request, template_id)
    draft = services.template_new_version(template=template, actor=request.user)
    messages.success(
        request,
        f"You are editing version {draft.version} (a draft). Teams that answered earlier "
        "versions keep their answers and scores.",
    )
    return redirect("assessments:template_detail", template_id=draft.public_id)


@login_required
def template_export(request: HttpRequest, template_id) -> HttpResponse:
    """The version as a JSON file that another program can import."""
    template = visible_template(request, template_id)
    if not can_manage_templates(user=request.user, template=template):
        raise PermissionDenied("Only program staff export survey templates.")
    document = export_document(
        name=template.name,
        description=template.description,
        max_points=template.max_points,
        definition=template.definition,
        links=question_links(template=template),
        version=template.version,
        status=template.status,
    )
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"{slugify(template.name)[:60] or 'survey'}-v{template.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
