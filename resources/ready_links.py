"""What the links part of resources wires up when the app is ready: "Resources for
this ..." panels on the pages of measures, change ideas, change-package items and
events, and "Linked to" on the resource's own page (core.panels)."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.urls import reverse

from core.panels import (
    CHANGE_IDEA_PAGE,
    COLLABORATIVE_MEASURE_PAGE,
    EVENT_PAGE,
    PACKAGE_ITEM_PAGE,
    RESOURCE_PAGE,
    TEAM_MEASURE_PAGE,
    register_panel,
)

from .forms_links import ChangeIdeaResourceForm
from .models import LinkTarget
from .selectors.links import (
    can_manage_links,
    resource_targets_for,
    resources_linked_to,
    resources_to_link_for_team,
)

PANEL_TEMPLATE = "resources/links/_panel_resources.html"


def _listing(heading: str, kind: str, where: Callable[..., tuple[int, UUID, int]]):
    """A panel's context function: the resources linked to the page's subject that the
    viewer may open, meant for the program or the subject's collaborative; None (no
    panel) when there are none. `where(**subject)` is (program id, the target's public
    id, the collaborative's id)."""

    def context(*, user, **subject) -> dict | None:
        program_id, target_id, collaborative_id = where(**subject)
        linked = resources_linked_to(
            user=user,
            program_id=program_id,
            target_kind=kind,
            target_ids=[target_id],
            collaborative_id=collaborative_id,
        )
        if not linked:
            return None
        return {"heading": heading, "linked": linked, "panel_id": f"resources-for-{kind}"}

    return context


#: (page, heading, target kind, where the subject is) of each "Resources for this ...".
TARGET_PANELS = [
    (
        TEAM_MEASURE_PAGE,
        "Resources for this measure",
        LinkTarget.MEASURE,
        lambda *, team, measure: (team.program_id, measure.public_id, team.collaborative_id),
    ),
    (
        COLLABORATIVE_MEASURE_PAGE,
        "Resources for this measure",
        LinkTarget.MEASURE,
        lambda *, collaborative, measure: (
            collaborative.program_id,
            measure.public_id,
            collaborative.pk,
        ),
    ),
    (
        PACKAGE_ITEM_PAGE,
        "Resources for this change",
        LinkTarget.PACKAGE_ITEM,
        lambda *, collaborative, item: (collaborative.program_id, item.public_id, collaborative.pk),
    ),
    (
        EVENT_PAGE,
        "Resources for this event",
        LinkTarget.EVENT,
        lambda *, event: (event.program_id, event.public_id, event.collaborative_id),
    ),
]


def _change_idea(*, user, team, idea, access) -> dict:
    """The idea's own resources and those of the change-package item it was seeded
    from; the team's working members may link another resource or remove one."""
    common = {
        "user": user,
        "program_id": team.program_id,
        "collaborative_id": team.collaborative_id,
    }
    own = resources_linked_to(
        target_kind=LinkTarget.CHANGE_IDEA, target_ids=[idea.public_id], **common
    )
    from_package = []
    if idea.source_item_id is not None:
        own_ids = {entry.resource.pk for entry in own}
        from_package = [
            entry
            for entry in resources_linked_to(
                target_kind=LinkTarget.PACKAGE_ITEM,
                target_ids=[idea.source_item.public_id],
                **common,
            )
            if entry.resource.pk not in own_ids
        ]
    form = None
    if access.can_edit_change_ideas:
        choices = resources_to_link_for_team(
            user=user, program_id=team.program_id, collaborative_id=team.collaborative_id
        ).exclude(pk__in=[entry.resource.pk for entry in own])
        form = ChangeIdeaResourceForm(resources=choices)
    return {
        "linked": own,
        "from_package": from_package,
        "form": form,
        "can_remove": access.can_edit_change_ideas,
        "add_url": reverse(
            "resources:change_idea_link_add",
            kwargs={"team_id": team.public_id, "change_idea_id": idea.public_id},
        ),
    }


def _resource(*, user, resource) -> dict | None:
    """What the resource is linked to, as the viewer may see it. A visitor without an
    account (a public resource's page) sees none: every target is the program's own."""
    if not getattr(user, "is_authenticated", False):
        return None
    return {
        "targets": resource_targets_for(user=user, resource=resource),
        "can_manage": can_manage_links(user=user, resource=resource),
    }


for page, heading, kind, where in TARGET_PANELS:
    register_panel(
        page,
        name="resources-links",
        template=PANEL_TEMPLATE,
        context=_listing(heading, kind, where),
    )
register_panel(
    CHANGE_IDEA_PAGE,
    name="resources-links",
    template="resources/links/_panel_change_idea.html",
    context=_change_idea,
)
register_panel(
    RESOURCE_PAGE,
    name="resources-links",
    template="resources/links/_panel_linked_to.html",
    context=_resource,
    order=30,
)
