"""The delivery stage: a source over its share of the ``alerts.deliveries`` outbox.

Replicas share the rows by the partitions they own. For every owned row that
is pending and due, the stage POSTs the alert to the row's receiver and writes
the row back (delivered, retried later, or given up) in a transaction of the
row's partition. The table is the whole state: a restarted or different
replica carries on from the rows, and a row written `delivered` is never sent
again.

What keeps one receiver from hurting anything else:

* the loop that picks rows never waits for a receiver; each attempt is a task;
* per receiver, at most ``alert_delivery_concurrency`` attempts are in flight,
  attempts start at most ``alert_delivery_rate_per_minute`` a minute (a token
  bucket), and each ends within ``alert_delivery_timeout_s``;
* each receiver has its own connection pool.

Order: per receiver, rows are tried oldest alert first (``raised_at``, then
``revision``), and a later revision of an event waits while an earlier one of
the same event is still pending for that receiver, so an update never
overtakes the alert it updates. The order holds among the rows one replica
owns; rows of one event can sit in partitions owned by different replicas.

Rows of a receiver that is not configured (any more) stay pending and are not
tried, so configuring it again delivers them; once their alert passes the
maximum age they are given up like any other row. That is logged once per
receiver.

Delivery is at-least-once: an attempt whose answer is lost (a timeout, a crash
before the row is written) is repeated, with the same ``Idempotency-Key``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from schemas.deliveries import AlertDelivery
from schemas.vocabulary import DeliveryStatus, ReceiverKind
from services.enricher.delivery import metrics
from services.enricher.delivery.ratelimit import TokenBucket
from services.enricher.delivery.receivers import request_for
from services.enricher.delivery.rows import (
    after_attempt,
    deadline_of,
    expire,
    is_final,
    supersedes,
)
from services.enricher.delivery.sender import AttemptResult, Sender, Verdict
from services.enricher.delivery.settings import DeliverySettings, validate
from services.runtime.errors import PartitionLost
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView, first_of
from services.runtime.spec import StageContext

log = logging.getLogger(__name__)

IDLE_WAKE_S = 5.0
"""Longest sleep of the loop when nothing is due; rows and finished attempts wake it sooner."""
MIN_WAKE_S = 0.01

_OUTCOME = {
    Verdict.DELIVERED: "delivered",
    Verdict.RETRY: "retry",
    Verdict.PERMANENT: "failed",
}


@dataclass
class Lane:
    """One configured receiver: where it is, how to reach it, and what it may take."""

    kind: ReceiverKind
    url: str
    sender: Sender
    bucket: TokenBucket
    concurrency: int
    in_flight: int = 0


class DeliveryOutbox:
    """The `Source` that delivers the outbox rows of the partitions this replica owns."""

    def __init__(
        self,
        settings: DeliverySettings,
        lanes: dict[ReceiverKind, Lane],
        *,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._lanes = lanes
        self._clock = clock or (lambda: datetime.now(UTC))
        self._monotonic = monotonic
        self._rng = rng
        self._written: dict[TopicPartition, dict[bytes, AlertDelivery]] = {}
        self._working: dict[bytes, asyncio.Task[None]] = {}
        self._unconfigured_noted: set[ReceiverKind] = set()
        self._poke = asyncio.Event()

    async def prepare(self, partitions: frozenset[TopicPartition]) -> None:
        """Forget what was written to newly owned partitions: another owner may have moved on."""
        for partition in partitions:
            self._written.pop(partition, None)

    async def run(self, view: SourceView[AlertDelivery], stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                view.changed.clear()
                self._poke.clear()
                wake = self._dispatch(view, self._clock())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(first_of(view.changed, self._poke, stop), wake)
        finally:
            tasks = list(self._working.values())
            for task in tasks:
                task.cancel()  # an unwritten attempt is repeated by the next owner
            await asyncio.gather(*tasks, return_exceptions=True)

    # -- choosing what to do ---------------------------------------------------------
    def _current_rows(
        self, view: SourceView[AlertDelivery]
    ) -> list[tuple[TopicPartition, bytes, AlertDelivery]]:
        """Every owned row as this replica knows it: the table, or its own newer write."""
        owned = view.owned()
        for partition in list(self._written):
            if partition not in owned:
                del self._written[partition]
        current: list[tuple[TopicPartition, bytes, AlertDelivery]] = []
        for partition, table in owned.items():
            written = self._written.get(partition, {})
            for key in [key for key in written if key not in table]:
                del written[key]  # deleted from the table
            for key, row in table.items():
                mine = written.get(key)
                if mine is not None:
                    if supersedes(row, mine):
                        del written[key]
                    else:
                        row = mine
                current.append((partition, key, row))
        return current

    def _dispatch(self, view: SourceView[AlertDelivery], now: datetime) -> float:
        """Start what is due; returns seconds until something may be due."""
        wake = IDLE_WAKE_S
        waiting: dict[ReceiverKind, list[tuple[TopicPartition, bytes, AlertDelivery]]] = {
            kind: [] for kind in ReceiverKind
        }
        for partition, key, row in self._current_rows(view):
            if not is_final(row):
                waiting[row.receiver].append((partition, key, row))
        for kind, rows in waiting.items():
            rows.sort(key=lambda item: (item[2].alert.raised_at, item[2].alert.revision, item[1]))
            _report_pending(kind, [row for _, _, row in rows], now)
            wake = min(wake, self._dispatch_receiver(view, kind, rows, now))
        return max(wake, MIN_WAKE_S)

    def _dispatch_receiver(
        self,
        view: SourceView[AlertDelivery],
        kind: ReceiverKind,
        rows: list[tuple[TopicPartition, bytes, AlertDelivery]],
        now: datetime,
    ) -> float:
        lane = self._lanes.get(kind)
        if lane is None and rows and kind not in self._unconfigured_noted:
            self._unconfigured_noted.add(kind)
            log.warning(
                "%d alert deliveries to %s are pending, but no %s receiver is configured: "
                "they wait until one is, or until their alerts are too old",
                len(rows),
                kind.value,
                kind.value,
            )
        wake = IDLE_WAKE_S
        throttled = False
        earlier_pending: set[str] = set()
        for partition, key, row in rows:
            event_id = row.alert.event_id
            if event_id in earlier_pending:
                continue  # an update never overtakes what it updates
            earlier_pending.add(event_id)
            if key in self._working:
                continue
            deadline = deadline_of(row, self._settings)
            if now >= deadline:
                reason = self._expiry_reason(lane is None)
                self._start(key, None, self._expire(view, partition, key, row, reason))
                continue
            if lane is None:
                wake = min(wake, (deadline - now).total_seconds())
                continue
            if row.next_attempt_at > now:
                wake = min(wake, (row.next_attempt_at - now).total_seconds())
                continue
            if throttled or lane.in_flight >= lane.concurrency:
                continue  # a finished attempt wakes the loop
            wait = lane.bucket.take(self._monotonic())
            if wait > 0:
                throttled = True
                wake = min(wake, wait)
                continue
            lane.in_flight += 1
            self._start(key, lane, self._attempt(view, partition, key, row, lane))
        return wake

    def _expiry_reason(self, unconfigured: bool) -> str:
        hours = f"{self._settings.alert_delivery_max_age_h:g}h"
        if unconfigured:
            return f"receiver not configured within {hours} of the alert"
        return f"not delivered within {hours} of the alert"

    def _start(self, key: bytes, slot: Lane | None, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` for the row at `key`; `slot` is the lane whose attempt slot it holds."""
        task = asyncio.create_task(work)
        self._working[key] = task
        task.add_done_callback(functools.partial(self._finished, key, slot))

    def _finished(self, key: bytes, slot: Lane | None, task: asyncio.Task[None]) -> None:
        self._working.pop(key, None)
        if slot is not None:
            slot.in_flight -= 1
        if not task.cancelled() and task.exception() is not None:
            log.error("alert delivery work failed", exc_info=task.exception())
        self._poke.set()

    # -- doing it --------------------------------------------------------------------
    async def _attempt(
        self,
        view: SourceView[AlertDelivery],
        partition: TopicPartition,
        key: bytes,
        row: AlertDelivery,
        lane: Lane,
    ) -> None:
        started = self._monotonic()
        try:
            result = await lane.sender.send(request_for(row, lane.url))
        except Exception as error:  # a fault of ours, not the receiver's: try again later
            log.exception("could not send delivery %s", row.delivery_id)
            result = AttemptResult(Verdict.RETRY, error=f"could not send: {error}")
        metrics.SECONDS.labels(lane.kind.value).observe(self._monotonic() - started)
        metrics.DELIVERIES.labels(lane.kind.value, _OUTCOME[result.verdict]).inc()
        updated = after_attempt(row, result, self._clock(), self._settings, self._rng)
        _log_attempt(updated, result)
        await self._record(view, partition, key, updated)

    async def _expire(
        self,
        view: SourceView[AlertDelivery],
        partition: TopicPartition,
        key: bytes,
        row: AlertDelivery,
        reason: str,
    ) -> None:
        updated = expire(row, self._clock(), reason)
        log.warning(
            "gave up delivering alert %s to %s after %d attempts: %s",
            row.alert.alert_id,
            row.receiver.value,
            row.attempts,
            updated.last_error,
        )
        if await self._record(view, partition, key, updated):
            metrics.DELIVERIES.labels(row.receiver.value, "expired").inc()

    async def _record(
        self,
        view: SourceView[AlertDelivery],
        partition: TopicPartition,
        key: bytes,
        updated: AlertDelivery,
    ) -> bool:
        """Write the row back; until it is written, the row stays in this replica's hands.

        A broker failure is retried with backoff (the work in hand stays in
        flight, so the row is not tried again meanwhile); a lost partition ends
        it, as the new owner carries on from the table.
        """
        delay = self._settings.alert_delivery_backoff_s
        while True:
            try:
                await view.write(partition, [updated])
            except PartitionLost:
                return False
            except Exception:
                log.exception("could not record delivery %s; retrying", updated.delivery_id)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._settings.alert_delivery_max_backoff_s)
                continue
            self._written.setdefault(partition, {})[key] = updated
            return True


