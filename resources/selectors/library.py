"""Reads of the library, always scoped to what the reader may see.

A signed-in person sees the resources of every program they have a role or a team in
(program-wide and public ones) and those scoped to a collaborative they work in
(resources.access); retired resources leave every list but staff's management list.
A public resource's page needs no login at all. Anything else is "not found".
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Program, User
from accounts.selectors import staff_program_ids
from collaboratives.models import FocusArea
from core import clock

from ..access import program_ids_of, shared_work_collaborative_ids
from ..models import Resource, ResourceViewDay, Visibility

#: "Most used" and "no one opened" look at this many days, today included.
USAGE_DAYS = 90
#: How many resources the "new this month" and "most used" sections show.
SECTION_SIZE = 5


def resources_visible_to(*, user: User) -> QuerySet[Resource]:
    """The resources `user` may find in the library: not retired, and program-wide or
    public in one of their programs, or scoped to a collaborative they work in."""
    program_ids = program_ids_of(user=user)
    collaborative_ids = shared_work_collaborative_ids(user=user)
    if not program_ids and not collaborative_ids:
        return Resource.objects.none()
    return Resource.objects.filter(
        Q(visibility__in=[Visibility.PROGRAM, Visibility.PUBLIC], program_id__in=program_ids)
        | Q(visibility=Visibility.COLLABORATIVE, collaborative_id__in=collaborative_ids),
        retired_at__isnull=True,
    )


def _parse(public_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def resource_or_404(*, user: User, public_id) -> Resource:
    """One resource the user may see, or Http404. Staff of its program also reach a
    retired one (to see what it was and restore it)."""
    key = _parse(public_id)
    if key is not None:
        resource = resources_visible_to(user=user).filter(public_id=key).first()
        if resource is None:
            resource = Resource.objects.filter(
                public_id=key,
                retired_at__isnull=False,
                program_id__in=staff_program_ids(user=user),
            ).first()
        if resource is not None:
            return resource
    raise Http404("No such resource.")


def public_resource_or_404(*, public_id) -> Resource:
    """A public, not retired resource for anyone, signed in or not; else Http404."""
    key = _parse(public_id)
    resource = (
        Resource.objects.filter(
            public_id=key, visibility=Visibility.PUBLIC, retired_at__isnull=True
        ).first()
        if key
        else None
    )
    if resource is None:
        raise Http404("No such resource.")
    return resource


def focus_areas_for_filter(*, user: User) -> QuerySet[FocusArea]:
    """The focus areas of the user's programs, for the library's filter."""
    return FocusArea.objects.filter(program_id__in=program_ids_of(user=user)).order_by("name", "pk")


def filter_library(
    queryset: QuerySet[Resource],
    *,
    kind: str = "",
    focus_area: uuid.UUID | None = None,
    audience: str = "",
) -> QuerySet[Resource]:
    """`queryset` narrowed to a type, a focus area (by public id) and an audience
    (resources for everyone count as for every audience)."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if focus_area:
        tagged = Resource.focus_areas.through.objects.filter(
            resource_id=OuterRef("pk"), focusarea__public_id=focus_area
        )
        queryset = queryset.filter(Exists(tagged))
    if audience:
        queryset = queryset.filter(_for_audience(queryset, audience))
    return queryset


def _for_audience(queryset: QuerySet[Resource], audience: str) -> Q:
    """Resources for `audience` or for everyone. SQLite (`make run`) has no JSON
    containment: there the few rows' lists are read and matched here."""
    if connection.features.supports_json_field_contains:
        return Q(audience__contains=[audience]) | Q(audience=[])
    ids = [
        pk
        for pk, values in queryset.values_list("pk", "audience")
        if not values or audience in values
    ]
    return Q(pk__in=ids)


def _month_started_at() -> datetime:
    start = clock.current_month()
    return timezone.make_aware(datetime.combine(start, time.min), timezone.get_default_timezone())


def new_this_month(queryset: QuerySet[Resource]) -> list[Resource]:
    """The newest resources of `queryset` added in the current calendar month."""
    return list(
        queryset.filter(created_at__gte=_month_started_at()).order_by("-created_at", "-pk")[
            :SECTION_SIZE
        ]
    )


def _recent_opens() -> Coalesce:
    """Opens in the last USAGE_DAYS days (0 when none), as a subquery per resource."""
    since = clock.today() - timedelta(days=USAGE_DAYS - 1)
    total = (
        ResourceViewDay.objects.filter(resource=OuterRef("pk"), day__gte=since)
        .order_by()
        .values("resource")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def most_used(queryset: QuerySet[Resource]) -> list[Resource]:
    """The resources of `queryset` opened most in the last USAGE_DAYS days, each with
    `recent_opens`; never-opened ones are not "most used"."""
    return list(
        queryset.annotate(recent_opens=_recent_opens())
        .filter(recent_opens__gt=0)
        .order_by("-recent_opens", "title", "pk")[:SECTION_SIZE]
    )


#: The "no one opened" filter of the management list.
UNOPENED_RECENTLY = "recent"
UNOPENED_EVER = "ever"


def resources_managed(*, program: Program, unopened: str = "") -> QuerySet[Resource]:
    """Every resource of `program` for its staff, retired ones included (last), with
    `recent_opens` (last USAGE_DAYS days) beside the all-time `view_count`; `unopened`
    keeps those no one opened recently (UNOPENED_RECENTLY) or ever (UNOPENED_EVER)."""
    queryset = (
        Resource.objects.filter(program=program)
        .select_related("collaborative")
        .annotate(recent_opens=_recent_opens())
    )
    if unopened == UNOPENED_RECENTLY:
        queryset = queryset.filter(recent_opens=0)
    elif unopened == UNOPENED_EVER:
        queryset = queryset.filter(view_count=0)
    return queryset.order_by(F("retired_at").asc(nulls_first=True), "title", "pk")
