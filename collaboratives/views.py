"""Pages about collaboratives. Thin: parse the form, call a selector or a service, render.

Visibility: `collaboratives_visible_to` decides who may see a collaborative (404
for everyone else); staff actions additionally need the program staff role (403
for people who may see it but not run it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Program
from accounts.selectors import is_program_staff, programs_run_by, staff_program_ids
from core import clock
from core.forms import apply_validation_error
from core.panels import COLLABORATIVE_PAGE, render_panels
from core.public import public_view

from . import services
from .forms import CollaborativeForm, CopyForm, PhaseFormSet, RegeneratePhasesForm, TransitionForm
from .lifecycle import ACTION_LABELS, allowed_transitions, enrolment_problem
from .models import Collaborative, FacilityType
from .phases import PhaseSpec, generate_phases
from .selectors import (
    collaboratives_public,
    collaboratives_run_by,
    collaboratives_visible_to,
    current_phase,
    phases_of,
)

#: The three steps of launching a collaborative, shown as a step indicator.
LAUNCH_STEPS = ["Describe", "Plan the phases", "Open enrolment"]


def staff_collaborative_or_403(request: HttpRequest, collaborative_id) -> Collaborative:
    """The collaborative if the user runs its program; 404 if invisible, 403 if not staff."""
    collaborative = get_object_or_404(
        collaboratives_visible_to(user=request.user), public_id=collaborative_id
    )
    if not is_program_staff(user=request.user, program=collaborative.program):
        raise PermissionDenied("Only program staff can do this.")
    return collaborative


@login_required
def collaborative_list(request: HttpRequest) -> HttpResponse:
    """Staff: the collaboratives they run, with enrolment counts. Others: theirs."""
    is_staff = bool(staff_program_ids(user=request.user))
    if is_staff:
        collaboratives = collaboratives_run_by(user=request.user)
    else:
        collaboratives = collaboratives_visible_to(user=request.user).order_by("-start_date")
    return render(
        request,
        "collaboratives/list.html",
        {"collaboratives": collaboratives, "is_staff": is_staff},
    )


@login_required
def collaborative_detail(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = get_object_or_404(
        collaboratives_visible_to(user=request.user), public_id=collaborative_id
    )
    is_staff = is_program_staff(user=request.user, program=collaborative.program)
    transitions = [
        {"target": t, "label": ACTION_LABELS[t]} for t in allowed_transitions(collaborative)
    ]
    return render(
        request,
        "collaboratives/detail.html",
        {
            "collaborative": collaborative,
            # The teams, and later features' sections, come from their apps.
            "panels": render_panels(
                COLLABORATIVE_PAGE, request=request, collaborative=collaborative
            ),
            "phases": phases_of(collaborative=collaborative),
            "current_phase": current_phase(collaborative=collaborative, today=clock.today()),
            "is_staff": is_staff,
            "transitions": transitions if is_staff else [],
            "launch_steps": LAUNCH_STEPS,
            "public_url": request.build_absolute_uri(f"/join/{collaborative.public_id}/"),
        },
    )


def _staff_programs(request: HttpRequest) -> list[Program]:
    programs = programs_run_by(user=request.user)
    if not programs:
        raise PermissionDenied("Only program staff can launch collaboratives.")
    return programs


def _focus_area(form: CollaborativeForm, program: Program, user):
    new_name = form.cleaned_data.get("new_focus_area", "").strip()
    if new_name:
        return services.focus_area_get_or_create(program=program, name=new_name, actor=user)
    return form.cleaned_data.get("focus_area")


def _described(form: CollaborativeForm, program: Program, user) -> dict:
    """What the form describes, as the create and update services take it."""
    data = form.cleaned_data
    return {
        "title": data["title"],
        "focus_area": _focus_area(form, program, user),
        "summary": data["summary"],
        "aims": data["aims"],
        "eligible_facility_types": data["eligible_facility_types"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "enrolment_opens": data["enrolment_opens"],
        "enrolment_closes": data["enrolment_closes"],
        "pooled_min_share": data["pooled_min_share"],
    }


@login_required
def collaborative_create(request: HttpRequest) -> HttpResponse:
    programs = _staff_programs(request)
    form = CollaborativeForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collaborative = services.collaborative_create(
                program=data["program"],
                actor=request.user,
                **_described(form, data["program"], request.user),
                timezone_name=data["timezone"],
                learning_sessions=data["learning_sessions"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Draft saved. Check the phases, then open enrolment.")
            return redirect("collaboratives:phases", collaborative_id=collaborative.public_id)
    return render(
        request,
        "collaboratives/form.html",
        {"form": form, "creating": True, "launch_steps": LAUNCH_STEPS},
    )


@login_required
def collaborative_edit(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    form = CollaborativeForm(
        request.POST or None,
        instance=collaborative,
        programs=[collaborative.program],
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Re-read: the ModelForm's validation already copied values onto the instance.
        current = Collaborative.objects.get(pk=collaborative.pk)
        try:
            services.collaborative_update(
                collaborative=current,
                actor=request.user,
                **_described(form, current.program, request.user),
                timezone=data["timezone"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Collaborative saved.")
            return redirect("collaboratives:detail", collaborative_id=collaborative.public_id)
    return render(
        request,
        "collaboratives/form.html",
        {"form": form, "creating": False, "collaborative": collaborative},
    )


def _phase_initial(collaborative: Collaborative) -> list[dict]:
    return [
        {"kind": p.kind, "name": p.name, "start_date": p.start_date, "end_date": p.end_date}
        for p in phases_of(collaborative=collaborative)
    ]


@login_required
def collaborative_phases(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Edit the calendar as a whole; or regenerate it from the pattern."""
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    regenerate = RegeneratePhasesForm(
        request.POST if "regenerate" in request.POST else None, prefix="regen"
    )
    problems: list[str] = []
    if request.method == "POST" and "regenerate" in request.POST:
        formset = PhaseFormSet(initial=_phase_initial(collaborative), prefix="phases")
        if regenerate.is_valid() and collaborative.start_date and collaborative.end_date:
            try:
                specs = generate_phases(
                    collaborative.start_date,
                    collaborative.end_date,
                    learning_sessions=regenerate.cleaned_data["learning_sessions"],
                )
                services.phases_replace(
                    collaborative=collaborative, actor=request.user, phases=specs
                )
            except (ValueError, ValidationError) as error:
                problems = getattr(error, "messages", None) or [str(error)]
            else:
                messages.success(request, "Phases planned again from the pattern.")
                return redirect("collaboratives:phases", collaborative_id=collaborative_id)
        elif not collaborative.start_date:
            problems = ["Set the collaborative's dates first."]
    else:
        formset = PhaseFormSet(
            request.POST or None, initial=_phase_initial(collaborative), prefix="phases"
        )
        if request.method == "POST" and formset.is_valid():
            specs = [
                PhaseSpec(f["kind"], f["name"], f["start_date"], f["end_date"])
                for f in formset.cleaned_data
                if f and not f.get("DELETE")
            ]
            try:
                services.phases_replace(
                    collaborative=collaborative, actor=request.user, phases=specs
                )
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, "Phases saved.")
                return redirect("collaboratives:detail", collaborative_id=collaborative_id)
    return render(
        request,
        "collaboratives/phases.html",
        {
            "collaborative": collaborative,
            "formset": formset,
            "regenerate": regenerate,
            "problems": problems,
            "launch_steps": LAUNCH_STEPS,
        },
    )


