"""Reads of the links between resources and what they help with, always scoped.

Who sees a resource (the library's one rule, resources.access): it is not retired,
and it is program-wide or public in a program the person works in, or it belongs to a
collaborative whose shared work they see. A target's page lists only such resources,
and on a team's or a collaborative's page only those meant for everyone in the
program or for that collaborative, so that a staff member sees what the team sees.
A resource's page lists only the targets the viewer may see: gap questions of
instruments they read, measures, package items and events of their collaboratives,
and a team's change ideas only for the people of that team (members, coaches, staff).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import is_program_staff, staff_program_ids
from assessments.public import ResourceQuestion, resource_questions
from learning_sessions.public import events_linked_for
from measures.public import measures_linked_for
from pdsa.public import change_ideas_linked_for, package_items_linked_for

from ..access import program_ids_of, resources_seen_condition, shared_work_collaborative_ids
from ..models import LinkTarget, Resource, ResourceLink, Visibility


def resources_seen_by(*, user: User) -> QuerySet[Resource]:
    """Resources `user` may open: not retired, and program-wide or public in one of
    their programs, or scoped to a collaborative whose shared work they see."""
    programs = program_ids_of(user=user)
    if not programs:
        return Resource.objects.none()
    collaboratives = shared_work_collaborative_ids(user=user)
    return Resource.objects.filter(
        Q(visibility__in=[Visibility.PROGRAM, Visibility.PUBLIC], program_id__in=programs)
        | Q(visibility=Visibility.COLLABORATIVE, collaborative_id__in=collaboratives),
        retired_at__isnull=True,
    )


def resource_for_links_or_404(*, user: User, resource_id) -> Resource:
    """The resource a links URL names if `user` may open it, or (for the program's
    staff) a retired one, so that its links can still be read and removed; else 404."""
    visible = resources_seen_by(user=user)
    staff = staff_program_ids(user=user)
    if staff:
        visible = visible | Resource.objects.filter(program_id__in=staff)
    try:
        return visible.select_related("program", "collaborative").get(public_id=resource_id)
    except (Resource.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such resource.") from None


def can_manage_links(*, user: User, resource: Resource) -> bool:
    """Linking a resource to gap questions, measures, package items and events is the
    program staff's work; teams link resources to their own change ideas."""
    return is_program_staff(user=user, program=resource.program)


@dataclass(frozen=True)
class LinkedResource:
    """A resource shown on a target's page, with the link (for removing it)."""

    resource: Resource
    link: ResourceLink


def resources_linked_to(
    *,
    user: User,
    program_id: int,
    target_kind: str,
    target_ids: Iterable[UUID],
    collaborative_id: int | None = None,
) -> list[LinkedResource]:
    """Resources linked to any of these targets that `user` may open, by title; with
    `collaborative_id` (a team's or a collaborative's page), only the program-wide,
    public and that collaborative's own resources.

    Most targets have no resource linked, and the panel is on every measure page: so
    first one cheap query asks whether any link exists (no access computed), and only
    then one more reads the links whose resource the viewer may open, the access rule
    folded into it as subqueries. One query when nothing is linked, two otherwise,
    whatever the number of links, resources, programs and collaboratives."""
    ids = list(target_ids)
    if not ids or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    links = ResourceLink.objects.filter(
        program_id=program_id, target_kind=target_kind, target_id__in=ids
    )
    if collaborative_id is not None:
        links = links.filter(
            Q(resource__collaborative__isnull=True) | Q(resource__collaborative_id=collaborative_id)
        )
    if not links.exists():
        return []
    seen_condition = resources_seen_condition(user=user)
    if seen_condition is None:
        return []
    links = links.filter(resource__in=Resource.objects.filter(seen_condition))
    seen: set[int] = set()
    out = []
    for link in links.select_related("resource").order_by("resource__title", "pk"):
        if link.resource_id in seen:
            continue
        seen.add(link.resource_id)
        out.append(LinkedResource(resource=link.resource, link=link))
    return out


