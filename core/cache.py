"""The cache, failing open: while Redis is down the site keeps serving.

The cache holds nothing that cannot be lost (login rate limits, API throttles, chart
summaries that are recomputed), so an outage must not turn every page that touches
it into a 500. `FailOpenRedisCache` answers as an empty cache while Redis does not:
reads miss, writes are dropped, and rate limits and throttles let requests through.
Each outage is logged as a warning (at most once a minute per process), and
`/healthz` reports the cache as unavailable and the site as degraded.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Seconds between two warnings about the same outage, per process.
WARN_EVERY = 60.0


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable."""

    _last_warning = 0.0

    def _unavailable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - FailOpenRedisCache._last_warning >= WARN_EVERY:
            FailOpenRedisCache._last_warning = now
            logger.warning(
                "cache unavailable (%s failed: %s): serving without it, rate limits open",
                operation,
                error,
            )

    def _guarded(self, operation: str, fallback: Any, call, *args: Any) -> Any:
        """`call(*args)`, or `fallback` (with a warning) while Redis does not answer."""
        try:
            return call(*args)
        except RedisError as error:
            self._unavailable(operation, error)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", default, super().get, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("has_key", False, super().has_key, key, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        # As if stored: a lock or a counter must not block the request.
        return self._guarded("add", True, super().add, key, value, timeout, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guarded("set", None, super().set, key, value, timeout, version)

    def set_many(
        self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list:
        return self._guarded("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("touch", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("delete", False, super().delete, key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guarded("delete_many", None, super().delete_many, keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guarded("incr", delta, super().incr, key, delta, version)

    def clear(self) -> None:
        self._guarded("clear", None, super().clear)


def count_in_window(key: str, seconds: int) -> int:
    """Count one more event under `key` in a fixed window of `seconds` and return the
    count so far: the rate limits' counter (CSP reports, certificate look-ups, feed
    misses, check-in tries). `key` names the window itself when the caller wants
    aligned windows (e.g. by `time.time() // seconds`); otherwise the window starts
    with its first event. While Redis is down FailOpenRedisCache stores nothing and the
    count stays low, so limits let people through rather than lock them out."""
    from django.core.cache import cache

    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=seconds)
        return 1
