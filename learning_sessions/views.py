"""Event pages: the collaborative's calendar (list), an event, staff's event form,
registering and cancelling, and the .ics download. All work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.clock import now
from core.forms import apply_validation_error
from core.http import require

from . import evaluations, services
from .attendance.views import event_panel
from .forms import EventForm
from .ics import event_ics, event_ics_method
from .selectors import (
    calendar_of,
    can_manage,
    collaborative_or_404,
    event_or_404,
    place_of,
    registrations_of,
    seats_taken,
)

MANAGE_REFUSED = "Program staff keep the collaborative's calendar."


def _event_url(event) -> str:
    return reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})


@login_required
def event_list(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The collaborative's events: upcoming first, past below."""
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    return render(
        request,
        "learning_sessions/event_list.html",
        {
            "collaborative": collaborative,
            "calendar": calendar_of(collaborative=collaborative),
            "is_staff": can_manage(user=request.user, collaborative=collaborative),
            "can_read_evaluations": evaluations.can_read_results(
                user=request.user, collaborative=collaborative
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    require(can_manage(user=request.user, collaborative=collaborative), MANAGE_REFUSED)
    form = EventForm(request.POST or None, collaborative=collaborative)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                collaborative=collaborative, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{event.title}” is on the calendar.")
            return redirect(_event_url(event))
    return render(
        request,
        "learning_sessions/event_form.html",
        {"collaborative": collaborative, "form": form, "event": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    collaborative = event.collaborative
    require(can_manage(user=request.user, collaborative=collaborative), MANAGE_REFUSED)
    form = EventForm(
        request.POST or None, collaborative=collaborative, initial=EventForm.initial_for(event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{event.title}” saved.")
            return redirect(_event_url(event))
    return render(
        request,
        "learning_sessions/event_form.html",
        {"collaborative": collaborative, "form": form, "event": event},
    )


@login_required
@require_POST
def event_cancel(request: HttpRequest, event_id) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    require(can_manage(user=request.user, collaborative=event.collaborative), MANAGE_REFUSED)
    services.event_cancel(event=event, actor=request.user)
    messages.success(request, f"“{event.title}” is cancelled.")
    return redirect(_event_url(event))


@login_required
def event_detail(request: HttpRequest, event_id) -> HttpResponse:
    """The event, the viewer's place at it, and (for staff) who registered."""
    event = event_or_404(user=request.user, event_id=event_id)
    is_staff = can_manage(user=request.user, collaborative=event.collaborative)
    return render(
        request,
        "learning_sessions/event_detail.html",
        {
            "event": event,
            "collaborative": event.collaborative,
            "place": place_of(event=event, user=request.user),
            "seats_taken": seats_taken(event=event),
            "is_over": event.ends_at <= now(),
            "is_staff": is_staff,
            "registrations": registrations_of(event=event) if is_staff else None,
            "evaluation": evaluations.standing_of(event=event, user=request.user).value,
            "can_read_evaluations": evaluations.can_read_results(
                user=request.user, collaborative=event.collaborative
            ),
            "attendance": event_panel(event=event, user=request.user, is_staff=is_staff),
        },
    )


@login_required
@require_POST
def event_register(request: HttpRequest, event_id) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    try:
        registration = services.register(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == "registered":
            messages.success(request, "You are registered.")
        else:
            messages.info(request, "The event is full: you are on the waiting list.")
    return redirect(_event_url(event))


@login_required
@require_POST
def event_unregister(request: HttpRequest, event_id) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    try:
        services.cancel_registration(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your registration is cancelled.")
    return redirect(_event_url(event))


@login_required
def event_calendar_file(request: HttpRequest, event_id) -> HttpResponse:
    """The event as a .ics file; the join link only for someone holding a seat.

    A cancelled event's file is an iTIP CANCEL (learning_sessions/ics.py), so opening
    it removes the event from the reader's calendar."""
    event = event_or_404(user=request.user, event_id=event_id)
    place = place_of(event=event, user=request.user)
    body = event_ics(
        event=event,
        include_join_url=place.is_registered,
        page_url=request.build_absolute_uri(_event_url(event)),
        attendee_email=request.user.email,
    )
    # RFC 5545 3.7.2: the MIME type's method parameter matches the METHOD inside.
    response = HttpResponse(
        body, content_type=f"text/calendar; charset=utf-8; method={event_ics_method(event)}"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.public_id}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
