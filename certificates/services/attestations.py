"""The MOC Part 4 attestation workflow, one service per step:

    draft --attest--> attested --co-sign (team lead)--> cosigned --approve (staff)--> approved
      ^                  |                                  |
      +---- returned <---+------ return with a reason (staff) +

Each step locks the row and checks the state it starts from, so no step is skipped and
nothing is approved twice (a second click finds the new state and is refused with a
message). The participant edits only a draft or a returned attestation. A lead never
co-signs their own attestation; when the participant is their team's only active lead,
program staff co-sign in the lead's place
(docs/decisions/0013-credit-configuration-and-moc-attestation.md).
Every step is audited; the leads are e-mailed when the participant attests, the
participant when staff approve or return it.
"""

from __future__ import annotations

import calendar
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.selectors import is_program_staff
from core import clock
from core.audit import audit_record
from core.emails import Recipient, absolute_url, email_enqueue

from ..access import is_active_lead, other_leads
from ..models import AttestationStatus, Board, CreditOffer, MocAttestation, MocRole

#: ABP sponsors ask for 3 of the 4 roles of meaningful participation (DOMAIN.md s. 7).
MIN_ROLES = 3
#: Board ID numbers: ABP IDs are 6 digits; the other boards' are checked loosely.
BOARD_ID_PATTERNS = {Board.ABP: (r"\d{6}", "6 digits")}
LOOSE_BOARD_ID = (r"\d{4,10}", "4 to 10 digits")
POINT_STEP = 25

EDITABLE = (AttestationStatus.DRAFT, AttestationStatus.RETURNED)


def board_id_error(board: str, board_id: str) -> str | None:
    pattern, words = BOARD_ID_PATTERNS.get(board, LOOSE_BOARD_ID)
    if not re.fullmatch(pattern, board_id or ""):
        label = Board(board).label if board in Board.values else "the board"
        return f"The ID that {label} gave you is {words}, digits only."
    return None


def birth_day_error(month: int | None, day: int | None) -> str | None:
    """Month and day must make a real date; 29 February is accepted (a leap-day birth)."""
    if month is None or day is None:
        return "Enter the month and day of your birth (the board matches you by them)."
    if not 1 <= month <= 12:
        return "Choose a month."
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
        return f"{calendar.month_name[month]} has no day {day}."
    return None


def points_error(points: int | None, offer: CreditOffer) -> str | None:
    maximum = int(offer.max_amount)
    if not points or points <= 0:
        return "Enter the points you claim (25-point units)."
    if points % POINT_STEP:
        return "MOC Part 4 points come in 25-point units (25, 50, ...)."
    if points > maximum:
        return f"This activity offers at most {maximum} points."
    return None


def completeness_errors(attestation: MocAttestation) -> dict[str, str]:
    """What stops this attestation from being attested (empty when complete)."""
    errors: dict[str, str] = {}
    roles = set(attestation.roles or [])
    if not roles <= set(MocRole.values):
        errors["roles"] = "Choose roles from the list."
    elif len(roles) < MIN_ROLES:
        errors["roles"] = f"Meaningful participation needs at least {MIN_ROLES} of the 4 roles."
    if not attestation.role_description.strip():
        errors["role_description"] = "Describe what you did in the project."
    if problem := board_id_error(attestation.board, attestation.board_id):
        errors["board_id"] = problem
    if problem := birth_day_error(attestation.birth_month, attestation.birth_day):
        errors["birth_day"] = problem
    if attestation.completion_date is None:
        errors["completion_date"] = "Enter the date you completed your part."
    elif attestation.completion_date > clock.today():
        errors["completion_date"] = "The completion date cannot be in the future."
    if problem := points_error(attestation.points, attestation.offer):
        errors["points"] = problem
    if not attestation.permission_to_report:
        errors["permission_to_report"] = (
            "Your board only credits you when we may report your completion to it "
            "through ACCME PARS: give permission to submit."
        )
    return errors


def _refuse(message: str) -> None:
    raise ValidationError(message)


