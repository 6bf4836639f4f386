"""The fetcher as a service: three stages from feeds to `news.raw`, each article once.

1. ``poll``, a source over its share of the `feeds` table: for every owned
   feed that is due, it polls the feed (`poll_feed`, the feed parsed in a
   worker process) and writes one `ArticleLead` per new entry, keyed by the
   article id the entry leads to, to ``fetcher.leads``, in one transaction on
   the feed's partition with the FeedState that records the entries: a crash
   before the commit loses nothing (the state still says the entries are new),
   a crash after it repeats nothing (the state says they were seen).
2. ``claim`` (`services.fetcher.claims`) consumes the leads, one owner per
   article, and claims each article once, in Kafka transactions.
3. ``download`` (`services.fetcher.downloads`), a source over the claims,
   downloads each claimed page and writes the RawArticle with the claim marked
   done, in one transaction.

So one article brought by several feeds, polled by several replicas, across
restarts and rebalances, is downloaded once and is on `news.raw` once.

A poll that fails for a reason of the fetcher's own (a bug, a write the broker
refuses) is recorded as status `internal` with its reason and backs off like
any failure, so a feed that keeps failing shows it and is not retried every
minute by every replica in turn.

Feed state lives in the compacted `fetcher.state`; a replica reads it whenever
it is given partitions, so it resumes each feed where the last owner left it.
A poll started before its partition was last assigned is dropped unwritten:
the partition may have been with another replica meanwhile, which recorded
what that poll found, and the state read at the assignment is the one to
poll from.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import msgspec
from starlette.types import ASGIApp

from schemas import FeedState, FeedSubscription
from schemas.feeds import ArticleClaim, ArticleLead
from schemas.vocabulary import FeedStatus
from services.fetcher import metrics, poll_log
from services.fetcher.claims import open_claims
from services.fetcher.downloads import DownloadSource
from services.fetcher.http import Fetcher
from services.fetcher.leads import leads_for as leads_for
from services.fetcher.parsing import FeedParsers
from services.fetcher.politeness import Politeness
from services.fetcher.poll import (
    ERROR_CHARS,
    FeedParser,
    initial_state,
    poll_feed,
    schedule_settings,
)
from services.fetcher.schedule import failure_delay, is_stale
from services.fetcher.settings import FetcherSettings
from services.fetcher.websub.callback import Callback, open_callback
from services.fetcher.websub.owner import WebSubOwner
from services.runtime import ConfigurationError, PartitionLost
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView, first_of
from services.runtime.spec import ServiceSpec, SourceSpec, StageContext, StageSpec

log = logging.getLogger(__name__)

IDLE_WAKE_S = 1.0


class FetcherSource:
    def __init__(
        self,
        settings: FetcherSettings,
        context: StageContext,
        client: Fetcher,
        parse: FeedParser,
        callback: Callback | None = None,
    ) -> None:
        self._settings = settings
        self._context = context
        self._client = client
        self._parse = parse
        self._states: dict[str, FeedState] = {}
        self._polling: dict[str, asyncio.Task[None]] = {}
        self._assignments: dict[TopicPartition, int] = {}
        """How many times each partition was assigned: a poll from an earlier one is stale."""
        self._callback = callback
        self._websub = (
            None
            if callback is None
            else WebSubOwner(
                settings,
                context,
                client,
                parse,
                states=self._states,
                busy=self._polling,
                assignments=self._assignments,
            )
        )

    @property
    def app(self) -> ASGIApp | None:
        """The WebSub callback, served on the service's port, when one is configured."""
        return None if self._callback is None else self._callback.app

    async def prepare(self, partitions: frozenset[TopicPartition]) -> None:
        """Read every feed's state, so new partitions resume where their last owner was."""
        for partition in partitions:
            self._assignments[partition] = self._assignments.get(partition, 0) + 1
        table = await self._context.latest(FeedState)
        self._states.clear()
        self._states.update({state.feed_id: state for state in table.values()})
        if self._websub is not None:
            await self._websub.load()

    async def run(self, view: SourceView[FeedSubscription], stop: asyncio.Event) -> None:
        pushes = None if self._websub is None else asyncio.create_task(self._websub.run(view, stop))
        try:
            while not stop.is_set():
                if self._callback is not None:
                    self._callback.raise_if_failed()
                if pushes is not None and pushes.done():
                    pushes.result()
                view.changed.clear()
                wake = self._start_due_polls(view, datetime.now(UTC))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(first_of(view.changed, stop), wake)
        finally:
            if pushes is not None:
                await asyncio.gather(pushes, return_exceptions=True)
            if self._websub is not None:
                await self._websub.close()
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
                hub_due = None if self._websub is None else self._websub.due_at(feed.feed_id)
                work: Coroutine[Any, Any, None] | None = None
                if due <= now:
                    work = self._poll(view, partition, feed, state)
                elif hub_due is not None and hub_due <= now and self._websub is not None:
                    work = self._websub.renew(view, partition, feed.feed_id)
                else:
                    wake = min(wake, (min(due, hub_due or due) - now).total_seconds())
                if work is not None:
                    task = asyncio.create_task(work)
                    self._polling[feed.feed_id] = task
                    task.add_done_callback(functools.partial(self._forget, feed.feed_id))
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
        try:
            result = await poll_feed(feed, state, client=self._client, now=now, parse=self._parse)
            metrics.POLLS.labels(result.state.status.value).inc()
            poll_log.POLLS.record(result.state)
            metrics.NEW_ENTRIES.inc(len(result.entries))
            leads, next_state = leads_for(result, feed, now)
            sub = None
            if self._websub is not None:
                next_state, sub = self._websub.after_poll(feed, result, next_state, now)
            if self._assignments.get(partition) != assignment:
                return  # polled from a state that may be outdated: the next poll redoes it
            await view.write(partition, [*leads, next_state, *([sub] if sub else [])])
            self._states[feed.feed_id] = next_state
            if sub is not None and self._websub is not None:
                await self._websub.written(view, partition, sub)
        except PartitionLost:
            return  # the feed moved to another replica, which polls it from its state
        except Exception as error:
            # A fault of ours, not of the site (those are in the state): shown in the
            # feed's status and backed off like any failure, on whichever replica.
            log.exception("polling %s failed", feed.url)
            if self._assignments.get(partition) != assignment:
                return
            failed = self._failed(state, now, f"{type(error).__name__}: {error}")
            self._states[feed.feed_id] = failed
            poll_log.POLLS.record(failed)
            try:
                await view.write(partition, [failed])
            except Exception as unwritten:
                # The failure stays in memory and is polled again after its back-off; the
                # next write that goes through records it.
                log.warning("the failed poll of %s was not recorded: %s", feed.url, unwritten)

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


