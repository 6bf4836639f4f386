"""The Kafka transport: the only module of launchwatch that imports aiokafka.

Producers are idempotent with ``acks=all`` and zstd compression. Consumers join
a group, never auto-commit, and read with ``isolation_level=read_committed`` so
that records of aborted transactions are never processed.

Two delivery modes implement `Subscription.complete`:

* at-least-once (default): send the outputs with a shared idempotent producer,
  wait for every acknowledgement, then commit the consumed offset. A crash
  between the two redelivers the input, and the same keyed outputs are written
  again.
* exactly-once: one transactional producer per owned input partition, with the
  transactional id ``<group>.<topic>.<partition>``. Outputs and the consumed
  offset are committed in one transaction (`send_offsets_to_transaction`), and
  a new owner of the partition fences any zombie of the previous one, because
  it starts a producer with the same transactional id. This is the
  pre-KIP-447 form that aiokafka implements; readers must use read_committed.

Every client (producers, consumers, the admin client and the end-offset
probe) connects with the same `KafkaSecurity` and within the same connect
timeout (`services.runtime.kafka_connect`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener
from aiokafka import TopicPartition as KafkaTopicPartition
from aiokafka.errors import (
    CommitFailedError,
    IllegalStateError,
    KafkaError,
    ProducerFenced,
)

from schemas import TOPICS, Topic
from services.runtime import kafka_admin
from services.runtime.errors import MemberFenced, PartitionLost, TransportError
from services.runtime.kafka_connect import reason, started
from services.runtime.kafka_security import KafkaSecurity
from services.runtime.kafka_static import StaticMembership, hold_instance_id
from services.runtime.records import ConsumedRecord, OutgoingRecord, TopicPartition
from services.runtime.transport import Publisher, RebalanceHooks, Subscription, Transport

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = max(topic.max_message_bytes for topic in TOPICS) + 1024 * 1024
"""Large enough for the largest record any topic accepts, with batch overhead."""


@dataclass(frozen=True)
class KafkaOptions:
    """Client settings; the defaults suit production, tests shorten the timeouts."""

    compression: str = "zstd"
    session_timeout_s: float = 10.0
    heartbeat_interval_s: float = 3.0
    max_poll_interval_s: float = 300.0
    request_timeout_s: float = 30.0
    linger_s: float = 0.005
    replication_factor: int = 0
    """Replicas of created topics; 0 means min(3, brokers in the cluster)."""
    connect_timeout_s: float = 15.0
    """Longest wait for a client to reach the cluster before a clear error."""
    security: KafkaSecurity = dataclasses.field(default_factory=KafkaSecurity)
    group_instance_id: str | None = None
    """This replica's stable id in every group it joins (static membership); None: dynamic."""


