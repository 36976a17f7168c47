"""Copying a collaborative brings its change package along (collaboratives.copying)."""

from collaboratives.copying import copy_step
from collaboratives.models import Collaborative

from .models import ChangePackageItem
from .services.diagram import package_item_gap_link_sync


@copy_step("change_package")
def copy_change_package(source: Collaborative, target: Collaborative, shift_days: int) -> None:
    """The package's current items, in order; retired items stay behind. Teams' own
    change ideas and cycles are their work and are never copied."""
    items = ChangePackageItem.objects.bulk_create(
        ChangePackageItem(
            program_id=target.program_id,
            collaborative=target,
            title=item.title,
            description=item.description,
            suggested_driver=item.suggested_driver,
            gap_item=item.gap_item,
            gap_question=item.gap_question,
            position=item.position,
        )
        for item in ChangePackageItem.objects.filter(
            program_id=source.program_id, collaborative=source, retired_at__isnull=True
        ).order_by("position", "id")
    )
    for item in items:
        if item.gap_question:
            package_item_gap_link_sync(item)
