"""The life of an outbox row: owed, tried, and finally delivered or given up.

Pure functions of a row, an attempt's result and the time, so that what a
row becomes is decided in one place and tested without a network or Kafka.

    pending ──2xx──────────────► delivered
       │ ▲
       │ └─ timeout, 408, 429, 5xx: attempts+1, next_attempt_at = now + backoff
       ├──other 4xx, 3xx─────────► expired (the receiver refused it for good)
       └──alert older than max age► expired
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import msgspec

from schemas.deliveries import AlertDelivery
from schemas.ids import stable_id
from schemas.launches import LaunchAlert
from schemas.vocabulary import DeliveryStatus
from services.enricher.delivery.backoff import retry_delay_s
from services.enricher.delivery.sender import AttemptResult, Verdict
from services.enricher.delivery.settings import DeliverySettings, receiver_urls

FINAL = frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.EXPIRED})


def delivery_id(alert: LaunchAlert, receiver: str) -> str:
    """Stable per alert and receiver: the row's key and the receiver's idempotency key."""
    return stable_id(f"{alert.alert_id}:{receiver}")


def deliveries_for(
    alert: LaunchAlert, settings: DeliverySettings, now: datetime
) -> list[AlertDelivery]:
    """One pending delivery per configured receiver, due at once.

    Written with the alert, in the same transaction. Pass the alert's
    `raised_at` as `now` to make the rows a pure function of the alert, so
    that a repeated computation writes the very same records.
    """
    return [
        AlertDelivery(
            delivery_id=delivery_id(alert, receiver),
            receiver=receiver,
            alert=alert,
            next_attempt_at=now,
            created_at=now,
        )
        for receiver in receiver_urls(settings)
    ]


def is_final(row: AlertDelivery) -> bool:
    return row.status in FINAL


def deadline_of(row: AlertDelivery, settings: DeliverySettings) -> datetime:
    """When the row is given up if it is still pending: max age after the alert was raised."""
    return row.alert.raised_at + timedelta(hours=settings.alert_delivery_max_age_h)


def supersedes(table: AlertDelivery, written: AlertDelivery) -> bool:
    """Whether the table's row is at least as far along as the one this replica wrote.

    The table shows a write only some time after it was made; until then the
    replica trusts its own version, so a row just tried is not tried again at
    once. A final row in the table, or one with as many attempts and no less
    final, has caught up (or was moved on by another owner).
    """
    return (is_final(table), table.attempts) >= (is_final(written), written.attempts)


def after_attempt(
    row: AlertDelivery,
    result: AttemptResult,
    now: datetime,
    settings: DeliverySettings,
    rng: random.Random | None = None,
) -> AlertDelivery:
    """The row after one attempt to deliver it ended with `result`."""
    attempts = row.attempts + 1
    if result.verdict is Verdict.DELIVERED:
        return msgspec.structs.replace(
            row, status=DeliveryStatus.DELIVERED, attempts=attempts, finished_at=now
        )
    if result.verdict is Verdict.PERMANENT:
        return msgspec.structs.replace(
            row,
            status=DeliveryStatus.EXPIRED,
            attempts=attempts,
            finished_at=now,
            last_error=f"refused: {result.error}",
        )
    delay = retry_delay_s(
        attempts,
        result.retry_after_s,
        base_s=settings.alert_delivery_backoff_s,
        cap_s=settings.alert_delivery_max_backoff_s,
        rng=rng,
    )
    return msgspec.structs.replace(
        row,
        attempts=attempts,
        next_attempt_at=now + timedelta(seconds=delay),
        last_error=result.error,
    )


def expire(row: AlertDelivery, now: datetime, reason: str) -> AlertDelivery:
    """The row given up without another attempt; the last failure stays in the error."""
    error = reason if row.last_error is None else f"{reason}; last error: {row.last_error}"
    return msgspec.structs.replace(
        row, status=DeliveryStatus.EXPIRED, finished_at=now, last_error=error
    )