def _lock(attestation: MocAttestation) -> MocAttestation:
    return (
        MocAttestation.objects.select_for_update()
        .select_related("offer", "offer__collaborative", "team", "user", "program")
        .get(pk=attestation.pk)
    )


def _path(attestation: MocAttestation) -> str:
    return reverse("certificates:attestation", kwargs={"attestation_id": attestation.public_id})


def _url(attestation: MocAttestation) -> str:
    return absolute_url(_path(attestation))


def _participant_path(attestation: MocAttestation) -> str:
    return reverse(
        "certificates:attestation_form", kwargs={"offer_id": attestation.offer.public_id}
    )


def _participant_url(attestation: MocAttestation) -> str:
    return absolute_url(_participant_path(attestation))


ATTESTATION_FIELDS = (
    "roles",
    "role_description",
    "board",
    "board_id",
    "birth_month",
    "birth_day",
    "completion_date",
    "points",
    "permission_to_report",
)


def attestation_save(
    *, user: User, offer: CreditOffer, team, values: dict, attest: bool
) -> MocAttestation:
    """Save the participant's attestation (creating it on first save) and, with
    `attest`, attest it. Only a draft or returned attestation can change; attesting
    needs it complete. Nothing is saved when attesting is refused."""
    with transaction.atomic():
        attestation, created = MocAttestation.objects.select_for_update().get_or_create(
            offer=offer,
            user=user,
            defaults={"program_id": offer.program_id, "team": team},
        )
        if attestation.status not in EDITABLE:
            _refuse(
                f"Your attestation is {attestation.get_status_display().lower()}: it can "
                "no longer be changed."
            )
        for name in ATTESTATION_FIELDS:
            setattr(attestation, name, values[name])
        attestation.team = team
        attestation.offer = offer
        previous = attestation.status
        if attest:
            errors = completeness_errors(attestation)
            if errors:
                raise ValidationError(errors)
            attestation.status = AttestationStatus.ATTESTED
            attestation.attested_at = clock.now()
        else:
            attestation.status = AttestationStatus.DRAFT
        attestation.cosigned_by = None
        attestation.cosigned_at = None
        attestation.save()
        audit_record(
            actor=user,
            verb="moc_attestation.attested" if attest else "moc_attestation.saved",
            target=attestation,
            data={"from": "new" if created else previous, "team": team.name},
        )
        if attest:
            _email_leads(attestation)
    return attestation


def _email_leads(attestation: MocAttestation) -> list[Recipient]:
    """Ask every other active lead of the team to co-sign."""
    recipients = []
    for lead in other_leads(attestation=attestation):
        email_enqueue(
            to=lead.email,
            template="moc_attestation_cosign",
            context={
                "recipient": lead,
                "participant": attestation.user.display_name,
                "team": attestation.team,
                "activity": attestation.offer.activity_title
                or attestation.offer.collaborative.title,
                "program": attestation.program,
                "url": _url(attestation),
            },
            program=attestation.program,
            dedupe_key=(
                f"moc-cosign:{attestation.public_id}:{int(attestation.attested_at.timestamp())}"
                f":{lead.public_id}"
            ),
            kind="moc_attestation",
            notice_url=_path(attestation),
        )
        recipients.append(Recipient.of(lead, "lead"))
    return recipients


def staff_may_cosign(attestation: MocAttestation) -> bool:
    """Staff co-sign only when the team has no active lead other than the author."""
    return not other_leads(attestation=attestation).exists()


def attestation_cosign(*, actor: User, attestation: MocAttestation) -> MocAttestation:
    """The team lead's co-signature (or staff's, when the author is the only lead)."""
    with transaction.atomic():
        locked = _lock(attestation)
        if locked.user_id == actor.pk:
            _refuse("You cannot co-sign your own attestation.")
        as_lead = is_active_lead(user=actor, team_id=locked.team_id)
        as_staff = not as_lead and is_program_staff(user=actor, program=locked.program)
        if not as_lead and not (as_staff and staff_may_cosign(locked)):
            _refuse("Only an active lead of the participant's team co-signs this attestation.")
        if locked.status != AttestationStatus.ATTESTED:
            _refuse(
                f"This attestation is {locked.get_status_display().lower()}: "
                "there is nothing to co-sign."
            )
        locked.status = AttestationStatus.COSIGNED
        locked.cosigned_by = actor
        locked.cosigned_at = clock.now()
        locked.save()
        audit_record(
            actor=actor,
            verb="moc_attestation.cosigned",
            target=locked,
            data={"as": "lead" if as_lead else "staff, for a team without another lead"},
        )
    return locked


