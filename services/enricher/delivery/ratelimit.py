"""A token bucket per receiver: at most so many attempts a minute.

The bucket holds up to `burst` tokens and gains ``rate_per_minute / 60`` a
second. An attempt takes one token; without one, the outbox waits the time
`take` returns instead of sending. It never blocks: the outbox decides, for
every receiver separately, whether to start an attempt now, so a receiver that
is rate-limited holds up nobody else.
"""

from __future__ import annotations


class TokenBucket:
    """Tokens refill continuously at `rate_per_minute`; up to `burst` can be saved."""

    def __init__(self, rate_per_minute: float, burst: float, now: float) -> None:
        if rate_per_minute <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and room for one token")
        self._per_second = rate_per_minute / 60.0
        self._burst = float(burst)
        self._tokens = float(burst)
        self._updated = now

    def take(self, now: float) -> float:
        """Take a token if there is one and return 0; else the seconds until there will be."""
        self._refill(now)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self._per_second

    def _refill(self, now: float) -> None:
        elapsed = max(now - self._updated, 0.0)
        self._tokens = min(self._burst, self._tokens + elapsed * self._per_second)
        self._updated = now
