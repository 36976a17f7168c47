"""Writes about the aim, the key driver diagram, change ideas and the collaborative's
change package."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from accounts.models import User
from assessments.public import change_idea_link_set, gap_question_choices
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from teams.models import Team

from ..models import (
    Aim,
    AimRevision,
    ChangeIdea,
    ChangePackageItem,
    Driver,
    DriverKind,
)
from ._common import clean_text, diff, save_changes

AIM_FIELDS = ("statement", "what", "how_much", "by_when", "for_whom")
TITLE_MAX = 200


def _title(value: str, field: str = "title", what: str = "it") -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({field: f"Give {what} a name."})
    if len(value) > TITLE_MAX:
        raise ValidationError({field: f"Keep the name under {TITLE_MAX} characters."})
    return value


def _next_position(qs) -> int:
    return (qs.aggregate(top=Max("position"))["top"] or 0) + 1


def _swap(items: list, item, direction: str) -> bool:
    """Move `item` one place up or down in `items` (renumbered 1..n); False at an end."""
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    return True


def _move(item, siblings: QuerySet, *, actor: User, direction: str, verb: str) -> None:
    """Move a live item one place among its live siblings (locked while renumbered), and
    audit the move; a retired item, or one already at that end, stays put."""
    live = list(
        siblings.select_for_update().filter(retired_at__isnull=True).order_by("position", "id")
    )
    if item.retired_at is None and _swap(live, item, direction):
        audit_record(actor=actor, verb=verb, target=item, data={"direction": direction})


# --- aim ---------------------------------------------------------------------------------


@transaction.atomic
def aim_save(*, team: Team, actor: User, **values: Any) -> Aim:
    """Write or revise the team's aim; each save that changes something keeps a
    revision with the values before, so the aim's history can be read back."""
    unknown = set(values) - set(AIM_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    values = {name: clean_text(value) for name, value in values.items()}
    if not values.get("statement"):
        raise ValidationError({"statement": "Write the aim statement."})
    for name in ("what", "how_much", "for_whom"):
        if values.get(name) is None and name in values:
            values[name] = ""
    aim = Aim.objects.select_for_update().filter(program_id=team.program_id, team=team).first()
    if aim is None:
        aim = Aim(program_id=team.program_id, team=team)
        changes = {name: [None, pair[1]] for name, pair in diff(aim, values).items()}
        verb = "pdsa_aim.created"
    else:
        changes = diff(aim, values)
        verb = "pdsa_aim.revised"
    if not changes and aim.pk:
        return aim
    for name, value in values.items():
        setattr(aim, name, value)
    aim.updated_by = actor
    aim.save()
    AimRevision.objects.create(
        program_id=team.program_id, team=team, aim=aim, revised_by=actor, changes=changes
    )
    audit_record(actor=actor, verb=verb, target=aim, data={"fields": sorted(changes)})
    return aim


# --- drivers -----------------------------------------------------------------------------


def _check_parent(team: Team, parent: Driver | None) -> None:
    if parent is None:
        return
    if (
        parent.team_id != team.pk
        or parent.program_id != team.program_id
        or parent.kind != DriverKind.PRIMARY
    ):
        raise ValidationError({"parent": "Choose one of your team's primary drivers."})
    if parent.retired_at is not None:
        raise ValidationError({"parent": f"“{parent.title}” was retired; choose another."})


@transaction.atomic
def driver_create(
    *, team: Team, actor: User, title: str, parent: Driver | None = None, description: str = ""
) -> Driver:
    """Add a primary driver, or a secondary driver under one of the team's primary drivers."""
    title = _title(title, what="the driver")
    _check_parent(team, parent)
    kind = DriverKind.SECONDARY if parent else DriverKind.PRIMARY
    siblings = Driver.objects.filter(
        program_id=team.program_id, team=team, kind=kind, parent=parent
    )
    driver = Driver.objects.create(
        program_id=team.program_id,
        team=team,
        kind=kind,
        parent=parent,
        title=title,
        description=(description or "").strip(),
        position=_next_position(siblings),
    )
    audit_record(actor=actor, verb="pdsa_driver.created", target=driver, data={"kind": kind})
    return driver


_KEEP: Any = object()


@transaction.atomic
def driver_update(
    *,
    driver: Driver,
    actor: User,
    title: str,
    description: str = "",
    parent: Driver | None = _KEEP,
) -> Driver:
    """Rename a driver, or move a secondary driver under another primary driver."""
    values: dict[str, Any] = {
        "title": _title(title, what="the driver"),
        "description": (description or "").strip(),
    }
    if parent is not _KEEP and driver.kind == DriverKind.SECONDARY:
        if parent is None:
            raise ValidationError({"parent": "A secondary driver sits under a primary driver."})
        _check_parent(driver.team, parent)
        if parent.pk != driver.parent_id:
            values["parent"] = parent
            siblings = Driver.objects.filter(program_id=driver.program_id, parent=parent)
            values["position"] = _next_position(siblings)
    save_changes(driver, values, actor=actor, verb="pdsa_driver.updated")
    return driver


@transaction.atomic
def driver_reorder(*, driver: Driver, actor: User, direction: str) -> Driver:
    """Move a driver one place up or down among its siblings (same kind and parent)."""
    siblings = Driver.objects.filter(
        program_id=driver.program_id,
        team_id=driver.team_id,
        kind=driver.kind,
        parent_id=driver.parent_id,
    )
    _move(driver, siblings, actor=actor, direction=direction, verb="pdsa_driver.moved")
    return driver


@transaction.atomic
def driver_set_retired(*, driver: Driver, actor: User, retired: bool) -> Driver:
    """Retire a driver (it leaves the diagram but its history stays) or bring it back.

    A secondary driver comes back only under a primary driver that is itself in use.
    """
    if retired == (driver.retired_at is not None):
        return driver
    if not retired and driver.parent is not None and driver.parent.retired_at is not None:
        raise ValidationError(
            f"Bring back “{driver.parent.title}” first: this driver sits under it."
        )
    driver.retired_at = clock.now() if retired else None
    driver.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        verb="pdsa_driver.retired" if retired else "pdsa_driver.reinstated",
        target=driver,
    )
    return driver


