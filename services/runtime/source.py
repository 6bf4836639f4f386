"""Sources: stages driven by time rather than by records, such as the fetcher.

A source owns a share of a compacted *table* topic (for the fetcher: `feeds`,
one subscription per key) as a member of a consumer group. For every
partition it owns, the runtime keeps the table's current rows: read from the
beginning whenever the partition is assigned, then followed as records arrive
(a tombstone removes a row). The service's `Source.run` decides when to do
work for a row and hands its outputs to `SourceView.write`.

Writes go to one owned partition at a time, in a Kafka transaction of that
partition's producer (exactly-once mode, transactional id
``<group>.<topic>.<partition>``): everything a piece of work produced (the
fetcher: new articles and the feed state that records them) becomes visible
together or not at all, and a member that lost the partition is fenced, so
its late write fails with `PartitionLost` instead of duplicating the new
owner's. When partitions are revoked their rows disappear from the view and
writes in progress finish first.

A source may also serve pages (the fetcher's WebSub callback): an ``app``
attribute of it, when not None, is served on the service's HTTP port beside
the probes, as a view's pages are.

A row nobody can read (not JSON, or not the table's message type) is moved to
``<table>.dlq`` with the reason, and a tombstone removes it from the table in
the same transaction, so it neither stops the source nor comes back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from starlette.types import ASGIApp

from schemas import Message, UndecodableMessage, WireError, decode, topic_for
from services.runtime import metrics
from services.runtime.deadletter import DeadLetterReason, dead_letter
from services.runtime.errors import PartitionLost, TransportError
from services.runtime.records import ConsumedRecord, OutgoingRecord, TopicPartition
from services.runtime.routing import Routing
from services.runtime.transport import RebalanceHooks, Subscription, Transport

Row = TypeVar("Row", bound=Message)

log = logging.getLogger(__name__)


class SourceView(Generic[Row]):
    """What a source sees: the rows of the partitions it owns, and where to write."""

    def __init__(self, routing: Routing, service: str) -> None:
        self._routing = routing
        self._service = service
        self._rows: dict[TopicPartition, dict[bytes, Row]] = {}
        self._positions: dict[TopicPartition, int] = {}
        self._locks: dict[TopicPartition, asyncio.Lock] = {}
        self._subscription: Subscription | None = None
        self.changed = asyncio.Event()
        """Set whenever rows or ownership change; the source clears it when it has looked."""

    def owned(self) -> Mapping[TopicPartition, Mapping[bytes, Row]]:
        """A snapshot of the rows of every owned partition."""
        return {partition: dict(rows) for partition, rows in self._rows.items()}

    async def write(self, partition: TopicPartition, messages: Sequence[Message]) -> None:
        """Write `messages` together, fenced by ownership of `partition`.

        Raises `PartitionLost` when the partition has moved to another member:
        the work is then the new owner's to redo, and nothing of it was written.
        """
        lock = self._locks.get(partition)
        if lock is None or self._subscription is None:
            raise PartitionLost(f"{partition} is not owned by this member")
        records = [self._routing.record_for(message) for message in messages]
        async with lock:
            if partition not in self._rows:
                raise PartitionLost(f"{partition} was revoked")
            await self._subscription.complete(partition, self._positions[partition], records)
        for record in records:
            metrics.PRODUCED.labels(self._service, record.topic).inc()

    # -- maintained by SourceRunner ------------------------------------------------
    def _assign(self, partitions: frozenset[TopicPartition]) -> None:
        for partition in partitions:
            self._rows.setdefault(partition, {})
            self._positions.setdefault(partition, 0)
            self._locks.setdefault(partition, asyncio.Lock())
        self.changed.set()

    async def _revoke(self, partitions: frozenset[TopicPartition]) -> None:
        for partition in partitions:
            self._rows.pop(partition, None)
        for partition in partitions:
            lock = self._locks.pop(partition, None)
            if lock is not None:
                async with lock:  # a write in progress completes before the move
                    pass
            self._positions.pop(partition, None)
        self.changed.set()


class Source(Protocol[Row]):
    """A service's time-driven work over the rows it owns."""

    async def prepare(self, partitions: frozenset[TopicPartition]) -> None:
        """Load what work on newly owned partitions needs; awaited before their rows show."""

    async def run(self, view: SourceView[Row], stop: asyncio.Event) -> None:
        """Work until `stop` is set."""