class KafkaTransport(Transport):
    def __init__(self, bootstrap: str, options: KafkaOptions | None = None) -> None:
        self.bootstrap = bootstrap
        self.options = options or KafkaOptions()
        self.connection: dict[str, Any] = {
            "bootstrap_servers": bootstrap,
            **self.options.security.client_options(),
        }

    async def start_client(self, client: Any) -> None:
        """Start an aiokafka client made by this transport, within the connect timeout."""
        await started(
            client,
            bootstrap=self.bootstrap,
            how=self.options.security.describe(),
            timeout_s=self.options.connect_timeout_s,
        )

    def producer(self, *, client_id: str, transactional_id: str | None = None) -> AIOKafkaProducer:
        return AIOKafkaProducer(
            **self.connection,
            client_id=client_id,
            enable_idempotence=True,
            acks="all",
            compression_type=self.options.compression,
            max_request_size=MAX_REQUEST_BYTES,
            linger_ms=int(self.options.linger_s * 1000),
            request_timeout_ms=int(self.options.request_timeout_s * 1000),
            transactional_id=transactional_id,
        )

    def _consumer(self, *, client_id: str, group_id: str | None) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            **self.connection,
            client_id=client_id,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            session_timeout_ms=int(self.options.session_timeout_s * 1000),
            heartbeat_interval_ms=int(self.options.heartbeat_interval_s * 1000),
            max_poll_interval_ms=int(self.options.max_poll_interval_s * 1000),
            request_timeout_ms=int(self.options.request_timeout_s * 1000) + 5000,
            max_partition_fetch_bytes=MAX_REQUEST_BYTES,
            fetch_max_bytes=4 * MAX_REQUEST_BYTES,
            group_instance_id=self.options.group_instance_id if group_id else None,
        )

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
        consumer = self._consumer(client_id=client_id, group_id=group_id)
        subscription = KafkaSubscription(
            self,
            consumer,
            group_id=group_id,
            client_id=client_id,
            exactly_once=exactly_once,
            hooks=hooks,
            as_table=as_table,
        )
        await subscription.start(topics)
        return subscription

    async def publisher(self, *, client_id: str) -> Publisher:
        producer = self.producer(client_id=client_id)
        await self.start_client(producer)
        return KafkaPublisher(producer)

    async def read(
        self, topic: str, *, from_beginning: bool, follow: bool
    ) -> AsyncIterator[ConsumedRecord]:
        partitions = [KafkaTopicPartition(topic, p) for p in await self._partitions_of(topic)]
        consumer = self._consumer(client_id="launchwatch-tail", group_id=None)
        await self.start_client(consumer)
        try:
            consumer.assign(partitions)
            if from_beginning:
                await consumer.seek_to_beginning(*partitions)
            else:
                await consumer.seek_to_end(*partitions)
            ends = await self._high_watermarks(partitions)
            while True:
                if not follow and await _reached(consumer, ends):
                    return
                batches = await consumer.getmany(timeout_ms=500)
                for tp in sorted(batches):
                    for message in batches[tp]:
                        if follow or message.offset < ends[tp]:
                            yield _record(message)
        finally:
            await consumer.stop()

    async def _high_watermarks(
        self, partitions: list[KafkaTopicPartition]
    ) -> dict[KafkaTopicPartition, int]:
        """End offsets including records of transactions still open.

        A read_committed reader's own end offsets stop at the first open
        transaction, which may hide records committed after it; reading up to
        the high watermark waits those transactions out, so a reader sees every
        record committed before it started (what a new owner of state needs).
        """
        probe = AIOKafkaConsumer(
            **self.connection,
            client_id="launchwatch-probe",
            isolation_level="read_uncommitted",
            request_timeout_ms=int(self.options.request_timeout_s * 1000) + 5000,
        )
        await self.start_client(probe)
        try:
            ends: dict[KafkaTopicPartition, int] = await probe.end_offsets(partitions)
            return ends
        finally:
            await probe.stop()

    async def _partitions_of(self, topic: str) -> list[int]:
        return await kafka_admin.partitions_of(self, topic)

    async def create_topics(self, topics: Sequence[Topic]) -> list[str]:
        return await kafka_admin.create_topics(self, topics, self.options.replication_factor)

    async def delete_topics(self, names: Sequence[str]) -> None:
        """Delete `names` (those that exist); for tools that clean up after themselves."""
        await kafka_admin.delete_topics(self, names)


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, subscription: KafkaSubscription) -> None:
        self._subscription = subscription

    async def on_partitions_revoked(self, revoked: set[KafkaTopicPartition]) -> None:
        await self._subscription.revoked(frozenset(TopicPartition(*tp) for tp in revoked))

    async def on_partitions_assigned(self, assigned: set[KafkaTopicPartition]) -> None:
        await self._subscription.assigned(frozenset(TopicPartition(*tp) for tp in assigned))


