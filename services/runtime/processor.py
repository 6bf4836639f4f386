"""The one consume-handle-produce loop every stream service runs.

For each batch of records the loop, partition by partition and in offset
order, decodes each record into its message type, calls the service's
handler, routes the messages it returns to their topics, and finally asks the
transport to *complete* the partition: write all outputs, and only once they
are acknowledged commit the position after the last record handled. Nothing is
committed that has not been fully processed, so a crash at any point leads to
redelivery, never to loss; the outputs are deterministic and keyed, so a
redelivery repeats the same records (exactly-once mode removes even those
repeats, see `KafkaTransport`).

A record that cannot be processed does not stop the stream: undecodable or
schema-invalid input, an output too large for its topic, or a handler that
still fails after its retries, is written to ``<topic>.dlq`` as part of the
same completion, with the reason.

Handlers are plain functions of one message returning messages (or a
coroutine of them); they never see offsets, bytes, retries or dead letters.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Generic, TypeVar

from schemas import InvalidMessage, Message, UndecodableMessage, decode, topic_for
from schemas.topics import DLQ_HEADROOM_BYTES
from services.runtime import metrics
from services.runtime.deadletter import DeadLetterReason, dead_letter
from services.runtime.errors import (
    MessageTooLarge,
    PartitionLost,
    RejectMessage,
    TransportError,
)
from services.runtime.records import ConsumedRecord, OutgoingRecord, TopicPartition
from services.runtime.routing import Routing
from services.runtime.transport import (
    PartitionsHook,
    RebalanceHooks,
    Subscription,
    Transport,
)

In = TypeVar("In", bound=Message)

Handler = Callable[[In], Iterable[Message] | Awaitable[Iterable[Message]]]
"""A service's domain logic: one input message to zero or more output messages."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how patiently, a failing handler is retried.

    The whole budget must stay well inside the consumer's poll interval, or
    the group would consider the member dead while it waits.
    """

    attempts: int = 3
    backoff_s: float = 0.2
    max_backoff_s: float = 5.0
    budget_s: float = 30.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter, so replicas do not retry in step."""
        ceiling = min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1))
        return float(ceiling * random.uniform(0.5, 1.0))


@dataclass
class _Outcome:
    """What handling one record produced."""

    outputs: list[OutgoingRecord]
    dead_letter_reason: DeadLetterReason | None = None


