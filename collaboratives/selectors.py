"""Scoped reads of collaboratives."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet

from accounts.models import ProgramMembership, User
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


def who_sees_collaboratives(
    *, user_ids: Iterable[int], collaboratives: Iterable[Collaborative]
) -> set[tuple[int, int]]:
    """The (user id, collaborative id) pairs where the user sees the collaborative, by the
    rules of `collaboratives_visible_to`, in two queries whatever the number of people.

    For background jobs that write to many people about many collaboratives (reminders):
    someone who left the program or their team, or whose account was deactivated, is
    not written to about a collaborative they can no longer open.
    """
    user_ids = set(user_ids)
    by_program: dict[int, set[int]] = defaultdict(set)
    for collaborative in collaboratives:
        by_program[collaborative.program_id].add(collaborative.pk)
    if not user_ids or not by_program:
        return set()
    pairs = set()
    for user_id, program_id in ProgramMembership.objects.filter(
        user_id__in=user_ids, program_id__in=list(by_program), is_active=True, user__is_active=True
    ).values_list("user_id", "program_id"):
        pairs.update((user_id, pk) for pk in by_program[program_id])
    collaborative_ids = set().union(*by_program.values())
    pairs.update(
        Collaborative.objects.filter(
            pk__in=collaborative_ids,
            teams__memberships__user_id__in=user_ids,
            teams__memberships__is_active=True,
            teams__memberships__user__is_active=True,
        ).values_list("teams__memberships__user_id", "pk")
    )
    return pairs


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
