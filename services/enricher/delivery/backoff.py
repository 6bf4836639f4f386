"""When to try a failed delivery again.

Exponential backoff with jitter, capped: the n-th consecutive failure waits a
random time between half and all of ``backoff * 2**(n-1)``, never more than
the ceiling. The jitter spreads out the retries of many deliveries that failed
together (a receiver that was down), so they do not return as one burst.

A receiver that answers 429 or 503 may say when to come back (``Retry-After``,
in seconds or as an HTTP date). That is honoured instead of the backoff, but
never beyond the ceiling (a receiver must not be able to park alerts for days)
and never sooner than the first backoff step (a ``Retry-After: 0`` must not
turn into a tight loop).
"""

from __future__ import annotations

import random
from datetime import datetime

from services.retry_after import retry_after_s


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from `now` that a Retry-After header asks for; None when absent or unreadable."""
    return retry_after_s(value, now)


def backoff_s(
    failures: int, *, base_s: float, cap_s: float, rng: random.Random | None = None
) -> float:
    """The jittered delay after `failures` consecutive failed attempts (1 or more)."""
    # 62 doublings exceed any ceiling while the float stays finite.
    exponent = min(max(failures, 1) - 1, 62)
    ceiling = min(cap_s, base_s * 2.0**exponent)
    return (rng or random).uniform(ceiling / 2, ceiling)


def retry_delay_s(
    failures: int,
    retry_after_s: float | None,
    *,
    base_s: float,
    cap_s: float,
    rng: random.Random | None = None,
) -> float:
    """How long to wait before the next attempt: the receiver's wish if it gave one, capped."""
    if retry_after_s is not None:
        return min(max(retry_after_s, base_s), cap_s)
    return backoff_s(failures, base_s=base_s, cap_s=cap_s, rng=rng)
