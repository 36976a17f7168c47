"""Event pages: the collaborative's calendar (list), an event, staff's event form,
registering and cancelling, and the .ics download. All work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.clock import now
from core.forms import apply_validation_error
from core.http import require, stored_file_response
from core.panels import EVENT_PAGE, render_panels

from . import evaluations, services
from .attendance.presenters import event_panel
from .forms import EventForm, MaterialForm
from .ics import event_ics, event_ics_method
from .selectors import (
    calendar_of,
    can_manage,
    collaborative_or_404,
    credits_of,
    event_or_404,
    material_or_404,
    materials_of,
    place_of,
    recording_visible,
    registrations_of,
    seats_taken,
    tracks_of,
)

MANAGE_REFUSED = "Program staff keep the collaborative's calendar."


def _event_url(event) -> str:
    return reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})


def _track_from(request: HttpRequest, tracks):
    """The focus-area track the calendar is filtered by (?track=<id>), or None for all;
    an unknown or malformed id shows every event rather than an error."""
    wanted = request.GET.get("track") or ""
    try:
        return tracks.filter(public_id=wanted).first() if wanted else None
    except (ValidationError, ValueError):
        return None


@login_required
def event_list(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The collaborative's events: upcoming first, past below; optionally one track's."""
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    tracks = tracks_of(collaborative=collaborative)
    track = _track_from(request, tracks)
    return render(
        request,
        "learning_sessions/event_list.html",
        {
            "collaborative": collaborative,
            "calendar": calendar_of(collaborative=collaborative, track=track),
            "tracks": tracks,
            "track": track,
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


def _detail_context(request: HttpRequest, event, material_form: MaterialForm | None = None):
    is_staff = can_manage(user=request.user, collaborative=event.collaborative)
    return {
        "event": event,
        "collaborative": event.collaborative,
        "tracks": event.tracks.all(),
        "credits": credits_of(event=event),
        "materials": materials_of(event=event),
        "show_recording": recording_visible(event=event),
        "material_form": (material_form or MaterialForm()) if is_staff else None,
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
    }


@login_required
def event_detail(request: HttpRequest, event_id) -> HttpResponse:
    """The event, its materials and credit, the viewer's place at it, and (for staff)
    who registered."""
    event = event_or_404(user=request.user, event_id=event_id)
    context = _detail_context(request, event)
    context["panels"] = render_panels(EVENT_PAGE, request=request, event=event)
    return render(request, "learning_sessions/event_detail.html", context)


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


@login_required
@require_POST
def material_add(request: HttpRequest, event_id) -> HttpResponse:
    """Staff add a file or a link to the event's materials."""
    event = event_or_404(user=request.user, event_id=event_id)
    require(can_manage(user=request.user, collaborative=event.collaborative), MANAGE_REFUSED)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("file"):
                material = services.material_add_file(
                    event=event, actor=request.user, title=data["title"], upload=data["file"]
                )
            else:
                material = services.material_add_link(
                    event=event, actor=request.user, title=data["title"], url=data["url"]
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{material.title}” added to the materials.")
            return redirect(_event_url(event) + "#materials")
    return render(
        request,
        "learning_sessions/event_detail.html",
        _detail_context(request, event, material_form=form),
        status=400,
    )


@login_required
def material_download(request: HttpRequest, event_id, material_id) -> HttpResponse:
    """An uploaded material, only for people who may see the event, always as a
    download (never rendered here) with a sandbox policy and no type sniffing."""
    event = event_or_404(user=request.user, event_id=event_id)
    material = material_or_404(event=event, material_id=material_id)
    if not material.file:
        raise Http404("This material is a link, not a file.")
    return stored_file_response(
        material.file,
        content_type=material.content_type,
        filename=material.original_name or "material",
    )


@login_required
@require_POST
def material_remove(request: HttpRequest, event_id, material_id) -> HttpResponse:
    event = event_or_404(user=request.user, event_id=event_id)
    material = material_or_404(event=event, material_id=material_id)
    require(can_manage(user=request.user, collaborative=event.collaborative), MANAGE_REFUSED)
    services.material_remove(material=material, actor=request.user)
    messages.success(request, f"“{material.title}” removed from the materials.")
    return redirect(_event_url(event) + "#materials")
