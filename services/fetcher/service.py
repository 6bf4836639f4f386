"""The fetcher as a service: a source over its share of the `feeds` table.

Replicas share the feeds by the partitions of `feeds` they own. For every
owned feed that is due, the fetcher polls it (`poll_feed`, the feed parsed in
a worker process), downloads each new entry's page and writes the RawArticles
in bounded batches (`batches.Harvest`), each together with the FeedState that
records them, in one transaction on the feed's partition: a crash before a
commit loses nothing (the state still says the entries are new, so the next
owner fetches them again) and a crash after it repeats nothing (the state says
they were seen).

A poll that fails for a reason of the fetcher's own (a bug, a write the broker
refuses) is recorded as status `internal` with its reason and backs off like
any failure, so a feed that keeps failing shows it and is not retried every
minute by every replica in turn.

Feed state lives in the compacted `fetcher.state`; a replica reads it whenever
it is given partitions, so it resumes each feed where the last owner left it.
A poll started before its partition was last assigned is dropped unwritten:
the partition may have been with another replica meanwhile, which emitted
what that poll found, and the state read at the assignment is the one to
poll from.

One article in several feeds: a replica remembers the ids of the articles it
emitted recently (`DEDUP_WINDOW` of them) and does not emit one twice.
Across replicas (two feeds with the same story owned by different replicas)
the article may be emitted twice; both records carry the same `article_id`,
so every consumer keyed by it (the parser, the enricher's events) treats them
as one article.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import msgspec

from schemas import FeedState, FeedSubscription, Message, RawArticle
from schemas.vocabulary import FeedStatus
from services.fetcher import metrics
from services.fetcher.batches import Harvest
from services.fetcher.http import Fetcher
from services.fetcher.parsing import FeedParsers
from services.fetcher.politeness import Politeness
from services.fetcher.poll import (
    ERROR_CHARS,
    FeedParser,
    initial_state,
    poll_feed,
    robots_for,
    schedule_settings,
)
from services.fetcher.schedule import failure_delay, is_stale
from services.fetcher.settings import FetcherSettings
from services.runtime import PartitionLost
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView, first_of
from services.runtime.spec import ServiceSpec, SourceSpec, StageContext

log = logging.getLogger(__name__)

DEDUP_WINDOW = 50_000
"""Article ids remembered per replica to emit an article once across feeds."""

IDLE_WAKE_S = 1.0


class FetcherSource:
    def __init__(
        self,
        settings: FetcherSettings,
        context: StageContext,
        client: Fetcher,
        parse: FeedParser,
    ) -> None:
        self._settings = settings
        self._context = context
        self._client = client
        self._parse = parse
        self._states: dict[str, FeedState] = {}
        self._emitted: OrderedDict[str, None] = OrderedDict()
        self._polling: dict[str, asyncio.Task[None]] = {}
        self._assignments: dict[TopicPartition, int] = {}
        """How many times each partition was assigned: a poll from an earlier one is stale."""

    async def prepare(self, partitions: frozenset[TopicPartition]) -> None:
        """Read every feed's state, so new partitions resume where their last owner was."""
        for partition in partitions:
            self._assignments[partition] = self._assignments.get(partition, 0) + 1
        table = await self._context.latest(FeedState)
        self._states = {state.feed_id: state for state in table.values()}

    async def run(self, view: SourceView[FeedSubscription], stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                view.changed.clear()
                wake = self._start_due_polls(view, datetime.now(UTC))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(first_of(view.changed, stop), wake)
        finally:
            for task in self._polling.values():
                task.cancel()  # unwritten work is redone by the next owner; nothing is lost
            await asyncio.gather(*self._polling.values(), return_exceptions=True)

    def _start_due_polls(self, view: SourceView[FeedSubscription], now: datetime) -> float:
        """Start the polls that are due; returns seconds until the next one is."""
        wake = IDLE_WAKE_S
        owned = 0
        stale = 0
        schedule = schedule_settings(self._client)
        for partition, rows in view.owned().items():
            for feed in rows.values():
                owned += 1
                state = self._states.get(feed.feed_id) or initial_state(
                    feed, now, interval_s=schedule.min_s
                )
                stale += is_stale(state, now, settings=schedule)
                if feed.feed_id in self._polling:
                    continue
                due = state.next_poll_at or now
                if due <= now:
                    task = asyncio.create_task(self._poll(view, partition, feed, state))
                    self._polling[feed.feed_id] = task
                    task.add_done_callback(functools.partial(self._forget, feed.feed_id))
                else:
                    wake = min(wake, (due - now).total_seconds())
        metrics.FEEDS_OWNED.set(owned)
        metrics.FEEDS_STALE.set(stale)
        return max(wake, 0.05)

    def _forget(self, key: str, finished: asyncio.Task[None]) -> None:
        if self._polling.get(key) is finished:
            del self._polling[key]

    async def _poll(
        self,
        view: SourceView[FeedSubscription],
        partition: TopicPartition,
        feed: FeedSubscription,
        state: FeedState,
    ) -> None:
        now = datetime.now(UTC)
        assignment = self._assignments.get(partition)

        async def write(pages: Sequence[RawArticle], next_state: FeedState) -> None:
            if self._assignments.get(partition) != assignment:
                raise PartitionLost("polled from a state that may be outdated")
            fresh = self._claim(pages)
            try:
                await view.write(partition, [*fresh, next_state])
            except BaseException:
                self._release(fresh)  # not written: another feed may still bring them
                raise
            self._states[feed.feed_id] = next_state

        harvest: Harvest | None = None
        try:
            result = await poll_feed(feed, state, client=self._client, now=now, parse=self._parse)
            metrics.POLLS.labels(result.state.status.value).inc()
            metrics.NEW_ENTRIES.inc(len(result.entries))
            robots = robots_for(self._client)
            harvest = Harvest(result, feed, self._client, robots, now, write)
            await harvest.run()
        except PartitionLost:
            return  # the feed moved to another replica, which polls it from its state
        except Exception as error:
            # A fault of ours, not of the site (those are in the state): shown in the
            # feed's status and backed off like any failure, on whichever replica.
            log.exception("polling %s failed", feed.url)
            if self._assignments.get(partition) != assignment:
                return
            latest = harvest.state if harvest is not None and harvest.state else state
            failed = self._failed(latest, now, f"{type(error).__name__}: {error}")
            self._states[feed.feed_id] = failed
            with contextlib.suppress(Exception):
                await view.write(partition, [failed])

    def _failed(self, state: FeedState, now: datetime, reason: str) -> FeedState:
        failures = state.consecutive_failures + 1
        delay = failure_delay(
            failures, settings=schedule_settings(self._client), rng=random.Random()
        )
        return msgspec.structs.replace(
            state,
            status=FeedStatus.INTERNAL,
            error=reason[:ERROR_CHARS],
            consecutive_failures=failures,
            last_polled_at=now,
            next_poll_at=now + timedelta(seconds=delay),
            updated_at=now,
        )

    def _claim(self, pages: Sequence[RawArticle]) -> list[Message]:
        """The pages no feed has brought yet, claimed at once: polls run concurrently."""
        fresh: list[Message] = []
        for page in pages:
            if page.article_id in self._emitted:
                metrics.DUPLICATES.inc()
                continue
            self._emitted[page.article_id] = None
            fresh.append(page)
        while len(self._emitted) > DEDUP_WINDOW:
            self._emitted.popitem(last=False)
        return fresh

    def _release(self, claimed: list[Message]) -> None:
        for message in claimed:
            assert isinstance(message, RawArticle)
            self._emitted.pop(message.article_id, None)


@asynccontextmanager
async def open_fetcher(
    settings: FetcherSettings, context: StageContext
) -> AsyncIterator[FetcherSource]:
    politeness = Politeness(
        settings.fetch_concurrency,
        settings.fetch_host_concurrency,
        settings.fetch_host_interval_s,
        settings.fetch_address_concurrency,
    )
    parsers = FeedParsers(settings)
    try:
        async with Fetcher(settings, politeness=politeness) as client:
            yield FetcherSource(settings, context, client, parsers)
    finally:
        parsers.close()


FETCHER = ServiceSpec(
    name="fetcher",
    stages=(SourceSpec(name="fetcher", table=FeedSubscription, open=open_fetcher),),
    http_port=8081,
    settings_type=FetcherSettings,
)
