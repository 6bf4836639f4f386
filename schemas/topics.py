"""The topic registry: every topic launchwatch writes, described once.

`launchwatch topics create`, the AsyncAPI document, the Kubernetes KafkaTopic
resources and the runtime's routing of handler outputs all read this table, so
a topic's partitions, retention or size limit is changed here and nowhere else.

Every topic that a service consumes has a dead-letter topic beside it,
``<topic>.dlq``, holding the original key and bytes of each message the service
could not process, with headers that say why (see `services.runtime`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemas.articles import Article, RawArticle
from schemas.deliveries import AlertDelivery
from schemas.feeds import (
    ArticleClaim,
    ArticleLead,
    FeedState,
    FeedSubscription,
    WebSubEvent,
    WebSubSubscription,
)
from schemas.launches import EnrichedArticle, LaunchAlert, LaunchEvent, LaunchReport
from schemas.message import Message

DAY_MS = 24 * 60 * 60 * 1000
MIB = 1024 * 1024

CleanupPolicy = Literal["delete", "compact", "compact,delete"]
DLQ_SUFFIX = ".dlq"
DLQ_HEADROOM_BYTES = 64 * 1024
RAW_RETENTION_MS = 14 * DAY_MS
CLAIM_RETENTION_MS = 2 * RAW_RETENTION_MS
"""An article's claim outlives its RawArticle on news.raw, so news.raw never holds it twice."""


@dataclass(frozen=True)
class Topic:
    """One Kafka topic and the contract of its records."""

    name: str
    value_type: type[Message] | None
    """None only for dead-letter topics, whose values are arbitrary original bytes."""
    key_field: str
    """The value field whose string (UTF-8) is the record key."""
    description: str
    partitions: int = 6
    cleanup_policy: CleanupPolicy = "delete"
    retention_ms: int = 30 * DAY_MS
    """-1 keeps records forever (compacted topics); with ``compact,delete``, the age at which
    even a key's latest record goes."""
    max_message_bytes: int = 1 * MIB
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    """Services that consume the topic in a consumer group; what they cannot handle goes to
    the topic's dead-letter topic."""
    readers: tuple[str, ...] = ()
    """Services that follow the whole topic outside any group (views): they need read
    access, and skip, log and count what they cannot read, so they add no dead letters."""

    @property
    def dlq_name(self) -> str:
        return self.name + DLQ_SUFFIX

    def key_of(self, value: Message) -> str:
        """The record key of `value` on this topic."""
        if not isinstance(value, self.value_type or ()):
            raise TypeError(f"{type(value).__name__} does not belong on topic {self.name!r}")
        key = getattr(value, self.key_field)
        if not isinstance(key, str) or not key:
            raise ValueError(f"{type(value).__name__}.{self.key_field} must be a non-empty string")
        return key

    def kafka_configs(self) -> dict[str, str]:
        """Topic-level configuration, as `kafka-topics --config` and Strimzi take it."""
        return {
            "cleanup.policy": self.cleanup_policy,
            "retention.ms": str(self.retention_ms),
            "max.message.bytes": str(self.max_message_bytes),
        }


def _dead_letter(topic: Topic) -> Topic:
    return Topic(
        name=topic.dlq_name,
        value_type=None,
        key_field=topic.key_field,
        description=(
            f"Messages from {topic.name} that could not be processed: original key and "
            "bytes, with dlq_* headers giving the reason and the original position."
        ),
        partitions=1,
        retention_ms=30 * DAY_MS,
        # Room for the original record plus the dlq_* headers that explain it.
        max_message_bytes=topic.max_message_bytes + DLQ_HEADROOM_BYTES,
        producers=topic.consumers,
    )