@login_required
def collaborative_copy(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Launch a new collaborative from this one (journey 1: copy last year's)."""
    source = staff_collaborative_or_403(request, collaborative_id)
    form = CopyForm(
        request.POST or None,
        initial={"title": f"{source.title} (copy)"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.collaborative_copy(
                source=source,
                actor=request.user,
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"“{copy.title}” was created as a draft from “{source.title}”, with its "
                "calendar moved. Review it, then open enrolment.",
            )
            return redirect("collaboratives:detail", collaborative_id=copy.public_id)
    return render(request, "collaboratives/copy.html", {"source": source, "form": form})


@login_required
@require_POST
def collaborative_transition(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.collaborative_transition(
                collaborative=collaborative,
                actor=request.user,
                target=form.cleaned_data["target"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, f"The collaborative is now {collaborative.get_status_display().lower()}."
            )
    return redirect("collaboratives:detail", collaborative_id=collaborative_id)


@public_view
def collaborative_public(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The public page of a recruiting collaborative; anyone may read it."""
    collaborative = get_object_or_404(collaboratives_public(), public_id=collaborative_id)
    types = dict(FacilityType.choices)
    return render(
        request,
        "collaboratives/public.html",
        {
            "collaborative": collaborative,
            "eligible": [types.get(t, t) for t in collaborative.eligible_facility_types],
            "phases": phases_of(collaborative=collaborative),
            "enrolment_problem": enrolment_problem(collaborative, clock.today()),
        },
    )
