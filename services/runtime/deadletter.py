"""Dead-letter records: a poison message, unchanged, with the reason beside it.

The record keeps the original key, value bytes and headers, so an operator can
inspect it with any Kafka tool and replay it to the original topic once the
cause is fixed. The `dlq_*` headers say why and where it came from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from schemas.topics import DLQ_SUFFIX
from services.runtime.records import ConsumedRecord, OutgoingRecord

DeadLetterReason = Literal["undecodable", "invalid", "handler-failed", "too-large"]

MAX_ERROR_CHARS = 2000
"""Error texts are cut here so a pathological message cannot bloat the headers."""


def dead_letter(
    record: ConsumedRecord,
    *,
    reason: DeadLetterReason,
    error: str,
    consumer_group: str,
    service: str,
    attempts: int,
) -> OutgoingRecord:
    """The record to write to ``<topic>.dlq`` for `record`."""
    provenance = {
        "dlq_reason": reason,
        "dlq_error": error[:MAX_ERROR_CHARS],
        "dlq_topic": record.topic,
        "dlq_partition": str(record.partition),
        "dlq_offset": str(record.offset),
        "dlq_timestamp": str(record.timestamp_ms),
        "dlq_consumer_group": consumer_group,
        "dlq_service": service,
        "dlq_attempts": str(attempts),
        "dlq_failed_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    original = tuple((name, value) for name, value in record.headers if name not in provenance)
    return OutgoingRecord(
        topic=record.topic + DLQ_SUFFIX,
        key=record.key,
        value=record.value,
        headers=original + tuple((name, text.encode()) for name, text in provenance.items()),
    )
