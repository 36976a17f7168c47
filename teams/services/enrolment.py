"""Teams joining a collaborative: registration, staff decisions, withdrawal, coaches.

Services (writes, one transaction each, audited). The applicant and the team's
leads are told of every decision by e-mail, queued after commit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse

from accounts.models import ProgramRole, User
from accounts.selectors import program_ids_where
from collaboratives.lifecycle import enrolment_problem
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from core.emails import Recipient, email_enqueue

from ..models import (
    CoachAssignment,
    Facility,
    Team,
    TeamMembership,
    TeamRole,
    TeamStatus,
)
from ._common import lock_team
from .members import invitation_create


def facility_find_or_create(
    *, program, name: str, facility_type: str, state: str, city: str = "", volume_band: str = ""
) -> Facility:
    """The program's facility with this name and state (ignoring case), or a new one.

    The registry is de-duplicated by name and state, so two teams from the same
    hospital find the same facility.
    """
    name = " ".join(name.split())
    state = state.strip().upper()
    existing = (
        Facility.objects.annotate(lname=Lower("name"))
        .filter(program=program, lname=name.lower(), state=state)
        .first()
    )
    if existing:
        return existing
    return Facility.objects.create(
        program=program,
        name=name,
        facility_type=facility_type,
        state=state,
        city=city.strip(),
        volume_band=volume_band,
    )


def _team_url(team: Team) -> str:
    return settings.SITE_URL + reverse("teams:detail", kwargs={"team_id": team.public_id})


def _notify(team: Team, template: str, extra: dict | None = None) -> tuple[Recipient, ...]:
    """E-mail the team's leads and the applicant (each once); returns who was e-mailed,
    so that the page can say so (and say so when nobody was)."""
    recipients = {
        m.user.email: m.user
        for m in TeamMembership.objects.filter(
            team=team, role=TeamRole.LEAD, is_active=True
        ).select_related("user")
    }
    roles = dict.fromkeys(recipients, "lead")
    if team.applied_by_id and team.applied_by.email not in recipients:
        recipients[team.applied_by.email] = team.applied_by
        roles[team.applied_by.email] = "applicant"
    context = {
        "team": team,
        "collaborative": team.collaborative,
        "program": team.program,
        "team_url": _team_url(team),
        **(extra or {}),
    }
    emailed = []
    for email, person in recipients.items():
        email_enqueue(
            to=email,
            template=template,
            context={**context, "person": person},
            program=team.program,
        )
        emailed.append(Recipient.of(person, roles[email]))
    return tuple(emailed)


@transaction.atomic
def team_register(
    *,
    collaborative: Collaborative,
    applicant: User,
    facility_name: str,
    facility_type: str,
    state: str,
    city: str = "",
    volume_band: str = "",
    team_name: str,
    goals: str,
    lead_is_applicant: bool = True,
    lead_email: str = "",
) -> Team:
    """A facility's team applies to join a recruiting collaborative.

    The team waits in "applied" until staff decide. The applicant becomes the
    lead, or a member when they name someone else as lead (who is invited).
    """
    today = clock.today()
    problem = enrolment_problem(collaborative, today)
    if problem:
        raise ValidationError(problem)
    if not collaborative.accepts_facility_type(facility_type):
        raise ValidationError(
            {"facility_type": "This collaborative is not open to this type of facility."}
        )
    facility = facility_find_or_create(
        program=collaborative.program,
        name=facility_name,
        facility_type=facility_type,
        state=state,
        city=city,
        volume_band=volume_band,
    )
    existing = Team.objects.filter(collaborative=collaborative, facility=facility).first()
    if existing:
        raise ValidationError(
            {
                "facility_name": (
                    f"A team from {facility} has already applied to this collaborative "
                    f"({existing.get_status_display().lower()}). Ask its lead to invite you."
                )
            }
        )
    lead_email = lead_email.strip().lower()
    if not lead_is_applicant and (not lead_email or lead_email == applicant.email):
        raise ValidationError({"lead_email": "Give the e-mail address of the person who leads."})
    try:
        with transaction.atomic():
            team = Team.objects.create(
                program=collaborative.program,
                collaborative=collaborative,
                facility=facility,
                name=" ".join(team_name.split()),
                goals=goals.strip(),
                status=TeamStatus.APPLIED,
                applied_by=applicant,
            )
    except IntegrityError:
        raise ValidationError(
            {"facility_name": f"A team from {facility} has already applied."}
        ) from None
    TeamMembership.objects.create(
        program=team.program,
        team=team,
        user=applicant,
        role=TeamRole.LEAD if lead_is_applicant else TeamRole.MEMBER,
    )
    audit_record(
        actor=applicant,
        verb="team.applied",
        target=team,
        data={"facility": str(facility.public_id), "lead_is_applicant": lead_is_applicant},
    )
    if not lead_is_applicant:
        invitation_create(team=team, email=lead_email, role=TeamRole.LEAD, invited_by=applicant)
    _notify(team, "enrolment_received")
    return team


def _decide(
    *,
    team: Team,
    actor: User,
    allowed_from: tuple[str, ...],
    refusal: str,
    status: str,
    reason: str,
    verb: str,
    template: str,
) -> Team:
    """Move the team to `status` if it is in `allowed_from` (else `refusal`), record who
    decided when and why, audit it and tell the team by e-mail.

    The returned team carries `emailed`: the people an e-mail was queued for (none
    when the team has no lead and no applicant to tell), for the page to report."""
    locked = lock_team(team)
    if locked.status not in allowed_from:
        raise ValidationError(refusal.format(status=locked.get_status_display().lower()))
    locked.status = status
    locked.decided_at = clock.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    audit_record(actor=actor, verb=verb, target=locked, data={"reason": reason} if reason else None)
    locked.emailed = _notify(locked, template, {"reason": reason} if reason else None)
    return locked


def _reason(reason: str, message: str) -> str:
    """The staff's reason, which the team reads; refused when empty."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def team_approve(*, team: Team, actor: User) -> Team:
    return _decide(
        team=team,
        actor=actor,
        allowed_from=(TeamStatus.APPLIED,),
        refusal="Only applications can be approved; this team is {status}.",
        status=TeamStatus.ACTIVE,
        reason="",
        verb="team.approved",
        template="enrolment_approved",
    )


