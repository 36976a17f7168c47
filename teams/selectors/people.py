"""A program's people: its staff and coaches, their roles and the teams each coaches.

Only for the program's own staff: `program_run_by_or_404` is how a page finds the
program, and answers 404 to everyone else, exactly as for a program that does not
exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import Program, ProgramMembership, ProgramRole, User
from accounts.selectors import program_run_by_or_404  # noqa: F401 - re-exported

from ..models import CoachAssignment, Team


@dataclass
class ProgramPerson:
    """One person who works for a program, with every role they hold there."""

    user: User
    memberships: list[ProgramMembership] = field(default_factory=list)
    #: The teams they coach in this program (coaches only), by collaborative and name.
    coached_teams: list[Team] = field(default_factory=list)

    @property
    def is_coach(self) -> bool:
        return any(m.role == ProgramRole.COACH for m in self.memberships)

    @property
    def since(self):
        """When they took up their first current role."""
        return min(m.created_at for m in self.memberships)


def program_people(*, program: Program) -> list[ProgramPerson]:
    """The program's staff, admins and coaches, by name, with their coached teams.

    Two queries, whatever the number of people. For the program's staff only (the
    caller found the program with `program_run_by_or_404`): e-mail addresses included.
    """
    people: dict[int, ProgramPerson] = {}
    memberships = (
        ProgramMembership.objects.filter(program=program, is_active=True, user__is_active=True)
        .select_related("user", "program")
        .order_by("user__full_name", "user__email", "role")
    )
    for membership in memberships:
        person = people.setdefault(membership.user_id, ProgramPerson(user=membership.user))
        person.memberships.append(membership)
    assignments = (
        CoachAssignment.objects.filter(program=program, coach_id__in=people)
        .select_related("team", "team__collaborative")
        .order_by("team__collaborative__title", "team__name")
    )
    for assignment in assignments:
        person = people[assignment.coach_id]
        if person.is_coach:
            person.coached_teams.append(assignment.team)
    return list(people.values())


def program_person_or_404(*, program: Program, user_id) -> User:
    """A person who holds an active role in the program (found by public id), else 404."""
    try:
        return (
            User.objects.filter(
                public_id=user_id,
                is_active=True,
                program_memberships__program=program,
                program_memberships__is_active=True,
            )
            .distinct()
            .get()
        )
    except (User.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such person in this program.") from None
