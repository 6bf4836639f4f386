"""The token bucket: a burst, then the rate; never blocking, always saying how long to wait."""

from __future__ import annotations

import pytest

from services.enricher.delivery.ratelimit import TokenBucket


def test_a_burst_then_one_token_per_interval() -> None:
    bucket = TokenBucket(rate_per_minute=60, burst=3, now=0.0)

    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(1.0)
    assert bucket.take(0.5) == pytest.approx(0.5)
    assert bucket.take(1.0) == 0.0
    assert bucket.take(1.0) == pytest.approx(1.0)


def test_over_a_long_run_the_rate_holds() -> None:
    bucket = TokenBucket(rate_per_minute=120, burst=4, now=0.0)
    taken = sum(1 for step in range(6000) if bucket.take(step / 100) == 0.0)  # one minute
    assert 120 <= taken <= 120 + 4


def test_idle_time_saves_no_more_than_the_burst() -> None:
    bucket = TokenBucket(rate_per_minute=60, burst=2, now=0.0)
    assert [bucket.take(3600.0) for _ in range(3)][:2] == [0.0, 0.0]
    assert bucket.take(3600.0) > 0


def test_a_bucket_needs_a_rate_and_room() -> None:
    with pytest.raises(ValueError, match="positive rate"):
        TokenBucket(rate_per_minute=0, burst=1, now=0.0)
    with pytest.raises(ValueError, match="positive rate"):
        TokenBucket(rate_per_minute=1, burst=0, now=0.0)