class SourceRunner(Generic[Row]):
    """Keeps a `SourceView` in step with the group and the table, and runs the source."""

    def __init__(
        self,
        *,
        service: str,
        table: type[Row],
        source: Source[Row],
        transport: Transport,
        routing: Routing,
        group_id: str,
        client_id: str,
        poll_timeout_s: float = 0.5,
    ) -> None:
        self.service = service
        self.group_id = group_id
        self.table_topic = routing.name_of(topic_for(table))
        self._table = table
        self._source = source
        self._transport = transport
        self._client_id = client_id
        self._poll_timeout_s = poll_timeout_s
        self.view: SourceView[Row] = SourceView(routing, service)
        self.ready = asyncio.Event()
        self._assign_failure: Exception | None = None

    async def run(self, stop: asyncio.Event) -> None:
        subscription = await self._transport.subscribe(
            [self.table_topic],
            group_id=self.group_id,
            client_id=self._client_id,
            exactly_once=True,
            hooks=RebalanceHooks(on_revoke=self._revoked, on_assign=self._assigned),
            as_table=True,
        )
        self.view._subscription = subscription
        self.ready.set()
        working = asyncio.create_task(self._source.run(self.view, stop))
        try:
            while not stop.is_set():
                if working.done():
                    working.result()  # the source failed: raise its error
                    raise TransportError("the source stopped on its own")
                if self._assign_failure is not None:
                    raise TransportError(
                        f"preparing assigned partitions failed: {self._assign_failure}"
                    ) from self._assign_failure
                await self._follow(subscription)
        finally:
            self.ready.clear()
            stop.set()
            await asyncio.gather(working, return_exceptions=True)
            await subscription.close()

    @property
    def app(self) -> ASGIApp | None:
        """Pages the source serves on the service's port (an `app` attribute of it), if any."""
        app: ASGIApp | None = getattr(self._source, "app", None)
        return app

    async def _assigned(self, partitions: frozenset[TopicPartition]) -> None:
        try:
            await self._source.prepare(partitions)
        except Exception as error:
            self._assign_failure = error  # raised by the loop: the client only logs it
            return
        self.view._assign(partitions)  # the rows are rebuilt: the table is read from its start
        metrics.ASSIGNED_PARTITIONS.labels(self.service).set(len(self.view._rows))

    async def _revoked(self, partitions: frozenset[TopicPartition]) -> None:
        metrics.REBALANCES.labels(self.service).inc()
        await self.view._revoke(partitions)

    async def _follow(self, subscription: Subscription) -> None:
        records = await subscription.poll(timeout_s=self._poll_timeout_s, max_records=500)
        unprepared: set[TopicPartition] = set()
        poison: list[tuple[ConsumedRecord, WireError]] = []
        for record in records:
            partition = record.topic_partition
            rows = self.view._rows.get(partition)
            if rows is None:
                # Returned before its assignment was processed (or after its revocation):
                # read it again once the partition is ready.
                if partition not in unprepared:
                    unprepared.add(partition)
                    subscription.seek(partition, record.offset)
                continue
            if record.key is None:
                continue
            metrics.CONSUMED.labels(self.service, record.topic).inc()
            self.view._positions[partition] = record.offset + 1
            if record.value is None:
                rows.pop(record.key, None)
                continue
            try:
                rows[record.key] = decode(self._table, record.value, record.headers)
            except WireError as unreadable:
                rows.pop(record.key, None)
                poison.append((record, unreadable))
        for record, problem in poison:
            await self._dead_letter(subscription, record, problem)
        if records:
            self.view.changed.set()

    async def _dead_letter(
        self, subscription: Subscription, record: ConsumedRecord, error: WireError
    ) -> None:
        """Move an unreadable row to ``<table>.dlq`` and remove it from the table, together.

        A row nobody can read cannot be worked on; left in the table it would
        be met again on every load. Its tombstone, written in the same
        transaction as the dead letter, removes it for good, and the original
        bytes stay in the DLQ for an operator to repair and write back.
        """
        reason: DeadLetterReason = (
            "undecodable" if isinstance(error, UndecodableMessage) else "invalid"
        )
        log.error("dead-lettering the unreadable row %s@%d: %s", record.topic, record.offset, error)
        letter = dead_letter(
            record,
            reason=reason,
            error=str(error),
            consumer_group=self.group_id,
            service=self.service,
            attempts=0,
        )
        assert record.key is not None
        tombstone = OutgoingRecord(record.topic, record.key, None)
        partition = record.topic_partition
        lock = self.view._locks.get(partition)
        if lock is None:
            return  # revoked meanwhile: the new owner meets the row and moves it
        async with lock:
            try:
                await subscription.complete(
                    partition, self.view._positions[partition], [letter, tombstone]
                )
            except PartitionLost:
                return
        metrics.FAILED.labels(self.service, record.topic, reason).inc()
        metrics.DEAD_LETTERS.labels(self.service, record.topic).inc()


async def first_of(*events: asyncio.Event) -> None:
    """Returns as soon as any of `events` is set: a source's "rows changed, or stop"."""
    waits = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
