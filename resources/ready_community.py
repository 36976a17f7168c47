"""What the community part of resources wires up when the app is ready: panels on other
apps' pages, search providers, signal receivers.

Entering the community phase: collaboratives does not know resources (it is a lower
layer), so the community hears of it through Django's post_save of Collaborative,
connected by model label. A save that writes the status (collaboratives.services.
collaborative_transition saves `update_fields=["status", ...]`) or a whole row
(creation, admin, the demo) of a collaborative in its community phase seeds the
community's members; the seeding is idempotent, so a repeated save adds only people
not there yet and never brings back someone staff removed.
"""

from django.db.models.signals import post_save
from django.http import Http404

from collaboratives.models import CollaborativeStatus
from core.panels import COLLABORATIVE_PAGE, register_panel

from .community.selectors import community_or_404
from .community.services import community_members_seed


def _on_collaborative_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or instance.status != CollaborativeStatus.COMMUNITY:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    community_members_seed(collaborative=instance)


post_save.connect(
    _on_collaborative_saved,
    sender="collaboratives.Collaborative",
    dispatch_uid="resources:community-seed",
)


def _community_panel(*, collaborative, user) -> dict | None:
    """On a collaborative in its community phase: the way to its community."""
    if collaborative.status != CollaborativeStatus.COMMUNITY:
        return None
    try:
        return {"access": community_or_404(user=user, community_id=collaborative.public_id)}
    except Http404:
        return None


register_panel(
    COLLABORATIVE_PAGE,
    name="community",
    template="resources/community/_collaborative_panel.html",
    context=_community_panel,
    order=4,
)