def _email_participant(attestation: MocAttestation, *, actor: User, returned: bool) -> None:
    email_enqueue(
        to=attestation.user.email,
        template="moc_attestation_decided",
        context={
            "recipient": attestation.user,
            "returned": returned,
            "reason": attestation.returned_reason,
            "reviewer": actor.display_name,
            "activity": attestation.offer.activity_title or attestation.offer.collaborative.title,
            "points": attestation.points,
            "program": attestation.program,
            "url": _participant_url(attestation),
        },
        program=attestation.program,
        dedupe_key=(
            f"moc-decided:{attestation.public_id}:{attestation.status}"
            f":{int(clock.now().timestamp())}"
        ),
        kind="moc_attestation",
        notice_url=_participant_path(attestation),
    )


def attestation_approve(*, actor: User, attestation: MocAttestation) -> MocAttestation:
    """Staff approve a co-signed attestation (once)."""
    with transaction.atomic():
        locked = _lock(attestation)
        if not is_program_staff(user=actor, program=locked.program):
            _refuse("Program staff approve attestations.")
        if locked.status == AttestationStatus.APPROVED:
            _refuse("This attestation was already approved.")
        if locked.status != AttestationStatus.COSIGNED:
            _refuse("Only an attestation co-signed by the team lead can be approved.")
        locked.status = AttestationStatus.APPROVED
        locked.approved_by = actor
        locked.approved_at = clock.now()
        locked.returned_reason = ""
        locked.save()
        audit_record(
            actor=actor,
            verb="moc_attestation.approved",
            target=locked,
            data={"points": locked.points},
        )
        _email_participant(locked, actor=actor, returned=False)
    return locked


RETURN_REASON_MAX = 1000


def attestation_return(*, actor: User, attestation: MocAttestation, reason: str) -> MocAttestation:
    """Return an attestation to the participant with a reason; they correct it and
    attest again (the co-signature is cleared, so the lead signs what was corrected).

    Staff return an attested or co-signed one; the team lead, asked to co-sign what
    they cannot confirm, returns it instead (before co-signing: once co-signed it is
    staff's to decide)."""
    reason = (reason or "").strip()
    if not reason:
        _refuse("Say why the attestation is returned: the participant reads it.")
    if len(reason) > RETURN_REASON_MAX:
        _refuse(f"Keep the reason under {RETURN_REASON_MAX} characters.")
    with transaction.atomic():
        locked = _lock(attestation)
        as_staff = is_program_staff(user=actor, program=locked.program)
        as_lead = (
            not as_staff
            and locked.user_id != actor.pk
            and is_active_lead(user=actor, team_id=locked.team_id)
        )
        if not (as_staff or as_lead):
            _refuse("Program staff or the participant's team lead return attestations.")
        returnable = (
            (AttestationStatus.ATTESTED, AttestationStatus.COSIGNED)
            if as_staff
            else (AttestationStatus.ATTESTED,)
        )
        if locked.status not in returnable:
            _refuse(
                f"This attestation is {locked.get_status_display().lower()}: it cannot be returned."
            )
        previous = locked.status
        locked.status = AttestationStatus.RETURNED
        locked.returned_reason = reason
        locked.cosigned_by = None
        locked.cosigned_at = None
        locked.save()
        audit_record(
            actor=actor,
            verb="moc_attestation.returned",
            target=locked,
            data={"from": previous, "reason": reason, "by": "staff" if as_staff else "team lead"},
        )
        _email_participant(locked, actor=actor, returned=True)
    return locked
