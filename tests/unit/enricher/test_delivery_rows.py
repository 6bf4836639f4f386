"""What a row becomes after an attempt, on expiry, and which version of it to trust."""

from __future__ import annotations

import random
from datetime import timedelta

import msgspec

from schemas import DeliveryStatus
from services.enricher.delivery import DeliverySettings
from services.enricher.delivery.rows import after_attempt, deadline_of, expire, supersedes
from services.enricher.delivery.sender import AttemptResult, Verdict
from tests.alert_receiver import RAISED, delivery

SETTINGS = DeliverySettings(alert_delivery_backoff_s=2.0, alert_delivery_max_backoff_s=60.0)
LATER = RAISED + timedelta(minutes=5)


def test_a_success_finishes_the_row() -> None:
    row = msgspec.structs.replace(delivery(), attempts=2, last_error="HTTP 503")
    done = after_attempt(row, AttemptResult(Verdict.DELIVERED, status_code=200), LATER, SETTINGS)

    assert done.status is DeliveryStatus.DELIVERED
    assert done.attempts == 3
    assert done.finished_at == LATER
    assert done.last_error == "HTTP 503", "the last failure stays for operators"


def test_a_refusal_expires_the_row_with_the_reason() -> None:
    result = AttemptResult(Verdict.PERMANENT, status_code=404, error="HTTP 404 Not Found")
    done = after_attempt(delivery(), result, LATER, SETTINGS)

    assert done.status is DeliveryStatus.EXPIRED
    assert done.attempts == 1
    assert done.finished_at == LATER
    assert done.last_error == "refused: HTTP 404 Not Found"


def test_a_failure_schedules_the_next_attempt_with_growing_backoff() -> None:
    rng = random.Random(5)
    row = delivery()
    result = AttemptResult(Verdict.RETRY, error="timed out after 10s")
    for attempt in range(1, 10):
        row = after_attempt(row, result, LATER, SETTINGS, rng)
        ceiling = min(60.0, 2.0 * 2 ** (attempt - 1))
        wait = (row.next_attempt_at - LATER).total_seconds()
        assert row.status is DeliveryStatus.PENDING
        assert row.attempts == attempt
        assert row.last_error == "timed out after 10s"
        assert ceiling / 2 <= wait <= ceiling


def test_a_failure_honours_the_receivers_retry_after_up_to_the_cap() -> None:
    asked = AttemptResult(Verdict.RETRY, status_code=429, error="HTTP 429", retry_after_s=17.0)
    assert after_attempt(delivery(), asked, LATER, SETTINGS).next_attempt_at == LATER + timedelta(
        seconds=17
    )
    greedy = AttemptResult(Verdict.RETRY, status_code=503, error="HTTP 503", retry_after_s=1e6)
    assert after_attempt(delivery(), greedy, LATER, SETTINGS).next_attempt_at == LATER + timedelta(
        seconds=60
    )


def test_expiry_keeps_the_last_error() -> None:
    row = msgspec.structs.replace(delivery(), attempts=7, last_error="HTTP 502 Bad Gateway")
    done = expire(row, LATER, "not delivered within 24h of the alert")

    assert done.status is DeliveryStatus.EXPIRED
    assert done.attempts == 7
    assert done.finished_at == LATER
    assert done.last_error == (
        "not delivered within 24h of the alert; last error: HTTP 502 Bad Gateway"
    )


def test_the_deadline_is_max_age_after_the_alert_was_raised() -> None:
    settings = DeliverySettings(alert_delivery_max_age_h=1.5)
    assert deadline_of(delivery(), settings) == RAISED + timedelta(minutes=90)


def test_a_written_row_is_trusted_until_the_table_catches_up() -> None:
    pending = delivery()
    retried = msgspec.structs.replace(pending, attempts=1, next_attempt_at=LATER)
    delivered = msgspec.structs.replace(retried, status=DeliveryStatus.DELIVERED, attempts=2)
    expired = msgspec.structs.replace(pending, status=DeliveryStatus.EXPIRED)

    assert not supersedes(pending, retried), "the table still shows the row before the attempt"
    assert supersedes(retried, retried)
    assert not supersedes(retried, delivered)
    assert supersedes(delivered, retried), "another owner got further"
    assert not supersedes(pending, expired), "given up without an attempt: same count, final"
    assert supersedes(expired, expired)
