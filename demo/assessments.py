"""Demo gap analyses: the example template of DOMAIN.md section 4, waves and answers.

The template (assessments/data/demo_gap_analysis.json) is made up and says so in
its description: it is an example inspired by the structure of the NPRP
assessment, never the official instrument. Answers are invented but varied, and
deterministic (derived from a hash of the team and question), so that the
distribution chart, medians and gap lists are interesting and the seed stays
idempotent:

* the past collaborative: baseline and follow-up submitted by every active team;
* the active one: baseline submitted by every active team; the follow-up opens near
  the end of the collaborative.

Waves take their dates from their collaborative's; a team's response is submitted
some days after its wave opens, and only if that day is already past (so a wave that
opens later has no answers yet, and seeding on a later day fills it in).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

import assessments
from assessments.definition import NA, iter_questions
from assessments.models import (
    Answer,
    ResponseStatus,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
    TemplateStatus,
    WaveKind,
)
from assessments.scoring import score_response
from assessments.selectors import cached_sections, stored_value
from assessments.services import template_links_create
from assessments.template_io import parse_template_file
from core.clock import add_months, month_end, month_start
from teams.models import FacilityType, Team, TeamRole

from .collaboratives import ACTIVE, PAST
from .world import DemoResult, DemoWorld

#: The template file stays with the assessments app, whose tests read it too.
DEMO_TEMPLATE_FILE = Path(assessments.__file__).parent / "data" / "demo_gap_analysis.json"

#: collaborative slug -> its waves (dated by `_wave_dates`)
WAVES = {
    PAST: (WaveKind.BASELINE, WaveKind.FOLLOW_UP),
    # A midpoint survey six months in, so the active collaborative's progress shows a
    # change from baseline before its follow-up (at its end) is due.
    ACTIVE: (WaveKind.BASELINE, WaveKind.MIDPOINT, WaveKind.FOLLOW_UP),
}

FACILITY_ANSWERS = {
    FacilityType.COMMUNITY_ED: "general_ed",
    FacilityType.CRITICAL_ACCESS: "cah",
    FacilityType.TRIBAL_IHS: "tribal_ihs",
    FacilityType.ACADEMIC: "childrens",
    FacilityType.FREESTANDING_ED: "freestanding",
    FacilityType.EMS_AGENCY: "ems",
}
VISITS = {"low": 900, "medium": 3200, "medium_high": 7400, "high": 24000}
#: Small departments without an electronic record: D2 is not asked, the score renormalises.
PAPER_CHARTS = {"Turtle Mountain Tribal Health Center", "Green Mountain Valley Hospital"}
#: Improvement between baseline and follow-up, by how engaged the team was.
FOLLOW_UP_GAIN = 0.18


#: The midpoint survey opens this many months after the collaborative starts.
MIDPOINT_MONTHS = 6


def _wave_dates(collaborative, kind: str) -> tuple[date, date]:
    """(opens, due): the baseline in the first month, the midpoint in the seventh, the
    follow-up from the middle of the month before the last to the end."""
    if kind == WaveKind.BASELINE:
        return collaborative.start_date, month_end(collaborative.start_date)
    if kind == WaveKind.MIDPOINT:
        opens = add_months(month_start(collaborative.start_date), MIDPOINT_MONTHS)
        return opens, month_end(opens)
    follow_up = add_months(month_start(collaborative.end_date), -1) + timedelta(days=14)
    return follow_up, collaborative.end_date


def _unit(*parts: object) -> float:
    """A deterministic number in [0, 1) for the given parts (a hash, not randomness)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _readiness(team: Team) -> float:
    """How ready a team is at baseline: 0.35 to 0.85, children's centres higher."""
    base = 0.35 + 0.5 * _unit("readiness", team.facility.name)
    if team.facility.facility_type == FacilityType.ACADEMIC:
        base = min(base + 0.15, 0.92)
    return base


