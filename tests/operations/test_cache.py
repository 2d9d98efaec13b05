"""The shared cache with Redis down: misses, never errors, and no page waits on it twice."""

from __future__ import annotations

import socket
import time

import pytest
from django.urls import reverse

from operations import cache as tolerant
from tests.faults.servers import NotAvailable, Redis
from tests.operations.conftest import closed_port

OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def redis_cache(url: str) -> tolerant.RedisCache:
    return tolerant.RedisCache(url, {"OPTIONS": OPTIONS})


def test_redis_down_is_a_miss(caplog):
    cache = redis_cache(f"redis://127.0.0.1:{closed_port()}/1")
    assert cache.get("dashboard", "drawn again") == "drawn again"
    cache.set("dashboard", {"charts": []}, 60)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.delete("a") is False
    assert "The cache is unavailable" in caplog.text


def test_after_a_failure_redis_is_left_alone_for_a_while():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        cache = redis_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/1")
        started = time.monotonic()
        assert cache.get("dashboard") is None
        first = time.monotonic() - started
        started = time.monotonic()
        assert cache.get("choices") is None
        again = time.monotonic() - started
    assert first < 1.5
    assert again < 0.05


@pytest.fixture
def redis(tmp_path):
    try:
        server = Redis(tmp_path)
    except NotAvailable as exc:
        pytest.skip(str(exc))
    server.start()
    yield server
    if server.process is not None:
        server.stop()


def test_redis_back_is_used_again(redis, monkeypatch):
    monkeypatch.setattr(tolerant, "OUTAGE_PAUSE", 0.2)
    cache = redis_cache(redis.url)
    cache.set("choices", ["Primary"], 60)
    assert cache.get("choices") == ["Primary"]
    redis.stop()
    assert cache.get("choices", "missing") == "missing"
    redis.start()  # empty: nothing is saved to disk
    time.sleep(0.3)
    cache.set("choices", ["Secondary"], 60)
    assert cache.get("choices") == ["Secondary"]


def test_pages_that_cache_render_with_redis_down(client, olivia, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "operations.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/1",
            "OPTIONS": OPTIONS,
        }
    }
    settings.DASHBOARD_CACHE_SECONDS = settings.CHOICES_CACHE_SECONDS = 60
    client.force_login(olivia)
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    assert client.get(reverse("schools:list")).status_code == 200
