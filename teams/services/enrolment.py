"""Teams joining a collaborative: registration, staff decisions, withdrawal, coaches.

Services (writes, one transaction each, audited). The applicant and the team's
leads are told of every decision by e-mail, queued after commit.
"""

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
from core.emails import Recipient, absolute_url, email_enqueue

from ..models import (
    CoachAssignment,
    Facility,
    Team,
    TeamMembership,
    TeamRole,
    TeamStatus,
)
from ._common import coach_assignment_end, lock_team
from .members import invitation_create

#: The applicant's answer when their facility matches a registered one: register theirs
#: as typed. Any other answer is the public id of the registered facility to use.
FACILITY_CHOICE_NEW = "new"


def _tidy(text: str) -> str:
    """Spacing collapsed: the form in which facility names and cities are stored."""
    return " ".join((text or "").split())


def facility_label(facility: Facility) -> str:
    """ "Mercy Hospital, Athens, OH": what the applicant reads to recognise a facility."""
    return ", ".join(part for part in (facility.name, facility.city, facility.state) if part)


def facility_matches(*, program, name: str, state: str) -> list[Facility]:
    """The program's registered facilities that the de-duplication rule matches.

    The rule, in this one place: the same name and state, ignoring case and
    spacing. The city is not part of it (people type it differently, or leave it
    out), which is why a match is shown to the applicant to confirm, never used in
    place of what they typed.
    """
    return list(
        Facility.objects.annotate(lname=Lower("name"))
        .filter(program=program, lname=_tidy(name).lower(), state=state.strip().upper())
        .order_by("city", "pk")
    )


class FacilityMatchFound(ValidationError):
    """The typed facility matches registered ones: the applicant must say which it is.

    Carries the matches so that the form can offer them; nothing was created.
    """

    def __init__(self, matches: list[Facility], message: str) -> None:
        self.matches = matches
        super().__init__({"facility_choice": ValidationError(message, code="facility_match")})


def facility_find_or_create(
    *,
    program,
    name: str,
    facility_type: str,
    state: str,
    city: str = "",
    volume_band: str = "",
    choice: str = "",
) -> Facility:
    """The facility the applicant means: a registered one they confirmed, or theirs as typed.

    When the name and state match registered facilities (`facility_matches`) and
    the applicant has not answered yet (`choice` empty, or naming a facility that
    no longer matches), FacilityMatchFound is raised so that they can confirm a
    match or keep what they typed: a registered facility's city, type or volume
    never silently replaces theirs. `choice` is FACILITY_CHOICE_NEW to register
    theirs as typed, or the public id of the match they confirmed.
    """
    name, city, state = _tidy(name), _tidy(city), state.strip().upper()
    matches = facility_matches(program=program, name=name, state=state)
    chosen = next((f for f in matches if str(f.public_id) == choice), None)
    if chosen is not None:
        return chosen
    if matches and choice != FACILITY_CHOICE_NEW:
        raise FacilityMatchFound(
            matches, "Tell us whether this is your facility, or register yours as typed."
        )
    same_place = next((f for f in matches if f.city.lower() == city.lower()), None)
    if same_place is not None:
        raise FacilityMatchFound(
            matches,
            f"{facility_label(same_place)} is already registered with this name, city and "
            "state. Use it, or change the name or city if yours is another facility.",
        )
    try:
        with transaction.atomic():
            return Facility.objects.create(
                program=program,
                name=name,
                facility_type=facility_type,
                state=state,
                city=city,
                volume_band=volume_band,
            )
    except IntegrityError:
        # Registered by someone else a moment ago: let the applicant confirm it.
        matches = facility_matches(program=program, name=name, state=state)
        if not matches:
            raise
        raise FacilityMatchFound(
            matches, "Tell us whether this is your facility, or register yours as typed."
        ) from None


def _team_path(team: Team) -> str:
    return reverse("teams:detail", kwargs={"team_id": team.public_id})


def _team_url(team: Team) -> str:
    return absolute_url(_team_path(team))


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
            kind="enrolment",
            notice_url=_team_path(team),
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
    facility_choice: str = "",
) -> Team:
    """A facility's team applies to join a recruiting collaborative.

    The team waits in "applied" until staff decide. The applicant becomes the
    lead, or a member when they name someone else as lead (who is invited).
    `facility_choice` is the applicant's answer when their facility matches a
    registered one (see `facility_find_or_create`).
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
        choice=facility_choice,
    )
    if not collaborative.accepts_facility_type(facility.facility_type):
        raise ValidationError(
            {
                "facility_choice": (
                    f"{facility_label(facility)} is registered as a facility of type "
                    f'"{facility.get_facility_type_display()}", and this collaborative is '
                    "not open to that type."
                )
            }
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
    current = {
        a.coach_id: a
        for a in CoachAssignment.objects.filter(team=team).select_related("team", "coach")
    }
    wanted = {c.pk: c for c in coaches}
    for coach_id, assignment in current.items():
        if coach_id not in wanted:
            coach_assignment_end(assignment, actor=actor)
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
