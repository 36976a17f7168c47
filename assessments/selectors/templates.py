"""Survey templates: who may read and build them, the library, and the builder's tally.

Program staff and coaches read every version of their programs' instruments; a team
member reads the published versions their collaborative's waves use. Building is
program staff's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.selectors import is_program_staff, staff_or_coach_program_ids

from ..definition import format_points, section_max_points, total_max_points
from ..models import SurveyTemplate, SurveyWave, TemplateStatus


def templates_visible_to(*, user: User) -> QuerySet[SurveyTemplate]:
    """Template versions the user may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SurveyTemplate.objects.none()
    program_ids = staff_or_coach_program_ids(user=user)
    condition = Q(
        status=TemplateStatus.PUBLISHED,
        pk__in=SurveyWave.objects.filter(
            collaborative__teams__memberships__user=user,
            collaborative__teams__memberships__is_active=True,
        ).values("template_id"),
    )
    if program_ids:
        condition |= Q(program_id__in=program_ids)
    return SurveyTemplate.objects.filter(condition).select_related("program")


def can_manage_templates(*, user: User, template: SurveyTemplate) -> bool:
    """Building, publishing and versioning instruments is program staff's work."""
    return is_program_staff(user=user, program=template.program)


@dataclass
class Instrument:
    """The versions of one instrument, newest first, for the library page."""

    latest: SurveyTemplate
    versions: list[SurveyTemplate]

    @property
    def draft(self) -> SurveyTemplate | None:
        return next((v for v in self.versions if v.status == TemplateStatus.DRAFT), None)

    @property
    def published(self) -> SurveyTemplate | None:
        return next((v for v in self.versions if v.status == TemplateStatus.PUBLISHED), None)

    @property
    def n_waves(self) -> int:
        return sum(getattr(v, "n_waves", 0) for v in self.versions)


def template_library(*, user: User) -> list[Instrument]:
    """Visible instruments with their versions, in one query."""
    versions = (
        templates_visible_to(user=user)
        .annotate(n_waves=Count("waves"))
        .order_by("program__name", "lineage", "-version")
    )
    grouped: dict[tuple[int, Any], list[SurveyTemplate]] = {}
    for version in versions:
        grouped.setdefault((version.program_id, version.lineage), []).append(version)
    instruments = [Instrument(latest=vs[0], versions=vs) for vs in grouped.values()]
    return sorted(instruments, key=lambda i: (i.latest.program.name, i.latest.name.lower()))


def template_versions(*, template: SurveyTemplate, user: User) -> list[SurveyTemplate]:
    """Every visible version of the template's instrument, newest first."""
    return list(
        templates_visible_to(user=user)
        .filter(program_id=template.program_id, lineage=template.lineage)
        .order_by("-version")
    )


@dataclass
class SectionPoints:
    key: str
    title: str
    points: Decimal
    n_questions: int


@dataclass
class PointsSummary:
    """Points per section and in total against the stated maximum (the builder's tally)."""

    sections: list[SectionPoints]
    total: Decimal
    maximum: Decimal

    @property
    def difference(self) -> Decimal:
        return self.maximum - self.total

    @property
    def adds_up(self) -> bool:
        return self.total == self.maximum

    @property
    def status(self) -> str:
        return "close" if self.adds_up else "gap"

    @property
    def words(self) -> str:
        if self.adds_up:
            return f"Adds up to {format_points(self.maximum)}"
        if self.difference > 0:
            return f"{format_points(self.difference)} points short"
        return f"{format_points(-self.difference)} points over"


def points_summary(template: SurveyTemplate) -> PointsSummary:
    sections = [
        SectionPoints(
            key=s["key"],
            title=s["title"],
            points=section_max_points(s),
            n_questions=len(s["questions"]),
        )
        for s in template.definition.get("sections", [])
    ]
    return PointsSummary(
        sections=sections,
        total=total_max_points(template.definition),
        maximum=Decimal(template.max_points),
    )
