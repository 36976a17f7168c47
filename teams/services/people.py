"""A program's people: inviting program staff and coaches, changing and removing roles.

The invitation flow is the team members' one (_invitations.py): the same link
page, expiry, resending and withdrawing; accepting grants a program role
(accounts.ProgramMembership). Changes happen one at a time per program (the
program row is locked), so two staff cannot remove each other and leave the
program with nobody to run it. Program staff give the staff and coach roles; only
program admins give or change the admin role.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import STAFF_ROLES, Program, ProgramMembership, ProgramRole, User
from accounts.selectors import forget_program_roles, program_roles
from core.audit import audit_record

from ..models import CoachAssignment, ProgramInvitation
from ._common import coach_assignment_end
from ._invitations import (
    InvitationWords,
    address_refusal,
    invitation_email,
    invitation_mark_accepted,
    invitation_open,
    invitation_send_again,
    invitation_withdraw,
    link_refusal,
    normalise_email,
)

#: How a program invitation's refusals name the people involved.
PROGRAM_WORDS = InvitationWords(
    withdrawn_by="the program's staff",
    ask="the program's staff",
    joined="sign in and the program's pages are in the menu",
)


def grantable_roles(*, actor: User, program: Program) -> list[tuple[str, str]]:
    """The program roles `actor` may give, as (value, label): admins give every role,
    staff give the staff and coach roles."""
    if ProgramRole.ADMIN in program_roles(user=actor, program=program):
        return list(ProgramRole.choices)
    return [
        (ProgramRole.STAFF.value, ProgramRole.STAFF.label),
        (ProgramRole.COACH.value, ProgramRole.COACH.label),
    ]


def _check_grantable(role: str, *, actor: User, program: Program) -> None:
    if role not in dict(grantable_roles(actor=actor, program=program)):
        message = (
            "Only program admins give or change the admin role."
            if role == ProgramRole.ADMIN
            else "Choose program staff or coach."
        )
        raise ValidationError({"role": ValidationError(message, code="invalid")})


def _lock_program(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _roles_of_email(program: Program, email: str) -> list[str]:
    """The roles an active account with this address holds in the program, as labels."""
    roles = ProgramMembership.objects.filter(
        program=program, is_active=True, user__is_active=True, user__email__iexact=email
    ).values_list("role", flat=True)
    return sorted(ProgramRole(role).label for role in roles)


def _already_works_here(program: Program, email: str) -> ValidationError | None:
    roles = _roles_of_email(program, email)
    if not roles:
        return None
    return ValidationError(
        f"{email} already works in this program ({', '.join(roles)}). "
        "Change their role in the list of people instead.",
        code="already_member",
    )


def _send_invitation(invitation: ProgramInvitation, token: str, sender: User | None) -> None:
    invitation_email(
        invitation,
        token,
        sender,
        template="program_invitation",
        is_staff_role=invitation.role in STAFF_ROLES,
    )


# --- invitations -----------------------------------------------------------------------


@transaction.atomic
def program_invitation_create(
    *, program: Program, email: str, role: str, invited_by: User
) -> tuple[ProgramInvitation, str]:
    """Invite a person by e-mail to work for `program` as staff or coach.

    Returns (invitation, raw token). Refused for someone who already holds a role in
    the program (change their role instead) and for a second open invitation.
    """
    email = normalise_email(email)
    _check_grantable(role, actor=invited_by, program=program)
    program = _lock_program(program)
    problem = _already_works_here(program, email)
    if problem is not None:
        raise ValidationError({"email": problem})
    return invitation_open(
        ProgramInvitation,
        scope={"program": program},
        email=email,
        role=role,
        invited_by=invited_by,
        send=_send_invitation,
    )


@transaction.atomic
def program_invitation_revoke(
    *, invitation: ProgramInvitation, revoked_by: User
) -> ProgramInvitation:
    """Withdraw an open (or expired) invitation: its link stops working at once."""
    return invitation_withdraw(invitation=invitation, revoked_by=revoked_by)


def _still_wanted(invitation: ProgramInvitation) -> None:
    problem = _already_works_here(invitation.program, invitation.email)
    if problem is not None:
        raise ValidationError(
            f"{problem.message} Withdraw the invitation instead.", code="already_member"
        )


@transaction.atomic
def program_invitation_resend(
    *, invitation: ProgramInvitation, sent_by: User
) -> tuple[ProgramInvitation, str]:
    """Send the invitation again with a new link and expiry; the old link stops working."""
    return invitation_send_again(
        invitation=invitation, sent_by=sent_by, check=_still_wanted, send=_send_invitation
    )


def program_invitation_refusal(
    *, invitation: ProgramInvitation, user: User | None
) -> ValidationError | None:
    """Why `user` cannot accept this invitation to a program's staff now, or None."""
    refusal = link_refusal(invitation, words=PROGRAM_WORDS) or address_refusal(
        invitation, user=user
    )
    if refusal is not None or user is None:
        return refusal
    if invitation.role in program_roles(user=user, program=invitation.program):
        return ValidationError(
            f"You are already {invitation.get_role_display()} of {invitation.program.name}.",
            code="already_member",
        )
    return None


