"""A stateful stage keeps its state in a compacted topic and finds it again after a restart.

The stage here is a miniature correlator: it folds articles into one
LaunchEvent per feed (the state), written to `launch.events`, and reloads all
events when it is given partitions. A restarted member must continue the count
where the last one stopped, and a redelivered article must change nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from schemas import Article, LaunchEvent, Message
from schemas.ids import stable_id
from services.runtime import Processor, Transport
from services.runtime.records import TopicPartition
from services.runtime.service import processor_for
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import ServiceSpec, Stage, StageContext, StageSpec
from tests.streams import Stream, article, eventually

pytestmark = pytest.mark.asyncio


@dataclass
class FeedCounter:
    """Folds each feed's articles into one event; the state lives in `launch.events`."""

    context: StageContext
    events: dict[str, LaunchEvent] = field(default_factory=dict)
    reloads: int = 0

    async def reload(self, partitions: frozenset[TopicPartition]) -> None:
        table = await self.context.latest(LaunchEvent)
        self.events = {event.event_id: event for event in table.values()}
        self.reloads += 1

    def handle(self, message: Article) -> list[Message]:
        event_id = stable_id(message.feed_id)
        current = self.events.get(event_id)
        if current is not None and message.article_id in current.article_ids:
            return []  # a redelivery: already counted
        ids = (current.article_ids if current else ()) + (message.article_id,)
        event = LaunchEvent(
            event_id=event_id,
            revision=len(ids),
            article_ids=ids,
            report_count=len(ids),
            first_reported_at=message.parsed_at,
            last_reported_at=message.parsed_at,
        )
        self.events[event_id] = event
        return [event]


def counter_service(instances: list[FeedCounter]) -> ServiceSpec:
    @asynccontextmanager
    async def open_counter(settings: Any, context: StageContext) -> AsyncIterator[Stage[Article]]:
        counter = FeedCounter(context)
        instances.append(counter)
        yield Stage(counter.handle, on_assigned=counter.reload)

    stage = StageSpec(name="counter", consumes=Article, open=open_counter, exactly_once=True)
    return ServiceSpec(name="counter", stages=(stage,), http_port=0)


@pytest_asyncio.fixture
async def state_stream(transport: Transport) -> AsyncIterator[Stream]:
    stream = Stream(transport)
    await stream.create(Article, LaunchEvent, partitions=2)
    yield stream
    for task in stream.tasks:
        task.cancel()


async def run_counter(stream: Stream, instances: list[FeedCounter]) -> tuple[Any, Any]:
    spec = counter_service(instances)
    (stage,) = spec.stages
    assert isinstance(stage, StageSpec)
    settings = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    opened = stage.open(None, StageContext(stream.transport, stream.routing))
    ready = await opened.__aenter__()
    processor: Processor[Article] = processor_for(spec, stage, ready, settings, stream.transport)
    return stream.start(processor), opened


async def final_counts(stream: Stream) -> dict[str, int]:
    latest: dict[str, int] = {}
    for event in await stream.messages(LaunchEvent):
        latest[event.event_id] = event.report_count
    return latest


async def test_a_restarted_stage_reloads_its_state_and_continues(state_stream: Stream) -> None:
    stream = state_stream
    instances: list[FeedCounter] = []
    feed_a = [article(n) for n in range(5)]
    await stream.write(feed_a)
    stop, opened = await run_counter(stream, instances)
    expected_a = stable_id(feed_a[0].feed_id)
    await eventually(lambda: final_counts(stream), lambda c: c.get(expected_a) == 5, "5 counted")
    await stream.stop_all(stop)
    await opened.__aexit__(None, None, None)

    # Three new articles and two redeliveries of old ones, for a new member.
    await stream.write([article(n) for n in range(5, 8)] + feed_a[:2])
    stop, opened = await run_counter(stream, instances)
    counts = await eventually(
        lambda: final_counts(stream), lambda c: c.get(expected_a) == 8, "8 counted"
    )
    await stream.stop_all(stop)
    await opened.__aexit__(None, None, None)

    assert counts == {expected_a: 8}, "the count continued, redeliveries changed nothing"
    assert instances[1].reloads >= 1, "the new member loaded the state on assignment"
    assert len(instances[1].events[expected_a].article_ids) == 8
