"""A view stage on both transports: rebuilt from its topics, then following them, and served.

The runner must apply every record once, in order per key, whether it was
written before the view started, while it was reading, or after; a tombstone
reaches the view as a change to None; a record that does not decode is skipped.
The pages share the port with the probes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from schemas import LaunchAlert, LaunchEvent, MissileType
from services.runtime import OutgoingRecord, Transport
from services.runtime.http import AppServer, with_probes
from services.runtime.spec import StageContext
from services.runtime.view import Change, View, ViewRunner, ViewSpec
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio

WHEN = datetime(2025, 10, 29, 6, 0, tzinfo=UTC)


def event(number: int, revision: int = 1) -> LaunchEvent:
    return LaunchEvent(
        event_id=f"{number:032x}",
        revision=revision,
        country="KP",
        missile_type=MissileType.BALLISTIC,
        first_reported_at=WHEN,
        last_reported_at=WHEN,
    )


class Seen:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def apply(self, change: Change) -> None:
        self.changes.append(change)

    def revisions(self) -> list[tuple[str, int]]:
        """(key's last digits, revision), a removal being revision 0."""
        return [
            (c.key[-2:], c.value.revision if isinstance(c.value, LaunchEvent) else 0)
            for c in self.changes
        ]


def opener(seen: Seen) -> Any:
    async def count(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(seen.changes)))

    @asynccontextmanager
    async def open_view(settings: Any, context: StageContext) -> AsyncIterator[View]:
        yield View(apply=seen.apply, app=Starlette(routes=[Route("/count", count)]))

    return open_view


async def test_a_view_is_rebuilt_then_follows_every_change_once(transport: Transport) -> None:
    stream = Stream(transport)
    await stream.create(LaunchEvent, LaunchAlert, partitions=2)
    await stream.write([event(1), event(2)])
    await stream.write_raw(
        [OutgoingRecord(stream.name(LaunchEvent), f"{3:032x}".encode(), b"not json")]
    )
    seen = Seen()
    spec = ViewSpec(name="view", follows=(LaunchEvent, LaunchAlert), open=opener(seen))
    async with spec.open(None, StageContext(transport, stream.routing)) as view:
        runner = ViewRunner(
            service="view", spec=spec, view=view, transport=transport, routing=stream.routing
        )
        stop = stream.start(runner)
        await asyncio.wait_for(runner.ready.wait(), 60)
        assert sorted(seen.revisions()) == [("01", 1), ("02", 1)]

        await stream.write([event(1, revision=2)])
        await stream.write_raw(
            [OutgoingRecord(stream.name(LaunchEvent), f"{2:032x}".encode(), None)]
        )

        async def revisions() -> list[tuple[str, int]]:
            return seen.revisions()

        final = await eventually(revisions, lambda r: len(r) >= 4, "the later changes")
        await asyncio.sleep(1.0)  # nothing is applied twice, even later
        await stream.stop_all(stop)
    assert sorted(seen.revisions()) == [("01", 1), ("01", 2), ("02", 0), ("02", 1)]
    assert final.index(("01", 1)) < final.index(("01", 2))
    assert final.index(("02", 1)) < final.index(("02", 0))


async def test_pages_share_the_port_with_the_probes() -> None:
    ready = asyncio.Event()

    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    pages = Starlette(routes=[Route("/hello", hello)])
    server = AppServer(with_probes(pages, ready.is_set), "127.0.0.1", 0)
    port = await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/hello")).text == "hello"
            assert (await client.get("/healthz")).status_code == 200
            assert (await client.get("/readyz")).status_code == 503
            ready.set()
            assert (await client.get("/readyz")).status_code == 200
            metrics = await client.get("/metrics")
            assert "launchwatch_messages_consumed" in metrics.text
            assert (await client.get("/nowhere")).status_code == 404
    finally:
        await server.stop()


async def test_a_port_in_use_is_an_error_not_an_exit() -> None:
    first = AppServer(with_probes(Starlette(), lambda: True), "127.0.0.1", 0)
    port = await first.start()
    try:
        second = AppServer(with_probes(Starlette(), lambda: True), "127.0.0.1", port)
        try:
            await second.start()
        except OSError:
            pass
        else:
            await second.stop()
            raise AssertionError("a second server bound a port in use")
    finally:
        await first.stop()
