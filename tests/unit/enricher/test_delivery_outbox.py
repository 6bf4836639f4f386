"""The outbox against real HTTP receivers on 127.0.0.1: outages, order, isolation, expiry.

The outbox runs over an in-process table (`TableView`), which shows the rows
written back either at once or never, so these tests can also prove that the
outbox trusts its own writes while the table lags. The same outbox on the real
runtime and on Kafka is in tests/behaviour/test_alert_delivery.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from prometheus_client import REGISTRY

from schemas import AlertDelivery, DeliveryStatus, Message, ReceiverKind
from services.enricher.delivery import DeliveryOutbox, DeliverySettings, open_delivery
from services.runtime import InMemoryTransport, Routing
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView
from services.runtime.spec import StageContext
from tests.alert_receiver import AlertReceiver, Received, delivery
from tests.streams import eventually

pytestmark = pytest.mark.asyncio

PARTITION = TopicPartition("alerts.deliveries", 0)
ROUTING = Routing(source="/launchwatch/test", prefix="")

FAST = DeliverySettings(
    alert_delivery_timeout_s=0.3,
    alert_delivery_backoff_s=0.05,
    alert_delivery_max_backoff_s=0.5,
    alert_delivery_rate_per_minute=6000.0,
    alert_delivery_concurrency=2,
)


class TableView(SourceView[AlertDelivery]):
    """One owned partition of an in-process table; a write shows in it at once, or never."""

    def __init__(self, *rows: AlertDelivery, echo: bool = True) -> None:
        super().__init__(ROUTING, "test")
        self._assign(frozenset({PARTITION}))
        self.echo = echo
        self.written: list[AlertDelivery] = []
        self.put(*rows)

    def put(self, *rows: AlertDelivery) -> None:
        for row in rows:
            self._rows[PARTITION][row.delivery_id.encode()] = row
        self.changed.set()

    def row(self, delivery_id: str) -> AlertDelivery:
        return self._rows[PARTITION][delivery_id.encode()]

    async def write(self, partition: TopicPartition, messages: Sequence[Message]) -> None:
        rows = [message for message in messages if isinstance(message, AlertDelivery)]
        self.written.extend(rows)
        if self.echo:
            self.put(*rows)


@pytest.fixture
def receiver() -> Iterator[AlertReceiver]:
    with AlertReceiver() as running:
        yield running


@pytest.fixture
def other_receiver() -> Iterator[AlertReceiver]:
    with AlertReceiver() as running:
        yield running


@asynccontextmanager
async def running(settings: DeliverySettings, view: TableView) -> AsyncIterator[DeliveryOutbox]:
    context = StageContext(InMemoryTransport(), ROUTING)
    async with open_delivery(settings, context) as outbox:
        stop = asyncio.Event()
        task = asyncio.create_task(outbox.run(view, stop))
        try:
            yield outbox
        finally:
            stop.set()
            await task


def recent(minutes_ago: float = 10.0) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes_ago)


def counted(receiver: ReceiverKind, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "launchwatch_alert_deliveries_total", {"receiver": receiver.value, "outcome": outcome}
    )
    return value or 0.0


def status_of(view: TableView, *rows: AlertDelivery) -> list[DeliveryStatus]:
    return [view.row(row.delivery_id).status for row in rows]


async def all_delivered(view: TableView, *rows: AlertDelivery) -> list[DeliveryStatus]:
    return status_of(view, *rows)


def delivered(statuses: list[DeliveryStatus]) -> bool:
    return all(status is DeliveryStatus.DELIVERED for status in statuses)


async def test_alerts_reach_a_receiver_once_it_recovers_once_each_in_revision_order(
    receiver: AlertReceiver,
) -> None:
    start = recent()
    a1, a2, a3 = (
        delivery(event="a", revision=n, raised_at=start + timedelta(seconds=n)) for n in (1, 2, 3)
    )
    b1 = delivery(event="b", revision=1, raised_at=start + timedelta(seconds=2))
    view = TableView(a3, b1, a2, a1)
    receiver.mode = "slow"
    receiver.retry_after = "1"

    async with running(_with(FAST, alert_webhook_url=receiver.url), view):
        await eventually(
            lambda: _requests(receiver), lambda got: _count(got, 503) >= 4, "slow answers"
        )
        receiver.mode = "fail"
        before = receiver.answered(503)
        await eventually(
            lambda: _requests(receiver),
            lambda got: _count(got, 503) >= before + 2,
            "503 with Retry-After",
        )
        receiver.mode = "ok"
        await eventually(lambda: all_delivered(view, a1, a2, a3, b1), delivered, "recovery")

    rows = [a1, a2, a3, b1]
    assert set(receiver.accepted) == {row.delivery_id for row in rows}
    assert receiver.repeats == 0, "a delivered row is never sent again"
    accepted_a = sorted(
        (got for got in receiver.accepted.values() if got.body["event_id"] == a1.alert.event_id),
        key=lambda got: got.sequence,
    )
    assert [got.body["revision"] for got in accepted_a] == [1, 2, 3]
    for got in receiver.snapshot():
        if got.body["event_id"] != a1.alert.event_id:
            continue
        earlier_accepted = {
            done.body["revision"] for done in accepted_a if done.sequence < got.sequence
        }
        assert set(range(1, got.body["revision"])) <= earlier_accepted, (
            f"revision {got.body['revision']} was sent before the revisions before it"
        )
    first = view.row(a1.delivery_id)
    assert first.attempts > 1
    assert first.finished_at is not None
    assert first.last_error is not None


async def test_a_dead_receiver_does_not_delay_a_healthy_one(
    receiver: AlertReceiver, other_receiver: AlertReceiver
) -> None:
    dead, healthy = receiver, other_receiver
    dead.mode = "hang"
    start = recent()
    hooks = [delivery(ReceiverKind.WEBHOOK, event=e, raised_at=start) for e in "xyz"]
    slack = [delivery(ReceiverKind.SLACK, event=e, raised_at=start) for e in "xyz"]
    view = TableView(*hooks, *slack)
    settings = _with(
        FAST, alert_webhook_url=dead.url, alert_slack_url=healthy.url, alert_delivery_timeout_s=60.0
    )

    async with running(settings, view):
        await eventually(lambda: all_delivered(view, *slack), delivered, "slack deliveries")
        assert len(healthy.accepted) == 3
        hanging = await eventually(
            lambda: _in_progress(dead), lambda count: count == 2, "the dead receiver's slots"
        )
        assert hanging == FAST.alert_delivery_concurrency, "no more attempts than allowed"
        assert status_of(view, *hooks) == [DeliveryStatus.PENDING] * 3
        assert [view.row(row.delivery_id).attempts for row in hooks] == [0, 0, 0]


async def test_a_row_is_not_sent_again_while_the_table_lags(receiver: AlertReceiver) -> None:
    first = delivery(event="first", raised_at=recent(5))
    then = delivery(event="then", raised_at=recent(4))
    view = TableView(first, echo=False)

    async with running(_with(FAST, alert_webhook_url=receiver.url), view):
        await eventually(
            lambda: _written(view), lambda rows: len(rows) == 1, "the first row written back"
        )
        view.put(then)  # wakes the outbox, which still sees `first` pending in the table
        await eventually(lambda: _written(view), lambda rows: len(rows) == 2, "the second row")

    assert [row.status for row in view.written] == [DeliveryStatus.DELIVERED] * 2
    assert [got.key for got in receiver.snapshot()] == [first.delivery_id, then.delivery_id]


async def test_retries_count_up_while_the_table_lags(receiver: AlertReceiver) -> None:
    receiver.mode = "fail"
    receiver.retry_after = None
    row = delivery(raised_at=recent())
    view = TableView(row, echo=False)

    async with running(_with(FAST, alert_webhook_url=receiver.url), view):
        await eventually(lambda: _written(view), lambda rows: len(rows) >= 4, "four attempts")

    attempts = [written.attempts for written in view.written]
    assert attempts == list(range(1, len(attempts) + 1)), "each attempt once, from the last one"
    assert all(written.next_attempt_at > row.next_attempt_at for written in view.written)
    assert len(receiver.snapshot()) in (len(attempts), len(attempts) + 1)


async def test_a_refusing_receiver_expires_the_row_and_shows_in_metrics(
    receiver: AlertReceiver,
) -> None:
    receiver.mode = "fail"
    receiver.fail_status = 404
    receiver.fail_body = "no_service"
    row = delivery(raised_at=recent())
    view = TableView(row)
    failed_before = counted(ReceiverKind.WEBHOOK, "failed")

    async with running(_with(FAST, alert_webhook_url=receiver.url), view):
        await eventually(
            lambda: all_delivered(view, row),
            lambda statuses: statuses == [DeliveryStatus.EXPIRED],
            "expired",
        )

    done = view.row(row.delivery_id)
    assert done.attempts == 1
    assert done.last_error == "refused: HTTP 404 Not Found: no_service"
    assert len(receiver.snapshot()) == 1
    assert counted(ReceiverKind.WEBHOOK, "failed") == failed_before + 1


async def test_old_alerts_expire_and_unconfigured_receivers_wait(
    receiver: AlertReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=2)
    old_hook = delivery(ReceiverKind.WEBHOOK, event="old", raised_at=long_ago)
    old_slack = delivery(ReceiverKind.SLACK, event="old", raised_at=long_ago)
    new_slack = delivery(ReceiverKind.SLACK, event="new", raised_at=recent())
    new_slack_too = delivery(ReceiverKind.SLACK, event="newer", raised_at=recent())
    new_hook = delivery(ReceiverKind.WEBHOOK, event="new", raised_at=recent())
    view = TableView(old_hook, old_slack, new_slack, new_slack_too, new_hook)
    expired_before = counted(ReceiverKind.WEBHOOK, "expired")

    with caplog.at_level(logging.WARNING, logger="services.enricher.delivery"):
        async with running(_with(FAST, alert_webhook_url=receiver.url), view):
            await eventually(
                lambda: all_delivered(view, old_hook, old_slack, new_hook),
                lambda statuses: (
                    statuses
                    == [DeliveryStatus.EXPIRED, DeliveryStatus.EXPIRED, DeliveryStatus.DELIVERED]
                ),
                "expiry and delivery",
            )
            pending = await eventually(
                lambda: _gauge("launchwatch_alert_deliveries_pending", ReceiverKind.SLACK),
                lambda value: value == 2,
                "pending slack deliveries",
            )
            assert pending == 2

    assert [got.key for got in receiver.snapshot()] == [new_hook.delivery_id]
    assert view.row(old_hook.delivery_id).last_error == "not delivered within 24h of the alert"
    assert view.row(old_slack.delivery_id).last_error == (
        "receiver not configured within 24h of the alert"
    )
    assert view.row(new_slack.delivery_id) == new_slack, "left as it was, for a later receiver"
    assert counted(ReceiverKind.WEBHOOK, "expired") == expired_before + 1
    notes = [r for r in caplog.records if "no slack receiver is configured" in r.getMessage()]
    assert len(notes) == 1, "said once, not on every round"


async def test_an_update_waits_for_the_revision_before_it(receiver: AlertReceiver) -> None:
    start = recent()
    first = msgspec.structs.replace(
        delivery(event="a", revision=1, raised_at=start),
        attempts=3,
        next_attempt_at=datetime.now(UTC) + timedelta(hours=1),
        last_error="HTTP 503 Service Unavailable",
    )
    update = delivery(event="a", revision=2, raised_at=start + timedelta(seconds=1))
    unrelated = delivery(event="b", revision=1, raised_at=start + timedelta(seconds=2))
    view = TableView(first, update, unrelated)

    async with running(_with(FAST, alert_webhook_url=receiver.url), view):
        await eventually(lambda: all_delivered(view, unrelated), delivered, "the other event")
        assert [got.key for got in receiver.snapshot()] == [unrelated.delivery_id]
        assert view.row(update.delivery_id) == update

        view.put(msgspec.structs.replace(first, status=DeliveryStatus.DELIVERED))
        await eventually(lambda: all_delivered(view, update), delivered, "the update")

    assert [got.key for got in receiver.snapshot()] == [
        unrelated.delivery_id,
        update.delivery_id,
    ]


def _with(settings: DeliverySettings, **changes: Any) -> DeliverySettings:
    return dataclasses.replace(settings, **changes)


async def _requests(receiver: AlertReceiver) -> list[Received]:
    return receiver.snapshot()


def _count(requests: list[Received], status: int) -> int:
    return sum(1 for got in requests if got.status == status)


async def _in_progress(receiver: AlertReceiver) -> int:
    return receiver.in_progress


async def _written(view: TableView) -> list[AlertDelivery]:
    return list(view.written)


async def _gauge(name: str, receiver: ReceiverKind) -> float | None:
    return REGISTRY.get_sample_value(name, {"receiver": receiver.value})
