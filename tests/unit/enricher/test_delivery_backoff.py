"""When a failed delivery is tried again: Retry-After, jittered exponential backoff, the cap."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from services.enricher.delivery.backoff import backoff_s, parse_retry_after, retry_delay_s

NOW = datetime(2025, 10, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 29 Oct 2025 12:01:30 GMT", 90.0),
        ("Wednesday, 29-Oct-25 12:01:30 GMT", 90.0),
        ("Wed, 29 Oct 2025 11:00:00 GMT", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_is_seconds_or_a_date(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_backoff_doubles_with_jitter_within_bounds() -> None:
    rng = random.Random(7)
    for failures in range(1, 12):
        ceiling = min(300.0, 1.0 * 2 ** (failures - 1))
        for _ in range(200):
            delay = backoff_s(failures, base_s=1.0, cap_s=300.0, rng=rng)
            assert ceiling / 2 <= delay <= ceiling


def test_backoff_is_capped_however_long_the_receiver_is_down() -> None:
    assert backoff_s(10_000, base_s=1.0, cap_s=300.0, rng=random.Random(1)) <= 300.0


def test_backoff_is_jittered() -> None:
    rng = random.Random(3)
    delays = {backoff_s(5, base_s=1.0, cap_s=300.0, rng=rng) for _ in range(20)}
    assert len(delays) > 10, "deliveries that failed together do not come back together"


def test_retry_after_is_honoured_instead_of_the_backoff() -> None:
    assert retry_delay_s(1, 30.0, base_s=1.0, cap_s=300.0) == 30.0
    assert retry_delay_s(9, 5.0, base_s=1.0, cap_s=300.0) == 5.0


def test_retry_after_is_capped_and_floored() -> None:
    assert retry_delay_s(1, timedelta(days=3).total_seconds(), base_s=1.0, cap_s=300.0) == 300.0
    assert retry_delay_s(1, 0.0, base_s=1.0, cap_s=300.0) == 1.0
