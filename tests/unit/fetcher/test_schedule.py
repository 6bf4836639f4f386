"""The poll schedule: adaptive, bounded, polite to what servers ask, never giving up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from schemas.feeds import FeedState
from services.fetcher.schedule import (
    ScheduleSettings,
    failure_delay,
    is_stale,
    jittered,
    next_poll_at,
    server_floor_s,
    success_interval,
)

S = ScheduleSettings(min_s=60.0, max_s=3600.0, failure_max_s=6 * 3600.0)
NOW = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)


def test_interval_adapts_between_floor_and_ceiling() -> None:
    assert success_interval(600.0, 3, settings=S) == 300.0
    assert success_interval(600.0, 0, settings=S) == 900.0
    assert success_interval(61.0, 5, settings=S) == 60.0  # never below the floor
    assert success_interval(3000.0, 0, settings=S) == 3600.0  # never above the ceiling
    interval = 60.0
    for _ in range(30):
        interval = success_interval(interval, 0, settings=S)
    assert interval == 3600.0


def test_server_floors_win_over_eagerness() -> None:
    assert success_interval(600.0, 3, settings=S, server_floor=1800.0) == 1800.0
    assert success_interval(600.0, 0, settings=S, server_floor=7200.0) == 7200.0


def test_override_replaces_the_adaptive_interval_but_not_the_server_floor() -> None:
    assert success_interval(600.0, 0, settings=S, override_s=120.0) == 120.0
    assert success_interval(600.0, 0, settings=S, override_s=120.0, server_floor=900.0) == 900.0


def test_server_floor_from_ttl_cache_control_and_expires() -> None:
    assert server_floor_s({}, ttl_s=None, now=NOW) is None
    assert server_floor_s({}, ttl_s=1800.0, now=NOW) == 1800.0
    assert server_floor_s({"cache-control": "public, max-age=300"}, ttl_s=None, now=NOW) == 300.0
    assert server_floor_s({"cache-control": "max-age=300"}, ttl_s=900.0, now=NOW) == 900.0
    expires = {"expires": "Tue, 28 Oct 2025 12:10:00 GMT"}
    assert server_floor_s(expires, ttl_s=None, now=NOW) == 600.0
    assert server_floor_s({"expires": "0"}, ttl_s=None, now=NOW) is None


def test_failures_back_off_exponentially_capped_and_jittered() -> None:
    rng = random.Random(1)
    delays = [failure_delay(n, settings=S, rng=rng) for n in range(1, 20)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(60.0 * 2 ** (n - 1), S.failure_max_s)
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= S.failure_max_s
    assert delays[-1] >= S.failure_max_s / 2  # still scheduled: never given up
    assert len({round(d, 6) for d in delays[-5:]}) > 1  # jittered
    assert failure_delay(1, settings=S, rng=rng, retry_after_s=900.0) == 900.0


def test_jitter_stays_within_its_fraction() -> None:
    rng = random.Random(3)
    values = [jittered(1000.0, rng=rng) for _ in range(200)]
    assert all(900.0 <= v <= 1100.0 for v in values)
    assert len(set(values)) > 100
    at = next_poll_at(NOW, 100.0, rng=rng, floor_s=500.0)
    assert at == NOW + timedelta(seconds=500.0)


def test_staleness() -> None:
    state = FeedState(
        feed_id="0" * 32,
        url="https://news.example.com/rss",
        interval_s=600.0,
        last_success_at=NOW,
        updated_at=NOW,
    )
    assert not is_stale(state, NOW + timedelta(minutes=29), settings=S)
    assert is_stale(state, NOW + timedelta(minutes=31), settings=S)
    never = FeedState(feed_id="0" * 32, url="u", updated_at=NOW)
    assert not is_stale(never, NOW + timedelta(days=1), settings=S)
    assert is_stale(never, NOW + timedelta(days=1), settings=S, since=NOW)