def _answer(question: dict, team: Team, level: float) -> Any:
    key = question["key"]
    facility = team.facility
    if question.get("profile"):
        return {
            "P1": FACILITY_ANSWERS.get(facility.facility_type, "general_ed"),
            "P2": Decimal(VISITS.get(facility.volume_band, 2000)),
            "P3": "l2" if facility.facility_type == FacilityType.ACADEMIC else "none",
            "P4": "yes",
            "P5": "no" if facility.name in PAPER_CHARTS else "yes",
        }.get(key)
    if key == "E5" and facility.facility_type == FacilityType.ACADEMIC:
        return NA  # a children's centre that does not transfer children out
    impact = question.get("impact")
    chance = level - 0.15 if impact == "high_impact" else level + 0.1 if impact == "easy" else level
    u = _unit(team.facility.name, key)
    kind = question["type"]
    if kind == "yes_no":
        return "yes" if u < chance else "no"
    if kind == "single":
        options = sorted(question["options"], key=lambda o: -Decimal(str(o["points"])))
        if u < chance * 0.8:
            return options[0]["key"]
        if u < chance + 0.2:
            return options[1]["key"]
        return options[-1]["key"]
    if kind == "multi":
        return [
            o["key"] for o in question["options"] if _unit(facility.name, key, o["key"]) < chance
        ]
    if kind == "percent":
        return Decimal(max(0, min(100, round(25 + 80 * chance * (0.6 + 0.6 * u)))))
    if kind == "number":
        return Decimal(int(chance * (5 if key == "C2" else 3) + u))
    return None


def _demo_template(world: DemoWorld, result: DemoResult) -> SurveyTemplate:
    program = world.programs["npric"]
    # Published while the first collaborative was recruiting.
    published = world.collaboratives[PAST].enrolment_opens + timedelta(days=45)
    parsed, problems = parse_template_file(DEMO_TEMPLATE_FILE.read_bytes())
    if parsed is None:  # pragma: no cover - the file is tested
        raise ValueError("; ".join(map(str, problems)))
    staff = world.users["staff@demo.example"]
    template, created = SurveyTemplate.objects.get_or_create(
        program=program,
        name=parsed.name,
        version=1,
        defaults={
            "description": parsed.description,
            "max_points": parsed.max_points,
            "definition": parsed.definition,
            "status": TemplateStatus.PUBLISHED,
            "created_by": staff,
            "published_by": staff,
            "published_at": timezone.make_aware(datetime.combine(published, time(15, 0))),
        },
    )
    result.count(created)
    if created:
        template_links_create(template, parsed.links)
    return template


def _fill(response: SurveyResponse, team: Team, level: float, editors: list, when: datetime):
    definition = response.template.definition
    answers = {}
    rows = []
    for index, (_, question) in enumerate(iter_questions(definition)):
        value = _answer(question, team, level)
        if value is None:
            continue
        answers[question["key"]] = value
        json_value, not_applicable = stored_value(value)
        rows.append(
            Answer(
                program_id=response.program_id,
                team_id=team.pk,
                response=response,
                question_key=question["key"],
                value=json_value,
                not_applicable=not_applicable,
                updated_by=editors[index % len(editors)] if editors else None,
                updated_at=when - timedelta(minutes=90 - index),
            )
        )
    Answer.objects.bulk_create(rows)
    outcome = score_response(definition, answers)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = when
    response.submitted_by = editors[0] if editors else None
    response.score = outcome.score
    response.earned = outcome.earned
    response.possible = outcome.possible
    response.section_scores = cached_sections(outcome)
    response.save()


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Load the demo template, attach waves and answer those already answered by
    `today` (idempotent)."""
    template = _demo_template(world, result)
    for slug, kinds in WAVES.items():
        collaborative = world.collaboratives[slug]
        teams = world.teams_of(slug)
        for kind in kinds:
            opens, due = _wave_dates(collaborative, kind)
            wave, created = SurveyWave.objects.get_or_create(
                program=collaborative.program,
                collaborative=collaborative,
                kind=kind,
                defaults={"template": template, "opens_on": opens, "due_on": due},
            )
            result.count(created)
            for key, team in teams:
                day = wave.opens_on + timedelta(days=int(5 + 20 * _unit("day", key, kind)))
                if day >= today:
                    continue  # not answered yet
                response, created = SurveyResponse.objects.get_or_create(
                    program=collaborative.program,
                    wave=wave,
                    team=team,
                    defaults={"collaborative": collaborative, "template": wave.template},
                )
                result.count(created)
                if not created:
                    continue
                level = _readiness(team)
                if kind == WaveKind.FOLLOW_UP:
                    level = min(level + FOLLOW_UP_GAIN + 0.1 * _unit("gain", key), 0.97)
                elif kind == WaveKind.MIDPOINT:
                    level = min(level + FOLLOW_UP_GAIN / 2 + 0.05 * _unit("gain", key), 0.97)
                editors = [
                    m.user
                    for m in team.memberships.filter(is_active=True)
                    .select_related("user")
                    .order_by("role")
                    if m.role in (TeamRole.LEAD, TeamRole.MEMBER)
                ]
                when = timezone.make_aware(datetime.combine(day, time(14, 30)))
                _fill(response, team, level, editors, when)
