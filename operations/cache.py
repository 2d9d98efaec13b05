"""The shared cache (CACHE_URL, Redis) that a Redis outage turns into misses, not errors.

The cache holds only what can be drawn again from the database (the dashboard's charts, the school
list's filter choices), so with Redis down a page simply computes them. Django's own Redis cache
raises instead; this one answers as if the key were missing, gives up on Redis for
``OUTAGE_PAUSE`` seconds after a failure (so a page never waits on it twice), and waits at most a
second for it at a time (the settings' socket timeouts).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

OUTAGE_PAUSE = 10.0


class TolerantRedisCacheClient(RedisCacheClient):
    _down_until = 0.0

    def _attempt(self, call, *args, fallback=None):
        if time.monotonic() < self._down_until:
            return fallback
        errors = (self._lib.exceptions.ConnectionError, self._lib.exceptions.TimeoutError, OSError)
        try:
            return call(*args)
        except errors as exc:
            self._down_until = time.monotonic() + OUTAGE_PAUSE
            logger.warning("The cache is unavailable for the next %.0f s: %s", OUTAGE_PAUSE, exc)
            return fallback

    def add(self, key, value, timeout):
        return self._attempt(super().add, key, value, timeout, fallback=False)

    def get(self, key, default):
        return self._attempt(super().get, key, default, fallback=default)

    def set(self, key, value, timeout):
        return self._attempt(super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._attempt(super().touch, key, timeout, fallback=False)

    def delete(self, key):
        return self._attempt(super().delete, key, fallback=False)

    def get_many(self, keys):
        return self._attempt(super().get_many, keys, fallback={})

    def has_key(self, key):
        return self._attempt(super().has_key, key, fallback=False)

    def set_many(self, data, timeout):
        return self._attempt(super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._attempt(super().delete_many, keys)

    def clear(self):
        return self._attempt(super().clear, fallback=False)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
