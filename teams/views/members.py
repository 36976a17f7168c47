"""Members and invitations: invite, resend, revoke, change roles, remove, leave, and
the invitation link's page. Leads and program staff manage; everyone may leave."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import STAFF_ROLES, ProgramMembership, ProgramRole
from accounts.selectors import must_set_up_mfa
from core.public import public_view

from ..forms import InvitationForm, MemberRoleForm
from ..models import ProgramInvitation, Team, TeamMembership, TeamRole
from ..selectors import (
    TeamAccess,
    invitation_by_secret_token,
    recipient_time_zone,
    team_access,
    team_and_access_or_404,
    team_invitations,
    team_members,
    team_open_invitations,
    team_or_404,
)
from ..services import (
    UNKNOWN_INVITATION_MESSAGE,
    invitation_accept,
    invitation_create,
    invitation_refusal,
    invitation_resend,
    invitation_revoke,
    team_membership_change_role,
    team_membership_remove,
)
from ._invitations import (
    error_text,
    invite_and_tell,
    resend_and_tell,
    revoke_and_tell,
    with_follow_up_urls,
)

#: HTTP status of the invitation page for each reason an invitation cannot be accepted.
INVITATION_PROBLEM_STATUS = {
    "unknown": 404,
    "used": 410,
    "revoked": 410,
    "expired": 410,
    "team_closed": 410,
    "wrong_email": 403,
    "already_member": 200,
}


def _managed_team(request: HttpRequest, team_id) -> tuple[Team, TeamAccess]:
    """A team the person may see (else 404) and manage (else 403)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    if not access.can_manage_members:
        raise PermissionDenied("Only the team's leads and program staff manage members.")
    return team, access


@login_required
@require_http_methods(["GET", "POST"])
def team_members_page(request: HttpRequest, team_id) -> HttpResponse:
    """Members and open invitations; leads and staff also invite (POST) from here."""
    team = team_or_404(user=request.user, team_id=team_id)
    access = team_access(user=request.user, team=team)
    form = InvitationForm() if access.can_manage_members else None
    if request.method == "POST":
        if not access.can_manage_members:
            raise PermissionDenied("Only the team's leads and program staff invite members.")
        form = InvitationForm(request.POST)
        if form.is_valid() and invite_and_tell(request, form, invitation_create, team=team):
            return redirect("teams:members", team_id=team.public_id)
    return render(
        request,
        "teams/members.html",
        {
            "team": team,
            "access": access,
            "members": team_members(team=team),
            "invitations": with_follow_up_urls(
                team_open_invitations(team=team), "teams:invitation", team_id=team.public_id
            )
            if access.can_see_emails
            else [],
            "form": form,
            "role_choices": TeamRole.choices,
        },
    )


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, team_id, invitation_id) -> HttpResponse:
    team, _access = _managed_team(request, team_id)
    invitation = get_object_or_404(team_invitations(team=team), public_id=invitation_id)
    revoke_and_tell(request, invitation, invitation_revoke)
    return redirect("teams:members", team_id=team.public_id)


@login_required
@require_POST
def invitation_resend_view(request: HttpRequest, team_id, invitation_id) -> HttpResponse:
    team, _access = _managed_team(request, team_id)
    invitation = get_object_or_404(team_invitations(team=team), public_id=invitation_id)
    resend_and_tell(request, invitation, invitation_resend)
    return redirect("teams:members", team_id=team.public_id)


