"""Which time zone a person reads times in.

It lives in teams, not accounts, because the default is the zone of the person's
collaborative, which only team memberships and coach assignments tell.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from collaboratives.models import Collaborative
from core.timezones import zone_info

from ..models import CoachAssignment, TeamMembership


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


def _collaborative_zone(user: User) -> str | None:
    member = (
        TeamMembership.objects.filter(user=OuterRef("pk"), is_active=True)
        .order_by("-joined_at", "-pk")
        .values("team__collaborative__timezone")[:1]
    )
    coach = (
        CoachAssignment.objects.filter(coach=OuterRef("pk"))
        .order_by("-assigned_at", "-pk")
        .values("team__collaborative__timezone")[:1]
    )
    staff = (
        Collaborative.objects.filter(
            program__memberships__user=OuterRef("pk"), program__memberships__is_active=True
        )
        .order_by(F("start_date").desc(nulls_last=True), "-pk")
        .values("timezone")[:1]
    )
    return (
        User.objects.filter(pk=user.pk)
        .annotate(zone=Coalesce(Subquery(member), Subquery(coach), Subquery(staff)))
        .values_list("zone", flat=True)
        .first()
    )


def recipient_time_zone(email: str, context: dict[str, Any]) -> str | None:
    """The zone an e-mail to `email` is written in (core.emails asks for it).

    A person with an account reads it in the zone their pages use, so that the
    e-mail and the page agree; someone without one (an invitation) in the zone of
    the collaborative the e-mail is about.
    """
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        return viewer_time_zone(user=user)
    collaborative = context.get("collaborative") or getattr(
        context.get("team"), "collaborative", None
    )
    return getattr(collaborative, "timezone", None)
