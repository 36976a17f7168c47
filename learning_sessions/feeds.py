"""Personal calendar subscription feeds: make, regenerate and revoke the secret address,
find its owner from the address, and list what the feed holds.

The token is 32 random bytes (URL-safe base64), shown once to its owner; only its
SHA-256 digest is stored (models/feeds.py). Guessing is both hopeless (256 bits) and
rate-limited: failed look-ups are counted per client address in a fixed window and
past the limit the feed answers 429 for that address.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from core.audit import audit_record
from core.cache import count_in_window
from core.clock import now

from .models import CalendarFeed, Event, RegistrationStatus
from .selectors import events_visible_to

#: What a token looks like (token_urlsafe(32) gives 43 characters).
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
#: Failed look-ups allowed per client address per window.
FAILED_LOOKUPS_ALLOWED = 30
FAILED_LOOKUP_WINDOW_SECONDS = 600
#: Events that ended longer ago than this drop out of the feed (keeps it small).
FEED_HISTORY = timedelta(days=180)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_regenerate(*, user: User) -> str:
    """A new secret address for `user` (the old one, if any, stops working); its token."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_digest": _digest(token), "created_at": now()}
    )
    audit_record(actor=user, verb="calendar_feed.created", target=user, program=None)
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> bool:
    """Delete the address; False when there was none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, verb="calendar_feed.revoked", target=user, program=None)
    return bool(deleted)


def feed_of(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def lookup_allowed(client: str) -> bool:
    """Whether `client` may still try tokens in this window (see the module's text)."""
    window = int(time.time() // FAILED_LOOKUP_WINDOW_SECONDS)
    count = cache.get(f"feed-miss:{client}:{window}") or 0
    return count < FAILED_LOOKUPS_ALLOWED


def _count_failed_lookup(client: str) -> None:
    window = int(time.time() // FAILED_LOOKUP_WINDOW_SECONDS)
    count_in_window(f"feed-miss:{client}:{window}", FAILED_LOOKUP_WINDOW_SECONDS)


def feed_owner(*, token: str, client: str) -> User | None:
    """The active person whose feed address carries `token`, or None (counted as a miss).

    The token is hashed before the database sees it, so the look-up's timing depends
    on the digest, which the caller cannot steer towards a stored one.
    """
    feed = None
    if _TOKEN_SHAPE.match(token):
        feed = (
            CalendarFeed.objects.select_related("user")
            .filter(token_digest=_digest(token), user__is_active=True)
            .first()
        )
    if feed is None:
        _count_failed_lookup(client)
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now())
    return feed.user


def feed_events(*, user: User) -> QuerySet[Event]:
    """What the feed holds: events `user` holds a seat at, in collaboratives they can
    still see, including cancelled ones (so calendars mark them cancelled)."""
    return (
        events_visible_to(user=user)
        .filter(
            registrations__user=user,
            registrations__status=RegistrationStatus.REGISTERED,
            ends_at__gte=now() - FEED_HISTORY,
        )
        .order_by("starts_at", "id")
    )