class Processor(Generic[In]):
    """Runs one handler over one input topic as a member of a consumer group."""

    def __init__(
        self,
        *,
        service: str,
        consumes: type[In],
        handler: Handler[In],
        transport: Transport,
        routing: Routing,
        group_id: str,
        client_id: str,
        exactly_once: bool = False,
        retry: RetryPolicy | None = None,
        max_records: int = 100,
        poll_timeout_s: float = 0.5,
        concurrency: int = 1,
        on_assigned: PartitionsHook | None = None,
    ) -> None:
        self.service = service
        self.input_topic = routing.name_of(topic_for(consumes))
        self._dead_letter_max_bytes = topic_for(consumes).max_message_bytes + DLQ_HEADROOM_BYTES
        """What the dead-letter topic accepts; a larger dead letter is cut to fit."""
        self.group_id = group_id
        self._consumes = consumes
        self._handler = handler
        self._transport = transport
        self._routing = routing
        self._client_id = client_id
        self._exactly_once = exactly_once
        self._retry = retry or RetryPolicy()
        self._max_records = max_records
        self._poll_timeout_s = poll_timeout_s
        self._concurrency = concurrency
        self._on_assigned = on_assigned
        self._assign_failure: Exception | None = None
        self._prepared: frozenset[TopicPartition] = frozenset()
        """A stateful handler's chance to (re)load its state for newly owned partitions."""
        """Records handled at once; above one only for handlers without shared state."""
        self._busy = asyncio.Lock()
        self.ready = asyncio.Event()
        """Set once the processor is a member of its group."""

    async def run(self, stop: asyncio.Event) -> None:
        """Process until `stop` is set, then commit what is done and leave the group."""
        subscription = await self._transport.subscribe(
            [self.input_topic],
            group_id=self.group_id,
            client_id=self._client_id,
            exactly_once=self._exactly_once,
            hooks=RebalanceHooks(on_revoke=self._before_revoke, on_assign=self._after_assign),
        )
        self.ready.set()
        log.info("consuming %s as group %s", self.input_topic, self.group_id)
        try:
            while not stop.is_set():
                records = await subscription.poll(
                    timeout_s=self._poll_timeout_s, max_records=self._max_records
                )
                if self._assign_failure is not None:
                    raise TransportError(
                        f"preparing newly assigned partitions failed: {self._assign_failure}"
                    ) from self._assign_failure
                async with self._busy:
                    await self._process_batch(subscription, records, stop)
                self._report_lag(subscription)
        finally:
            self.ready.clear()
            await subscription.close()
            log.info("left group %s", self.group_id)

    async def _before_revoke(self, partitions: frozenset[TopicPartition]) -> None:
        """Let the batch in progress complete before its partitions move elsewhere."""
        self._prepared -= partitions
        async with self._busy:
            metrics.REBALANCES.labels(self.service).inc()
            log.info("partitions revoked: %s", sorted(partitions))

    async def _after_assign(self, partitions: frozenset[TopicPartition]) -> None:
        """Prepare new partitions; their records are handled only once this has finished.

        The Kafka client may return records of a new assignment before it has
        finished calling this hook, so readiness is tracked here, not assumed.
        """
        log.info("partitions assigned: %s", sorted(partitions))
        if self._on_assigned is not None:
            try:
                await self._on_assigned(partitions)
            except Exception as error:
                # The client would only log an error raised here; handling records without
                # the state this hook loads could repeat an alert, so the member stops.
                self._assign_failure = error
                return
        self._prepared |= partitions

    async def _process_batch(
        self, subscription: Subscription, records: list[ConsumedRecord], stop: asyncio.Event
    ) -> None:
        owned = subscription.assignment()
        metrics.ASSIGNED_PARTITIONS.labels(self.service).set(len(owned))
        ready = owned & self._prepared
        for partition, polled in groupby(records, key=lambda record: record.topic_partition):
            if partition not in ready:
                # Revoked since the poll (the new owner reads these), or not prepared yet.
                subscription.seek(partition, next(polled).offset)
        mine = [record for record in records if record.topic_partition in ready]
        if self._concurrency == 1:
            # One partition at a time, handled then completed: a stateful handler's
            # state never holds uncompleted work of a partition other than the one
            # being completed, so reloading it after a refusal loses nothing else.
            for partition, polled in groupby(mine, key=lambda record: record.topic_partition):
                group = list(polled)
                await self._complete(
                    subscription, partition, group, await self._handle_all(group, stop)
                )
            return
        handled = await self._handle_all(mine, stop)
        for partition, group_pairs in groupby(
            zip(mine, handled, strict=True), key=lambda pair: pair[0].topic_partition
        ):
            pairs = list(group_pairs)
            group = [record for record, _ in pairs]
            await self._complete(subscription, partition, group, [outcome for _, outcome in pairs])

    async def _complete(
        self,
        subscription: Subscription,
        partition: TopicPartition,
        group: list[ConsumedRecord],
        handled: list[_Outcome | None],
    ) -> None:
        """Write the outputs of one partition's handled records and commit past them."""
        outcomes: list[_Outcome] = []
        for outcome in handled:
            if outcome is None:
                break  # abandoned at shutdown: it and all after it stay uncommitted
            outcomes.append(outcome)
        if not outcomes:
            return
        next_offset = group[len(outcomes) - 1].offset + 1
        outputs = [output for outcome in outcomes for output in outcome.outputs]
        try:
            await subscription.complete(partition, next_offset, outputs)
        except PartitionLost as error:
            metrics.COMMIT_FAILURES.labels(self.service).inc()
            log.warning("completion of %s refused, it will be redone: %s", partition, error)
            subscription.seek(partition, group[0].offset)
            await self._prepare_again(subscription, partition)
            return
        if len(outcomes) < len(group):
            subscription.seek(partition, next_offset)
        self._count_written(outcomes)

    async def _prepare_again(self, subscription: Subscription, partition: TopicPartition) -> None:
        """Reload a stateful stage's state after its outputs were refused.

        The handler's in-memory state already holds the records whose outputs
        were just discarded; handling them again against that state would find
        them "already seen" and drop their outputs for good (a launch's `new`
        alert, say). Reloading makes the state match what was committed.
        """
        if self._on_assigned is None:
            return
        self._prepared -= {partition}
        if partition in subscription.assignment():
            await self._after_assign(frozenset({partition}))

    async def _handle_all(
        self, records: list[ConsumedRecord], stop: asyncio.Event
    ) -> list[_Outcome | None]:
        """Handle `records`, up to `concurrency` at once; results in input order.

        With a concurrency of one (stateful handlers) records are handled strictly
        one after another. A record not started before `stop` is set gets None.
        """
        if self._concurrency == 1:
            results: list[_Outcome | None] = []
            for record in records:
                results.append(None if stop.is_set() else await self._handle(record, stop))
            return results
        slots = asyncio.Semaphore(self._concurrency)

        async def one(record: ConsumedRecord) -> _Outcome | None:
            async with slots:
                return None if stop.is_set() else await self._handle(record, stop)

        return list(await asyncio.gather(*(one(record) for record in records)))

    async def _handle(self, record: ConsumedRecord, stop: asyncio.Event) -> _Outcome | None:
        """Outputs (or a dead letter) for one record; None if stopped while retrying."""
        metrics.CONSUMED.labels(self.service, record.topic).inc()
        if record.value is None:
            return _Outcome([])  # a tombstone on a compacted input: nothing to handle
        try:
            message = decode(self._consumes, record.value, record.headers)
        except UndecodableMessage as error:
            return self._dead(record, "undecodable", str(error), attempts=0)
        except InvalidMessage as error:
            return self._dead(record, "invalid", str(error), attempts=0)

        loop = asyncio.get_running_loop()
        started = loop.time()
        attempt = 0
        with metrics.HANDLER_SECONDS.labels(self.service).time():
            while True:
                attempt += 1
                try:
                    produced = await self._call(message)
                    return _Outcome([self._routing.record_for(value) for value in produced])
                except MessageTooLarge as error:
                    return self._dead(record, "too-large", str(error), attempt)
                except RejectMessage as error:
                    return self._dead(record, "handler-failed", str(error), attempt)
                except Exception as error:
                    delay = self._retry.delay(attempt)
                    spent = loop.time() - started
                    description = f"{type(error).__name__}: {error}"
                    if attempt >= self._retry.attempts or spent + delay > self._retry.budget_s:
                        log.exception("giving up on %s@%d", record.topic, record.offset)
                        return self._dead(record, "handler-failed", description, attempt)
                    metrics.RETRIES.labels(self.service).inc()
                    log.warning("retrying in %.2fs after %s", delay, description)
                    if await _stopped_within(stop, delay):
                        return None

    async def _call(self, message: In) -> list[Message]:
        result = self._handler(message)
        if inspect.isawaitable(result):
            result = await result
        return list(result)

    def _dead(
        self, record: ConsumedRecord, reason: DeadLetterReason, error: str, attempts: int
    ) -> _Outcome:
        log.error("dead-lettering %s@%d (%s): %s", record.topic, record.offset, reason, error)
        letter = dead_letter(
            record,
            reason=reason,
            error=error,
            consumer_group=self.group_id,
            service=self.service,
            attempts=attempts,
            max_bytes=self._dead_letter_max_bytes,
        )
        return _Outcome([letter], dead_letter_reason=reason)

    def _count_written(self, outcomes: list[_Outcome]) -> None:
        for outcome in outcomes:
            if outcome.dead_letter_reason is not None:
                reason = outcome.dead_letter_reason
                metrics.FAILED.labels(self.service, self.input_topic, reason).inc()
                metrics.DEAD_LETTERS.labels(self.service, self.input_topic).inc()
                continue
            for output in outcome.outputs:
                metrics.PRODUCED.labels(self.service, output.topic).inc()

    def _report_lag(self, subscription: Subscription) -> None:
        for partition, lag in subscription.lag().items():
            metrics.CONSUMER_LAG.labels(self.service, partition.topic, partition.partition).set(lag)


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep up to `seconds`; True as soon as `stop` is set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True
