"""aiokafka 0.14 against Apache Kafka 4.x: the client features the runtime relies on.

These tests use aiokafka directly, not the runtime, so that a failure points
at the client/broker pair rather than at launchwatch.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import ProducerFenced

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

FAST_GROUP = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 1000}


@pytest_asyncio.fixture
async def topic(kafka_bootstrap: str) -> AsyncIterator[str]:
    """A new 4-partition topic."""
    name = f"proof-{uuid.uuid4().hex[:10]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name=name, num_partitions=4, replication_factor=1)])
    finally:
        await admin.close()
    yield name


async def drain(consumer: AIOKafkaConsumer, expected: int) -> list[tuple[int, bytes]]:
    """(partition, value) of `expected` records, or whatever arrived within 30 s."""
    found: list[tuple[int, bytes]] = []
    deadline = asyncio.get_running_loop().time() + 30
    while len(found) < expected and asyncio.get_running_loop().time() < deadline:
        for tp, messages in (await consumer.getmany(timeout_ms=200)).items():
            found.extend((tp.partition, m.value) for m in messages)
    return found


async def test_round_trip_with_keys_headers_and_zstd(kafka_bootstrap: str, topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, compression_type="zstd")
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    try:
        await producer.send_and_wait(topic, b"x" * 10_000, key=b"k", headers=[("h", b"v")])
        message = await asyncio.wait_for(consumer.getone(), 30)
        assert (message.key, message.value, list(message.headers)) == (
            b"k",
            b"x" * 10_000,
            [("h", b"v")],
        )
    finally:
        await producer.stop()
        await consumer.stop()


async def test_idempotent_producer_keeps_order_within_a_partition(
    kafka_bootstrap: str, topic: str
) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap, enable_idempotence=True, acks="all"
    )
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    try:
        sent = [await producer.send(topic, str(n).encode(), partition=1) for n in range(500)]
        await asyncio.gather(*sent)
        values = [value for _, value in await drain(consumer, 500)]
        assert values == [str(n).encode() for n in range(500)]
    finally:
        await producer.stop()
        await consumer.stop()


class Recorder(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self) -> None:
        self.assigned: list[set[TopicPartition]] = []
        self.revoked: list[set[TopicPartition]] = []

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self.revoked.append(set(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.assigned.append(set(assigned))


async def test_a_group_splits_partitions_rebalances_and_resumes_from_commits(
    kafka_bootstrap: str, topic: str
) -> None:
    group = f"proof-{uuid.uuid4().hex[:8]}"

    def member(listener: Recorder) -> AIOKafkaConsumer:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka_bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **FAST_GROUP,
        )
        consumer.subscribe([topic], listener=listener)
        return consumer

    first_listener, second_listener = Recorder(), Recorder()
    first, second = member(first_listener), member(second_listener)
    await first.start()
    await second.start()
    try:

        async def both_assigned() -> None:
            while not (first.assignment() and second.assignment()):
                await asyncio.gather(first.getmany(timeout_ms=100), second.getmany(timeout_ms=100))

        await asyncio.wait_for(both_assigned(), 30)
        assert len(first.assignment()) + len(second.assignment()) == 4
        assert not first.assignment() & second.assignment()
    finally:
        await second.stop()

    async def takes_all() -> None:
        while len(first.assignment()) < 4:
            await first.getmany(timeout_ms=100)

    await asyncio.wait_for(takes_all(), 30)
    assert first_listener.revoked, "the listener saw the revocation"
    assert len(first_listener.assigned[-1]) == 4

    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    for n in range(10):
        await producer.send_and_wait(topic, str(n).encode(), partition=n % 4)
    await producer.stop()
    records = await drain(first, 6)
    await first.commit()  # commits the positions after what was consumed
    consumed = len(records)
    await first.stop()

    rest = member(Recorder())
    await rest.start()
    try:
        remaining = await drain(rest, 10 - consumed) if consumed < 10 else []
        assert consumed + len(remaining) == 10, "a new member resumes after the commits"
        assert not {value for _, value in remaining} & {value for _, value in records}
    finally:
        await rest.stop()


async def send_then_fail(producer: AIOKafkaProducer, topic: str) -> None:
    """A transaction whose body fails after sending: aiokafka aborts it."""
    async with producer.transaction():
        await producer.send(topic, b"aborted", partition=3)
        await producer.flush()
        raise RuntimeError("abort this one")


async def test_transactions_consume_transform_produce(kafka_bootstrap: str, topic: str) -> None:
    group = f"proof-{uuid.uuid4().hex[:8]}"
    output = topic  # partition 0 is the input, partitions 2 and 3 receive outputs
    seed = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await seed.start()
    await seed.send_and_wait(output, b"input", partition=0)
    await seed.stop()

    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=group)
    await producer.start()
    committed_reader = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap, isolation_level="read_committed"
    )
    uncommitted_reader = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap, isolation_level="read_uncommitted"
    )
    try:
        async with producer.transaction():
            await producer.send(output, b"committed", partition=2)
            await producer.send_offsets_to_transaction({TopicPartition(output, 0): 1}, group)
        with pytest.raises(RuntimeError, match="abort"):
            await send_then_fail(producer, output)

        for reader in (committed_reader, uncommitted_reader):
            await reader.start()
            reader.assign([TopicPartition(output, 2), TopicPartition(output, 3)])
            await reader.seek_to_beginning()
        assert sorted(v for _, v in await drain(committed_reader, 1)) == [b"committed"]
        assert sorted(v for _, v in await drain(uncommitted_reader, 2)) == [
            b"aborted",
            b"committed",
        ]

        check = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=group)
        await check.start()
        try:
            assert await check.committed(TopicPartition(output, 0)) == 1
        finally:
            await check.stop()

        zombie_killer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=group)
        await zombie_killer.start()  # same id: the first producer is now fenced
        try:
            with pytest.raises(ProducerFenced):  # raised by the commit at exit
                async with producer.transaction():
                    await producer.send(output, b"zombie", partition=2)
        finally:
            await zombie_killer.stop()
    finally:
        await producer.stop()
        await committed_reader.stop()
        await uncommitted_reader.stop()
