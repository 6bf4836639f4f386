"""Views: stages that keep a copy of whole topics and serve it over HTTP (the web service).

A view is read by people and tools, not by a downstream stage, so every replica
must hold everything: it reads every partition of the topics it follows,
outside any consumer group, committing nothing (read_committed, like every
launchwatch reader). It is therefore stateless: a new replica rebuilds its copy
by reading the topics from their beginning, and replicas are interchangeable
behind a load balancer.

The runner reads each topic up to the end it had when the read began, then says
it is ready (`/readyz`), then follows the topics as records arrive. Following
starts again from the beginning and skips what the first read already applied,
so no record written in between is missed. Every record reaches the view's
`apply` as a `Change`, in partition order; a tombstone is a change to None.

A record that does not decode is logged, counted (``launchwatch_messages_failed``
with reason ``undecodable``) and skipped: a reader cannot dead-letter it (every
replica would), and it must not stop the pages of every other record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp

from schemas import Message, WireError, decode, topic_for
from services.runtime import metrics
from services.runtime.records import ConsumedRecord, TopicPartition
from services.runtime.routing import Routing
from services.runtime.spec import StageContext
from services.runtime.transport import Transport

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Change:
    """One record of a followed topic, decoded: the key's new value, or None when removed."""

    kind: type[Message]
    key: str
    value: Message | None


@dataclass(frozen=True)
class View:
    """An opened view: what to do with each change, and the pages that show the result."""

    apply: Callable[[Change], None]
    app: ASGIApp
    """Served on the service's HTTP port beside `/healthz`, `/readyz` and `/metrics`."""


ViewOpener = Callable[[Any, StageContext], AbstractAsyncContextManager[View]]
"""Given the service's own settings and the context, opens the view."""


@dataclass(frozen=True)
class ViewSpec:
    """A stage that follows whole topics, by message type, and serves what it makes of them."""

    name: str
    follows: tuple[type[Message], ...]
    open: ViewOpener


class ViewRunner:
    """Feeds a `View` every record of its topics: first up to their ends, then as they come."""

    def __init__(
        self, *, service: str, spec: ViewSpec, view: View, transport: Transport, routing: Routing
    ) -> None:
        self.service = service
        self.view = view
        self._kinds = {routing.name_of(topic_for(kind)): kind for kind in spec.follows}
        self._transport = transport
        self.ready = asyncio.Event()
        """Set once every followed topic has been read up to its end at start."""

    @property
    def app(self) -> ASGIApp:
        return self.view.app

    async def run(self, stop: asyncio.Event) -> None:
        applied: dict[TopicPartition, int] = {}
        for topic in self._kinds:
            async for record in self._transport.read(topic, from_beginning=True, follow=False):
                self._apply(record)
                applied[record.topic_partition] = record.offset
        self.ready.set()
        log.info("view %s rebuilt from %s", self.service, ", ".join(self._kinds))
        followers = [asyncio.create_task(self._follow(topic, applied)) for topic in self._kinds]
        stopping = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait(
                [*followers, stopping], return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in [*followers, stopping]:
                task.cancel()
            await asyncio.gather(*followers, stopping, return_exceptions=True)
        for task in done:
            if task is not stopping:
                task.result()  # a follower ended: raise its error

    async def _follow(self, topic: str, applied: dict[TopicPartition, int]) -> None:
        async for record in self._transport.read(topic, from_beginning=True, follow=True):
            if record.offset > applied.get(record.topic_partition, -1):
                self._apply(record)

    def _apply(self, record: ConsumedRecord) -> None:
        if record.key is None:
            return
        kind = self._kinds[record.topic]
        metrics.CONSUMED.labels(self.service, record.topic).inc()
        try:
            value = None if record.value is None else decode(kind, record.value, record.headers)
        except WireError as error:
            metrics.FAILED.labels(self.service, record.topic, "undecodable").inc()
            log.warning(
                "skipping %s[%d]@%d: %s", record.topic, record.partition, record.offset, error
            )
            return
        self.view.apply(Change(kind, record.key.decode(), value))


def view_app(runners: Sequence[object]) -> ASGIApp | None:
    """The pages of the one runner among `runners` that has any (a view, or a source's)."""
    apps = [app for runner in runners if (app := getattr(runner, "app", None)) is not None]
    if len(apps) > 1:
        raise ValueError("a service serves at most one set of pages on its port")
    return apps[0] if apps else None
