"""Demo data for share and sustain: completed, decided ramps on change-package items
shared by every other team of the running collaboratives (so the heat map's drill-down
and "Who else tested this?" have shared ramps to open, and unshared ones to keep
private), a few ramps put in each state the heat map shows where the PDSA demo left
one out, and lessons learned for each active team's storyboard (Riverside ED Peds
Ready's among them).

All content is invented for demonstration. Rows are found by natural keys and only
filled when empty, so seeding twice adds nothing; no audit events are written.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from pdsa.models import ChangeIdea, ChangePackageItem, Cycle, Decision, Stage
from pdsa.public import package_ramps
from resources.heatmap import RampState, ramp_state
from resources.models import Storyboard
from teams.models import TeamMembership

from .pdsa import COLLABORATIVES
from .world import DemoResult, DemoWorld

LESSONS = [
    "Start with one nurse on one shift: a small test tells you more than a meeting.\n"
    "Put the change where the work happens (the scale, the triage screen), not in a binder.\n"
    "Share the run chart at every huddle; the team kept going because it saw the line move.",
    "Ask the night shift first: if it works at 3 a.m., it works.\n"
    "Our first form was too long; the second version had three boxes and was used every time.\n"
    "Adopting was easy; keeping it going needed a name on the monthly check.",
    "Abandoning a change is a result too: the poster did nothing, the scale lock did.\n"
    "Pair every test with one number you can count in five minutes.",
]

#: Ramps added where the collaborative's heat map lacks a state: (state, title, decisions).
FILLERS = {
    RampState.ADOPTED: ("Kg-only scale, every shift", [Decision.ADAPT, Decision.ADOPT]),
    RampState.ADAPTED: ("Kg prompt on the triage screen", [Decision.ADAPT]),
    RampState.ABANDONED: ("Weight poster in the waiting room", [Decision.ABANDON]),
    RampState.TESTED: ("Weight checked at handover", [""]),
}


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(15), tzinfo=timezone.get_current_timezone())


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    for slug in COLLABORATIVES:
        collaborative = world.collaboratives[slug]
        teams = [team for _key, team in world.teams_of(slug)]
        if not teams:
            continue
        _fill_missing_states(collaborative, teams, today, result)
        _share_every_other_team(collaborative, teams, today, result)
        for n, team in enumerate(teams):
            _lessons(team, LESSONS[n % len(LESSONS)], result)


def _fill_missing_states(collaborative, teams, today: date, result: DemoResult) -> None:
    """Give the heat map every state: for a state no team is in, the team with the
    fewest ramps tests the first package item it has not tried, with that outcome."""
    items = list(
        ChangePackageItem.objects.filter(
            program=collaborative.program, collaborative=collaborative, retired_at__isnull=True
        ).order_by("position", "title")
    )
    if not items:
        return
    ramps = package_ramps(collaborative=collaborative)
    present = {ramp_state(r) for r in ramps}
    tried = {(r.team_id, r.item_id) for r in ramps}
    for state, (title, decisions) in FILLERS.items():
        if state in present:
            continue
        for team in teams:
            item = next((i for i in items if (team.pk, i.pk) not in tried), None)
            if item is None:
                continue
            _ramp(team, item, title, decisions, today, result)
            tried.add((team.pk, item.pk))
            break


def _ramp(team, item, title: str, decisions: list[str], today: date, result: DemoResult):
    idea, created = ChangeIdea.objects.get_or_create(
        program=team.program,
        team=team,
        title=title,
        defaults={"source_item": item, "description": "Tested by the triage nurses."},
    )
    result.count(created)
    previous = None
    for n, decision in enumerate(decisions, start=1):
        day = today - timedelta(days=12 * (len(decisions) - n + 1))
        previous, created = Cycle.objects.get_or_create(
            program=team.program,
            team=team,
            change_idea=idea,
            title=f"{title}: test {n}",
            defaults={
                "builds_on": previous,
                "stage": Stage.COMPLETE if decision else Stage.STUDY,
                "objective": "See whether the change works on a small scale.",
                "plan_date": day,
                "do_date": day + timedelta(days=1),
                "study_date": day + timedelta(days=3),
                "learned": "Worked for most children; two were missed at shift change.",
                "act_date": day + timedelta(days=4) if decision else None,
                "decision": decision,
                "completed_date": day + timedelta(days=4) if decision else None,
                "created_at": _aware(day),
                "updated_at": _aware(day + timedelta(days=4)),
            },
        )
        result.count(created)
    return idea


def _share_every_other_team(collaborative, teams, today: date, result: DemoResult) -> None:
    """Every other team shares its completed, decided ramps on package items; the
    others keep theirs to themselves (the heat map shows only their state)."""
    for team in teams[::2]:
        lead = (
            TeamMembership.objects.filter(team=team, role="lead", is_active=True)
            .select_related("user")
            .first()
        )
        ideas = ChangeIdea.objects.filter(
            program=team.program,
            team=team,
            source_item__collaborative=collaborative,
            shared_at__isnull=True,
        )
        for idea in ideas:
            cycles = list(Cycle.objects.filter(change_idea=idea, deleted_at__isnull=True))
            if not cycles or any(c.stage != Stage.COMPLETE for c in cycles):
                continue
            if not any(c.decision for c in cycles):
                continue
            idea.shared_at = _aware(today - timedelta(days=3))
            idea.shared_by = lead.user if lead else None
            idea.save(update_fields=["shared_at", "shared_by"])
            result.count(True)


def _lessons(team, text: str, result: DemoResult) -> None:
    storyboard, created = Storyboard.objects.get_or_create(
        team=team, defaults={"program": team.program, "lessons_learned": text}
    )
    if not created and not storyboard.lessons_learned:
        storyboard.lessons_learned = text
        storyboard.save(update_fields=["lessons_learned"])
    result.count(created)
