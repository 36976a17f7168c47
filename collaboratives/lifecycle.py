"""The collaborative lifecycle: which status may follow which, and what each needs.

draft -> recruiting -> active -> closed -> community of practice, with a
recruiting collaborative allowed back to draft (to fix a mistake before teams
apply). Closed collaboratives and communities keep members, resources and read
access; no new data is required from teams.
"""

from datetime import date

from .models import Collaborative, CollaborativeStatus

S = CollaborativeStatus

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.RECRUITING,),
    S.RECRUITING: (S.ACTIVE, S.DRAFT),
    S.ACTIVE: (S.CLOSED,),
    S.CLOSED: (S.COMMUNITY,),
    S.COMMUNITY: (),
}

#: Button labels for each move, in plain words.
ACTION_LABELS = {
    S.RECRUITING: "Open enrolment",
    S.ACTIVE: "Start the collaborative",
    S.DRAFT: "Back to draft",
    S.CLOSED: "Close the collaborative",
    S.COMMUNITY: "Turn into a community of practice",
}


def allowed_transitions(collaborative: Collaborative) -> tuple[str, ...]:
    return TRANSITIONS.get(collaborative.status, ())


def transition_problems(
    collaborative: Collaborative, target: str, *, n_phases: int, today: date
) -> list[str]:
    """Why `collaborative` cannot move to `target` now (empty when it can)."""
    if target not in allowed_transitions(collaborative):
        current = collaborative.get_status_display()
        wanted = dict(CollaborativeStatus.choices).get(target, target)
        return [f"A collaborative that is {current.lower()} cannot become {wanted.lower()}."]
    problems = []
    if target == S.RECRUITING:
        if not (collaborative.start_date and collaborative.end_date):
            problems.append("Set the start and end dates before opening enrolment.")
        if not collaborative.enrolment_closes:
            problems.append("Set the date enrolment closes before opening it.")
        elif collaborative.enrolment_closes < today:
            problems.append("The enrolment window has already closed: move its closing date.")
        if n_phases == 0:
            problems.append("Plan the phases before opening enrolment.")
    if target == S.ACTIVE and not (collaborative.start_date and collaborative.end_date):
        problems.append("Set the start and end dates before starting the collaborative.")
    return problems


def enrolment_problem(collaborative: Collaborative, today: date) -> str | None:
    """Why a team cannot apply today, or None when it can."""
    if collaborative.status != S.RECRUITING:
        return "This collaborative is not accepting applications."
    if collaborative.enrolment_opens and today < collaborative.enrolment_opens:
        return f"Enrolment opens on {collaborative.enrolment_opens:%-d %B %Y}."
    if collaborative.enrolment_closes and today > collaborative.enrolment_closes:
        return f"Enrolment closed on {collaborative.enrolment_closes:%-d %B %Y}."
    return None
