"""What a service tells the runtime about itself.

A service is one or more *stages*; each stage consumes one message type as a
member of its own consumer group and has its own handler. Most services have
one stage. A *source* stage (the fetcher) is driven by time instead, over its
share of a compacted table topic. The enricher has two: tagging, which is stateless and runs wide,
and correlation, which keeps the state of launch events and runs in
transactions. A *view* (the web service) follows whole topics outside any group
and serves pages of them (see `services.runtime.view`).

A stage is *opened* when the process starts (and closed when it stops) so it
can hold resources (a process pool) and load state. Opening receives the
service's own settings and a `StageContext`, through which a stage reads the
current content of a compacted topic it owns without touching Kafka itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from schemas import Message
from services.runtime.processor import Handler
from services.runtime.routing import Routing
from services.runtime.source import Source
from services.runtime.tables import latest
from services.runtime.transport import PartitionsHook, Transport

if TYPE_CHECKING:
    from services.runtime.view import ViewSpec

In = TypeVar("In", bound=Message)
M = TypeVar("M", bound=Message)
Row = TypeVar("Row", bound=Message)


@dataclass(frozen=True)
class Stage(Generic[In]):
    """An opened stage: its handler and, when it keeps state, how to prepare partitions."""

    handler: Handler[In]
    on_assigned: PartitionsHook | None = None
    """Awaited after partitions are assigned and before any of their records is handled.

    Awaited again for a partition whose outputs the broker refused (the
    transaction was fenced): the state must then be reloaded to match what was
    committed, because the records behind the refused outputs will be handled
    again. A stateful stage (concurrency one) is handled one partition at a time (handle,
    then complete), so its state never holds other partitions' unwritten work.
    """


@dataclass(frozen=True)
class StageContext:
    """What the runtime offers a stage while it runs."""

    transport: Transport
    routing: Routing

    async def latest(self, value_type: type[M]) -> dict[bytes, M]:
        """The current value of every key of `value_type`'s (compacted) topic."""
        return await latest(self.transport, self.routing, value_type)


StageOpener = Callable[[Any, StageContext], AbstractAsyncContextManager[Stage[In]]]
"""Given the service's own settings and the context, opens the stage."""


@dataclass(frozen=True)
class StageSpec(Generic[In]):
    name: str
    consumes: type[In]
    open: StageOpener[In]
    exactly_once: bool = False
    concurrency: int = 1
    """Records handled at once: above one only for handlers without shared state."""


SourceOpener = Callable[[Any, StageContext], AbstractAsyncContextManager[Source[Row]]]


@dataclass(frozen=True)
class SourceSpec(Generic[Row]):
    """A stage driven by time over its share of a compacted table topic (see `source`)."""

    name: str
    table: type[Row]
    open: SourceOpener[Row]


@dataclass(frozen=True)
class NoSettings:
    """For services without settings of their own."""


@dataclass(frozen=True)
class ServiceSpec:
    """A service: its stages, its own settings and its default HTTP port."""

    name: str
    stages: tuple[StageSpec[Any] | SourceSpec[Any] | ViewSpec, ...]
    http_port: int
    settings_type: type[Any] = NoSettings


def plain(handler: Handler[In]) -> StageOpener[In]:
    """An opener for a stateless handler that holds nothing."""

    def opener(settings: Any, context: StageContext) -> AbstractAsyncContextManager[Stage[In]]:
        return contextlib.nullcontext(Stage(handler))

    return opener