class _SharedClient:
    """One HTTP client (and so one set of politeness limits) for the stages of a process."""

    def __init__(self) -> None:
        self._clients: dict[FetcherSettings, tuple[Fetcher, int]] = {}

    @asynccontextmanager
    async def use(self, settings: FetcherSettings) -> AsyncIterator[Fetcher]:
        client, users = self._clients.get(settings) or (self._open(settings), 0)
        self._clients[settings] = (client, users + 1)
        try:
            yield client
        finally:
            client, users = self._clients[settings]
            if users == 1:
                del self._clients[settings]
                await client.aclose()
            else:
                self._clients[settings] = (client, users - 1)

    @staticmethod
    def _open(settings: FetcherSettings) -> Fetcher:
        politeness = Politeness(
            settings.fetch_concurrency,
            settings.fetch_host_concurrency,
            settings.fetch_host_interval_s,
            settings.fetch_address_concurrency,
        )
        return Fetcher(settings, politeness=politeness)


_CLIENTS = _SharedClient()


def check_callback_url(url: str) -> None:
    """Refuse a WebSub callback URL a hub could not call: an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ConfigurationError(
            "LAUNCHWATCH_WEBSUB_CALLBACK_URL must be an absolute http(s) URL without a query "
            f"(the public URL of the fetcher's callback path), not {url!r}"
        )


@asynccontextmanager
async def open_fetcher(
    settings: FetcherSettings, context: StageContext
) -> AsyncIterator[FetcherSource]:
    parsers = FeedParsers(settings)
    try:
        async with contextlib.AsyncExitStack() as stack:
            client = await stack.enter_async_context(_CLIENTS.use(settings))
            callback = None
            if settings.websub_callback_url:
                check_callback_url(settings.websub_callback_url)
                callback = await stack.enter_async_context(open_callback(settings, context))
            yield FetcherSource(settings, context, client, parsers, callback)
    finally:
        parsers.close()


@asynccontextmanager
async def open_downloads(
    settings: FetcherSettings, context: StageContext
) -> AsyncIterator[DownloadSource]:
    async with _CLIENTS.use(settings) as client:
        yield DownloadSource(settings, context, client)


FETCHER = ServiceSpec(
    name="fetcher",
    stages=(
        SourceSpec(name="fetcher", table=FeedSubscription, open=open_fetcher),
        StageSpec(name="claim", consumes=ArticleLead, open=open_claims, exactly_once=True),
        SourceSpec(name="download", table=ArticleClaim, open=open_downloads),
    ),
    http_port=8081,
    settings_type=FetcherSettings,
)
