"""aiokafka 0.14 against Apache Kafka 4.x: the client features launchwatch relies on.

These tests use aiokafka directly, not launchwatch's runtime, so that a failure points
at the client/broker pair rather than at launchwatch. Each assertion would fail if the
feature it names broke: compression, keys and headers; consumer groups, rebalances and
manual commits; the idempotent producer; transactions and fencing.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError, ProducerFenced

from tests.kafka_broker import create_topics, unique_name

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

MIB = 1024 * 1024
WAIT_S = 30.0
GROUP_TIMEOUTS = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 1000}
"""6 s is the broker's minimum session timeout: a member that dies is noticed soon."""


async def read(consumer: AIOKafkaConsumer, count: int) -> list[Any]:
    """The next `count` records the consumer returns, in order, or fewer after 30 s."""
    found: list[Any] = []
    deadline = asyncio.get_running_loop().time() + WAIT_S
    while len(found) < count and asyncio.get_running_loop().time() < deadline:
        for batch in (await consumer.getmany(timeout_ms=200)).values():
            found.extend(batch)
    return found


async def values(consumer: AIOKafkaConsumer, count: int) -> list[bytes]:
    return [record.value for record in await read(consumer, count)]


async def until(condition: Callable[[], bool], *consumers: AIOKafkaConsumer) -> None:
    """Polls the consumers (keeping them in their group) until the condition holds."""
    async with asyncio.timeout(WAIT_S):
        while not condition():
            await asyncio.gather(*(consumer.getmany(timeout_ms=100) for consumer in consumers))


