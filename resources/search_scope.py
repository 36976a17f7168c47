"""Which library resources a person's search may find.

The library's rule (resources.access), applied here for search so that the search
part does not wait for the library's pages: a resource that is not retired and is
program-wide in a program the person works in, scoped to a collaborative they work in,
or public in a program they work in. A public resource of another program is not
"theirs": it has its own public page, but the top-bar search stays inside the person's
programs, like every other group of results.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User

from .access import program_ids_of, shared_work_collaborative_ids
from .models import Resource, Visibility


def resources_searchable_by(*, user: User) -> QuerySet[Resource]:
    """The resources `user` may find (none for an anonymous or inactive user)."""
    program_ids = program_ids_of(user=user)
    if not program_ids:
        return Resource.objects.none()
    collaborative_ids = shared_work_collaborative_ids(user=user)
    return Resource.objects.filter(retired_at__isnull=True).filter(
        Q(visibility=Visibility.PROGRAM, program_id__in=program_ids)
        | Q(visibility=Visibility.PUBLIC, program_id__in=program_ids)
        | Q(visibility=Visibility.COLLABORATIVE, collaborative_id__in=collaborative_ids)
    )


def resource_searchable_or_none(*, user: User, public_id) -> Resource | None:
    """One resource `user` may find, by its public id, or None (a 404 for views)."""
    return resources_searchable_by(user=user).filter(public_id=public_id).first()
