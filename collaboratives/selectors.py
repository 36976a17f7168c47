"""Scoped reads of collaboratives."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_program_ids

from .models import Collaborative, CollaborativeStatus, Phase


def collaboratives_visible_to(*, user: User) -> QuerySet[Collaborative]:
    """Collaboratives the user works in: all of their programs' (staff, coaches),
    and the ones their teams belong to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Collaborative.objects.none()
    program_ids = staff_program_ids(user=user) | coach_program_ids(user=user)
    condition = Q(teams__memberships__user=user, teams__memberships__is_active=True)
    if program_ids:
        condition |= Q(program_id__in=program_ids)
    visible_ids = Collaborative.objects.filter(condition).values("pk")
    return Collaborative.objects.filter(pk__in=visible_ids).select_related("program")


def collaboratives_run_by(*, user: User) -> QuerySet[Collaborative]:
    """Collaboratives of the programs the user runs, with team counts for staff lists."""
    return (
        Collaborative.objects.filter(program_id__in=staff_program_ids(user=user))
        .select_related("program")
        .annotate(
            n_teams=Count("teams", filter=Q(teams__status="active"), distinct=True),
            n_applied=Count("teams", filter=Q(teams__status="applied"), distinct=True),
        )
        .order_by("program__name", "-start_date")
    )


def collaboratives_public() -> QuerySet[Collaborative]:
    """Recruiting collaboratives of every program: their public pages need no login."""
    return Collaborative.objects.filter(status=CollaborativeStatus.RECRUITING).select_related(
        "program"
    )


def phases_of(*, collaborative: Collaborative) -> QuerySet[Phase]:
    return Phase.objects.filter(collaborative=collaborative).order_by("start_date")


def current_phase(*, collaborative: Collaborative, today: date) -> Phase | None:
    """The phase running on `today`, or None between phases / outside the dates."""
    return (
        Phase.objects.filter(
            collaborative=collaborative, start_date__lte=today, end_date__gte=today
        )
        .order_by("start_date")
        .first()
    )
