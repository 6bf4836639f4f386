"""The side of WebSub that only a feed's owner runs: asking hubs, and applying what they sent.

One replica owns a feed (the partition of ``feeds`` it is in), and only it
writes the feed's state and subscription, always in one transaction with the
leads they record. Hubs reach any replica, which forwards what it accepts to
``fetcher.pushes`` keyed by feed id (`callback`); every replica reads that
topic and applies the events of the feeds it owns:

- a **delivery** as a poll result (`push.push_result`): its new entries become
  leads exactly as a poll's would, written with the state that records them,
  so a later poll (or another delivery of the same entries) leads to nothing;
- a **verification** or **denial** to the subscription (`rules.applied`).

A feed **removed** from ``feeds`` (its row tombstoned) leaves the owned rows
of its partition; the owner then ends its subscription and, when it is live,
sends the hub ``hub.mode=unsubscribe``, which the callback confirms once the
ended record has reached it. Removal is seen as a row that disappears from a
partition owned without interruption since it was seen (`Removals`); a feed
removed while its partition was moving between replicas is not seen, and its
subscription lapses with its lease (deliveries meanwhile reach no owner).

Each event is applied once: the subscription records the offset of the last
event applied, in the same transaction as its effects, and an event at or
below it is skipped. On every new assignment the owner reads the topic again
from its start (its retention is a day), so events that arrived while a feed
was moving between replicas are applied by its new owner. Work on one feed
(a poll, a renewal, an event) is done one at a time, so each starts from the
state the last one wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any

from schemas import FeedState, FeedSubscription, Message, WireError, decode, topic_for
from schemas.feeds import WebSubEvent, WebSubSubscription
from schemas.vocabulary import FeedStatus
from services.fetcher import metrics
from services.fetcher.http import Fetcher
from services.fetcher.leads import leads_for
from services.fetcher.poll import FeedParser, PollResult, initial_state
from services.fetcher.settings import FetcherSettings
from services.fetcher.websub import hub, rules
from services.fetcher.websub.discovery import Discovered, discover
from services.fetcher.websub.push import push_result
from services.runtime import PartitionLost
from services.runtime.records import ConsumedRecord, TopicPartition
from services.runtime.source import SourceView
from services.runtime.spec import StageContext

log = logging.getLogger(__name__)

QUEUE_RECORDS = 8
"""Events read ahead of the one being applied (a delivery may be megabytes)."""
REMOVALS_EVERY_S = 1.0
"""How often the owned rows are compared with those seen before, for removed feeds."""


class Removals:
    """Where each owned feed was seen, to tell a removed feed from one that moved away.

    A feed is removed when its row is gone from the partition it was seen in,
    and that partition has been owned without interruption since (same
    assignment). A partition assigned again starts afresh: its rows are read
    again from the start of the table, and the ones not read yet are not gone.
    """

    def __init__(self) -> None:
        self._homes: dict[str, tuple[TopicPartition, int]] = {}

    def seen(self, feed_id: str, partition: TopicPartition, assignment: int | None) -> None:
        if assignment is not None:
            self._homes[feed_id] = (partition, assignment)

    def gone(
        self,
        owned: Mapping[TopicPartition, Mapping[bytes, object]],
        assignments: Mapping[TopicPartition, int],
    ) -> list[tuple[TopicPartition, str]]:
        """The (partition, feed id) of the feeds removed since the last call."""
        gone: list[tuple[TopicPartition, str]] = []
        for feed_id, (partition, assignment) in list(self._homes.items()):
            rows = owned.get(partition)
            if rows is None or assignments.get(partition) != assignment:
                del self._homes[feed_id]  # moved away, or read again since
            elif feed_id.encode() not in rows:
                del self._homes[feed_id]
                gone.append((partition, feed_id))
        for partition, rows in owned.items():
            for key in rows:
                self.seen(key.decode(), partition, assignments.get(partition))
        return gone


class WebSubOwner:
    """Subscriptions of the feeds this replica owns, and the events waiting for them."""

    def __init__(
        self,
        settings: FetcherSettings,
        context: StageContext,
        client: Fetcher,
        parse: FeedParser,
        *,
        states: dict[str, FeedState],
        busy: dict[str, asyncio.Task[None]],
        assignments: dict[TopicPartition, int],
    ) -> None:
        self._settings = settings
        self._context = context
        self._client = client
        self._parse = parse
        self._states = states
        self._busy = busy
        self._assignments = assignments
        self.subs: dict[str, WebSubSubscription] = {}
        self._queue: asyncio.Queue[tuple[int, ConsumedRecord]] = asyncio.Queue(QUEUE_RECORDS)
        self._generation = 0
        self._reader: asyncio.Task[None] | None = None
        self._closed = False
        self._rng = random.Random()
        self._removals = Removals()

    # -- scheduling and polls ----------------------------------------------------
    async def load(self) -> None:
        """Read every subscription, and read the events again from the start."""
        table = await self._context.latest(WebSubSubscription)
        self.subs.clear()
        self.subs.update({sub.feed_id: sub for sub in table.values()})
        if self._reader is not None:
            self._reader.cancel()
        self._generation += 1
        if not self._closed:
            self._reader = asyncio.create_task(self._read(self._generation))

    def due_at(self, feed_id: str) -> datetime | None:
        """When the feed's hub must next be asked without waiting for a poll."""
        sub = self.subs.get(feed_id)
        return None if sub is None else rules.due_at(sub)

    def after_poll(
        self, feed: FeedSubscription, result: PollResult, state: FeedState, now: datetime
    ) -> tuple[FeedState, WebSubSubscription | None]:
        """The poll's state, slower while subscribed, and the subscription to write, if any."""
        if result.state.status is not FeedStatus.OK:
            return state, None
        sub = self.subs.get(feed.feed_id)
        found = discover(
            result.fetch.headers.get("link"), result.fetch.final_url, result.hubs, result.self_url
        )
        if found is None and sub is not None and sub.status != "ended":
            if result.parsed:
                return state, rules.ended(sub, now)
            found = Discovered(hub=sub.hub, topic=sub.topic)  # the document did not change
        if found is None:
            return state, None
        request = self._request(feed.feed_id, found, now)
        return rules.slower(state, request or sub, self._settings, now, self._rng), request

    def _request(self, feed_id: str, found: Discovered, now: datetime) -> WebSubSubscription | None:
        callback = rules.callback_for(self._settings.websub_callback_url, feed_id)
        return rules.request_for(
            self.subs.get(feed_id), found, feed_id=feed_id, callback=callback, now=now
        )

    async def written(
        self, view: SourceView[FeedSubscription], partition: TopicPartition, sub: WebSubSubscription
    ) -> None:
        """`sub` was written: ask the hub when it is a request, unsubscribe when it ended."""
        before = self.subs.get(sub.feed_id)
        self.subs[sub.feed_id] = sub
        self._removals.seen(sub.feed_id, partition, self._assignments.get(partition))
        if sub.status in ("requested", "live"):
            await self._ask(view, partition, sub)
        elif sub.status == "ended" and rules.is_live(before, datetime.now(UTC)):
            await self._unsubscribe(sub)

    async def renew(
        self, view: SourceView[FeedSubscription], partition: TopicPartition, feed_id: str
    ) -> None:
        """Ask the hub again (a renewal or a retry) under the subscription's own hub and topic."""
        sub = self.subs.get(feed_id)
        if sub is None:
            return
        assignment = self._assignments.get(partition)
        found = Discovered(hub=sub.hub, topic=sub.topic)
        request = self._request(feed_id, found, datetime.now(UTC))
        if request is None or self._assignments.get(partition) != assignment:
            return
        with contextlib.suppress(PartitionLost):
            await view.write(partition, [request])
            await self.written(view, partition, request)

    async def _ask(
        self, view: SourceView[FeedSubscription], partition: TopicPartition, sub: WebSubSubscription
    ) -> None:
        error = await hub.ask(self._client, sub, lease_s=self._settings.websub_lease_s)
        if error is None:
            log.info("asked %s for pushes of %s", sub.hub, sub.topic)
            return
        log.warning("WebSub subscription of %s: %s", sub.topic, error)
        refused = rules.refused(sub, error, datetime.now(UTC))
        with contextlib.suppress(PartitionLost):
            await view.write(partition, [refused])
            self.subs[sub.feed_id] = refused

    async def _unsubscribe(self, sub: WebSubSubscription) -> None:
        """Ask the hub to stop; the lease runs out anyway if it does not listen."""
        error = await hub.ask(self._client, sub, lease_s=0, mode="unsubscribe")
        if error is None:
            log.info("asked %s to stop pushing %s: %s", sub.hub, sub.topic, sub.error)
        else:
            log.warning("WebSub unsubscription of %s: %s", sub.topic, error)

    async def _end_removed(self, view: SourceView[FeedSubscription]) -> None:
        """End the subscriptions of feeds removed from the partitions this replica owns."""
        for partition, feed_id in self._removals.gone(view.owned(), self._assignments):
            sub = self.subs.get(feed_id)
            if sub is not None and sub.status != "ended":
                await self._exclusive(feed_id, self._end(view, partition, feed_id))

    async def _end(
        self, view: SourceView[FeedSubscription], partition: TopicPartition, feed_id: str
    ) -> None:
        sub = self.subs.get(feed_id)
        if (
            sub is None
            or sub.status == "ended"
            or any(feed_id.encode() in rows for rows in view.owned().values())
        ):
            return  # ended meanwhile, or the feed is back
        gone = rules.ended(sub, datetime.now(UTC), rules.REMOVED)
        with contextlib.suppress(PartitionLost):
            await view.write(partition, [gone])
            await self.written(view, partition, gone)

    # -- events ------------------------------------------------------------------
    async def _read(self, generation: int) -> None:
        topic = self._context.routing.name_of(topic_for(WebSubEvent))
        async for record in self._context.transport.read(topic, from_beginning=True, follow=True):
            await self._queue.put((generation, record))

    async def run(self, view: SourceView[FeedSubscription], stop: asyncio.Event) -> None:
        """Apply the events of owned feeds, and end subscriptions of removed ones, until `stop`."""
        loop = asyncio.get_running_loop()
        looked = loop.time()
        while not stop.is_set():
            if self._reader is not None and self._reader.done() and not self._reader.cancelled():
                self._reader.result()  # reading failed: the stage fails, the process restarts
            if loop.time() - looked >= REMOVALS_EVERY_S:
                looked = loop.time()
                await self._end_removed(view)
            try:
                generation, record = await asyncio.wait_for(self._queue.get(), 0.5)
            except TimeoutError:
                continue
            if generation == self._generation:
                await self._consider(view, record)

    async def close(self) -> None:
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    async def _consider(self, view: SourceView[FeedSubscription], record: ConsumedRecord) -> None:
        if record.key is None or record.value is None:
            return
        feed_id = record.key.decode()
        sub = self.subs.get(feed_id)
        if sub is None or record.offset <= sub.applied_offset:
            return
        owner = _owner(view, record.key)
        if owner is None:
            return
        try:
            event = decode(WebSubEvent, record.value, record.headers)
        except WireError as error:
            log.warning("skipping an unreadable WebSub event at %d: %s", record.offset, error)
            return
        partition, feed = owner
        await self._exclusive(feed_id, self._apply(view, partition, feed, event, record.offset))

    async def _exclusive(self, feed_id: str, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` once nothing else runs for the feed, keeping polls of it off meanwhile."""
        while (running := self._busy.get(feed_id)) is not None:
            await asyncio.wait([running])
        task = asyncio.create_task(work)
        self._busy[feed_id] = task
        try:
            await asyncio.wait([task])
        finally:
            if self._busy.get(feed_id) is task:
                del self._busy[feed_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("applying a WebSub event of %s failed", feed_id, exc_info=task.exception())

    async def _apply(
        self,
        view: SourceView[FeedSubscription],
        partition: TopicPartition,
        feed: FeedSubscription,
        event: WebSubEvent,
        offset: int,
    ) -> None:
        sub = self.subs.get(feed.feed_id)
        if sub is None or offset <= sub.applied_offset:
            return
        assignment = self._assignments.get(partition)
        now = datetime.now(UTC)
        state = self._states.get(feed.feed_id) or initial_state(
            feed, now, interval_s=self._settings.poll_min_s
        )
        next_sub = rules.applied(sub, event, offset, now, self._settings.websub_lease_s)
        messages: list[Message] = []
        leads = 0
        next_state = state
        if event.kind == "content" and event.topic == sub.topic:
            result = await push_result(
                event, state, parse=self._parse, settings=self._settings, now=now
            )
            if result is not None:
                found, next_state = leads_for(result, feed, now)
                messages += found
                leads = len(found)
                metrics.NEW_ENTRIES.inc(len(result.entries))
        next_state = rules.slower(next_state, next_sub, self._settings, now, self._rng)
        if next_state is not state:
            messages.append(next_state)
        if self._assignments.get(partition) != assignment:
            return  # applied from a state that may be outdated: the new read applies it
        with contextlib.suppress(PartitionLost):
            await view.write(partition, [*messages, next_sub])
            self._states[feed.feed_id] = next_state
            self.subs[feed.feed_id] = next_sub
            if leads:
                log.info("WebSub delivery for %s: %d new entries", feed.url, leads)


def _owner(
    view: SourceView[FeedSubscription], key: bytes
) -> tuple[TopicPartition, FeedSubscription] | None:
    for partition, rows in view.owned().items():
        feed = rows.get(key)
        if feed is not None:
            return partition, feed
    return None
