"""Test harness for stream behaviour: one API over the in-memory and Kafka transports.

A `Stream` owns a unique topic prefix, so tests never see each other's records
even on a shared broker, and offers what behaviour tests need: write input
records, run processors, read outputs and dead letters, and wait for a
condition with a deadline.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TypeVar

from schemas import Article, EnrichedArticle, Message, Topic, decode, topic_for
from services.runtime import (
    ConsumedRecord,
    OutgoingRecord,
    Processor,
    RetryPolicy,
    Routing,
    Transport,
)
from services.runtime.processor import Handler
from services.runtime.service import Runner

T = TypeVar("T")
M = TypeVar("M", bound=Message)

WAIT_S = 60.0
"""Deadline for a condition to become true; generous because rebalances take seconds."""


def article(number: int) -> Article:
    """A small valid article; its id encodes `number` so outputs can be matched to inputs."""
    return Article(
        article_id=f"{number:016x}",
        url=f"https://news.example/{number}",
        feed_id="f" * 16,
        title=f"Article {number}",
        text=f"Text of article {number}.",
        parsed_at=datetime(2025, 10, 29, tzinfo=UTC),
    )


def tag(message: Article) -> list[Message]:
    """The simplest real handler: every article becomes an enriched article."""
    return [
        EnrichedArticle(
            article_id=message.article_id,
            url=message.url,
            title=message.title,
            enriched_at=datetime(2025, 10, 29, tzinfo=UTC),
        )
    ]


def number_of(article_id: str) -> int:
    return int(article_id, 16)


@dataclass
class Stream:
    """Topics with a unique prefix on one transport, and the processors running on them."""

    transport: Transport
    prefix: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:10]}.")
    group_id: str = field(default_factory=lambda: f"g{uuid.uuid4().hex[:10]}")
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def routing(self) -> Routing:
        return Routing(source="/launchwatch/test", prefix=self.prefix)

    def name(self, message_type: type[Message]) -> str:
        return self.routing.name_of(topic_for(message_type))

    async def create(self, *message_types: type[Message], partitions: int = 3) -> None:
        """Create the topics of `message_types` and the dead-letter topics beside them."""
        topics: list[Topic] = []
        for message_type in message_types:
            topic = topic_for(message_type)
            topics.append(replace(topic, name=self.prefix + topic.name, partitions=partitions))
            topics.append(
                replace(
                    topic,
                    name=self.prefix + topic.dlq_name,
                    value_type=None,
                    partitions=1,
                    max_message_bytes=topic.max_message_bytes + 65536,
                )
            )
        await self.transport.create_topics(topics)

    async def write(self, messages: Sequence[Message]) -> None:
        await self.write_raw([self.routing.record_for(message) for message in messages])

    async def write_raw(self, records: Sequence[OutgoingRecord]) -> None:
        publisher = await self.transport.publisher(client_id="test-writer")
        try:
            await publisher.publish(records)
        finally:
            await publisher.close()

    def processor(
        self,
        handler: Handler[Article],
        *,
        exactly_once: bool = False,
        retry: RetryPolicy | None = None,
        max_records: int = 100,
        concurrency: int = 1,
    ) -> Processor[Article]:
        return Processor(
            service="test",
            consumes=Article,
            handler=handler,
            transport=self.transport,
            routing=self.routing,
            group_id=self.group_id,
            client_id="test-processor",
            exactly_once=exactly_once,
            retry=retry or RetryPolicy(attempts=3, backoff_s=0.01, budget_s=5),
            max_records=max_records,
            concurrency=concurrency,
        )

    def start(self, processor: Runner) -> asyncio.Event:
        """Run `processor` (or a source) in the background; set the returned event to stop it."""
        stop = asyncio.Event()
        self.tasks.append(asyncio.create_task(processor.run(stop)))
        return stop

    async def records(self, topic: str) -> list[ConsumedRecord]:
        return [
            record async for record in self.transport.read(topic, from_beginning=True, follow=False)
        ]

    async def messages(self, message_type: type[M]) -> list[M]:
        records = await self.records(self.name(message_type))
        return [decode(message_type, r.value, r.headers) for r in records if r.value is not None]

    async def dead_letters(self, message_type: type[Message]) -> list[ConsumedRecord]:
        return await self.records(self.name(message_type) + ".dlq")

    async def stop_all(self, *stops: asyncio.Event) -> None:
        for stop in stops:
            stop.set()
        await asyncio.gather(*self.tasks)
        self.tasks.clear()


async def eventually(
    probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], what: str
) -> T:
    """Poll `probe` until `accept` holds; fail with the last value after `WAIT_S`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while True:
        value = await probe()
        if accept(value):
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last value: {value!r}")
        await asyncio.sleep(0.1)
