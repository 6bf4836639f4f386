"""Dead-letter records: a poison message, unchanged, with the reason beside it.

The record keeps the original key, value bytes and headers, so an operator can
inspect it with any Kafka tool and replay it to the original topic once the
cause is fixed. The `dlq_*` headers say why and where it came from.

A dead letter must always fit its topic, or the service could not move past
the poison record and would crash-loop on it (a 400-byte zstd record can
inflate to megabytes). When the whole record does not fit, the dead letter
keeps the start of the value (and of the key) with ``dlq_truncated`` giving the
original sizes; ``dlq_topic``, ``dlq_partition`` and ``dlq_offset`` still
point at the original, which stays in its topic for its retention.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from schemas.topics import DLQ_SUFFIX
from services.runtime.records import ConsumedRecord, OutgoingRecord

DeadLetterReason = Literal["undecodable", "invalid", "handler-failed", "too-large"]

MAX_ERROR_CHARS = 2000
"""Error texts are cut here so a pathological message cannot bloat the headers."""

MAX_TRUNCATED_KEY_BYTES = 1024
SAFETY_BYTES = 1024
"""Room left for the record's framing when a value is cut to fit."""


def dead_letter(
    record: ConsumedRecord,
    *,
    reason: DeadLetterReason,
    error: str,
    consumer_group: str,
    service: str,
    attempts: int,
    max_bytes: int | None = None,
) -> OutgoingRecord:
    """The record to write to ``<topic>.dlq`` for `record`, at most `max_bytes` in size."""
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
    letter = OutgoingRecord(
        topic=record.topic + DLQ_SUFFIX,
        key=record.key,
        value=record.value,
        headers=original + tuple((name, text.encode()) for name, text in provenance.items()),
    )
    if max_bytes is None or letter.size <= max_bytes:
        return letter
    return _truncated(letter, max_bytes)


def _truncated(letter: OutgoingRecord, max_bytes: int) -> OutgoingRecord:
    """`letter` cut to fit `max_bytes`: original headers dropped first, then key and value."""
    key = letter.key or b""
    value = letter.value or b""
    ours = tuple((name, data) for name, data in letter.headers if name.startswith("dlq_"))
    marker = ("dlq_truncated", f"key={len(key)} value={len(value)} bytes".encode())
    headers = (*ours, marker)
    key = key[:MAX_TRUNCATED_KEY_BYTES]
    framing = sum(len(name) + len(data) for name, data in headers) + len(key) + SAFETY_BYTES
    room = max(0, max_bytes - framing)
    return OutgoingRecord(topic=letter.topic, key=key or None, value=value[:room], headers=headers)