class KafkaSubscription(Subscription):
    def __init__(
        self,
        transport: KafkaTransport,
        consumer: AIOKafkaConsumer,
        *,
        group_id: str,
        client_id: str,
        exactly_once: bool,
        hooks: RebalanceHooks,
        as_table: bool = False,
    ) -> None:
        self._transport = transport
        self._as_table = as_table
        self._consumer = consumer
        self._group_id = group_id
        self._client_id = client_id
        self._exactly_once = exactly_once
        self._hooks = hooks
        self._positions: dict[TopicPartition, int] = {}
        self._shared_producer: AIOKafkaProducer | None = None
        self._transactional: dict[TopicPartition, AIOKafkaProducer] = {}
        self._membership: StaticMembership | None = None

    async def start(self, topics: Sequence[str]) -> None:
        if not self._exactly_once:
            self._shared_producer = self._transport.producer(client_id=self._client_id)
            await self._transport.start_client(self._shared_producer)
        self._consumer.subscribe(list(topics), listener=_Listener(self))
        await self._transport.start_client(self._consumer)
        instance_id = self._transport.options.group_instance_id
        if instance_id:
            self._membership = hold_instance_id(self._consumer, instance_id)

    async def assigned(self, partitions: frozenset[TopicPartition]) -> None:
        """Start (and so fence older holders of) new partitions' transactional ids, then
        let the service prepare for them (e.g. reload its state)."""
        for tp in sorted(partitions - self._transactional.keys()) if self._exactly_once else ():
            producer = self._transport.producer(
                client_id=self._client_id,
                transactional_id=f"{self._group_id}.{tp.topic}.{tp.partition}",
            )
            await self._transport.start_client(producer)
            self._transactional[tp] = producer
        if self._as_table and partitions:
            await self._consumer.seek_to_beginning(*(KafkaTopicPartition(*p) for p in partitions))
        await self._hooks.on_assign(partitions)

    async def revoked(self, partitions: frozenset[TopicPartition]) -> None:
        await self._hooks.on_revoke(partitions)
        for tp in partitions:
            self._positions.pop(tp, None)
            producer = self._transactional.pop(tp, None)
            if producer is not None:
                await producer.stop()

    async def poll(self, *, timeout_s: float, max_records: int) -> list[ConsumedRecord]:
        try:
            batches = await self._consumer.getmany(
                timeout_ms=int(timeout_s * 1000), max_records=max_records
            )
        except KafkaError as error:
            raise TransportError(f"fetch failed: {reason(error)}") from error
        if self._membership is not None and self._membership.fenced:
            raise MemberFenced(self._membership.fenced)
        records: list[ConsumedRecord] = []
        for tp in sorted(batches):
            records.extend(_record(message) for message in batches[tp])
            if batches[tp]:
                self._positions[TopicPartition(*tp)] = batches[tp][-1].offset + 1
        await self._catch_up_positions(batches)
        return records

    async def _catch_up_positions(self, batches: Mapping[Any, Sequence[Any]]) -> None:
        """Move the position of caught-up partitions past what no record shows.

        A transaction's commit marker takes an offset but is never returned as
        a record, so a partition read to its end would otherwise show a lag of
        one per transaction forever. Where a fetch has answered (the high
        watermark is known) and nothing was returned, the consumer's own
        position is exact; asking for it costs no request then.
        """
        for tp in self._consumer.assignment():
            if batches.get(tp) or self._consumer.highwater(tp) is None:
                continue
            try:
                position = await self._consumer.position(tp)
            except IllegalStateError:
                continue  # revoked meanwhile
            self._positions[TopicPartition(*tp)] = position

    async def complete(
        self, partition: TopicPartition, next_offset: int, outputs: Sequence[OutgoingRecord]
    ) -> None:
        if self._exactly_once:
            await self._complete_in_transaction(partition, next_offset, outputs)
            return
        assert self._shared_producer is not None
        await _send_all(self._shared_producer, outputs)
        try:
            await self._consumer.commit({KafkaTopicPartition(*partition): next_offset})
        except (CommitFailedError, IllegalStateError) as error:
            raise PartitionLost(f"commit of {partition}@{next_offset} refused: {error}") from error
        except KafkaError as error:
            raise TransportError(
                f"commit of {partition}@{next_offset} failed: {reason(error)}"
            ) from error

    async def _complete_in_transaction(
        self, partition: TopicPartition, next_offset: int, outputs: Sequence[OutgoingRecord]
    ) -> None:
        producer = self._transactional.get(partition)
        if producer is None:
            raise PartitionLost(f"{partition} is no longer assigned to this member")
        try:
            async with producer.transaction():
                for record in outputs:
                    await producer.send(
                        record.topic,
                        value=record.value,
                        key=record.key,
                        headers=list(record.headers),
                    )
                await producer.send_offsets_to_transaction(
                    {KafkaTopicPartition(*partition): next_offset}, self._group_id
                )
        except ProducerFenced as error:
            raise PartitionLost(f"{partition} was fenced by a newer owner: {error}") from error
        except KafkaError as error:
            raise TransportError(f"transaction on {partition} failed: {reason(error)}") from error

    def assignment(self) -> frozenset[TopicPartition]:
        return frozenset(TopicPartition(*tp) for tp in self._consumer.assignment())

    def seek(self, partition: TopicPartition, offset: int) -> None:
        target = KafkaTopicPartition(*partition)
        if target in self._consumer.assignment():
            self._consumer.seek(target, offset)
            self._positions[partition] = offset

    def lag(self) -> dict[TopicPartition, int]:
        lags: dict[TopicPartition, int] = {}
        for tp in self.assignment():
            end = self._consumer.highwater(KafkaTopicPartition(*tp))
            position = self._positions.get(tp)
            if end is not None and position is not None:
                lags[tp] = max(0, end - position)
        return lags

    async def close(self) -> None:
        """Leave the group first, so partitions move at once, then close producers."""
        try:
            await self._consumer.stop()
        finally:
            producers = list(self._transactional.values())
            if self._shared_producer is not None:
                producers.append(self._shared_producer)
            self._transactional.clear()
            for producer in producers:
                await producer.stop()


class KafkaPublisher(Publisher):
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        await _send_all(self._producer, records)

    async def close(self) -> None:
        await self._producer.stop()


async def _send_all(producer: AIOKafkaProducer, records: Sequence[OutgoingRecord]) -> None:
    """Send every record, then wait until all are acknowledged by all in-sync replicas."""
    try:
        pending = [
            await producer.send(
                record.topic, value=record.value, key=record.key, headers=list(record.headers)
            )
            for record in records
        ]
        await asyncio.gather(*pending)
    except KafkaError as error:
        raise TransportError(f"write failed: {reason(error)}") from error


async def _reached(consumer: AIOKafkaConsumer, ends: dict[KafkaTopicPartition, int]) -> bool:
    """Whether the consumer's position is at or past `ends` on every partition."""
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return False
    return True


def _record(message: Any) -> ConsumedRecord:
    return ConsumedRecord(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        headers=tuple(message.headers or ()),
        timestamp_ms=message.timestamp,
    )