# --- change ideas ------------------------------------------------------------------------


def _check_driver(team: Team, driver: Driver | None) -> None:
    if driver is None:
        return
    if driver.team_id != team.pk or driver.program_id != team.program_id:
        raise ValidationError({"driver": "Choose one of your team's drivers."})
    if driver.retired_at is not None:
        raise ValidationError({"driver": f"“{driver.title}” was retired; choose another."})


@transaction.atomic
def change_idea_create(
    *,
    team: Team,
    actor: User,
    title: str,
    description: str = "",
    driver: Driver | None = None,
    gap_item: str = "",
    gap_question: str = "",
    source_item: ChangePackageItem | None = None,
) -> ChangeIdea:
    """Add a change idea to the team's diagram, under a driver (or not yet placed)."""
    title = _title(title, what="the change idea")
    _check_driver(team, driver)
    if source_item is not None and (
        source_item.program_id != team.program_id
        or source_item.collaborative_id != team.collaborative_id
    ):
        raise ValidationError({"source_item": "Choose an item of your collaborative's package."})
    idea = ChangeIdea.objects.create(
        program_id=team.program_id,
        team=team,
        driver=driver,
        title=title,
        description=(description or "").strip(),
        gap_item=(gap_item or "").strip()[:200],
        gap_question=_gap_question(team.collaborative, gap_question),
        source_item=source_item,
        position=_next_position(ChangeIdea.objects.filter(program_id=team.program_id, team=team)),
    )
    audit_record(
        actor=actor,
        verb="pdsa_change_idea.created",
        target=idea,
        data={"source_item": str(source_item.public_id) if source_item else None},
    )
    return idea


@transaction.atomic
def change_idea_update(
    *,
    idea: ChangeIdea,
    actor: User,
    title: str,
    description: str = "",
    driver: Driver | None = None,
    gap_item: str = "",
    gap_question: str = "",
) -> ChangeIdea:
    """Rename a change idea, describe it, link it to a gap, or move it under another driver."""
    values = {
        "title": _title(title, what="the change idea"),
        "description": (description or "").strip(),
        "driver": driver,
        "gap_item": (gap_item or "").strip()[:200],
        "gap_question": _gap_question(idea.team.collaborative, gap_question),
    }
    if driver is not None and driver.pk != idea.driver_id:
        _check_driver(idea.team, driver)
    save_changes(idea, values, actor=actor, verb="pdsa_change_idea.updated")
    return idea


@transaction.atomic
def change_idea_reorder(*, idea: ChangeIdea, actor: User, direction: str) -> ChangeIdea:
    """Move a change idea one place up or down among the ideas under the same driver."""
    siblings = ChangeIdea.objects.filter(
        program_id=idea.program_id, team_id=idea.team_id, driver_id=idea.driver_id
    )
    _move(idea, siblings, actor=actor, direction=direction, verb="pdsa_change_idea.moved")
    return idea