_MAIN_TOPICS: tuple[Topic, ...] = (
    Topic(
        name="feeds",
        value_type=FeedSubscription,
        key_field="feed_id",
        description="The feeds to poll. Compacted; a tombstone unsubscribes.",
        cleanup_policy="compact",
        retention_ms=-1,
        producers=("cli",),
        consumers=("fetcher",),
    ),
    Topic(
        name="fetcher.state",
        value_type=FeedState,
        key_field="feed_id",
        description="Per-feed polling state, co-partitioned with feeds. Compacted.",
        cleanup_policy="compact",
        retention_ms=-1,
        producers=("fetcher",),
    ),
    Topic(
        name="fetcher.websub",
        value_type=WebSubSubscription,
        key_field="feed_id",
        description=(
            "Each feed's WebSub subscription and its secret, written by the feed's owner, "
            "read whole by every fetcher replica to answer the hub. Compacted."
        ),
        cleanup_policy="compact",
        retention_ms=-1,
        producers=("fetcher",),
    ),
    Topic(
        name="fetcher.pushes",
        value_type=WebSubEvent,
        key_field="feed_id",
        description=(
            "What WebSub hubs sent to the callback (checked deliveries, verifications), "
            "keyed by feed id so the feed's owner applies them in order, once."
        ),
        retention_ms=1 * DAY_MS,
        max_message_bytes=8 * MIB,
        producers=("fetcher",),
    ),
    Topic(
        name="fetcher.leads",
        value_type=ArticleLead,
        key_field="article_id",
        description=(
            "New feed entries re-keyed by article id, so that the one owner of an article's "
            "partition decides whether it is new, whichever feeds and replicas bring it."
        ),
        retention_ms=7 * DAY_MS,
        max_message_bytes=8 * MIB,
        producers=("fetcher",),
        consumers=("fetcher",),
    ),
    Topic(
        name="fetcher.articles",
        value_type=ArticleClaim,
        key_field="article_id",
        description=(
            "Every article the fetcher claimed: pending until its RawArticle is written, then "
            "done, in the same transaction. Compacted; kept for twice news.raw's retention."
        ),
        cleanup_policy="compact,delete",
        retention_ms=CLAIM_RETENTION_MS,
        max_message_bytes=8 * MIB,
        producers=("fetcher",),
        consumers=("fetcher",),
    ),
    Topic(
        name="news.raw",
        value_type=RawArticle,
        key_field="article_id",
        description="Feed entries with their downloaded pages (zstd-compressed batches).",
        retention_ms=RAW_RETENTION_MS,
        max_message_bytes=8 * MIB,
        producers=("fetcher",),
        consumers=("parser",),
    ),
    Topic(
        name="news.articles",
        value_type=Article,
        key_field="article_id",
        description="Clean text and metadata of every article.",
        producers=("parser",),
        consumers=("enricher",),
    ),
    Topic(
        name="news.enriched",
        value_type=EnrichedArticle,
        key_field="article_id",
        description="Tags of every article; launch facts when it reports a launch.",
        producers=("enricher",),
        readers=("web",),
    ),
    Topic(
        name="launch.reports",
        value_type=LaunchReport,
        key_field="country_key",
        description="Launch reports re-keyed by country, so one launch's reports meet.",
        retention_ms=7 * DAY_MS,
        producers=("enricher",),
        consumers=("enricher",),
    ),
    Topic(
        name="launch.events",
        value_type=LaunchEvent,
        key_field="event_id",
        description="Current view of each real-world launch. Compacted.",
        partitions=3,
        cleanup_policy="compact",
        retention_ms=-1,
        producers=("enricher",),
        readers=("web",),
    ),
    Topic(
        name="alerts.launch",
        value_type=LaunchAlert,
        key_field="event_id",
        description="One `new` alert per launch, `update` alerts on material changes.",
        partitions=3,
        retention_ms=365 * DAY_MS,
        producers=("enricher",),
        readers=("web",),
    ),
    Topic(
        name="alerts.deliveries",
        value_type=AlertDelivery,
        key_field="delivery_id",
        description="What each receiver is owed of each alert, until delivered. Compacted.",
        partitions=3,
        cleanup_policy="compact",
        retention_ms=-1,
        producers=("enricher",),
        consumers=("enricher",),
    ),
)

TOPICS: tuple[Topic, ...] = _MAIN_TOPICS + tuple(
    _dead_letter(topic) for topic in _MAIN_TOPICS if topic.consumers
)
"""Every topic, dead-letter topics last."""

_BY_NAME = {topic.name: topic for topic in TOPICS}
_BY_TYPE = {topic.value_type: topic for topic in _MAIN_TOPICS}


def topic_named(name: str) -> Topic:
    """The registered topic called `name`; KeyError names the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown topic {name!r}; known: {', '.join(_BY_NAME)}") from None


def topic_for(value_type: type[Message]) -> Topic:
    """The one topic that carries values of `value_type`."""
    try:
        return _BY_TYPE[value_type]
    except KeyError:
        raise KeyError(f"no topic carries {value_type.__name__}") from None


MESSAGE_TYPES: tuple[type[Message], ...] = tuple(
    topic.value_type for topic in _MAIN_TOPICS if topic.value_type is not None
)
