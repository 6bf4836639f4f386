"""From a message a handler returned to the record that carries it.

The topic comes from the registry (one topic per message type), the key from
the topic's key field, the bytes and CloudEvents headers from `schemas.wire`.
A deployment may prefix every topic name (``LAUNCHWATCH_TOPIC_PREFIX``), for
several installations on one cluster or isolated test runs.

The size guard lives here, before anything is sent: an output larger than its
topic accepts is refused with `MessageTooLarge`, which names the message, the
size and the limit, so the input is dead-lettered with that reason instead of
the producer failing later with an opaque broker error.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import Message, Topic, encode, topic_for
from services.runtime.errors import MessageTooLarge
from services.runtime.records import OutgoingRecord


@dataclass(frozen=True)
class Routing:
    """Where and how a service writes: topic prefix and CloudEvents source."""

    source: str
    """`ce_source` of everything written, e.g. ``/launchwatch/parser``."""
    prefix: str = ""

    def name_of(self, topic: Topic) -> str:
        return self.prefix + topic.name

    def record_for(self, value: Message) -> OutgoingRecord:
        """Encode `value` for its topic; `MessageTooLarge` when the topic cannot take it."""
        topic = topic_for(type(value))
        key = topic.key_of(value)
        encoded = encode(value, key=key, source=self.source)
        record = OutgoingRecord(self.name_of(topic), encoded.key, encoded.value, encoded.headers)
        if record.size > topic.max_message_bytes:
            raise MessageTooLarge(
                f"{type(value).__name__} {key} is {record.size} bytes; "
                f"topic {record.topic} accepts at most {topic.max_message_bytes}"
            )
        return record

    def tombstone(self, value_type: type[Message], key: str) -> OutgoingRecord:
        """A null value for `key`: removes it from a compacted topic."""
        return OutgoingRecord(self.name_of(topic_for(value_type)), key.encode(), None)