def resources_to_link_for_team(*, user: User, program_id: int, collaborative_id: int):
    """Resources a team member may link to their team's change idea: those they may
    open that are meant for the whole program or the team's collaborative."""
    return (
        resources_seen_by(user=user)
        .filter(program_id=program_id)
        .filter(Q(collaborative__isnull=True) | Q(collaborative_id=collaborative_id))
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class LinkedTarget:
    """One thing a resource is linked to, as the resource's page lists it."""

    title: str
    url: str
    #: The ResourceLink (None for a gap question: its link lives in assessments).
    link_id: UUID | None = None


@dataclass
class ResourceTargets:
    """What a resource is linked to, grouped, as one viewer may see it."""

    questions: list[ResourceQuestion] = field(default_factory=list)
    measures: list[LinkedTarget] = field(default_factory=list)
    package_items: list[LinkedTarget] = field(default_factory=list)
    change_ideas: list[LinkedTarget] = field(default_factory=list)
    events: list[LinkedTarget] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[list[LinkedTarget], str]]:
        """The targets other than gap questions, each list with its heading."""
        return [
            (self.measures, "Measures"),
            (self.package_items, "Change-package items"),
            (self.change_ideas, "Change ideas"),
            (self.events, "Events"),
        ]

    @property
    def is_empty(self) -> bool:
        return not (
            self.questions
            or self.measures
            or self.package_items
            or self.change_ideas
            or self.events
        )


def resource_targets_for(*, user: User, resource: Resource) -> ResourceTargets:
    """Every target of `resource` that `user` may see, each through the owning app's
    own visibility rule (its public module). Six queries at most, whatever the number
    of links."""
    by_kind: dict[str, dict[UUID, UUID]] = {}
    for link in ResourceLink.objects.filter(program_id=resource.program_id, resource=resource):
        by_kind.setdefault(link.target_kind, {})[link.target_id] = link.public_id
    readers = {
        LinkTarget.MEASURE: lambda ids: measures_linked_for(user=user, measure_ids=ids),
        LinkTarget.PACKAGE_ITEM: lambda ids: package_items_linked_for(user=user, item_ids=ids),
        LinkTarget.CHANGE_IDEA: lambda ids: change_ideas_linked_for(user=user, idea_ids=ids),
        LinkTarget.EVENT: lambda ids: events_linked_for(user=user, event_ids=ids),
    }
    found: dict[str, list[LinkedTarget]] = {}
    for kind, read in readers.items():
        links = by_kind.get(kind, {})
        found[kind] = [
            LinkedTarget(title=title, url=url, link_id=links[target_id])
            for target_id, title, url in read(links.keys())
        ]
    return ResourceTargets(
        questions=resource_questions(
            program_id=resource.program_id, resource_id=resource.public_id, user=user
        ),
        measures=found[LinkTarget.MEASURE],
        package_items=found[LinkTarget.PACKAGE_ITEM],
        change_ideas=found[LinkTarget.CHANGE_IDEA],
        events=found[LinkTarget.EVENT],
    )


def resource_link_or_404(*, user: User, link_id) -> ResourceLink:
    """A link whose resource `user` may open and whose target they may see, or any link
    of the program for its staff; else 404."""
    try:
        link = ResourceLink.objects.select_related("resource", "resource__program").get(
            public_id=link_id
        )
    except (ResourceLink.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such link.") from None
    resource = resource_for_links_or_404(user=user, resource_id=link.resource.public_id)
    if can_manage_links(user=user, resource=resource):
        return link  # staff: every link of their program, even to a target now gone
    targets = resource_targets_for(user=user, resource=resource)
    visible = {
        t.link_id
        for group in (targets.measures, targets.package_items, targets.change_ideas, targets.events)
        for t in group
    }
    if link.public_id not in visible:
        raise Http404("No such link.")
    return link
