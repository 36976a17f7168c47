"""The program's measure library (staff keep it; coaches read it) and the coach's list
of submitted periods waiting for review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.selectors import (
    is_program_staff,
    programs_run_by,
    staff_or_coach_program_ids,
    staff_program_ids,
)
from core.forms import apply_validation_error
from core.http import get_or_404, require

from .. import services
from ..forms import MeasureForm, initial_from
from ..presenters import goal_words
from ..selectors import library_measure_for, library_of, reviews_waiting_for

LIBRARY_REFUSED = "The measure library is for program staff and coaches."


@login_required
def library(request: HttpRequest) -> HttpResponse:
    program_ids = staff_or_coach_program_ids(user=request.user)
    require(bool(program_ids), LIBRARY_REFUSED)
    return render(
        request,
        "measures/library.html",
        {
            "measures": library_of(program_ids=program_ids),
            "can_create": bool(staff_program_ids(user=request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_create(request: HttpRequest) -> HttpResponse:
    programs = programs_run_by(user=request.user)
    require(bool(programs), "Only program staff add measures to the library.")
    form = MeasureForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        program = (
            next((p for p in programs if p.pk == form.cleaned_data.get("program")), None)
            or programs[0]
        )
        try:
            measure = services.measure_create(
                program=program, actor=request.user, **form.measure_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{measure.name} is in the library.")
            return redirect("measures:library_detail", measure_id=measure.public_id)
    return render(request, "measures/measure_form.html", {"form": form, "creating": True})


@login_required
def library_detail(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_or_404(library_measure_for, user=request.user, measure_id=measure_id)
    return render(
        request,
        "measures/library_detail.html",
        {
            "measure": measure,
            "goal": goal_words(measure),
            "can_edit": is_program_staff(user=request.user, program=measure.program),
            "sets": measure.set_entries.select_related("collaborative").order_by(
                "-collaborative__start_date"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_edit(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_or_404(library_measure_for, user=request.user, measure_id=measure_id)
    require(
        is_program_staff(user=request.user, program=measure.program),
        "Only program staff edit the library.",
    )
    form = MeasureForm(request.POST or None, initial=initial_from(measure))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, actor=request.user, **form.measure_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{measure.name} saved.")
            return redirect("measures:library_detail", measure_id=measure.public_id)
    return render(
        request,
        "measures/measure_form.html",
        {"form": form, "creating": False, "measure": measure},
    )


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """Submitted periods waiting for the coach's review, oldest first."""
    return render(
        request,
        "measures/reviews.html",
        {"submissions": reviews_waiting_for(user=request.user)},
    )
