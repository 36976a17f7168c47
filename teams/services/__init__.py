"""Writes about teams: enrolment, invitations, memberships, program people and ratings.

One transaction each, with its audit event inside, so that a change and its
record of who made it are never separated. Services check that the change makes
sense (an invitation is still open, a team keeps a lead); who may ask for it is
decided by the callers through `teams.selectors.team_access`. Every refusal is a
django.core.exceptions.ValidationError with a message the person can act on and,
where one field is at fault, keyed by that field.

Import from `teams.services`; the modules are its sections.
"""

from ._invitations import (
    INVITATION_VALID_FOR,
    InvitationWords,
    address_refusal,
    invitation_link,
    invitation_mark_accepted,
    invitation_open,
    invitation_send_again,
    invitation_withdraw,
    link_refusal,
    normalise_email,
)
from .enrolment import (
    FACILITY_CHOICE_NEW,
    FacilityMatchFound,
    coach_assignments_set,
    facility_find_or_create,
    facility_label,
    facility_matches,
    team_approve,
    team_decline,
    team_register,
    team_withdraw,
)
from .members import (
    UNKNOWN_INVITATION_MESSAGE,
    invitation_accept,
    invitation_create,
    invitation_refusal,
    invitation_resend,
    invitation_revoke,
    team_membership_change_role,
    team_membership_remove,
)
from .people import (
    grantable_roles,
    program_invitation_create,
    program_invitation_resend,
    program_invitation_revoke,
    program_role_change,
    program_role_remove,
)
from .ratings import (
    RATIONALE_MAX_LENGTH,
    progress_rating_create,
)

__all__ = [
    "FACILITY_CHOICE_NEW",
    "FacilityMatchFound",
    "INVITATION_VALID_FOR",
    "InvitationWords",
    "RATIONALE_MAX_LENGTH",
    "UNKNOWN_INVITATION_MESSAGE",
    "address_refusal",
    "coach_assignments_set",
    "facility_find_or_create",
    "facility_label",
    "facility_matches",
    "grantable_roles",
    "invitation_accept",
    "invitation_create",
    "invitation_link",
    "invitation_mark_accepted",
    "invitation_open",
    "invitation_refusal",
    "invitation_resend",
    "invitation_revoke",
    "invitation_send_again",
    "invitation_withdraw",
    "link_refusal",
    "normalise_email",
    "program_invitation_create",
    "program_invitation_resend",
    "program_invitation_revoke",
    "program_role_change",
    "program_role_remove",
    "progress_rating_create",
    "team_approve",
    "team_decline",
    "team_membership_change_role",
    "team_membership_remove",
    "team_register",
    "team_withdraw",
]
