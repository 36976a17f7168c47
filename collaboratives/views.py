"""Pages about collaboratives. Thin: selectors in, templates out."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.selectors import is_program_staff, role_summary
from core.public import public_view
from teams.selectors import teams_visible_to

from .selectors import collaboratives_public, collaboratives_run_by, collaboratives_visible_to


@login_required
def collaborative_list(request: HttpRequest) -> HttpResponse:
    """Staff: the collaboratives they run, with enrolment counts. Others: theirs."""
    roles = role_summary(user=request.user)
    if roles.is_staff:
        collaboratives = collaboratives_run_by(user=request.user)
    else:
        collaboratives = collaboratives_visible_to(user=request.user).order_by("-start_date")
    return render(
        request,
        "collaboratives/list.html",
        {"collaboratives": collaboratives, "is_staff": roles.is_staff},
    )


@login_required
def collaborative_detail(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = get_object_or_404(
        collaboratives_visible_to(user=request.user), public_id=collaborative_id
    )
    teams = teams_visible_to(user=request.user).filter(collaborative=collaborative).order_by("name")
    return render(
        request,
        "collaboratives/detail.html",
        {
            "collaborative": collaborative,
            "teams": teams,
            "is_staff": is_program_staff(user=request.user, program=collaborative.program),
        },
    )


@public_view
def collaborative_public(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The public page of a recruiting collaborative; anyone may read it."""
    collaborative = get_object_or_404(collaboratives_public(), public_id=collaborative_id)
    return render(request, "collaboratives/public.html", {"collaborative": collaborative})