@transaction.atomic
def change_idea_set_retired(*, idea: ChangeIdea, actor: User, retired: bool) -> ChangeIdea:
    """Retire a change idea the team stopped testing (its ramp stays readable)."""
    if retired == (idea.retired_at is not None):
        return idea
    idea.retired_at = clock.now() if retired else None
    idea.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        verb="pdsa_change_idea.retired" if retired else "pdsa_change_idea.reinstated",
        target=idea,
    )
    return idea


@transaction.atomic
def change_ideas_seed(
    *, team: Team, actor: User, items: list[ChangePackageItem], driver: Driver | None = None
) -> list[ChangeIdea]:
    """Copy items of the collaborative's change package into the team's change ideas.

    Items already seeded are skipped (seeding twice adds nothing). Without a
    chosen driver, an item goes under the primary driver whose name matches its
    suggested driver, or stays unplaced for the lead to place.
    """
    _check_driver(team, driver)
    for item in items:
        if item.program_id != team.program_id or item.collaborative_id != team.collaborative_id:
            raise ValidationError({"items": "Choose items of your collaborative's package."})
    already = set(
        ChangeIdea.objects.filter(
            program_id=team.program_id, team=team, source_item__in=items
        ).values_list("source_item_id", flat=True)
    )
    primaries = {
        d.title.lower(): d
        for d in Driver.objects.filter(
            program_id=team.program_id,
            team=team,
            kind=DriverKind.PRIMARY,
            retired_at__isnull=True,
        )
    }
    created = []
    for item in items:
        if item.pk in already:
            continue
        target = driver or primaries.get(item.suggested_driver.lower())
        created.append(
            change_idea_create(
                team=team,
                actor=actor,
                title=item.title,
                description=item.description,
                driver=target,
                gap_item=item.gap_item,
                gap_question=item.gap_question,
                source_item=item,
            )
        )
    return created


# --- change package ----------------------------------------------------------------------

PACKAGE_FIELDS = ("title", "description", "suggested_driver", "gap_item", "gap_question")


def _gap_question(collaborative: Collaborative, value: str) -> str:
    """A gap-analysis question of the collaborative's surveys, or a clear refusal."""
    if not value:
        return ""
    if value not in dict(gap_question_choices(collaborative=collaborative)):
        raise ValidationError(
            {"gap_question": "Choose an item of your collaborative's gap analysis."}
        )
    return value


def package_item_gap_link_sync(item: ChangePackageItem) -> None:
    """Show the (shared) change-package item beside its gap in every gap report."""
    change_idea_link_set(
        program_id=item.program_id,
        target_id=item.public_id,
        title=item.title,
        gap_question="" if item.retired_at else item.gap_question,
    )


def _package_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(PACKAGE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    cleaned["title"] = _title(cleaned.get("title", ""), what="the change")
    for name in ("suggested_driver", "gap_item"):
        cleaned[name] = cleaned.get(name, "")[:200]
    return cleaned


@transaction.atomic
def package_item_create(
    *, collaborative: Collaborative, actor: User, **values: Any
) -> ChangePackageItem:
    """Staff add a change to the collaborative's change package."""
    values = _package_values(values)
    siblings = ChangePackageItem.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    )
    values["gap_question"] = _gap_question(collaborative, values.get("gap_question", ""))
    item = ChangePackageItem.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        position=_next_position(siblings),
        **values,
    )
    package_item_gap_link_sync(item)
    audit_record(actor=actor, verb="pdsa_package_item.created", target=item)
    return item


@transaction.atomic
def package_item_update(
    *, item: ChangePackageItem, actor: User, **values: Any
) -> ChangePackageItem:
    values = _package_values(values)
    values["gap_question"] = _gap_question(item.collaborative, values.get("gap_question", ""))
    if save_changes(item, values, actor=actor, verb="pdsa_package_item.updated", names_only=True):
        package_item_gap_link_sync(item)
    return item


@transaction.atomic
def package_item_set_retired(
    *, item: ChangePackageItem, actor: User, retired: bool
) -> ChangePackageItem:
    """Retire an item: teams no longer seed it; ideas already seeded stay."""
    if retired != (item.retired_at is not None):
        item.retired_at = clock.now() if retired else None
        item.save(update_fields=["retired_at"])
        package_item_gap_link_sync(item)
        audit_record(
            actor=actor,
            verb="pdsa_package_item.retired" if retired else "pdsa_package_item.reinstated",
            target=item,
        )
    return item
