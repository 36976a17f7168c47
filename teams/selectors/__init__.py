"""Scoped reads of facilities, teams, memberships, invitations, program people and ratings.

Import from `teams.selectors`: this package's modules are its sections, and the names
below are what other apps may use (every read takes the user, or a team the caller
already may see).
"""

from .activity import (
    ActivityItem,
    team_recent_activity,
)
from .invitations import (
    InvitationState,
    invitation_by_secret_token,
    invitation_state,
    invitations_to_follow_up,
    program_invitations,
    program_open_invitations,
    team_invitations,
    team_open_invitations,
    token_hash,
)
from .joining import (
    joined_by,
    joined_by_zone,
    team_joined_on,
)
from .people import (
    ProgramPerson,
    program_people,
    program_person_or_404,
    program_run_by_or_404,
)
from .rating_rule import (
    RatingExpectation,
    RatingStatus,
    rating_expectation,
    rating_kinds_owed_by,
    rating_status,
)
from .ratings import (
    GAP_THRESHOLD,
    LatestScore,
    MonthRatings,
    TeamScores,
    gap_label,
    progress_history,
    progress_ratings_for,
    rating_distribution,
    score_definition,
    team_ratings_column,
    team_scores,
    team_scores_from,
)
from .roles import (
    RoleSummary,
    programs_visible_to,
    role_summary,
)
from .teams import (
    WORKING_ROLES,
    TeamAccess,
    facilities_visible_to,
    is_team_lead,
    team_access,
    team_and_access_or_404,
    team_coaches,
    team_current_phase,
    team_get_for,
    team_members,
    team_memberships_of,
    team_or_404,
    team_role_of,
    teams_coached_by,
    teams_of_collaborative,
    teams_visible_to,
)
from .time_zones import recipient_time_zone, viewer_time_zone

__all__ = [
    "WORKING_ROLES",
    "ActivityItem",
    "GAP_THRESHOLD",
    "InvitationState",
    "LatestScore",
    "MonthRatings",
    "RatingExpectation",
    "RatingStatus",
    "RoleSummary",
    "TeamAccess",
    "TeamScores",
    "facilities_visible_to",
    "gap_label",
    "invitation_by_secret_token",
    "invitation_state",
    "invitations_to_follow_up",
    "is_team_lead",
    "ProgramPerson",
    "program_invitations",
    "program_open_invitations",
    "program_people",
    "program_person_or_404",
    "program_run_by_or_404",
    "joined_by",
    "joined_by_zone",
    "programs_visible_to",
    "recipient_time_zone",
    "progress_history",
    "progress_ratings_for",
    "rating_distribution",
    "rating_expectation",
    "rating_kinds_owed_by",
    "rating_status",
    "role_summary",
    "score_definition",
    "team_access",
    "team_coaches",
    "team_current_phase",
    "team_get_for",
    "team_joined_on",
    "team_invitations",
    "team_joined_on",
    "team_and_access_or_404",
    "team_members",
    "team_or_404",
    "team_memberships_of",
    "team_open_invitations",
    "team_recent_activity",
    "team_role_of",
    "team_ratings_column",
    "team_scores",
    "team_scores_from",
    "teams_coached_by",
    "teams_of_collaborative",
    "teams_visible_to",
    "token_hash",
    "viewer_time_zone",
]
