"""Calendar pages: the month grid, staff's series form (with a preview of the dates)
and a series' page, and the personal subscription feed (its page and the .ics itself).
All work without JavaScript."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from core.clock import today
from core.emails import absolute_url
from core.forms import apply_validation_error
from core.http import require
from core.public import public_view

from . import feeds
from .ics import feed_ics
from .month import month_grid, parse_month
from .selectors import can_manage, collaborative_or_404, occurrences_of, series_or_404
from .series_forms import SeriesForm
from .series_services import series_create, series_preview

MANAGE_REFUSED = "Program staff keep the collaborative's calendar."


@login_required
@require_GET
def event_month(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The month grid (?month=YYYY-MM; this month when absent), in the viewer's zone."""
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    raw = request.GET.get("month")
    first = parse_month(raw)
    status = 200
    if first is None:
        if raw is not None:
            messages.error(request, "That month could not be read: use the form 2026-11.")
            status = 400
        first = today().replace(day=1)
    return render(
        request,
        "learning_sessions/event_month.html",
        {
            "collaborative": collaborative,
            "grid": month_grid(collaborative=collaborative, first=first),
            "is_staff": can_manage(user=request.user, collaborative=collaborative),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_create_view(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Staff describe a pattern, see its dates (action=preview), then create them all."""
    collaborative = collaborative_or_404(user=request.user, collaborative_id=collaborative_id)
    require(can_manage(user=request.user, collaborative=collaborative), MANAGE_REFUSED)
    form = SeriesForm(request.POST or None, collaborative=collaborative)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "create":
                series = series_create(
                    collaborative=collaborative,
                    actor=request.user,
                    pattern=form.pattern(),
                    **form.event_fields(),
                )
                count = series.occurrences.count()
                messages.success(
                    request, f"{count} events of “{series.title}” are on the calendar."
                )
                return redirect("learning_sessions:series_detail", series_id=series.public_id)
            preview = series_preview(collaborative=collaborative, pattern=form.pattern())
        except ValidationError as error:
            apply_validation_error(form, error)
            preview = _safe_preview(collaborative, form)
    return render(
        request,
        "learning_sessions/series_form.html",
        {
            "collaborative": collaborative,
            "form": form,
            "preview": preview,
            "has_problems": any(o.problem for o in preview or []),
        },
    )


def _safe_preview(collaborative, form: SeriesForm):
    """The dates to show next to a refused series, when the pattern itself is sound."""
    try:
        return series_preview(collaborative=collaborative, pattern=form.pattern())
    except (ValidationError, KeyError):
        return None


@login_required
@require_GET
def series_detail(request: HttpRequest, series_id) -> HttpResponse:
    series = series_or_404(user=request.user, series_id=series_id)
    return render(
        request,
        "learning_sessions/series_detail.html",
        {
            "series": series,
            "collaborative": series.collaborative,
            "events": occurrences_of(series=series),
            "is_staff": can_manage(user=request.user, collaborative=series.collaborative),
        },
    )


def _feed_url(token: str) -> str:
    return absolute_url(reverse("learning_sessions:calendar_feed", kwargs={"token": token}))


def _webcal(url: str) -> str:
    """The same address with the webcal scheme, which calendar apps open to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


@login_required
@require_http_methods(["GET", "POST"])
def feed_manage(request: HttpRequest) -> HttpResponse:
    """The person's subscription address: make it (shown once), replace it, or revoke it."""
    token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            if feeds.feed_revoke(user=request.user):
                messages.success(request, "The subscription address was revoked.")
            return redirect("learning_sessions:feed_manage")
        if action != "create":
            messages.error(request, "Choose to create, replace or revoke the address.")
            return redirect("learning_sessions:feed_manage")
        token = feeds.feed_regenerate(user=request.user)
    response = render(
        request,
        "learning_sessions/feed_manage.html",
        {
            "feed": feeds.feed_of(user=request.user),
            "feed_url": _feed_url(token) if token else None,
            "webcal_url": _webcal(_feed_url(token)) if token else None,
        },
    )
    # The secret is shown once: no browser or proxy may keep a copy of the page.
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


@public_view
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics feed behind a secret address: no login, 404 for an unknown or revoked
    token, 429 for an address that guessed too often (learning_sessions/feeds.py)."""
    client = get_adapter(request).get_client_ip(request)
    if not feeds.lookup_allowed(client):
        return HttpResponse("Too many requests.", status=429, content_type="text/plain")
    user = feeds.feed_owner(token=token, client=client)
    if user is None:
        raise Http404("No such calendar.")
    body = feed_ics(
        events=feeds.feed_events(user=user),
        name="My learning sessions",
        page_url=lambda event: absolute_url(
            reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="learning-sessions.ics"'
    patch_cache_control(response, no_store=True, private=True)
    return response