def reader(bootstrap: str, *partitions: TopicPartition, isolation: str) -> AIOKafkaConsumer:
    """A consumer outside any group that reads the partitions from their beginning."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, isolation_level=isolation, auto_offset_reset="earliest"
    )
    consumer.assign(list(partitions))
    return consumer


async def test_round_trip_keeps_keys_and_headers_and_zstd_compresses(
    kafka_bootstrap: str,
) -> None:
    topic = unique_name("zstd")
    # The topic takes batches of at most 64 KiB, so a 1 MiB page only fits compressed.
    await create_topics(kafka_bootstrap, (topic, 1), config={"max.message.bytes": str(64 * 1024)})
    page = b"<p>Launch reported from the northern test site.</p>\n" * 20_000
    headers = [("content-type", b"text/html"), ("trace", b"\x00\xff")]
    zstd = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, compression_type="zstd", max_request_size=2 * MIB
    )
    plain = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, max_request_size=2 * MIB)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await zstd.start()
    await plain.start()
    await consumer.start()
    try:
        await zstd.send_and_wait(topic, page, key=b"article-1", headers=headers)
        await zstd.send_and_wait(topic, b"short", key=None)
        with pytest.raises(MessageSizeTooLargeError):
            await plain.send_and_wait(topic, page)

        received = [(r.key, r.value, list(r.headers)) for r in await read(consumer, 2)]
        assert received == [(b"article-1", page, headers), (None, b"short", [])]
    finally:
        await zstd.stop()
        await plain.stop()
        await consumer.stop()


async def test_a_record_of_several_mib_passes_an_8_mib_topic(kafka_bootstrap: str) -> None:
    topic = unique_name("large")
    await create_topics(kafka_bootstrap, (topic, 1), config={"max.message.bytes": str(8 * MIB)})
    page = os.urandom(7 * MIB)  # incompressible: zstd cannot shrink it below the limit
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, compression_type="zstd", max_request_size=9 * MIB
    )
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    try:
        await producer.send_and_wait(topic, page)
        assert await values(consumer, 1) == [page]
    finally:
        await producer.stop()
        await consumer.stop()


async def test_idempotent_producer_keeps_order_within_a_partition(kafka_bootstrap: str) -> None:
    topic = unique_name("idempotent")
    await create_topics(kafka_bootstrap, (topic, 2))
    # Small batches: the 1000 records travel in many requests.
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap,
        enable_idempotence=True,
        acks="all",
        max_batch_size=1024,
    )
    consumer = reader(kafka_bootstrap, TopicPartition(topic, 1), isolation="read_uncommitted")
    sent = [f"launch-{n}".encode() for n in range(1000)]
    await producer.start()
    await consumer.start()
    try:
        deliveries = [await producer.send(topic, value, partition=1) for value in sent]
        offsets = [metadata.offset for metadata in await asyncio.gather(*deliveries)]
        assert offsets == list(range(len(sent)))
        assert await values(consumer, len(sent)) == sent
        # Nothing was written twice: the partition holds exactly the records sent.
        partition = TopicPartition(topic, 1)
        assert (await consumer.end_offsets([partition]))[partition] == len(sent)
    finally:
        await producer.stop()
        await consumer.stop()


class Recorder(ConsumerRebalanceListener):  # type: ignore[misc]
    """Keeps every revocation and assignment the group coordinator announces."""

    def __init__(self) -> None:
        self.events: list[tuple[str, set[TopicPartition]]] = []

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self.events.append(("revoked", set(revoked)))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.events.append(("assigned", set(assigned)))

    def since_first_assignment(self) -> list[tuple[str, set[TopicPartition]]]:
        """The events after the (empty) revocation aiokafka announces before joining."""
        first = next(n for n, (kind, _) in enumerate(self.events) if kind == "assigned")
        return self.events[first:]


def group_member(bootstrap: str, group: str, topic: str, listener: Recorder) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **GROUP_TIMEOUTS,
    )
    consumer.subscribe([topic], listener=listener)
    return consumer


async def test_a_group_splits_partitions_and_rebalances_when_members_come_and_go(
    kafka_bootstrap: str,
) -> None:
    topic, group = unique_name("group"), unique_name("group")
    await create_topics(kafka_bootstrap, (topic, 4))
    everything = {TopicPartition(topic, p) for p in range(4)}
    first_events, second_events = Recorder(), Recorder()
    first = group_member(kafka_bootstrap, group, topic, first_events)
    second = group_member(kafka_bootstrap, group, topic, second_events)
    await first.start()
    try:
        await until(lambda: first.assignment() == everything, first)
        await second.start()
        try:
            await until(
                lambda: len(first.assignment()) == len(second.assignment()) == 2, first, second
            )
            kept, moved = first.assignment(), second.assignment()
            assert kept | moved == everything
            assert not kept & moved
        finally:
            await second.stop()  # leaves the group: its partitions go to the first member
        await until(lambda: first.assignment() == everything, first)
    finally:
        await first.stop()

    assert first_events.since_first_assignment() == [
        ("assigned", everything),
        ("revoked", everything),
        ("assigned", kept),
        ("revoked", kept),
        ("assigned", everything),
    ]
    assert second_events.since_first_assignment()[0] == ("assigned", moved)


async def test_manual_commits_are_where_a_new_member_resumes(kafka_bootstrap: str) -> None:
    topic, group = unique_name("commits"), unique_name("commits")
    await create_topics(kafka_bootstrap, (topic, 4))
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for partition in range(4):
            for n in range(3):
                await producer.send_and_wait(
                    topic, f"{partition}-{n}".encode(), partition=partition
                )
    finally:
        await producer.stop()

    first = group_member(kafka_bootstrap, group, topic, Recorder())
    await first.start()
    try:
        consumed = await read(first, 12)
        assert len(consumed) == 12
        # Only the first record of each partition counts as done; auto-commit is off,
        # so nothing else may be committed, not even when the member leaves.
        await first.commit({TopicPartition(topic, p): 1 for p in range(4)})
    finally:
        await first.stop()

    second = group_member(kafka_bootstrap, group, topic, Recorder())
    await second.start()
    try:
        resumed = await values(second, 8)
        assert sorted(resumed) == sorted(f"{p}-{n}".encode() for p in range(4) for n in (1, 2))
        assert await second.committed(TopicPartition(topic, 0)) == 1
    finally:
        await second.stop()


class Crash(Exception):
    """A transform that fails half-way through its transaction."""


async def transform(
    consumer: AIOKafkaConsumer,
    producer: AIOKafkaProducer,
    *,
    group: str,
    sink: str,
    attempt: int,
    count: int,
    crash: bool = False,
) -> None:
    """Reads `count` records and, in one transaction, writes them upper-cased (tagged
    with the attempt) and commits the read offsets for the group."""
    records = await read(consumer, count)
    assert len(records) == count
    async with producer.transaction():
        for record in records:
            await producer.send(sink, record.value.upper() + f"@{attempt}".encode())
        last = records[-1]
        await producer.send_offsets_to_transaction(
            {TopicPartition(last.topic, last.partition): last.offset + 1}, group
        )
        if crash:
            await producer.flush()  # the output is in the log before the abort
            raise Crash


async def committed_offset(bootstrap: str, group: str, partition: TopicPartition) -> int | None:
    """The group's committed offset, as a member that starts now would see it."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await consumer.start()
    try:
        offset: int | None = await consumer.committed(partition)
        return offset
    finally:
        await consumer.stop()


