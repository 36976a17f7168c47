"""The in-app inbox: notices, the bell's unread count, marking them read.

A notice is the second channel of an e-mail: `core.emails.email_enqueue_message`
calls `notice_create` in the transaction that stores the e-mail, for every e-mail
whose producer said where the notice opens (`notice_url`), whether the person gets
the e-mail at once, in the digest or not at all. Nothing else creates notices, so
the inbox and the outbox cannot disagree about what happened.

Every read and write here is scoped to one person (the recipient): a notice is
personal, like an e-mail, so no other person, whatever their role, reads it.

The bell shows the unread count on every page, so it is cached per person for
`UNREAD_CACHE_SECONDS` and the cached value is dropped (after commit) whenever a
notice of theirs is created or read: one indexed COUNT per person per minute at
most, and a count that is right the moment something changes.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from . import clock
from .models import Notification

#: How long the bell's count is cached, per person; changes drop it at once.
UNREAD_CACHE_SECONDS = 60

#: The longest path a notice keeps (Notification.url).
URL_MAX_LENGTH = 500


def is_site_path(url: str) -> bool:
    """Whether `url` is a path on this site ("/teams/…"), so that opening a notice can
    never send anyone to another site: no scheme (https:, javascript:), no host, and
    not the scheme-relative "//host" or its backslash variants that browsers accept."""
    if not url or len(url) > URL_MAX_LENGTH or not url.startswith("/"):
        return False
    if url.startswith(("//", "/\\")) or any(ord(ch) < 32 or ch == "\\" for ch in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)


def _count_key(user_id: int) -> str:
    return f"inbox:unread:{user_id}"


def _forget_count(user_id: int) -> None:
    """Drop the cached count now (this request sees its own change) and again after
    commit (meanwhile another request may have read the old count back into it)."""
    key = _count_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def notice_create(
    *,
    recipient: Any,
    kind: str,
    title: str,
    url: str,
    program: Any = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Put a notice in `recipient`'s inbox; None when one with the same `dedupe_key`
    is already there (a producer that runs again adds nothing).

    `url` must be a path on this site (ValueError otherwise: it is the producer's
    own `reverse()` result, so anything else is a bug to find in its tests).
    """
    if not is_site_path(url):
        raise ValueError(f"A notice opens a path on this site, not {url!r}.")
    title = " ".join((title or "").split())[:255] or "Notice"
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                program=program,
                recipient=recipient,
                kind=kind,
                title=title,
                url=url,
                created_at=clock.now(),
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if (
            dedupe_key
            and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()
        ):
            return None
        raise
    _forget_count(recipient.pk)
    return notice


# --- reading -----------------------------------------------------------------------------


def notifications_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """`user`'s own notices, newest first (unread ones only when asked)."""
    notices = Notification.objects.filter(recipient=user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    """How many of `user`'s notices are unread: the bell's number, cached briefly."""
    key = _count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def notification_get_or_404(*, user: Any, public_id: uuid.UUID | str) -> Notification:
    """`user`'s notice `public_id`; 404 for anyone else's, exactly like a missing one."""
    try:
        return Notification.objects.get(recipient=user, public_id=public_id)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notification.") from None


# --- marking read ------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notice read (it was opened); reading it again changes nothing."""
    if notification.read_at is None:
        now = clock.now()
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        notification.read_at = now
        if updated:
            _forget_count(notification.recipient_id)
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notice of `user` read; returns how many were unread."""
    updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=clock.now()
    )
    if updated:
        _forget_count(user.pk)
    return updated


#: How many notices one delete statement removes (short locks on a big table).
PRUNE_BATCH = 5000


def notifications_prune(*, now: Any = None) -> int:
    """Delete the notices nobody needs any more: read ones older than
    settings.NOTICES_KEEP_READ_DAYS (90) and unread ones older than
    NOTICES_KEEP_UNREAD_DAYS (365), by when they were made. Nothing else ever deletes
    a notice, so without this the inbox table only grows. In batches of PRUNE_BATCH;
    the bell's cached count is dropped for people who lose unread notices. Returns how
    many were deleted."""
    now = now or clock.now()
    read_before = now - timedelta(days=settings.NOTICES_KEEP_READ_DAYS)
    unread_before = now - timedelta(days=settings.NOTICES_KEEP_UNREAD_DAYS)
    stale = Notification.objects.filter(
        Q(read_at__isnull=False, created_at__lt=read_before)
        | Q(read_at__isnull=True, created_at__lt=unread_before)
    ).order_by()
    deleted = 0
    while True:
        batch = list(stale.values_list("pk", "recipient_id", "read_at")[:PRUNE_BATCH])
        if not batch:
            return deleted
        deleted += Notification.objects.filter(pk__in=[row[0] for row in batch]).delete()[0]
        for recipient_id in {row[1] for row in batch if row[2] is None}:
            _forget_count(recipient_id)
