"""The seam between the processing loop and a message broker.

Two implementations sit behind it: `KafkaTransport` (aiokafka, production and
integration tests) and `InMemoryTransport` (the embedded demo and fast unit
tests). The loop in `services.runtime.processor` is written once against
these interfaces, and the behaviour tests run against both.

The one operation that carries the delivery guarantee is
`Subscription.complete`: it makes a partition's outputs durable and then
records the consumed position, so a crash at any moment either redelivers the
input (at-least-once) or, in exactly-once mode, neither outputs nor position
become visible.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from schemas import Topic
from services.runtime.records import ConsumedRecord, OutgoingRecord, TopicPartition

PartitionsHook = Callable[[frozenset[TopicPartition]], Awaitable[None]]


async def _nothing(partitions: frozenset[TopicPartition]) -> None:
    return None


@dataclass(frozen=True)
class RebalanceHooks:
    """What a member does when the group moves partitions."""

    on_revoke: PartitionsHook = _nothing
    """Awaited before partitions are taken away, so in-flight work can complete."""
    on_assign: PartitionsHook = _nothing
    """Awaited after partitions are given, before any of their records is returned."""


class Subscription(ABC):
    """Membership of a consumer group on some topics, with its share of partitions."""

    @abstractmethod
    async def poll(self, *, timeout_s: float, max_records: int) -> list[ConsumedRecord]:
        """Records from the assigned partitions, in partition order; [] after the timeout."""

    @abstractmethod
    async def complete(
        self, partition: TopicPartition, next_offset: int, outputs: Sequence[OutgoingRecord]
    ) -> None:
        """Write `outputs` durably, then commit `next_offset` for `partition`.

        Raises `TransportError` when the outputs could not be written; the
        position is then not committed and the input will be read again.
        """

    @abstractmethod
    def seek(self, partition: TopicPartition, offset: int) -> None:
        """Read `partition` again from `offset` (records polled but not completed)."""

    @abstractmethod
    def assignment(self) -> frozenset[TopicPartition]:
        """The partitions this member owns right now."""

    @abstractmethod
    def lag(self) -> dict[TopicPartition, int]:
        """Records behind the end of each owned partition, as far as known."""

    @abstractmethod
    async def close(self) -> None:
        """Leave the group; uncommitted input is redelivered to the next owner."""


class Publisher(ABC):
    """Writes records outside any consumed stream (CLI commands, the fetcher's polls)."""

    @abstractmethod
    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Returns once every record is acknowledged; raises `TransportError` otherwise."""

    @abstractmethod
    async def close(self) -> None: ...


class Transport(ABC):
    """A broker connection that hands out subscriptions, publishers and readers."""

    @abstractmethod
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
        """Join `group_id` on `topics`, reading only committed records.

        With `as_table`, every partition is read from its beginning whenever it
        is assigned, whatever was committed: the member rebuilds the current
        rows of a compacted topic it owns a share of.
        """

    @abstractmethod
    async def publisher(self, *, client_id: str) -> Publisher: ...

    @abstractmethod
    def read(
        self, topic: str, *, from_beginning: bool, follow: bool
    ) -> AsyncIterator[ConsumedRecord]:
        """Every committed record of `topic` without joining a group (for `tail`).

        Without `follow`, the iterator ends at the end offsets seen when it started.
        """

    @abstractmethod
    async def create_topics(self, topics: Sequence[Topic]) -> list[str]:
        """Create the topics that do not exist yet; returns the names created."""

    async def close(self) -> None:  # noqa: B027 - most transports hold nothing themselves
        """Release what the transport holds; subscriptions and publishers close themselves."""