async def settled_commit(
    bootstrap: str, group: str, partition: TopicPartition, expected: int
) -> int | None:
    """The group's committed offset once it is `expected`, or the last one seen after 10 s.

    aiokafka fetches committed offsets with OffsetFetch v3, which cannot ask the broker
    to wait for pending transactional offsets (require_stable needs v7): for a few
    milliseconds after a commit the group still shows the offsets from before.
    """
    offset = None
    deadline = asyncio.get_running_loop().time() + 10
    while offset != expected and asyncio.get_running_loop().time() < deadline:
        offset = await committed_offset(bootstrap, group, partition)
    return offset


async def test_transactions_consume_transform_produce(kafka_bootstrap: str) -> None:
    source, sink, group = unique_name("source"), unique_name("sink"), unique_name("transform")
    await create_topics(kafka_bootstrap, (source, 1), (sink, 1))
    source_partition, sink_partition = TopicPartition(source, 0), TopicPartition(sink, 0)

    async def feed(*values: bytes) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            for value in values:
                await producer.send_and_wait(source, value)
        finally:
            await producer.stop()

    def member() -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            source,
            bootstrap_servers=kafka_bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            **GROUP_TIMEOUTS,
        )

    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, transactional_id=unique_name("transform")
    )
    await producer.start()
    try:
        await feed(b"a", b"b", b"c")
        first = member()
        await first.start()
        try:
            await transform(first, producer, group=group, sink=sink, attempt=1, count=3)
            assert await settled_commit(kafka_bootstrap, group, source_partition, 3) == 3

            await feed(b"d")
            with pytest.raises(Crash):
                await transform(
                    first, producer, group=group, sink=sink, attempt=2, count=1, crash=True
                )
        finally:
            await first.stop()
        # The aborted transaction's offsets were not committed: a new member reads "d" again.
        restarted = member()
        await restarted.start()
        try:
            await transform(restarted, producer, group=group, sink=sink, attempt=3, count=1)
        finally:
            await restarted.stop()
        assert await settled_commit(kafka_bootstrap, group, source_partition, 4) == 4
    finally:
        await producer.stop()

    committed = reader(kafka_bootstrap, sink_partition, isolation="read_committed")
    uncommitted = reader(kafka_bootstrap, sink_partition, isolation="read_uncommitted")
    await committed.start()
    await uncommitted.start()
    try:
        # "D@2" precedes "D@3" in the log: read_committed skips the aborted record.
        assert await values(committed, 4) == [b"A@1", b"B@1", b"C@1", b"D@3"]
        assert await values(uncommitted, 5) == [b"A@1", b"B@1", b"C@1", b"D@2", b"D@3"]
    finally:
        await committed.stop()
        await uncommitted.stop()


@contextmanager
def unretrieved_errors() -> Iterator[list[BaseException]]:
    """Collects the errors asyncio reports for futures nobody awaited, while in the block.

    A fenced aiokafka producer leaves its fatal error on internal futures that nothing
    awaits; asyncio reports each one when it is garbage-collected.
    """
    loop = asyncio.get_running_loop()
    found: list[BaseException] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(
        lambda _, context: found.append(context.get("exception") or Exception(context["message"]))
    )
    try:
        yield found
    finally:
        gc.collect()
        loop.set_exception_handler(previous)


async def test_a_new_producer_with_the_same_transactional_id_fences_the_old_one(
    kafka_bootstrap: str,
) -> None:
    topic, transactional_id = unique_name("fencing"), unique_name("fencing")
    await create_topics(kafka_bootstrap, (topic, 1))

    with unretrieved_errors() as leftovers:
        old = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=transactional_id)
        new = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=transactional_id)
        await old.start()
        try:
            async with old.transaction():
                await old.send_and_wait(topic, b"old")
            await old.begin_transaction()
            await old.send_and_wait(topic, b"zombie")
            # The new producer takes over the id: the broker aborts the old one's open
            # transaction and bumps the epoch, so the old producer's commit is refused.
            await new.start()
            with pytest.raises(ProducerFenced):
                await old.commit_transaction()
            async with new.transaction():
                await new.send_and_wait(topic, b"new")
        finally:
            await old.stop()
            await new.stop()
        del old
    assert all(isinstance(error, ProducerFenced) for error in leftovers), leftovers

    committed = reader(kafka_bootstrap, TopicPartition(topic, 0), isolation="read_committed")
    uncommitted = reader(kafka_bootstrap, TopicPartition(topic, 0), isolation="read_uncommitted")
    await committed.start()
    await uncommitted.start()
    try:
        assert await values(committed, 2) == [b"old", b"new"]
        assert await values(uncommitted, 3) == [b"old", b"zombie", b"new"]
    finally:
        await committed.stop()
        await uncommitted.stop()