@transaction.atomic
def team_decline(*, team: Team, actor: User, reason: str) -> Team:
    return _decide(
        team=team,
        actor=actor,
        allowed_from=(TeamStatus.APPLIED,),
        refusal="Only applications can be declined; this team is {status}.",
        status=TeamStatus.DECLINED,
        reason=_reason(reason, "Say why the application is declined: the team reads it."),
        verb="team.declined",
        template="enrolment_declined",
    )


@transaction.atomic
def team_withdraw(*, team: Team, actor: User, reason: str) -> Team:
    """Withdraw an active team (or an application). Its records stay, read-only."""
    return _decide(
        team=team,
        actor=actor,
        allowed_from=(TeamStatus.ACTIVE, TeamStatus.APPLIED),
        refusal="This team is already {status}.",
        status=TeamStatus.WITHDRAWN,
        reason=_reason(reason, "Say why the team is withdrawn."),
        verb="team.withdrawn",
        template="team_withdrawn",
    )


@transaction.atomic
def coach_assignments_set(*, team: Team, coaches: list[User], actor: User) -> list[User]:
    """Make `coaches` exactly the team's coaches (assign new ones, unassign the others).

    Everyone assigned must hold the coach role in the team's program.
    """
    not_coaches = [
        c
        for c in coaches
        if team.program_id not in program_ids_where(user=c, roles=(ProgramRole.COACH,))
    ]
    if not_coaches:
        names = ", ".join(c.display_name for c in not_coaches)
        raise ValidationError({"coaches": f"Not a coach of this program: {names}."})
    current = {a.coach_id: a for a in CoachAssignment.objects.filter(team=team)}
    wanted = {c.pk: c for c in coaches}
    for coach_id, assignment in current.items():
        if coach_id not in wanted:
            assignment.delete()
            audit_record(
                actor=actor,
                verb="team.coach_unassigned",
                target=team,
                data={"coach": str(assignment.coach.public_id)},
            )
    for coach_id, coach in wanted.items():
        if coach_id not in current:
            CoachAssignment.objects.create(program=team.program, team=team, coach=coach)
            audit_record(
                actor=actor,
                verb="team.coach_assigned",
                target=team,
                data={"coach": str(coach.public_id)},
            )
    return list(wanted.values())