@login_required
@require_POST
def member_role(request: HttpRequest, team_id, membership_id) -> HttpResponse:
    team, _access = _managed_team(request, team_id)
    membership = get_object_or_404(team_members(team=team), public_id=membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the team roles.")
        return redirect("teams:members", team_id=team.public_id)
    try:
        membership = team_membership_change_role(
            membership=membership, role=form.cleaned_data["role"], changed_by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, f"{membership.user.display_name} is now {membership.get_role_display()}."
        )
    return redirect("teams:members", team_id=team.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, team_id, membership_id) -> HttpResponse:
    """Ask for confirmation (GET), then remove the member (POST)."""
    team, _access = _managed_team(request, team_id)
    membership = get_object_or_404(team_members(team=team), public_id=membership_id)
    is_self = membership.user_id == request.user.pk
    return _confirm_then_remove(request, team, membership, is_self=is_self)


@login_required
@require_http_methods(["GET", "POST"])
def team_leave(request: HttpRequest, team_id) -> HttpResponse:
    """A member leaves the team themselves, after confirming."""
    team = team_or_404(user=request.user, team_id=team_id)
    membership = team_members(team=team).filter(user=request.user).first()
    if membership is None:
        raise Http404("You are not a member of this team.")
    return _confirm_then_remove(request, team, membership, is_self=True)


def _confirm_then_remove(
    request: HttpRequest, team: Team, membership: TeamMembership, *, is_self: bool
) -> HttpResponse:
    """Ask for confirmation (GET), then remove the membership (POST); someone who
    removed themselves goes home, since the team's pages are no longer theirs."""
    if request.method == "GET":
        return render(
            request,
            "teams/member_remove_confirm.html",
            {"team": team, "membership": membership, "is_self": is_self},
        )
    try:
        team_membership_remove(membership=membership, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("teams:members", team_id=team.public_id)
    if is_self:
        messages.success(request, f"You left {team.name}.")
        return redirect("home")
    messages.success(request, f"{membership.user.display_name} was removed from the team.")
    return redirect("teams:members", team_id=team.public_id)


@public_view
@require_http_methods(["GET", "POST"])
def invitation_accept_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to, to a team or to a program's staff.

    Public by design: the invitee may not have an account yet, and the secret token
    is what lets them read the team's (or program's) name. Anonymous visitors are offered sign-in
    and sign-up with a way back here; signed-in people accept with a POST.
    """
    invitation = invitation_by_secret_token(token=token)
    if invitation is None:
        return _invitation_page(request, None, "unknown", UNKNOWN_INVITATION_MESSAGE)
    user = request.user if request.user.is_authenticated else None
    if user is None:
        # Times as the invitation e-mail wrote them: in the invitee's zone.
        team = getattr(invitation, "team", None)
        context = {"collaborative": team.collaborative} if team else {}
        zone = recipient_time_zone(invitation.email, context)
        if zone:
            timezone.activate(zone)
    if request.method == "POST":
        if user is None:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            membership = invitation_accept(token=token, user=user)
        except ValidationError as error:
            return _invitation_page(request, invitation, error.code, error_text(error))
        if isinstance(membership, ProgramMembership):
            return _welcome_to_program(request, membership)
        messages.success(
            request,
            f"Welcome to {membership.team.name}. You joined as {membership.get_role_display()}.",
        )
        return redirect("teams:detail", team_id=membership.team.public_id)
    refusal = invitation_refusal(invitation=invitation, user=user)
    if refusal is not None:
        return _invitation_page(request, invitation, refusal.code, error_text(refusal))
    return _invitation_page(request, invitation, None, "")


def _welcome_to_program(request: HttpRequest, membership: ProgramMembership) -> HttpResponse:
    """After accepting a program role: staff without an authenticator set one up first,
    where the program requires it; coaches go to their teams, staff to their home."""
    welcome = (
        f"Welcome to {membership.program.name}. You joined as {membership.get_role_display()}."
    )
    if must_set_up_mfa(user=request.user):
        messages.success(
            request,
            f"{welcome} Program staff sign in with two-factor authentication: set it up now "
            "to continue.",
        )
        return redirect("mfa_activate_totp")
    messages.success(request, welcome)
    if membership.role == ProgramRole.COACH:
        return redirect("dashboards:coach")
    return redirect("home")


def _invitation_page(
    request: HttpRequest, invitation, code: str | None, problem: str
) -> HttpResponse:
    # Someone who already belongs (or used this link themselves) is shown the way in.
    is_member_now = request.user.is_authenticated and (
        code == "already_member"
        or (code == "used" and invitation.accepted_by_id == request.user.pk)
    )
    return render(
        request,
        "teams/invitation_accept.html",
        {
            "invitation": invitation,
            "team": getattr(invitation, "team", None),
            # Staff roles need an authenticator where the settings require one.
            "mfa_for_role": isinstance(invitation, ProgramInvitation)
            and invitation.role in STAFF_ROLES
            and settings.MFA_REQUIRED_FOR_STAFF,
            # An unusable link shows nothing about the team beyond what a member sees.
            "show_details": invitation is not None and code in (None, "already_member"),
            "code": code,
            "problem": problem,
            "is_member_now": is_member_now,
            "next_query": urlencode({"next": request.path}),
        },
        status=INVITATION_PROBLEM_STATUS.get(code, 200) if code else 200,
    )