def program_invitation_accept(*, invitation: ProgramInvitation, user: User) -> ProgramMembership:
    """Accept an invitation to a program's staff as `user`: they take up its role.

    Called by `invitation_accept` (members.py) inside its transaction. A role held
    before and removed is re-activated, so its history stays in one row.
    """
    _lock_program(invitation.program)
    invitation = (
        ProgramInvitation.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=invitation.pk)
    )
    refusal = program_invitation_refusal(invitation=invitation, user=user)
    if refusal is not None:
        raise refusal
    membership, created = ProgramMembership.objects.get_or_create(
        program=invitation.program, user=user, role=invitation.role
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    forget_program_roles(user)
    invitation_mark_accepted(invitation, user=user, data={"reactivated": not created})
    return membership


# --- roles ---------------------------------------------------------------------------------


def _lock_membership(program: Program, user: User, role: str) -> ProgramMembership:
    membership = (
        ProgramMembership.objects.select_for_update()
        .select_related("user")
        .filter(program=program, user=user, role=role, is_active=True)
        .first()
    )
    if membership is None:
        raise ValidationError(
            f"{user.display_name} is no longer {ProgramRole(role).label} of this program.",
            code="not_member",
        )
    return membership


def _refuse_admin_change(membership: ProgramMembership, *, actor: User) -> None:
    if membership.role == ProgramRole.ADMIN and ProgramRole.ADMIN not in program_roles(
        user=actor, program=membership.program
    ):
        raise ValidationError("Only program admins change an admin's role.", code="admin_only")


def _is_last_staff(membership: ProgramMembership) -> bool:
    """Whether `membership` is the program's only active staff or admin role."""
    if membership.role not in STAFF_ROLES:
        return False
    return not (
        ProgramMembership.objects.filter(
            program_id=membership.program_id,
            role__in=STAFF_ROLES,
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _refuse_last_staff(membership: ProgramMembership, *, actor: User, doing: str) -> None:
    if not _is_last_staff(membership):
        return
    if membership.user_id == actor.pk:
        message = (
            f"You are the program's only staff member. Invite or appoint someone else as "
            f"program staff before you {doing} your role."
        )
    else:
        message = (
            f"{membership.user.display_name} is the program's only staff member. Appoint "
            f"someone else as program staff first, then {doing} this role."
        )
    raise ValidationError(message, code="last_staff")


def _after_role_ended(
    role: str, *, membership: ProgramMembership, actor: User, verb: str, data: dict
) -> None:
    """What follows ending `role` (the person's membership now being `membership`): a
    former coach is unassigned from the program's teams (staff see every team anyway,
    and an assignment without the role would only mislead), and the change is audited."""
    user = membership.user
    assignments = []
    if role == ProgramRole.COACH:
        assignments = list(
            CoachAssignment.objects.filter(
                program_id=membership.program_id, coach=user
            ).select_related("team", "coach")
        )
    for assignment in assignments:
        coach_assignment_end(assignment, actor=actor)
    forget_program_roles(user)
    if actor.pk == user.pk:
        forget_program_roles(actor)  # the request's own user object, if another instance
    audit_record(
        actor=actor,
        verb=verb,
        target=membership,
        data={
            "person": str(user.public_id),
            "name": user.display_name,
            "teams_unassigned": len(assignments),
            **data,
        },
    )


@transaction.atomic
def program_role_change(
    *, program: Program, user: User, from_role: str, to_role: str, changed_by: User
) -> ProgramMembership:
    """Give a person another program role in place of `from_role`.

    The program's last staff member cannot be made a coach; a coach who stops
    being one is unassigned from their teams (staff see every team anyway).
    """
    _check_grantable(to_role, actor=changed_by, program=program)
    program = _lock_program(program)
    membership = _lock_membership(program, user, from_role)
    _refuse_admin_change(membership, actor=changed_by)
    if from_role == to_role:
        return membership
    if to_role not in STAFF_ROLES:
        _refuse_last_staff(membership, actor=changed_by, doing="change")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    new, _created = ProgramMembership.objects.get_or_create(
        program=program, user=user, role=to_role
    )
    if not new.is_active:
        new.is_active = True
        new.save(update_fields=["is_active"])
    _after_role_ended(
        from_role,
        membership=new,
        actor=changed_by,
        verb="program_membership.role_changed",
        data={"old_role": from_role, "new_role": to_role},
    )
    return new


@transaction.atomic
def program_role_remove(
    *, program: Program, user: User, role: str, removed_by: User
) -> ProgramMembership:
    """End one of a person's program roles (the row is kept, inactive, for the history).

    The program's last staff member cannot be removed, nor remove themselves; a
    removed coach is unassigned from their teams.
    """
    program = _lock_program(program)
    membership = _lock_membership(program, user, role)
    _refuse_admin_change(membership, actor=removed_by)
    _refuse_last_staff(membership, actor=removed_by, doing="remove")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _after_role_ended(
        role,
        membership=membership,
        actor=removed_by,
        verb="program_membership.removed",
        data={"role": role},
    )
    return membership
