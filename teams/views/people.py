"""A program's people: its staff and coaches, invitations, role changes and removals.

For the program's staff only; everyone else gets a 404, as for a program that does
not exist. The writes are POSTs (removing a role asks for confirmation first).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ProgramRole
from accounts.selectors import is_program_staff, program_roles

from ..forms import ProgramInvitationForm, ProgramRoleForm
from ..selectors import (
    program_invitations,
    program_open_invitations,
    program_people,
    program_person_or_404,
    program_run_by_or_404,
)
from ..services import (
    grantable_roles,
    program_invitation_create,
    program_invitation_resend,
    program_invitation_revoke,
    program_role_change,
    program_role_remove,
)
from ._invitations import (
    error_text,
    invite_and_tell,
    resend_and_tell,
    revoke_and_tell,
    with_follow_up_urls,
)


def _back(program) -> HttpResponse:
    return redirect("teams:people", program_id=program.public_id)


def _after_own_change(request: HttpRequest, program) -> HttpResponse:
    """Someone who gave up their own staff role can no longer open the page: go home."""
    if is_program_staff(user=request.user, program=program):
        return _back(program)
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def program_people_page(request: HttpRequest, program_id) -> HttpResponse:
    """The program's staff and coaches, open invitations, and inviting (POST)."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    roles = grantable_roles(actor=request.user, program=program)
    form = ProgramInvitationForm(request.POST or None, role_choices=roles)
    if (
        request.method == "POST"
        and form.is_valid()
        and invite_and_tell(request, form, program_invitation_create, program=program)
    ):
        return _back(program)
    return render(
        request,
        "teams/people.html",
        {
            "program": program,
            "people": program_people(program=program),
            "invitations": with_follow_up_urls(
                program_open_invitations(program=program),
                "teams:program_invitation",
                program_id=program.public_id,
            ),
            "form": form,
            "role_choices": roles,
            "viewer_is_admin": ProgramRole.ADMIN
            in program_roles(user=request.user, program=program),
        },
    )


#: What following up an invitation can do, and the service and message for each.
FOLLOW_UPS = {
    "resend": (resend_and_tell, program_invitation_resend),
    "revoke": (revoke_and_tell, program_invitation_revoke),
}


@login_required
@require_POST
def program_invitation_follow_up(
    request: HttpRequest, program_id, program_invitation_id, action: str
) -> HttpResponse:
    """Send an invitation again (action "resend") or withdraw it ("revoke")."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    invitation = get_object_or_404(
        program_invitations(program=program), public_id=program_invitation_id
    )
    tell, service = FOLLOW_UPS[action]
    tell(request, invitation, service)
    return _back(program)


@login_required
@require_POST
def program_role_view(request: HttpRequest, program_id, user_id) -> HttpResponse:
    """Change one of a person's roles (the form names the role it replaces)."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    person = program_person_or_404(program=program, user_id=user_id)
    form = ProgramRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the program roles.")
        return _back(program)
    try:
        membership = program_role_change(
            program=program,
            user=person,
            from_role=form.cleaned_data["from_role"],
            to_role=form.cleaned_data["role"],
            changed_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _back(program)
    messages.success(request, f"{person.display_name} is now {membership.get_role_display()}.")
    return _after_own_change(request, program)


@login_required
@require_http_methods(["GET", "POST"])
def program_role_remove_view(request: HttpRequest, program_id, user_id) -> HttpResponse:
    """Ask for confirmation (GET), then end one of a person's roles (POST)."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    person = program_person_or_404(program=program, user_id=user_id)
    role = request.POST.get("role") or request.GET.get("role", "")
    if role not in ProgramRole.values:
        messages.error(request, "Choose which role to remove.")
        return _back(program)
    if request.method == "GET":
        coached = next(
            (p.coached_teams for p in program_people(program=program) if p.user == person), []
        )
        return render(
            request,
            "teams/people_remove_confirm.html",
            {
                "program": program,
                "person": person,
                "role": role,
                "role_label": ProgramRole(role).label,
                "coached_teams": coached if role == ProgramRole.COACH else [],
                "is_self": person == request.user,
            },
        )
    try:
        program_role_remove(program=program, user=person, role=role, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _back(program)
    messages.success(
        request, f"{person.display_name} is no longer {ProgramRole(role).label} of {program.name}."
    )
    return _after_own_change(request, program)
