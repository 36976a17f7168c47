"""Which time zone a person reads times in.

It lives in teams, not accounts, because the default is the zone of the person's
collaborative, which only team memberships and coach assignments tell.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection

from accounts.models import ProgramMembership, User
from collaboratives.models import Collaborative
from core.timezones import zone_info

from ..models import CoachAssignment, Team, TeamMembership


def viewer_time_zone(*, user: User | Any) -> str:
    """The zone `user` reads times in (an IANA name).

    Their own choice (profile) first; else their collaborative's: the newest team they
    belong to, else the newest team they coach, else the latest collaborative of a
    program they work for; else the site's zone (settings.TIME_ZONE). One query when
    no choice was made, none otherwise.
    """
    chosen = getattr(user, "time_zone", "")
    if zone_info(chosen):
        return chosen
    if not getattr(user, "is_authenticated", False):
        return settings.TIME_ZONE
    zone = _collaborative_zone(user)
    return zone if zone_info(zone) else settings.TIME_ZONE


@cache
def _zone_sql() -> str:
    """One statement: the newest active membership's collaborative zone, else the newest
    coached team's, else the latest collaborative of a program the person works for."""
    membership = TeamMembership._meta.db_table
    assignment = CoachAssignment._meta.db_table
    team = Team._meta.db_table
    collaborative = Collaborative._meta.db_table
    program_membership = ProgramMembership._meta.db_table
    # Table names from the models; every value is a query parameter.
    return f"""
        SELECT COALESCE(
            (SELECT c.timezone FROM {membership} m
               JOIN {team} t ON t.id = m.team_id
               JOIN {collaborative} c ON c.id = t.collaborative_id
              WHERE m.user_id = %s AND m.is_active
              ORDER BY m.joined_at DESC, m.id DESC LIMIT 1),
            (SELECT c.timezone FROM {assignment} a
               JOIN {team} t ON t.id = a.team_id
               JOIN {collaborative} c ON c.id = t.collaborative_id
              WHERE a.coach_id = %s
              ORDER BY a.assigned_at DESC, a.id DESC LIMIT 1),
            (SELECT c.timezone FROM {collaborative} c
               JOIN {program_membership} p ON p.program_id = c.program_id
              WHERE p.user_id = %s AND p.is_active
              ORDER BY c.start_date IS NULL, c.start_date DESC, c.id DESC LIMIT 1)
        )
    """  # noqa: S608


def _collaborative_zone(user: User) -> str | None:
    """The zone of the person's collaborative (see `_zone_sql`), in one query.

    Written in SQL rather than with the ORM because the middleware asks it on every
    page: building the same statement from three correlated ORM subqueries cost about
    2 ms of Python per request (and per e-mail), ten times the query itself."""
    with connection.cursor() as cursor:
        cursor.execute(_zone_sql(), [user.pk, user.pk, user.pk])
        row = cursor.fetchone()
    return row[0] if row else None


def recipient_time_zone(email: str, context: dict[str, Any]) -> str | None:
    """The zone an e-mail to `email` is written in (core.emails asks for it).

    A person with an account reads it in the zone their pages use, so that the
    e-mail and the page agree; someone without one (an invitation) in the zone of
    the collaborative the e-mail is about.
    """
    user = context.get("recipient")
    if not (isinstance(user, User) and user.is_active and user.email.lower() == email.lower()):
        # The producer did not pass the recipient's account (a bulk render passes it,
        # and saves this query per e-mail).
        user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        return viewer_time_zone(user=user)
    collaborative = context.get("collaborative") or getattr(
        context.get("team"), "collaborative", None
    )
    return getattr(collaborative, "timezone", None)
