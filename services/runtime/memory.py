"""An in-process broker with Kafka's semantics, for the embedded demo and unit tests.

It keeps what the processing loop relies on: partitions chosen by key, order
within a partition, consumer groups that split partitions among members and
rebalance when one joins or leaves (awaiting the revoke hook first), committed
offsets that a restarted member resumes from, and end offsets for lag. A
`complete` appends outputs and commits the position in one step, so the
in-memory transport is exactly-once by construction.

It is not a substitute for Kafka in integration tests: it has no network,
no durability beyond the process and no failure modes of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import zlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from schemas import Topic
from services.runtime.errors import MessageTooLarge, PartitionLost, TransportError
from services.runtime.records import ConsumedRecord, OutgoingRecord, TopicPartition
from services.runtime.transport import Publisher, RebalanceHooks, Subscription, Transport


@dataclass
class _Member:
    subscription: InMemorySubscription
    hooks: RebalanceHooks


@dataclass
class _Group:
    topics: tuple[str, ...]
    members: list[_Member] = field(default_factory=list)


class InMemoryBroker:
    """Topics, partitions, committed offsets and groups, shared by every transport on it."""

    def __init__(self) -> None:
        self._logs: dict[str, list[list[ConsumedRecord]]] = {}
        self._max_bytes: dict[str, int] = {}
        self._committed: dict[tuple[str, TopicPartition], int] = {}
        self._groups: dict[str, _Group] = {}
        self._appended = asyncio.Event()
        self._round_robin = itertools.count()

    # -- topics and records -------------------------------------------------------
    def create_topic(self, name: str, partitions: int, max_message_bytes: int) -> bool:
        if name in self._logs:
            return False
        self._logs[name] = [[] for _ in range(partitions)]
        self._max_bytes[name] = max_message_bytes
        return True

    def partitions(self, topic: str) -> list[TopicPartition]:
        return [TopicPartition(topic, p) for p in range(len(self._log(topic)))]

    def _log(self, topic: str) -> list[list[ConsumedRecord]]:
        try:
            return self._logs[topic]
        except KeyError:
            raise TransportError(f"topic {topic!r} does not exist") from None

    def admit(self, record: OutgoingRecord) -> None:
        """Refuse a record the topic would refuse: unknown topic or too large."""
        self._log(record.topic)
        if record.size > self._max_bytes[record.topic]:
            raise MessageTooLarge(
                f"record of {record.size} bytes exceeds max.message.bytes "
                f"{self._max_bytes[record.topic]} of {record.topic}"
            )

    def append(self, record: OutgoingRecord) -> ConsumedRecord:
        self.admit(record)
        log = self._log(record.topic)
        if record.key is None:
            partition = next(self._round_robin) % len(log)
        else:
            partition = zlib.crc32(record.key) % len(log)
        stored = ConsumedRecord(
            topic=record.topic,
            partition=partition,
            offset=len(log[partition]),
            key=record.key,
            value=record.value,
            headers=record.headers,
            timestamp_ms=int(asyncio.get_running_loop().time() * 1000),
        )
        log[partition].append(stored)
        self._appended.set()
        self._appended = asyncio.Event()
        return stored

    def fetch(self, tp: TopicPartition, offset: int, limit: int) -> list[ConsumedRecord]:
        return self._log(tp.topic)[tp.partition][offset : offset + limit]

    def end_offset(self, tp: TopicPartition) -> int:
        return len(self._log(tp.topic)[tp.partition])

    def records(self, topic: str) -> list[ConsumedRecord]:
        """Every record of `topic`, partition by partition (for tests and the demo)."""
        return [record for partition in self._log(topic) for record in partition]

    async def wait_for_append(self, timeout_s: float) -> None:
        # `asyncio.timeout`, not `wait_for`: on Python 3.11 `wait_for` drops a
        # cancellation that arrives as the event is set, and a reader that
        # follows a topic would then never stop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await self._appended.wait()

    # -- groups and offsets ---------------------------------------------------------
    def committed(self, group_id: str, tp: TopicPartition) -> int | None:
        return self._committed.get((group_id, tp))

    def commit(self, group_id: str, tp: TopicPartition, offset: int) -> None:
        self._committed[(group_id, tp)] = offset

    async def join(self, group_id: str, member: _Member, topics: tuple[str, ...]) -> None:
        group = self._groups.setdefault(group_id, _Group(topics=topics))
        group.members.append(member)
        await self._rebalance(group)

    async def leave(self, group_id: str, subscription: InMemorySubscription) -> None:
        group = self._groups[group_id]
        group.members = [m for m in group.members if m.subscription is not subscription]
        subscription.assign(frozenset())
        await self._rebalance(group)

    async def _rebalance(self, group: _Group) -> None:
        """Range assignment over all partitions, revoking before reassigning, as Kafka does."""
        everything = [tp for topic in group.topics for tp in self.partitions(topic)]
        count = len(group.members)
        plan = {
            index: frozenset(everything[index::count]) if count else frozenset()
            for index in range(count)
        }
        for index, member in enumerate(group.members):
            revoked = member.subscription.assignment() - plan[index]
            if revoked:
                await member.hooks.on_revoke(revoked)
                member.subscription.assign(member.subscription.assignment() - revoked)
        for index, member in enumerate(group.members):
            added = plan[index] - member.subscription.assignment()
            member.subscription.assign(plan[index])
            if added:
                await member.hooks.on_assign(added)


class InMemorySubscription(Subscription):
    def __init__(self, broker: InMemoryBroker, group_id: str, as_table: bool = False) -> None:
        self._broker = broker
        self._group_id = group_id
        self._as_table = as_table
        self._owned: frozenset[TopicPartition] = frozenset()
        self._positions: dict[TopicPartition, int] = {}

    def assign(self, partitions: frozenset[TopicPartition]) -> None:
        for tp in partitions - self._owned:
            committed = self._broker.committed(self._group_id, tp)
            self._positions[tp] = 0 if self._as_table else committed or 0
        for tp in self._owned - partitions:
            self._positions.pop(tp, None)
        self._owned = partitions

    def assignment(self) -> frozenset[TopicPartition]:
        return self._owned

    def seek(self, partition: TopicPartition, offset: int) -> None:
        if partition in self._owned:
            self._positions[partition] = offset

    async def poll(self, *, timeout_s: float, max_records: int) -> list[ConsumedRecord]:
        batch = self._take(max_records)
        if not batch:
            await self._broker.wait_for_append(timeout_s)
            batch = self._take(max_records)
        return batch

    def _take(self, max_records: int) -> list[ConsumedRecord]:
        batch: list[ConsumedRecord] = []
        for tp in sorted(self._owned):
            records = self._broker.fetch(tp, self._positions[tp], max_records - len(batch))
            if records:
                self._positions[tp] = records[-1].offset + 1
                batch.extend(records)
        return batch

    async def complete(
        self, partition: TopicPartition, next_offset: int, outputs: Sequence[OutgoingRecord]
    ) -> None:
        if partition not in self._owned:
            raise PartitionLost(f"{partition} is no longer assigned to this member")
        for record in outputs:
            self._broker.admit(record)  # all or nothing, like a transaction
        for record in outputs:
            self._broker.append(record)
        self._broker.commit(self._group_id, partition, next_offset)

    def lag(self) -> dict[TopicPartition, int]:
        return {tp: self._broker.end_offset(tp) - self._positions[tp] for tp in sorted(self._owned)}

    async def close(self) -> None:
        await self._broker.leave(self._group_id, self)


class InMemoryPublisher(Publisher):
    def __init__(self, broker: InMemoryBroker) -> None:
        self._broker = broker

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        for record in records:
            self._broker.append(record)

    async def close(self) -> None:
        return None


class InMemoryTransport(Transport):
    """A transport on an `InMemoryBroker`; several transports may share one broker."""

    def __init__(self, broker: InMemoryBroker | None = None) -> None:
        self.broker = broker or InMemoryBroker()

    async def subscribe(
        self,
        topics: Sequence[str],
        *,
        group_id: str,
        client_id: str,
        exactly_once: bool,
        hooks: RebalanceHooks,
        as_table: bool = False,
    ) -> Subscription:
        for topic in topics:
            self.broker.partitions(topic)  # refuses unknown topics, as the Kafka transport does
        subscription = InMemorySubscription(self.broker, group_id, as_table)
        await self.broker.join(group_id, _Member(subscription, hooks), tuple(topics))
        return subscription

    async def publisher(self, *, client_id: str) -> Publisher:
        return InMemoryPublisher(self.broker)

    async def read(
        self, topic: str, *, from_beginning: bool, follow: bool
    ) -> AsyncIterator[ConsumedRecord]:
        partitions = self.broker.partitions(topic)
        positions = {tp: 0 if from_beginning else self.broker.end_offset(tp) for tp in partitions}
        ends = {tp: self.broker.end_offset(tp) for tp in partitions}
        while True:
            for tp in partitions:
                limit = None if follow else ends[tp]
                while limit is None or positions[tp] < limit:
                    batch = self.broker.fetch(tp, positions[tp], 1)
                    if not batch:
                        break
                    positions[tp] += 1
                    yield batch[0]
            if not follow:
                return
            await self.broker.wait_for_append(1.0)

    async def create_topics(self, topics: Sequence[Topic]) -> list[str]:
        return [
            topic.name
            for topic in topics
            if self.broker.create_topic(topic.name, topic.partitions, topic.max_message_bytes)
        ]
