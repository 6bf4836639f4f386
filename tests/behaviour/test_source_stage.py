"""Source stages: time-driven work over a shared table, each row's work done exactly once.

The source here is a miniature fetcher: for every subscribed feed it has no
state for, it writes one FeedState. Its state is reloaded from
`fetcher.state` when it is given partitions. Whatever the restarts and
however many members share the feeds, every feed ends with exactly one state.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio

from schemas import FeedState, FeedStatus, FeedSubscription
from schemas.ids import feed_id
from services.runtime import PartitionLost, Transport
from services.runtime.records import TopicPartition
from services.runtime.service import source_runner_for
from services.runtime.settings import RuntimeSettings
from services.runtime.source import SourceView
from services.runtime.spec import ServiceSpec, SourceSpec, StageContext
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio

NOW = datetime(2025, 10, 29, tzinfo=UTC)


def subscription(number: int) -> FeedSubscription:
    url = f"https://news{number}.example/rss"
    return FeedSubscription(feed_id=feed_id(url), url=url, added_at=NOW)


@dataclass
class FeedChecker:
    context: StageContext
    states: dict[str, FeedState] = field(default_factory=dict)

    async def prepare(self, partitions: frozenset[TopicPartition]) -> None:
        table = await self.context.latest(FeedState)
        self.states = {state.feed_id: state for state in table.values()}

    async def run(self, view: SourceView[FeedSubscription], stop: asyncio.Event) -> None:
        while not stop.is_set():
            view.changed.clear()
            for partition, rows in view.owned().items():
                for feed in rows.values():
                    if feed.feed_id in self.states:
                        continue
                    state = FeedState(
                        feed_id=feed.feed_id, url=feed.url, status=FeedStatus.OK, updated_at=NOW
                    )
                    try:
                        await view.write(partition, [state])
                    except PartitionLost:
                        continue  # the new owner does it
                    self.states[feed.feed_id] = state
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(view.changed.wait(), 0.2)


@pytest_asyncio.fixture
async def feeds_stream(transport: Transport) -> AsyncIterator[Stream]:
    stream = Stream(transport)
    await stream.create(FeedSubscription, FeedState, partitions=3)
    yield stream
    for task in stream.tasks:
        task.cancel()


@asynccontextmanager
async def checker(stream: Stream) -> AsyncIterator[asyncio.Event]:
    """A running member of the checker's group; stopped and closed on exit."""

    @asynccontextmanager
    async def open_checker(settings: Any, context: StageContext) -> AsyncIterator[FeedChecker]:
        yield FeedChecker(context)

    stage = SourceSpec(name="checker", table=FeedSubscription, open=open_checker)
    spec = ServiceSpec(name="checker", stages=(stage,), http_port=0)
    settings = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    async with open_checker(None, StageContext(stream.transport, stream.routing)) as source:
        runner = source_runner_for(spec, stage, source, settings, stream.transport)
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        try:
            yield stop
        finally:
            stop.set()
            await task


async def states_per_feed(stream: Stream) -> Counter[str]:
    return Counter(state.feed_id for state in await stream.messages(FeedState))


async def test_each_feed_is_worked_on_once_across_a_restart(feeds_stream: Stream) -> None:
    stream = feeds_stream
    await stream.write([subscription(n) for n in range(6)])
    async with checker(stream):
        await eventually(lambda: states_per_feed(stream), lambda c: len(c) == 6, "6 states")

    await stream.write([subscription(n) for n in range(6, 8)])
    async with checker(stream):
        counts = await eventually(
            lambda: states_per_feed(stream), lambda c: len(c) == 8, "8 states"
        )
    assert set(counts.values()) == {1}, "the restarted member reloaded the states"


async def test_members_share_the_feeds_without_doing_any_twice(feeds_stream: Stream) -> None:
    stream = feeds_stream
    await stream.write([subscription(n) for n in range(12)])
    async with checker(stream), checker(stream):
        counts = await eventually(
            lambda: states_per_feed(stream), lambda c: len(c) == 12, "12 states"
        )
        await asyncio.sleep(0.5)  # let any duplicate surface before counting
        counts = await states_per_feed(stream)
    assert sorted(counts.values()) == [1] * 12
