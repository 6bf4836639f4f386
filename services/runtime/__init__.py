"""The shared runtime: the only place that knows about Kafka, offsets and process life.

A service gives the runtime a handler (one message in, messages out) and the
type it consumes; the runtime does the rest: the consume-handle-produce-commit
loop (`Processor`), dead letters, retries, settings, JSON logs, the health and
metrics server, and graceful shutdown. Transports: `KafkaTransport` for
production and integration tests, `InMemoryTransport` for the embedded demo and
unit tests.

Errors are one tree, rooted at `LaunchwatchError` (see `services.runtime.errors`).
"""

from services.runtime.deadletter import DeadLetterReason, dead_letter
from services.runtime.errors import (
    ConfigurationError,
    LaunchwatchError,
    MessageError,
    MessageTooLarge,
    PartitionLost,
    RejectMessage,
    TransportError,
)
from services.runtime.kafka import KafkaOptions, KafkaTransport
from services.runtime.memory import InMemoryBroker, InMemoryTransport
from services.runtime.processor import Handler, Processor, RetryPolicy
from services.runtime.records import ConsumedRecord, Headers, OutgoingRecord, TopicPartition
from services.runtime.routing import Routing
from services.runtime.transport import Publisher, Subscription, Transport

__all__ = [
    "ConfigurationError",
    "ConsumedRecord",
    "DeadLetterReason",
    "Handler",
    "Headers",
    "InMemoryBroker",
    "InMemoryTransport",
    "KafkaOptions",
    "KafkaTransport",
    "LaunchwatchError",
    "MessageError",
    "MessageTooLarge",
    "OutgoingRecord",
    "PartitionLost",
    "Processor",
    "Publisher",
    "RejectMessage",
    "RetryPolicy",
    "Routing",
    "Subscription",
    "TopicPartition",
    "Transport",
    "TransportError",
    "dead_letter",
]
