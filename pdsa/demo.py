"""Demo data for the PDSA feature (core.demo DEMO_EXTENSIONS): every active team of the
demo collaboratives gets an aim, a key driver diagram, and 3 to 15 cycles chained
into ramps at various stages, some with coach comments; the collaboratives get a
change package.

All content is invented for demonstration (DOMAIN.md marks demo content). Each
team follows a theme that matches its goals (weighing in kilograms, abnormal
vital sign notification, pain reassessment, suicide screening, a pediatric
emergency care coordinator, disaster reunification and surge). Ramps grow from
one patient to the whole unit with results that improve as a real ramp's would.
Rows are found by natural keys (team + title) with get_or_create, so seeding
twice adds nothing; no audit events or e-mails are written.
"""

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core import clock
from teams.models import CoachAssignment, Team, TeamMembership, TeamStatus

from .models import (
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
from .selectors import linkable_measures

COLLABORATIVES = ("prqc-2026", "gl-disaster-2026")


@dataclass
class Idea:
    title: str
    who: str
    measure: str
    lessons: list[str]
    problems: list[str] = field(default_factory=list)
    gap_item: str = ""


@dataclass
class Theme:
    aim: str
    what: str
    how_much: str
    by_when: date
    for_whom: str
    #: primary driver -> [(secondary driver, [ideas])]
    drivers: list[tuple[str, list[tuple[str, list[Idea]]]]]


THEMES: dict[str, Theme] = {
    "weight": Theme(
        aim="By June 2027, 95% of children seen in our emergency department are weighed in "
        "kilograms only, and the weight is recorded in kilograms in the chart.",
        what="children weighed and recorded in kilograms only",
        how_much="from about 60% to 95%",
        by_when=date(2027, 6, 30),
        for_whom="every child under 18 seen in our emergency department",
        drivers=[
            (
                "Equipment that shows kilograms only",
                [
                    (
                        "Scales locked to kilograms",
                        [
                            Idea(
                                "Lock the triage scale to kilograms",
                                "the triage nurse",
                                "children weighed on the locked scale",
                                [
                                    "Nurses did not miss the pounds display once they saw the "
                                    "dosing chart is in kilograms.",
                                    "Parents ask for pounds; a printed conversion card at "
                                    "triage answers them without unlocking the scale.",
                                    "The second scale in the fast track still showed pounds: "
                                    "lock every scale, not just one.",
                                    "Night shift needed a one-minute huddle; after it the "
                                    "process held.",
                                ],
                                [
                                    "The fast-track scale was not locked.",
                                    "A new travel nurse had not heard of the change.",
                                ],
                                gap_item="Weight in kilograms only",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Staff know why kilograms matter",
                [
                    (
                        "Every shift hears the reason",
                        [
                            Idea(
                                "Two-minute huddle script on weight-based dosing errors",
                                "the charge nurse",
                                "triage nurses who can say why we weigh in kilograms",
                                [
                                    "A real near-miss story (a tenfold dosing error avoided) "
                                    "convinced more than the policy did.",
                                    "Huddles at shift change reach everyone; the 10:00 huddle "
                                    "missed the night shift.",
                                    "Two minutes is enough; longer scripts were cut short.",
                                ],
                                ["Busy evenings: the huddle was skipped twice."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "The chart accepts kilograms only",
                [
                    (
                        "EHR weight field in kilograms",
                        [
                            Idea(
                                "Remove the pounds option from the EHR weight field",
                                "the informatics nurse",
                                "visits with the weight documented in kilograms",
                                [
                                    "IT needed a formal request; the pediatric emergency care "
                                    "coordinator's signature sped it up.",
                                    "A hard stop annoyed staff; a soft warning with the "
                                    "kilogram value worked better.",
                                    "Pharmacy checks caught the last pounds entries.",
                                ],
                                ["The change waited two weeks in the IT queue."],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "vitals": Theme(
        aim="By May 2027, a physician or APP is notified within 15 minutes for 90% of "
        "children with an abnormal vital sign at triage, and vital signs are repeated "
        "before discharge.",
        what="notification of abnormal pediatric vital signs within 15 minutes",
        how_much="from 48% to 90%",
        by_when=date(2027, 5, 31),
        for_whom="children under 18 with an age-abnormal triage vital sign",
        drivers=[
            (
                "Abnormal values are recognised at once",
                [
                    (
                        "Age-based ranges at the bedside",
                        [
                            Idea(
                                "Age-based vital sign ranges on a badge card",
                                "triage nurses",
                                "abnormal vital signs recognised at triage",
                                [
                                    "The badge card was used most for infants under one year.",
                                    "Colour bands made the card quicker to read than a table.",
                                    "Respiratory rate was the value most often missed.",
                                ],
                                ["Cards went missing from the triage desk."],
                                gap_item="Abnormal vital sign notification",
                            ),
                            Idea(
                                "EHR flag for age-abnormal vital signs",
                                "the informatics nurse and triage nurses",
                                "abnormal values flagged in the chart",
                                [
                                    "The flag fired too often for crying toddlers' heart "
                                    "rate; repeating the value calm fixed most of it.",
                                    "Nurses trusted the flag once it matched the badge card.",
                                ],
                                ["Alert fatigue in the first week."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Escalation is fast and clear",
                [
                    (
                        "One escalation path",
                        [
                            Idea(
                                "Notify the physician with a scripted SBAR call",
                                "the triage nurse and the ED physician",
                                "notifications within 15 minutes",
                                [
                                    "A script removed the hesitation to call for 'just a number'.",
                                    "Documenting the time of notification was the step most "
                                    "often forgotten.",
                                    "Physicians preferred a page with the value to a call.",
                                ],
                                ["Night coverage by a single physician slowed answers."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Vital signs are repeated",
                [
                    (
                        "Reassessment before discharge",
                        [
                            Idea(
                                "Repeat abnormal vital signs before discharge",
                                "the primary nurse",
                                "children with abnormal vital signs reassessed before discharge",
                                [
                                    "Adding the repeat to the discharge checklist made it stick.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "pain": Theme(
        aim="By April 2027, 90% of children have an age-appropriate pain score at triage and "
        "80% are reassessed within 60 minutes of an analgesic.",
        what="pain assessed at triage and reassessed after treatment",
        how_much="assessment 62% to 90%; reassessment 35% to 80%",
        by_when=date(2027, 4, 30),
        for_whom="children under 18 seen in our emergency department",
        drivers=[
            (
                "Pain is measured with the right tool",
                [
                    (
                        "Age-appropriate scales at triage",
                        [
                            Idea(
                                "FLACC and Wong-Baker FACES cards at triage",
                                "triage nurses",
                                "children with an age-appropriate pain score at triage",
                                [
                                    "Nurses used FACES for school-age children without prompting.",
                                    "FLACC for toddlers needed a short demonstration.",
                                    "A laminated card beside the thermometer was used most.",
                                ],
                                gap_item="Pain assessment",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Pain is treated early and reassessed",
                [
                    (
                        "Reassessment after analgesia",
                        [
                            Idea(
                                "Timer reminder to reassess pain 60 minutes after analgesia",
                                "the primary nurse",
                                "reassessments within 60 minutes of an analgesic",
                                [
                                    "A timer on the workstation worked better than a note.",
                                    "Reassessment was missed when the child went to radiology.",
                                    "Parents reminded nurses when we told them about the timer.",
                                ],
                                ["Timers were silenced during a trauma."],
                            ),
                            Idea(
                                "Nurse-initiated ibuprofen protocol at triage",
                                "triage nurses and the pharmacist",
                                "children with moderate pain treated within 30 minutes",
                                [
                                    "The protocol needed a weight in kilograms first: it "
                                    "linked two of our aims.",
                                    "Physicians supported it once contraindications were listed.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "suicide": Theme(
        aim="By June 2027, 90% of patients aged 12 and over are screened for suicide risk with "
        "a validated tool, and every positive screen gets a safety assessment before discharge.",
        what="suicide risk screening with the ASQ and follow-up of positive screens",
        how_much="from 30% to 90% screened; 100% of positives assessed",
        by_when=date(2027, 6, 30),
        for_whom="patients aged 12 to 17 seen in our emergency department",
        drivers=[
            (
                "Every adolescent is screened",
                [
                    (
                        "Screening in the triage workflow",
                        [
                            Idea(
                                "ASQ screening questions in the triage note",
                                "triage nurses",
                                "patients aged 12 and over screened with the ASQ",
                                [
                                    "Asking the questions with the parent out of the room "
                                    "gave more honest answers.",
                                    "Nurses felt ready after a 20-minute role play.",
                                    "The questions took under a minute.",
                                ],
                                ["Some parents refused to step out."],
                                gap_item="Suicide risk screening",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Positive screens are kept safe",
                [
                    (
                        "Safe room and safety plan",
                        [
                            Idea(
                                "Safe-room checklist for positive screens",
                                "the charge nurse",
                                "positive screens placed in a checked safe room",
                                [
                                    "The checklist found cords and sharps we had not noticed.",
                                    "A sitter could be found faster with a call list.",
                                ],
                            ),
                            Idea(
                                "Brief safety plan with families before discharge",
                                "the social worker or physician",
                                "positive screens discharged with a safety plan",
                                [
                                    "Families took the lethal-means counselling seriously when "
                                    "it came with a lockbox offer.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "pecc": Theme(
        aim="By March 2027, our ED has named nurse and physician pediatric emergency care "
        "coordinators and raises its pediatric readiness score by 10 points.",
        what="pediatric readiness score and named coordinators",
        how_much="+10 points (from 61 to 71)",
        by_when=date(2027, 3, 31),
        for_whom="children seen in our emergency department",
        drivers=[
            (
                "Someone owns pediatric readiness",
                [
                    (
                        "Named coordinators with protected time",
                        [
                            Idea(
                                "Name a nurse pediatric emergency care coordinator",
                                "the ED nurse manager",
                                "coordinator tasks done each month",
                                [
                                    "Two hours a week of protected time made the role real.",
                                    "The coordinator's monthly chart review found gaps fast.",
                                ],
                                gap_item="Pediatric emergency care coordinator",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Staff are competent with children",
                [
                    (
                        "Regular pediatric practice",
                        [
                            Idea(
                                "In-situ pediatric simulation on each shift",
                                "the coordinator and the shift team",
                                "staff who took part in a simulation this quarter",
                                [
                                    "Ten-minute scenarios fit between patients; longer ones "
                                    "were cancelled.",
                                    "Simulations found an expired pediatric airway kit.",
                                    "Night shift asked for its own scenarios.",
                                ],
                                ["Two simulations were cancelled for patient volume."],
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Equipment is ready for every size",
                [
                    (
                        "Checked pediatric cart",
                        [
                            Idea(
                                "Colour-coded length-based pediatric cart check",
                                "the night charge nurse",
                                "cart checks complete with no missing sizes",
                                [
                                    "A checklist by colour zone halved the check time.",
                                    "Missing items were mostly the smallest sizes.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "reunification": Theme(
        aim="By February 2027, our hospital can register, track and reunite every "
        "unaccompanied child within 4 hours in a disaster drill.",
        what="children reunited with a verified guardian during drills",
        how_much="100% within 4 hours",
        by_when=date(2027, 2, 28),
        for_whom="unaccompanied children arriving in a mass-casualty event",
        drivers=[
            (
                "Children are identified and tracked",
                [
                    (
                        "Tracking from arrival",
                        [
                            Idea(
                                "Photo and wristband tracking form for unaccompanied children",
                                "the registration clerk and triage nurse",
                                "children registered with photo and wristband in the drill",
                                [
                                    "A printed form worked when the registration system was "
                                    "down in the drill.",
                                    "Photos must be taken before the child is moved.",
                                ],
                                gap_item="Pediatric tracking and reunification",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Guardians are verified before release",
                [
                    (
                        "A reunification area",
                        [
                            Idea(
                                "Guardian verification checklist at the reunification area",
                                "the social worker",
                                "releases with the guardian verified",
                                [
                                    "Two forms of verification slowed releases only slightly.",
                                    "A safe waiting space with a staff member was essential.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    "surge": Theme(
        aim="By January 2027, we keep pediatric surge supplies for 20 children, checked every "
        "quarter, and can open a pediatric surge area within 30 minutes.",
        what="pediatric surge supplies and time to open a surge area",
        how_much="supplies for 20 children; surge area in 30 minutes",
        by_when=date(2027, 1, 31),
        for_whom="children arriving in a surge or disaster",
        drivers=[
            (
                "Supplies are ready",
                [
                    (
                        "A quarterly supply check",
                        [
                            Idea(
                                "Quarterly pediatric surge cache check with a checklist",
                                "the emergency manager and a pediatric nurse",
                                "cache items present and in date",
                                [
                                    "Expiry dates cluster: rotate stock into daily use.",
                                    "A sealed tag shows at a glance whether the cache was opened.",
                                ],
                                gap_item="Pediatric surge supplies",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Staff can open a surge area",
                [
                    (
                        "Job action sheets",
                        [
                            Idea(
                                "Pediatric surge job action sheets in a tabletop drill",
                                "the incident commander and charge nurses",
                                "minutes to open the surge area",
                                [
                                    "Job action sheets cut the time to open the area by a third.",
                                    "The first drill showed no one owned the pediatric cart.",
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
}

#: Team -> theme, matching the demo teams' goals (core/demo.py).
TEAM_THEMES = {
    "Riverside ED Peds Ready": "weight",
    "Prairie View Kids First": "pecc",
    "Red Mesa Pediatric Readiness": "vitals",
    "Lakeside Pain Champions": "pain",
    "Northgate Peds Team": "suicide",
    "St. Brendan Peds Readiness": "pecc",
    "Bayou Parish Kids Count": "weight",
    "Green Mountain Ready": "pecc",
    "Cascade Vital Signs Team": "vitals",
    "Desert Springs Peds Ready": "weight",
    "Turtle Mountain Kids": "pecc",
    "Coastal Carolina Peds": "suicide",
    "Bay City Disaster Ready Kids": "reunification",
    "Northern Pines Surge Team": "surge",
}

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


def _theme_for(team: Team) -> Theme:
    return THEMES[TEAM_THEMES.get(team.name, "pecc" if "disaster" not in team.name else "surge")]


def _number(team: Team) -> int:
    """A stable 0..2**32 number per team, so each team gets its own but repeatable shape."""
    return zlib.crc32(team.name.encode())


def _aware(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


#: The demo gap-analysis item (assessments/data/demo_gap_analysis.json) each theme's
#: ideas close, by the `gap_item` label the themes use.
GAP_QUESTION_KEYS = {
    "Weight in kilograms only": "D1",
    "Abnormal vital sign notification": "D4",
    "Suicide risk screening": "E4",
    "Pediatric emergency care coordinator": "A1",
    "Pediatric tracking and reunification": "E7",
    "Pediatric surge supplies": "E7",
}


def _gap_question(collaborative, label: str) -> str:
    """The "<lineage>:<key>" of the collaborative's survey question for a demo label."""
    from assessments.selectors import gap_question_choices

    key = GAP_QUESTION_KEYS.get(label)
    if not key:
        return ""
    for value, _text in gap_question_choices(collaborative=collaborative):
        if value.endswith(f":{key}"):
            return value
    return ""


def seed_change_packages(world, result) -> None:
    """The collaboratives' change packages: the ideas of the themes their teams use,
    linked to the gap-analysis items they close (shown in the gap reports)."""
    from .services.diagram import package_item_gap_link_sync

    for slug in COLLABORATIVES:
        collaborative = world.collaboratives.get(slug)
        if collaborative is None:
            continue
        themes = {TEAM_THEMES[t.name] for t in _teams_of(world, slug) if t.name in TEAM_THEMES}
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


def _teams_of(world, slug: str) -> list[Team]:
    return [
        team
        for team in world.teams.values()
        if team.collaborative.slug == slug and team.status == TeamStatus.ACTIVE
    ]


def seed(world, result) -> None:
    """Called by core.demo.seed_demo with the demo world."""
    seed_change_packages(world, result)
    for slug in COLLABORATIVES:
        for team in _teams_of(world, slug):
            _seed_team(team, result)


def _seed_team(team: Team, result) -> None:
    theme = _theme_for(team)
    number = _number(team)
    people = list(
        TeamMembership.objects.filter(team=team, is_active=True, role__in=("lead", "member"))
        .select_related("user")
        .order_by("role")
    )
    authors = [m.user for m in people] or [None]
    coach = CoachAssignment.objects.filter(team=team).select_related("coach").order_by("pk").first()
    lead = authors[0]
    aim, created = Aim.objects.get_or_create(
        program=team.program,
        team=team,
        defaults={
            "statement": theme.aim,
            "what": theme.what,
            "how_much": theme.how_much,
            "by_when": theme.by_when,
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
    _seed_cycles(team, ideas, total, number, authors, coach.coach if coach else None, result)


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


def _seed_cycles(team, ideas, total, number, authors, coach, result) -> None:
    lengths = _ramp_lengths(total, len(ideas))
    today = clock.today()
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


#: The demo measure (measures/demo.py) whose chart shows each idea's result.
MEASURE_OF_IDEA = {
    "children weighed on the locked scale": "M1",
    "triage nurses who can say why we weigh in kilograms": "M1",
    "visits with the weight documented in kilograms": "M1",
    "abnormal vital signs recognised at triage": "M2",
    "abnormal values flagged in the chart": "M3",
    "notifications within 15 minutes": "M3",
    "children with abnormal vital signs reassessed before discharge": "M4",
    "children with an age-appropriate pain score at triage": "M5",
    "reassessments within 60 minutes of an analgesic": "M6",
    "children with moderate pain treated within 30 minutes": "M6",
    "patients aged 12 and over screened with the ASQ": "M7",
    "coordinator tasks done each month": "M13",
    "releases with the guardian verified": "GL1",
    "children registered with photo and wristband in the drill": "GL1",
}


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
