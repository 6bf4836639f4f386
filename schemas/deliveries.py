"""The alert outbox: one row per alert and receiver, until the receiver has it.

Correlation writes a pending `AlertDelivery` for every configured receiver in
the same transaction as the `LaunchAlert` itself, so an alert is never raised
without its deliveries being owed, nor owed twice. The enricher's delivery
stage owns the rows of its partitions of the compacted ``alerts.deliveries``
topic and rewrites each row as it tries: attempts, the next try, and finally
``delivered`` (or ``expired`` once the alert is too old to matter). A receiver
that is slow or down therefore delays only its own rows; nothing upstream
waits, and a restarted or different replica carries on from the rows.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from schemas.launches import LaunchAlert
from schemas.message import Message
from schemas.vocabulary import DeliveryStatus, ReceiverKind, StableId, UtcDateTime


class AlertDelivery(Message, frozen=True, kw_only=True):
    """What one receiver is owed of one alert, and how trying to deliver it went."""

    delivery_id: StableId
    """Deterministic from alert and receiver: also the idempotency key sent to the receiver."""
    receiver: ReceiverKind
    alert: LaunchAlert
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: Annotated[int, msgspec.Meta(ge=0)] = 0
    next_attempt_at: UtcDateTime
    """Not tried again before this time (backoff, or the receiver's Retry-After)."""
    created_at: UtcDateTime
    finished_at: UtcDateTime | None = None
    """When it was delivered, or given up."""
    last_error: str | None = None
    """Why the last attempt failed, for operators."""
