"""Attendance pages: checking in with the code, the staff display of the code, the
roster, one's own statement, and importing a meeting report. All work without
JavaScript; every write is a POST with CSRF. Staff pages answer 403 to people who may
see the event but do not run the program, 404 to everyone else."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_validation_error
from core.http import require

from ..models import Event, ImportStatus
from ..selectors import can_manage, event_or_404
from . import imports, services
from .forms import AttestForm, CheckInForm, ImportForm, RosterMarkForm
from .parsing import MAX_BYTES
from .qr import qr_svg
from .selectors import (
    attendance_of,
    check_in_window,
    import_or_404,
    imports_of,
    roster_of,
    user_may_attend_or_404,
)

STAFF_ONLY = "Program staff keep attendance."


def _event_url(event: Event) -> str:
    return reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})


def _staff_event(request: HttpRequest, event_id) -> Event:
    event = event_or_404(user=request.user, event_id=event_id)
    require(can_manage(user=request.user, collaborative=event.collaborative), STAFF_ONLY)
    return event


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, event_id) -> HttpResponse:
    """Enter the session code (typed, or pre-filled by the QR code's link)."""
    event = event_or_404(user=request.user, event_id=event_id)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                outcome = services.check_in_with_code(
                    event=event, user=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if outcome.changed:
                    messages.success(request, "You are checked in. Thank you for coming!")
                else:
                    messages.info(
                        request,
                        "Your attendance was already recorded "
                        f"({outcome.attendance.get_source_display()}).",
                    )
                return redirect(_event_url(event))
    else:
        form = CheckInForm(initial={"code": services.normalize_code(request.GET.get("code", ""))})
    opens, closes = check_in_window(event=event)
    return render(
        request,
        "learning_sessions/attendance/check_in.html",
        {
            "event": event,
            "form": form,
            "opens": opens,
            "closes": closes,
            "attendance": attendance_of(event=event, user=request.user),
        },
    )


@login_required
def check_in_display(request: HttpRequest, event_id) -> HttpResponse:
    """The page staff project during the event: the code, large, and its QR code."""
    event = _staff_event(request, event_id)
    code = services.code_for(event=event, actor=request.user)
    path = reverse("learning_sessions:check_in", kwargs={"event_id": event.public_id})
    link = request.build_absolute_uri(f"{path}?{urlencode({'code': code.code})}")
    opens, closes = check_in_window(event=event)
    return render(
        request,
        "learning_sessions/attendance/check_in_display.html",
        {
            "event": event,
            "code": code.code,
            "link": link,
            "short_link": request.build_absolute_uri(path),
            "qr": qr_svg(link, title=f"QR code: opens the check-in page with code {code.code}"),
            "opens": opens,
            "closes": closes,
        },
    )


@login_required
@require_POST
def check_in_regenerate(request: HttpRequest, event_id) -> HttpResponse:
    event = _staff_event(request, event_id)
    services.code_regenerate(event=event, actor=request.user)
    messages.success(request, "A new code is shown; the old one no longer works.")
    return redirect("learning_sessions:check_in_display", event_id=event.public_id)


@login_required
@require_POST
def attest(request: HttpRequest, event_id) -> HttpResponse:
    """A participant's own statement: attended live, or watched the recording."""
    event = event_or_404(user=request.user, event_id=event_id)
    form = AttestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_event_url(event))
    try:
        outcome = services.self_attest(
            event=event,
            user=request.user,
            kind=form.cleaned_data["kind"],
            minutes=form.cleaned_data["minutes"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if outcome.changed:
            messages.success(request, "Thank you: your attendance is recorded.")
        else:
            messages.info(
                request,
                "Your attendance was already recorded "
                f"({outcome.attendance.get_source_display()}); nothing changed.",
            )
    return redirect(_event_url(event))


@login_required
def roster(request: HttpRequest, event_id) -> HttpResponse:
    """Everyone who may attend, their registration and attendance, with mark buttons."""
    event = _staff_event(request, event_id)
    return render(
        request,
        "learning_sessions/attendance/roster.html",
        {
            "event": event,
            "rows": roster_of(event=event),
            "imports": imports_of(event=event)[:10],
            "minutes_cap": services.minutes_cap(event=event),
        },
    )


@login_required
@require_POST
def roster_mark(request: HttpRequest, event_id) -> HttpResponse:
    event = _staff_event(request, event_id)
    form = RosterMarkForm(request.POST)
    url = reverse("learning_sessions:attendance_roster", kwargs={"event_id": event.public_id})
    if not form.is_valid():
        messages.error(request, "Choose present or absent, and minutes as a whole number.")
        return redirect(url)
    person = user_may_attend_or_404(event=event, user_id=form.cleaned_data["person"])
    try:
        outcome = services.roster_mark(
            event=event,
            actor=request.user,
            person=person,
            present=form.cleaned_data["present"],
            minutes=form.cleaned_data["minutes"],
        )
    except ValidationError as error:
        messages.error(request, f"{person.display_name}: {' '.join(error.messages)}")
    else:
        state = "present" if form.cleaned_data["present"] else "absent"
        if outcome.changed:
            messages.success(request, f"{person.display_name} is marked {state}.")
        else:
            messages.info(request, f"{person.display_name} was already marked {state}.")
    return redirect(f"{url}#person-{person.public_id}")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, event_id) -> HttpResponse:
    """Upload a participant report; it is parsed and matched, then reviewed."""
    event = _staff_event(request, event_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        if upload.size > MAX_BYTES:
            form.add_error(
                "report",
                f"The file is larger than {MAX_BYTES // 1024 // 1024} MB: a participant "
                "report is far smaller. Check that you chose the right file.",
            )
        else:
            try:
                staged = imports.stage_import(
                    event=event, actor=request.user, data=upload.read(), filename=upload.name
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect(
                    "learning_sessions:attendance_import_review",
                    event_id=event.public_id,
                    import_id=staged.public_id,
                )
    return render(
        request, "learning_sessions/attendance/import_upload.html", {"event": event, "form": form}
    )


@login_required
def import_review(request: HttpRequest, event_id, import_id) -> HttpResponse:
    """What the report says and what recording it would do, before anything is recorded."""
    event = _staff_event(request, event_id)
    staged = import_or_404(event=event, import_id=import_id)
    return render(
        request,
        "learning_sessions/attendance/import_review.html",
        {
            "event": event,
            "staged": staged,
            "result": staged.result,
            "planned": imports.planned_rows(staged=staged),
            "is_staged": staged.status == ImportStatus.STAGED,
        },
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, event_id, import_id) -> HttpResponse:
    event = _staff_event(request, event_id)
    staged = import_or_404(event=event, import_id=import_id)
    summary = imports.commit_import(staged=staged, actor=request.user)
    if summary.already:
        messages.info(request, "This report was already dealt with; nothing changed.")
    else:
        text = f"Attendance recorded for {summary.recorded} people."
        if summary.kept:
            text += f" {summary.kept} kept as they were."
        if summary.left:
            text += f" {summary.left} skipped: no longer in the collaborative."
        messages.success(request, text)
    return redirect("learning_sessions:attendance_roster", event_id=event.public_id)


@login_required
@require_POST
def import_discard(request: HttpRequest, event_id, import_id) -> HttpResponse:
    event = _staff_event(request, event_id)
    staged = import_or_404(event=event, import_id=import_id)
    if imports.discard_import(staged=staged, actor=request.user):
        messages.success(request, "The report was discarded; nothing was recorded.")
    else:
        messages.info(request, "This report was already dealt with; nothing changed.")
    return redirect("learning_sessions:attendance_roster", event_id=event.public_id)