def _report_pending(kind: ReceiverKind, rows: list[AlertDelivery], now: datetime) -> None:
    metrics.PENDING.labels(kind.value).set(len(rows))
    oldest = min((row.created_at for row in rows), default=now)
    metrics.OLDEST_PENDING.labels(kind.value).set(max((now - oldest).total_seconds(), 0.0))


def _log_attempt(row: AlertDelivery, result: AttemptResult) -> None:
    if row.status == DeliveryStatus.DELIVERED:
        log.info(
            "delivered alert %s to %s (attempt %d)",
            row.alert.alert_id,
            row.receiver.value,
            row.attempts,
        )
    elif row.status == DeliveryStatus.EXPIRED:
        log.error(
            "%s refused alert %s for good: %s",
            row.receiver.value,
            row.alert.alert_id,
            result.error,
        )
    else:
        log.warning(
            "delivering alert %s to %s failed (attempt %d, next at %s): %s",
            row.alert.alert_id,
            row.receiver.value,
            row.attempts,
            row.next_attempt_at.isoformat(),
            result.error,
        )


@asynccontextmanager
async def open_delivery(
    settings: DeliverySettings, context: StageContext
) -> AsyncIterator[DeliveryOutbox]:
    """Open the delivery stage: check the settings, one connection pool per receiver.

    Raises `ConfigurationError` for a receiver URL that is not http(s) or a
    limit that is not positive. The outbox needs nothing from `context`: the
    rows it owns are its whole state.
    """
    lanes: dict[ReceiverKind, Lane] = {}
    async with contextlib.AsyncExitStack() as stack:
        for kind, url in validate(settings).items():
            sender = await stack.enter_async_context(
                Sender(
                    timeout_s=settings.alert_delivery_timeout_s,
                    max_connections=settings.alert_delivery_concurrency,
                )
            )
            lanes[kind] = Lane(
                kind=kind,
                url=url,
                sender=sender,
                bucket=TokenBucket(
                    settings.alert_delivery_rate_per_minute,
                    burst=settings.alert_delivery_concurrency,
                    now=time.monotonic(),
                ),
                concurrency=settings.alert_delivery_concurrency,
            )
        if not lanes:
            log.warning("no alert receivers configured: alert deliveries stay pending")
        yield DeliveryOutbox(settings, lanes)
