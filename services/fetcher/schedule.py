"""When to poll a feed next: pure functions of what the last polls saw.

A launch is news for minutes, so busy feeds are polled often; a quiet feed is
polled rarely, to spare its server and our sockets. The interval follows how
often new entries appear: it halves after a poll that found new entries and
grows by half after a quiet one, always between a floor and a ceiling
(``LAUNCHWATCH_POLL_MIN_S`` / ``LAUNCHWATCH_POLL_MAX_S``, 60 s and 1 h).

What the server asks for wins over our eagerness: the feed's `<ttl>`,
`Cache-Control: max-age` / `Expires`, and `Retry-After` are lower bounds. A
per-feed override (FeedSubscription.poll_interval_s) replaces the adaptive value
but is still bounded by what the server asks for.

Failures back off exponentially from the floor, with jitter, up to a cap; a
feed is never given up for good, because sites come back.

Jitter spreads polls so that feeds added together do not stay in lock-step.
"""

from __future__ import annotations

import email.utils
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from schemas.feeds import FeedState

SPEED_UP = 0.5
"""Interval factor after a poll that found new entries."""
SLOW_DOWN = 1.5
"""Interval factor after a poll that found nothing new."""
JITTER = 0.1
"""Polls move by up to this fraction of their interval, either way."""
STALE_FACTOR = 3.0
"""A feed is stale when silent for this many expected periods."""

_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class ScheduleSettings:
    min_s: float = 60.0
    max_s: float = 3600.0
    failure_max_s: float = 6 * 3600.0
    jitter: float = JITTER


def server_floor_s(
    headers: Mapping[str, str], *, ttl_s: float | None, now: datetime
) -> float | None:
    """The shortest interval the server asks for through `<ttl>`, Cache-Control or Expires."""
    floors: list[float] = []
    if ttl_s is not None and ttl_s > 0:
        floors.append(ttl_s)
    cache_control = headers.get("cache-control") or headers.get("Cache-Control") or ""
    found = _MAX_AGE.search(cache_control)
    if found:
        floors.append(float(found.group(1)))
    elif expires := headers.get("expires") or headers.get("Expires"):
        try:
            when = email.utils.parsedate_to_datetime(expires)
        except (TypeError, ValueError, IndexError):
            when = None  # "Expires: 0" and the like mean already expired
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            floors.append(max(0.0, (when - now).total_seconds()))
    return max(floors) if floors else None


def success_interval(
    previous_s: float,
    new_entries: int,
    *,
    settings: ScheduleSettings,
    override_s: float | None = None,
    server_floor: float | None = None,
) -> float:
    """The interval after a successful poll, before jitter."""
    if override_s is not None:
        interval = override_s
    else:
        factor = SPEED_UP if new_entries > 0 else SLOW_DOWN
        interval = min(max(previous_s * factor, settings.min_s), settings.max_s)
    if server_floor is not None:
        interval = max(interval, server_floor)
    return interval


def failure_delay(
    consecutive_failures: int,
    *,
    settings: ScheduleSettings,
    rng: random.Random,
    retry_after_s: float | None = None,
) -> float:
    """Seconds until the next try after `consecutive_failures` failures in a row (>= 1).

    Exponential from the floor, capped, with "equal jitter" (half fixed, half
    random) so that a site that failed for many feeds at once is not hit by all
    of them again at the same moment. Retry-After is a lower bound.
    """
    exponent = min(max(consecutive_failures - 1, 0), 32)
    ceiling = min(settings.min_s * (2.0**exponent), settings.failure_max_s)
    delay = ceiling / 2 + rng.uniform(0, ceiling / 2)
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return delay


def jittered(interval_s: float, *, rng: random.Random, fraction: float = JITTER) -> float:
    """`interval_s` moved by up to `fraction` of itself, either way."""
    return interval_s * (1 + rng.uniform(-fraction, fraction))


def next_poll_at(
    now: datetime, interval_s: float, *, rng: random.Random, floor_s: float | None = None
) -> datetime:
    """`now` plus the jittered interval, never earlier than `floor_s` from now."""
    delay = jittered(interval_s, rng=rng)
    if floor_s is not None:
        delay = max(delay, floor_s)
    return now + timedelta(seconds=delay)


def expected_period_s(state: FeedState, settings: ScheduleSettings) -> float:
    """How long one poll cycle of this feed should take, failures' back-off included."""
    return max(state.interval_s, settings.min_s)


def is_stale(
    state: FeedState,
    now: datetime,
    *,
    settings: ScheduleSettings,
    since: datetime | None = None,
    factor: float = STALE_FACTOR,
) -> bool:
    """True when the feed has not been polled successfully for `factor` expected periods.

    A feed that never succeeded counts from `since` (its subscription time).
    """
    last = state.last_success_at or since
    if last is None:
        return False
    return (now - last).total_seconds() > factor * expected_period_s(state, settings)
