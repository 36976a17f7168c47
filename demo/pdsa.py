"""Demo data for the PDSA feature: every active team of the running demo collaboratives
gets an aim, a key driver diagram, and 3 to 15 cycles chained into ramps at various
stages, some with coach comments; the collaboratives get a change package.

All content is invented for demonstration (DOMAIN.md marks demo content). Each
team follows a theme that matches its goals (weighing in kilograms, abnormal
vital sign notification, pain reassessment, suicide screening, a pediatric
emergency care coordinator, disaster reunification and surge). Ramps grow from
one patient to the whole unit with results that improve as a real ramp's would.
Cycles run about ten days apart and the newest ends a week or so before the day of
seeding; aims are due a few months before the collaborative ends. Rows are found by
natural keys (team + title) with get_or_create, so seeding twice adds nothing; no
audit events or e-mails are written.
"""

import zlib
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.selectors import gap_question_choices
from core.clock import add_months, month_end
from pdsa.models import (
    Aim,
    ChangeIdea,
    ChangePackageItem,
    Comment,
    CommentReceipt,
    Cycle,
    CycleMeasure,
    CycleRevision,
    Decision,
    Driver,
    DriverKind,
    Scale,
    Stage,
)
from pdsa.selectors import linkable_measures
from pdsa.services.diagram import package_item_gap_link_sync
from teams.models import CoachAssignment, Team, TeamMembership

from .collaboratives import ACTIVE, GREAT_LAKES
from .pdsa_themes import GAP_QUESTION_KEYS, MEASURE_OF_IDEA, TEAM_THEMES, THEMES, Idea, Theme
from .world import DemoResult, DemoWorld

COLLABORATIVES = (ACTIVE, GREAT_LAKES)


#: How a ramp grows: scale, number of patients (or events) and share that went well.
STEPS = [
    (Scale.ONE_PATIENT, 1, 100),
    (Scale.FEW_PATIENTS, 5, 60),
    (Scale.ONE_SHIFT, 9, 78),
    (Scale.ONE_DAY, 18, 83),
    (Scale.ONE_WEEK, 64, 89),
    (Scale.WHOLE_UNIT, 212, 94),
]

COACH_COMMENTS = [
    "Good small test. What did the data show compared with your prediction?",
    "Nice ramp so far. Before going to a whole week, try a night shift: that is where "
    "changes usually break.",
    "Please add the numbers to Study (how many of how many), so the run chart and the "
    "cycle tell the same story.",
    "This is ready to adopt. Think about how you will keep it going: who checks it next month?",
    "Consider testing with the busiest triage nurse next; if it works for them, it will spread.",
]


def _theme_for(key: str) -> Theme:
    return THEMES[TEAM_THEMES.get(key, "pecc" if "disaster" not in key else "surge")]


def _number(key: str) -> int:
    """A stable 0..2**32 number per team, so each team gets its own but repeatable shape."""
    return zlib.crc32(key.encode())


def aim_due(theme: Theme, collaborative) -> date:
    """The last day of the month the theme's aim is due, counted back from the end."""
    return month_end(add_months(collaborative.end_date, -theme.months_before_end))


