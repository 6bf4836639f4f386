"""Alert delivery on the real runtime: the outbox source over ``alerts.deliveries``.

Pending rows written to the table reach a real HTTP receiver on 127.0.0.1 and
come back to the table as delivered, on both transports. The table is the
outbox's whole state: a restarted source neither sends a delivered row again
nor forgets the attempts made before the restart.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from schemas import AlertDelivery, DeliveryStatus, ReceiverKind
from services.enricher.delivery import DeliverySettings, open_delivery
from services.runtime import Transport
from services.runtime.service import source_runner_for
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import ServiceSpec, SourceSpec, StageContext
from tests.alert_receiver import AlertReceiver, clear_proxies, delivery
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


@pytest.fixture
def receiver() -> Iterator[AlertReceiver]:
    with AlertReceiver() as running:
        yield running


@pytest_asyncio.fixture
async def outbox_stream(transport: Transport) -> AsyncIterator[Stream]:
    stream = Stream(transport)
    await stream.create(AlertDelivery, partitions=3)
    yield stream


def settings_for(receiver: AlertReceiver) -> DeliverySettings:
    return DeliverySettings(
        alert_webhook_url=receiver.url + "/alerts",
        alert_delivery_timeout_s=5.0,
        alert_delivery_backoff_s=0.05,
        alert_delivery_max_backoff_s=0.5,
        alert_delivery_rate_per_minute=6000.0,
    )


@asynccontextmanager
async def delivering(stream: Stream, settings: DeliverySettings) -> AsyncIterator[None]:
    """A running delivery stage on `stream`; stopped and closed on exit."""
    stage = SourceSpec(name="delivery", table=AlertDelivery, open=open_delivery)
    spec = ServiceSpec(name="enricher", stages=(stage,), http_port=0)
    runtime = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    async with stage.open(settings, StageContext(stream.transport, stream.routing)) as source:
        runner = source_runner_for(spec, stage, source, runtime, stream.transport)
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        try:
            yield
        finally:
            stop.set()
            await task


async def table(stream: Stream) -> dict[str, AlertDelivery]:
    """The latest row of every delivery, as the compacted topic will keep it."""
    return {row.delivery_id: row for row in await stream.messages(AlertDelivery)}


def statuses(rows: dict[str, AlertDelivery]) -> set[DeliveryStatus]:
    return {row.status for row in rows.values()}


def owed(count: int, start: int = 0) -> list[AlertDelivery]:
    raised = datetime.now(UTC) - timedelta(minutes=5)
    return [
        delivery(ReceiverKind.WEBHOOK, event=f"e{n}", raised_at=raised + timedelta(seconds=n))
        for n in range(start, start + count)
    ]


async def test_pending_rows_are_delivered_once_and_recorded(
    outbox_stream: Stream, receiver: AlertReceiver
) -> None:
    stream = outbox_stream
    rows = owed(6)
    update = delivery(ReceiverKind.WEBHOOK, event="e0", revision=2, raised_at=rows[-1].created_at)
    await stream.write([*rows, update])

    async with delivering(stream, settings_for(receiver)):
        done = await eventually(
            lambda: table(stream),
            lambda got: len(got) == 7 and statuses(got) == {DeliveryStatus.DELIVERED},
            "7 delivered rows",
        )

    assert set(receiver.accepted) == {row.delivery_id for row in [*rows, update]}
    assert receiver.repeats == 0
    assert len(receiver.snapshot()) == 7, "each delivery sent once"
    assert {got.path for got in receiver.snapshot()} == {"/alerts"}
    first, then = (receiver.accepted[row.delivery_id] for row in (rows[0], update))
    assert first.sequence < then.sequence, "the update after the alert it updates"
    assert all(row.attempts == 1 and row.finished_at for row in done.values())


async def test_a_restarted_source_does_not_deliver_again(
    outbox_stream: Stream, receiver: AlertReceiver
) -> None:
    stream = outbox_stream
    await stream.write(owed(4))
    async with delivering(stream, settings_for(receiver)):
        await eventually(
            lambda: table(stream),
            lambda got: len(got) == 4 and statuses(got) == {DeliveryStatus.DELIVERED},
            "4 delivered rows",
        )
    assert len(receiver.snapshot()) == 4

    await stream.write(owed(2, start=4))
    async with delivering(stream, settings_for(receiver)):
        await eventually(
            lambda: table(stream),
            lambda got: len(got) == 6 and statuses(got) == {DeliveryStatus.DELIVERED},
            "6 delivered rows",
        )

    assert len(receiver.snapshot()) == 6, "the rows delivered before the restart stayed delivered"
    assert receiver.repeats == 0


async def test_attempts_survive_a_restart_and_the_receiver_gets_its_alert_when_back(
    outbox_stream: Stream, receiver: AlertReceiver
) -> None:
    stream = outbox_stream
    (row,) = owed(1)
    await stream.write([row])
    receiver.mode = "fail"
    settings = dataclasses.replace(settings_for(receiver), alert_delivery_max_backoff_s=0.2)
    async with delivering(stream, settings):
        failing = await eventually(
            lambda: table(stream),
            lambda got: got[row.delivery_id].attempts >= 2,
            "failed attempts recorded",
        )
    tried = failing[row.delivery_id]
    assert tried.status is DeliveryStatus.PENDING
    assert tried.last_error is not None
    assert tried.last_error.startswith("HTTP 503")

    receiver.mode = "ok"
    async with delivering(stream, settings):
        done = await eventually(
            lambda: table(stream),
            lambda got: got[row.delivery_id].status is DeliveryStatus.DELIVERED,
            "delivered after the restart",
        )

    assert done[row.delivery_id].attempts > tried.attempts, "counted on from the table"
    assert list(receiver.accepted) == [row.delivery_id]
    assert receiver.repeats == 0
