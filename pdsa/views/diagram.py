"""The aim and the key driver diagram: read by everyone who sees the team, kept by
its lead (drivers) and working members (change ideas)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_validation_error
from core.http import get_or_404, require
from teams.selectors import team_and_access_or_404

from .. import services
from ..diagram import driver_tree_svg
from ..forms import AimForm, ChangeIdeaForm, DriverForm, SeedForm
from ..models import DriverKind
from ..selectors import (
    DriverTree,
    aim_of,
    aim_revisions,
    change_idea_get,
    change_ideas_of,
    change_package_of,
    driver_tree,
    drivers_of,
)
from ._common import with_change_rows

AIM_REFUSED = "The team lead writes the aim."
DIAGRAM_REFUSED = "The team lead keeps the driver diagram."
IDEA_REFUSED = "The team's members keep its change ideas; coaches and staff comment."

AIM_LABELS = {
    "statement": "Aim statement",
    "what": "What will improve",
    "how_much": "How much",
    "by_when": "By when",
    "for_whom": "For whom",
}


# --- aim ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aim_page(request: HttpRequest, team_id) -> HttpResponse:
    """The aim with its SMART parts and history; the lead writes and revises it here."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    aim = aim_of(team=team)
    form = None
    if access.can_edit_diagram:
        initial = {name: getattr(aim, name) for name in AIM_LABELS} if aim else {}
        form = AimForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(access.can_edit_diagram, AIM_REFUSED)
        if form.is_valid():
            try:
                services.aim_save(team=team, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Aim saved. Earlier versions are kept below.")
                return redirect("pdsa:aim", team_id=team.public_id)
    revisions = with_change_rows(aim_revisions(team=team), AIM_LABELS)
    return render(
        request,
        "pdsa/aim.html",
        {
            "team": team,
            "access": access,
            "aim": aim,
            "form": form,
            "revisions": revisions,
            "current": "aim",
        },
    )


# --- driver diagram ----------------------------------------------------------------------


def _svg(team, tree: DriverTree) -> str:
    return driver_tree_svg(tree, team_name=team.name)


@login_required
@require_http_methods(["GET", "POST"])
def drivers_page(request: HttpRequest, team_id) -> HttpResponse:
    """The diagram drawn, the same in words, and the forms to add to it (POST `kind`:
    driver or idea)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    driver_form = DriverForm(prefix="driver", team=team) if access.can_edit_diagram else None
    idea_form = ChangeIdeaForm(prefix="idea", team=team) if access.can_edit_change_ideas else None
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "driver":
            require(access.can_edit_diagram, DIAGRAM_REFUSED)
            driver_form = DriverForm(request.POST, prefix="driver", team=team)
            if driver_form.is_valid():
                try:
                    driver = services.driver_create(
                        team=team, actor=request.user, **driver_form.cleaned_data
                    )
                except ValidationError as error:
                    apply_validation_error(driver_form, error)
                else:
                    messages.success(
                        request, f"{driver.get_kind_display()} “{driver.title}” added."
                    )
                    return redirect("pdsa:drivers", team_id=team.public_id)
        else:
            require(access.can_edit_change_ideas, IDEA_REFUSED)
            idea_form = ChangeIdeaForm(request.POST, prefix="idea", team=team)
            if idea_form.is_valid():
                try:
                    idea = services.change_idea_create(
                        team=team, actor=request.user, **idea_form.cleaned_data
                    )
                except ValidationError as error:
                    apply_validation_error(idea_form, error)
                else:
                    messages.success(request, f"Change idea “{idea.title}” added.")
                    return redirect("pdsa:drivers", team_id=team.public_id)
    tree = driver_tree(team=team)
    retired_drivers = drivers_of(team=team).filter(retired_at__isnull=False)
    retired_ideas = change_ideas_of(team=team).filter(retired_at__isnull=False)
    return render(
        request,
        "pdsa/drivers.html",
        {
            "team": team,
            "access": access,
            "tree": tree,
            "svg": mark_safe(_svg(team, tree)),  # noqa: S308 - every text in it is escaped
            "driver_form": driver_form,
            "idea_form": idea_form,
            "retired_drivers": retired_drivers,
            "retired_ideas": retired_ideas,
            "package_size": change_package_of(collaborative=team.collaborative).count(),
            "current": "drivers",
        },
    )


@login_required
def diagram_svg(request: HttpRequest, team_id) -> HttpResponse:
    """The diagram as an SVG file, to download, print or put in a slide."""
    team, _access = team_and_access_or_404(user=request.user, team_id=team_id)
    response = HttpResponse(_svg(team, driver_tree(team=team)), content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Content-Disposition"] = 'inline; filename="key-driver-diagram.svg"'
    return response


def _team_driver(request, team_id, driver_id):
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    driver = get_or_404(lambda **kw: drivers_of(team=team).get(**kw), public_id=driver_id)
    return team, access, driver


@login_required
@require_http_methods(["GET", "POST"])
def driver_edit(request: HttpRequest, team_id, driver_id) -> HttpResponse:
    """Rename a driver, or move a secondary driver under another primary driver."""
    team, access, driver = _team_driver(request, team_id, driver_id)
    require(access.can_edit_diagram, DIAGRAM_REFUSED)
    secondary = driver.kind == DriverKind.SECONDARY
    form = DriverForm(
        request.POST or None,
        team=team,
        secondary_only=secondary,
        initial={"title": driver.title, "description": driver.description, "parent": driver.parent},
    )
    if not secondary:
        del form.fields["parent"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.driver_update(driver=driver, actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Driver saved.")
            return redirect("pdsa:drivers", team_id=team.public_id)
    return render(
        request,
        "pdsa/driver_form.html",
        {"team": team, "access": access, "driver": driver, "form": form, "current": "drivers"},
    )


#: The buttons beside each driver and change idea (POST `action`).
ACTIONS = ("up", "down", "retire", "reinstate")


@login_required
@require_POST
def driver_action(request: HttpRequest, team_id, driver_id) -> HttpResponse:
    """Move up or down among its siblings, retire, or bring back (POST `action`)."""
    team, access, driver = _team_driver(request, team_id, driver_id)
    require(access.can_edit_diagram, DIAGRAM_REFUSED)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "Choose up, down, retire or bring back.")
        return redirect("pdsa:drivers", team_id=team.public_id)
    try:
        if action in ("up", "down"):
            services.driver_reorder(driver=driver, actor=request.user, direction=action)
        else:
            services.driver_set_retired(
                driver=driver, actor=request.user, retired=action == "retire"
            )
            word = "retired" if action == "retire" else "back on the diagram"
            messages.success(request, f"“{driver.title}” is {word}.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("pdsa:drivers", team_id=team.public_id)


def _team_idea(request, team_id, change_idea_id):
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    idea = get_or_404(change_idea_get, team=team, public_id=change_idea_id)
    return team, access, idea


@login_required
@require_http_methods(["GET", "POST"])
def change_idea_edit(request: HttpRequest, team_id, change_idea_id) -> HttpResponse:
    team, access, idea = _team_idea(request, team_id, change_idea_id)
    require(access.can_edit_change_ideas, IDEA_REFUSED)
    form = ChangeIdeaForm(
        request.POST or None,
        team=team,
        initial={
            "title": idea.title,
            "description": idea.description,
            "driver": idea.driver,
            "gap_item": idea.gap_item,
            "gap_question": idea.gap_question,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_idea_update(idea=idea, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Change idea saved.")
            return redirect("pdsa:drivers", team_id=team.public_id)
    return render(
        request,
        "pdsa/change_idea_form.html",
        {"team": team, "access": access, "idea": idea, "form": form, "current": "drivers"},
    )


@login_required
@require_POST
def change_idea_action(request: HttpRequest, team_id, change_idea_id) -> HttpResponse:
    """Move up or down under its driver, retire, or bring back (POST `action`)."""
    team, access, idea = _team_idea(request, team_id, change_idea_id)
    require(access.can_edit_change_ideas, IDEA_REFUSED)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "Choose up, down, retire or bring back.")
    elif action in ("up", "down"):
        services.change_idea_reorder(idea=idea, actor=request.user, direction=action)
    else:
        services.change_idea_set_retired(idea=idea, actor=request.user, retired=action == "retire")
        word = "retired" if action == "retire" else "back on the diagram"
        messages.success(request, f"“{idea.title}” is {word}.")
    return redirect("pdsa:drivers", team_id=team.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def change_ideas_seed(request: HttpRequest, team_id) -> HttpResponse:
    """Start change ideas from the collaborative's change package."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(access.can_edit_change_ideas, IDEA_REFUSED)
    package = list(change_package_of(collaborative=team.collaborative))
    seeded = set(
        change_ideas_of(team=team)
        .filter(source_item__isnull=False)
        .values_list("source_item_id", flat=True)
    )
    form = SeedForm(request.POST or None, package=[i for i in package if i.pk not in seeded])
    if request.method == "POST" and form.is_valid():
        try:
            created = services.change_ideas_seed(team=team, actor=request.user, items=form.chosen())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{len(created)} change idea{'s' if len(created) != 1 else ''} added from the "
                "change package. Place any unplaced ones under a driver.",
            )
            return redirect("pdsa:drivers", team_id=team.public_id)
    return render(
        request,
        "pdsa/seed.html",
        {
            "team": team,
            "access": access,
            "form": form,
            "package": package,
            "seeded": seeded,
            "current": "drivers",
        },
    )