def _aware(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _gap_question(collaborative, label: str) -> str:
    """The "<lineage>:<key>" of the collaborative's survey question for a demo label."""
    key = GAP_QUESTION_KEYS.get(label)
    if not key:
        return ""
    for value, _text in gap_question_choices(collaborative=collaborative):
        if value.endswith(f":{key}"):
            return value
    return ""


def seed_change_packages(world: DemoWorld, result: DemoResult) -> None:
    """The collaboratives' change packages: the ideas of the themes their teams use,
    linked to the gap-analysis items they close (shown in the gap reports)."""
    for slug in COLLABORATIVES:
        collaborative = world.collaboratives[slug]
        themes = {TEAM_THEMES[key] for key, _ in world.teams_of(slug) if key in TEAM_THEMES}
        position = 0
        for key in sorted(themes):
            for primary, secondaries in THEMES[key].drivers:
                for _secondary, ideas in secondaries:
                    for idea in ideas:
                        position += 1
                        item, created = ChangePackageItem.objects.get_or_create(
                            program=collaborative.program,
                            collaborative=collaborative,
                            title=idea.title,
                            defaults={
                                "description": f"Test with {idea.who}; count {idea.measure}.",
                                "suggested_driver": primary,
                                "gap_item": idea.gap_item,
                                "gap_question": _gap_question(collaborative, idea.gap_item),
                                "position": position,
                            },
                        )
                        result.count(created)
                        if created and item.gap_question:
                            package_item_gap_link_sync(item)


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Change packages, then each active team's aim, diagram and cycles up to `today`."""
    seed_change_packages(world, result)
    for slug in COLLABORATIVES:
        for key, team in world.teams_of(slug):
            _seed_team(key, team, today, result)


def _seed_team(key: str, team: Team, today: date, result: DemoResult) -> None:
    theme = _theme_for(key)
    number = _number(key)
    people = list(
        TeamMembership.objects.filter(team=team, is_active=True, role__in=("lead", "member"))
        .select_related("user")
        .order_by("role")
    )
    authors = [m.user for m in people] or [None]
    coach = CoachAssignment.objects.filter(team=team).select_related("coach").order_by("pk").first()
    lead = authors[0]
    by_when = aim_due(theme, team.collaborative)
    aim, created = Aim.objects.get_or_create(
        program=team.program,
        team=team,
        defaults={
            "statement": theme.aim.format(by_when=f"{by_when:%B %Y}"),
            "what": theme.what,
            "how_much": theme.how_much,
            "by_when": by_when,
            "for_whom": theme.for_whom,
            "updated_by": lead,
        },
    )
    result.count(created)
    ideas: list[tuple[ChangeIdea, Idea]] = []
    package = {
        item.title: item
        for item in ChangePackageItem.objects.filter(
            program=team.program, collaborative=team.collaborative
        )
    }
    for p_index, (primary_title, secondaries) in enumerate(theme.drivers, start=1):
        primary, created = Driver.objects.get_or_create(
            program=team.program,
            team=team,
            kind=DriverKind.PRIMARY,
            title=primary_title,
            defaults={"position": p_index},
        )
        result.count(created)
        for s_index, (secondary_title, idea_specs) in enumerate(secondaries, start=1):
            secondary, created = Driver.objects.get_or_create(
                program=team.program,
                team=team,
                kind=DriverKind.SECONDARY,
                title=secondary_title,
                defaults={"parent": primary, "position": s_index},
            )
            result.count(created)
            for spec in idea_specs:
                idea, created = ChangeIdea.objects.get_or_create(
                    program=team.program,
                    team=team,
                    title=spec.title,
                    defaults={
                        "driver": secondary,
                        "description": f"Tested by {spec.who}.",
                        "gap_item": spec.gap_item,
                        "gap_question": _gap_question(team.collaborative, spec.gap_item),
                        "source_item": package.get(spec.title),
                        "position": len(ideas) + 1,
                    },
                )
                result.count(created)
                ideas.append((idea, spec))
    total = 3 + number % 13  # 3 to 15 cycles
    coach_user = coach.coach if coach else None
    _seed_cycles(team, ideas, total, number, authors, coach_user, today, result)


def _ramp_lengths(total: int, n_ideas: int) -> list[int]:
    """Split `total` cycles over ramps, one per change idea: every ramp gets two cycles,
    then the first ramps grow to the whole unit (six cycles) before later ones."""
    n_ramps = max(1, min(n_ideas, total // 2))
    lengths = [1] * n_ramps
    left = total - n_ramps
    for index in range(n_ramps):
        if left > 0:
            lengths[index] += 1
            left -= 1
    for index in range(n_ramps):
        extra = min(len(STEPS) - lengths[index], left)
        lengths[index] += extra
        left -= extra
    return lengths


def _seed_cycles(team, ideas, total, number, authors, coach, today, result) -> None:
    lengths = _ramp_lengths(total, len(ideas))
    stalled = number % 4 == 0
    # Cycles run about ten days apart, the newest ending close to today.
    day = today - timedelta(days=10 * sum(lengths) + (45 if stalled else 5))
    open_stage = [Stage.PLAN, Stage.DO, Stage.STUDY, Stage.ACT][number % 4]
    linkable = {m.code: m for m in linkable_measures(team=team)}
    n_made = 0
    for ramp_index, ((idea, spec), length) in enumerate(zip(ideas, lengths, strict=False)):
        previous = None
        last_ramp = ramp_index == len(lengths) - 1
        for step in range(length):
            scale, n, pct = STEPS[min(step, len(STEPS) - 1)]
            is_last = step == length - 1
            stage = open_stage if (is_last and last_ramp) else Stage.COMPLETE
            abandoned = not last_ramp and is_last and (number + ramp_index) % 5 == 0
            author = authors[n_made % len(authors)]
            cycle, created = _cycle(
                team,
                idea,
                spec,
                previous,
                step,
                scale,
                n,
                pct,
                stage,
                is_last,
                abandoned,
                day,
                author,
            )
            result.count(created)
            _link_measure(team, cycle, spec, linkable, result)
            if created and coach is not None and (n_made % 3 == 1 or stage in (Stage.ACT,)):
                _comment(
                    team,
                    cycle,
                    coach,
                    COACH_COMMENTS[n_made % len(COACH_COMMENTS)],
                    authors,
                    day,
                    result,
                )
            previous = cycle
            day += timedelta(days=10)
            n_made += 1


def _cycle(team, idea, spec, previous, step, scale, n, pct, stage, is_last, abandoned, day, author):
    label = dict(Scale.choices)[scale].lower()
    title = f"{spec.title}: {label}" if step else f"{spec.title}: first try"
    done = round(n * pct / 100)
    reached = Stage.values.index(stage)

    def at(stage_name: str) -> bool:
        return reached >= Stage.values.index(stage_name)

    lesson = spec.lessons[step % len(spec.lessons)]
    problem = spec.problems[step % len(spec.problems)] if spec.problems else ""
    values = {
        "builds_on": previous,
        "scale": scale,
        "objective": f"Find out whether {spec.title[0].lower() + spec.title[1:]} works "
        f"with {label}.",
        "questions": f"Will {spec.who} do it every time? What gets in the way?",
        "predictions": f"We expect {max(pct - 10, 50)}% of {spec.measure}.",
        "plan_details": f"{spec.who.capitalize()}; {label}; starting {day:%-d %B}; in the main ED.",
        "data_to_collect": f"Count of {spec.measure}, and any problems noted on the tally sheet.",
        "plan_date": day,
        "created_by": author,
        "updated_by": author,
        "created_at": _aware(day),
        "updated_at": _aware(day + timedelta(days=min(reached * 2, 8))),
    }
    if at(Stage.DO):
        values.update(
            do_date=day + timedelta(days=2),
            what_happened=f"We tested it with {n} patient{'s' if n != 1 else ''}; "
            f"{done} went as planned.",
            observations=lesson,
            problems=problem,
        )
    if at(Stage.STUDY):
        values.update(
            study_date=day + timedelta(days=5),
            results=f"{done} of {n} ({pct}%) compared with the {max(pct - 10, 50)}% we predicted.",
            learned=lesson,
            measure_notes=f"{pct}% of {spec.measure} this cycle.",
        )
    if at(Stage.ACT):
        if abandoned:
            decision, next_steps = (
                Decision.ABANDON,
                "Stop this test: it added work without improving the measure.",
            )
        elif is_last and step >= 4:
            decision, next_steps = (
                Decision.ADOPT,
                "Make it standard work on every shift; recheck monthly.",
            )
        else:
            decision, next_steps = (Decision.ADAPT, "Test again at a larger scale.")
        values.update(act_date=day + timedelta(days=7), decision=decision, next_steps=next_steps)
    if stage == Stage.COMPLETE:
        values["completed_date"] = day + timedelta(days=8)
    if stage in (Stage.STUDY, Stage.ACT):
        values["awaiting_feedback_since"] = values["updated_at"]
    cycle, created = Cycle.objects.get_or_create(
        program=team.program,
        team=team,
        title=title[:200],
        defaults={"change_idea": idea, "stage": stage, **values},
    )
    if created:
        CycleRevision.objects.create(
            program=team.program,
            team=team,
            cycle=cycle,
            revised_by=author,
            revised_at=values["created_at"],
            stage_before=Stage.PLAN,
            stage_after=stage,
            changes={"title": [None, cycle.title]},
        )
    return cycle, created


def _link_measure(team, cycle, spec, linkable, result) -> None:
    """A cycle that reached Study links the team's measure that shows its result."""
    measure = linkable.get(MEASURE_OF_IDEA.get(spec.measure, ""))
    if measure is None or cycle.stage in (Stage.PLAN, Stage.DO):
        return
    _, created = CycleMeasure.objects.get_or_create(
        program=team.program, team=team, cycle=cycle, measure=measure
    )
    result.count(created)


def _comment(team, cycle, coach, body, authors, day, result) -> None:
    comment, created = Comment.objects.get_or_create(
        program=team.program,
        team=team,
        cycle=cycle,
        author=coach,
        body=body,
        defaults={"by_coach": True, "created_at": _aware(day + timedelta(days=9), 10)},
    )
    result.count(created)
    if not created:
        return
    Cycle.objects.filter(pk=cycle.pk).update(awaiting_feedback_since=None)
    for person in authors:
        if person is None:
            continue
        _, created = CommentReceipt.objects.get_or_create(
            program=team.program,
            team=team,
            comment=comment,
            cycle=cycle,
            user=person,
            defaults={"read_at": None if cycle.stage != Stage.COMPLETE else comment.created_at},
        )
        result.count(created)
