"""Ramps (a change idea's cycles as a timeline), sharing a completed ramp, the ramps
other teams of the collaborative shared, the change package, and the coach lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import is_program_staff
from collaboratives.selectors import collaboratives_visible_to
from core.forms import apply_validation_error
from core.http import get_or_404, require
from core.panels import CHANGE_IDEA_PAGE, PACKAGE_ITEM_PAGE, render_panels
from teams.selectors import team_and_access_or_404

from .. import services
from ..forms import PackageItemForm, ShareForm
from ..selectors import (
    change_idea_get,
    change_package_of,
    cycles_waiting_for_feedback,
    ramp_of,
    ramps_of,
    review_teams,
    shared_ramps_for,
    stalled_cycles,
)
from ..stages import RAW_NOTE_FIELDS


@login_required
def ramps_page(request: HttpRequest, team_id) -> HttpResponse:
    """Each change idea's ramp: how many cycles, the scales, the decisions."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    return render(
        request,
        "pdsa/ramps.html",
        {"team": team, "access": access, "ramps": ramps_of(team=team), "current": "ramps"},
    )


@login_required
def ramp_detail(request: HttpRequest, team_id, change_idea_id) -> HttpResponse:
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    idea = get_or_404(change_idea_get, team=team, public_id=change_idea_id)
    ramp = ramp_of(change_idea=idea)
    return render(
        request,
        "pdsa/ramp_detail.html",
        {
            "team": team,
            "access": access,
            "ramp": ramp,
            "last_cycle": ramp.cycles[-1] if ramp.cycles else None,
            "idea": idea,
            "share_form": ShareForm(initial={"include_notes": idea.share_notes})
            if access.can_share
            else None,
            "current": "ramps",
            "panels": render_panels(
                CHANGE_IDEA_PAGE, request=request, team=team, idea=idea, access=access
            ),
        },
    )


@login_required
@require_POST
def ramp_share(request: HttpRequest, team_id, change_idea_id) -> HttpResponse:
    """Share (or stop sharing, with `unshare`) a completed ramp with the collaborative."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    idea = get_or_404(change_idea_get, team=team, public_id=change_idea_id)
    require(access.can_share, "The team lead decides what the team shares.")
    if "unshare" in request.POST:
        services.ramp_unshare(change_idea=idea, actor=request.user)
        messages.success(request, "The ramp is no longer shared with other teams.")
    else:
        form = ShareForm(request.POST)
        form.is_valid()
        try:
            services.ramp_share(
                change_idea=idea,
                actor=request.user,
                include_notes=form.cleaned_data.get("include_notes", False),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Shared with the other teams of {team.collaborative.title}.")
    return redirect("pdsa:ramp_detail", team_id=team.public_id, change_idea_id=idea.public_id)


@login_required
def shared_ramps(request: HttpRequest, team_id) -> HttpResponse:
    """Ramps other teams of the same collaborative chose to share."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    return render(
        request,
        "pdsa/shared_list.html",
        {"team": team, "access": access, "ideas": shared_ramps_for(team=team), "current": "shared"},
    )


@login_required
def shared_ramp(request: HttpRequest, team_id, change_idea_id) -> HttpResponse:
    """One shared ramp: title, change idea, what was learned, decisions; the raw notes
    only if its team chose to share them."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    idea = get_object_or_404(shared_ramps_for(team=team), public_id=change_idea_id)
    return render(
        request,
        "pdsa/shared_detail.html",
        {
            "team": team,
            "access": access,
            "idea": idea,
            "ramp": ramp_of(change_idea=idea),
            "raw_fields": RAW_NOTE_FIELDS if idea.share_notes else (),
            "current": "shared",
        },
    )


# --- change package (staff) ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_package(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The collaborative's change package: everyone in it reads, staff keep it."""
    collaborative = get_object_or_404(
        collaboratives_visible_to(user=request.user), public_id=collaborative_id
    )
    is_staff = is_program_staff(user=request.user, program=collaborative.program)
    form = PackageItemForm(request.POST or None, collaborative=collaborative) if is_staff else None
    if request.method == "POST":
        require(is_staff, "Program staff keep the change package.")
        if form.is_valid():
            try:
                item = services.package_item_create(
                    collaborative=collaborative, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"“{item.title}” added to the change package.")
                return redirect("pdsa:change_package", collaborative_id=collaborative.public_id)
    return render(
        request,
        "pdsa/package.html",
        {
            "collaborative": collaborative,
            "is_staff": is_staff,
            "form": form,
            "items": change_package_of(collaborative=collaborative, include_retired=is_staff),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def package_item_edit(request: HttpRequest, collaborative_id, package_item_id) -> HttpResponse:
    collaborative = get_object_or_404(
        collaboratives_visible_to(user=request.user), public_id=collaborative_id
    )
    item = get_object_or_404(
        change_package_of(collaborative=collaborative, include_retired=True),
        public_id=package_item_id,
    )
    require(
        is_program_staff(user=request.user, program=collaborative.program),
        "Program staff keep the change package.",
    )
    form = PackageItemForm(
        request.POST or None,
        collaborative=collaborative,
        initial={
            "title": item.title,
            "description": item.description,
            "suggested_driver": item.suggested_driver,
            "gap_item": item.gap_item,
            "gap_question": item.gap_question,
        },
    )
    if request.method == "POST":
        if "retire" in request.POST or "reinstate" in request.POST:
            services.package_item_set_retired(
                item=item, actor=request.user, retired="retire" in request.POST
            )
            messages.success(request, "Change package updated.")
            return redirect("pdsa:change_package", collaborative_id=collaborative.public_id)
        if form.is_valid():
            try:
                services.package_item_update(item=item, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Change saved.")
                return redirect("pdsa:change_package", collaborative_id=collaborative.public_id)
    return render(
        request,
        "pdsa/package_item.html",
        {
            "collaborative": collaborative,
            "item": item,
            "form": form,
            "panels": render_panels(
                PACKAGE_ITEM_PAGE, request=request, collaborative=collaborative, item=item
            ),
        },
    )


# --- coach lists ---------------------------------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """For coaches (and staff), across their teams: cycles waiting for feedback, and
    cycles with no update in 30 days."""
    teams = review_teams(user=request.user)
    require(teams.exists(), "This page lists the cycles of the teams you coach.")
    return render(
        request,
        "pdsa/review.html",
        {
            "waiting": list(cycles_waiting_for_feedback(user=request.user)[:100]),
            "stalled": list(stalled_cycles(user=request.user)[:100]),
        },
    )
