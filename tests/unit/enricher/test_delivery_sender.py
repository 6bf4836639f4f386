"""One attempt against a real HTTP receiver on 127.0.0.1: what was sent, and what the answer means.

The receiver is `tests.alert_receiver.AlertReceiver`, which the outbox and
behaviour tests deliver to as well.
"""

from __future__ import annotations

import email.utils
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from schemas import ReceiverKind
from services.enricher.delivery import DeliveryRequest, request_for
from services.enricher.delivery.sender import Sender, Verdict, classify
from tests.alert_receiver import AlertReceiver, clear_proxies, delivery


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


@pytest.fixture
def receiver() -> Iterator[AlertReceiver]:
    with AlertReceiver() as running:
        yield running


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.DELIVERED),
        (202, Verdict.DELIVERED),
        (204, Verdict.DELIVERED),
        (408, Verdict.RETRY),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (502, Verdict.RETRY),
        (503, Verdict.RETRY),
        (504, Verdict.RETRY),
        (400, Verdict.PERMANENT),
        (401, Verdict.PERMANENT),
        (403, Verdict.PERMANENT),
        (404, Verdict.PERMANENT),
        (410, Verdict.PERMANENT),
        (413, Verdict.PERMANENT),
        (301, Verdict.PERMANENT),
        (307, Verdict.PERMANENT),
    ],
)
def test_a_status_says_whether_to_stop_retry_or_give_up(status: int, verdict: Verdict) -> None:
    assert classify(status) is verdict


async def send(request: DeliveryRequest, timeout_s: float = 5.0) -> Any:
    async with Sender(timeout_s=timeout_s, max_connections=2) as sender:
        return await sender.send(request)


@pytest.mark.asyncio
async def test_a_webhook_gets_the_alert_with_its_idempotency_key(receiver: AlertReceiver) -> None:
    row = delivery()
    result = await send(request_for(row, receiver.url + "/hook"))

    assert result.verdict is Verdict.DELIVERED
    assert result.status_code == 200
    (got,) = receiver.snapshot()
    assert got.path == "/hook"
    assert got.headers["idempotency-key"] == row.delivery_id
    assert got.headers["content-type"] == "application/json"
    assert got.headers["ce-type"] == "launchwatch.LaunchAlert.v1"
    assert got.body["delivery_id"] == row.delivery_id
    assert got.body["alert_id"] == row.alert.alert_id


@pytest.mark.asyncio
async def test_alertmanager_is_posted_to_its_v2_api(receiver: AlertReceiver) -> None:
    result = await send(request_for(delivery(ReceiverKind.ALERTMANAGER), receiver.url + "/"))

    assert result.verdict is Verdict.DELIVERED
    (got,) = receiver.snapshot()
    assert got.path == "/api/v2/alerts"
    assert got.body[0]["labels"]["alertname"] == "LaunchDetected"


@pytest.mark.asyncio
async def test_unavailable_means_retry_when_the_receiver_says(receiver: AlertReceiver) -> None:
    receiver.mode = "fail"
    receiver.retry_after = "7"
    result = await send(request_for(delivery(), receiver.url))

    assert result.verdict is Verdict.RETRY
    assert result.status_code == 503
    assert result.retry_after_s == 7.0
    assert result.error == "HTTP 503 Service Unavailable: down for maintenance"


@pytest.mark.asyncio
async def test_too_many_requests_may_name_a_date(receiver: AlertReceiver) -> None:
    receiver.mode = "fail"
    receiver.fail_status = 429
    later = datetime.now(UTC) + timedelta(seconds=120)
    receiver.retry_after = email.utils.format_datetime(later, usegmt=True)
    result = await send(request_for(delivery(), receiver.url))

    assert result.verdict is Verdict.RETRY
    assert result.retry_after_s is not None
    assert 60 < result.retry_after_s <= 120


@pytest.mark.asyncio
async def test_a_refusal_is_permanent_and_says_why(receiver: AlertReceiver) -> None:
    receiver.mode = "fail"
    receiver.fail_status = 400
    receiver.fail_body = "invalid_payload\n" + "x" * 10_000
    result = await send(request_for(delivery(ReceiverKind.SLACK), receiver.url))

    assert result.verdict is Verdict.PERMANENT
    assert result.retry_after_s is None, "Retry-After only matters for a retry"
    assert result.error.startswith("HTTP 400 Bad Request: invalid_payload x")
    assert len(result.error) < 300, "a huge body is cut for the error message"


@pytest.mark.asyncio
async def test_a_receiver_that_never_answers_is_a_retry(receiver: AlertReceiver) -> None:
    receiver.mode = "hang"
    result = await send(request_for(delivery(), receiver.url), timeout_s=0.2)

    assert result.verdict is Verdict.RETRY
    assert result.error is not None
    assert "timed out" in result.error


@pytest.mark.asyncio
async def test_nobody_listening_is_a_retry() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    result = await send(request_for(delivery(), f"http://127.0.0.1:{port}/"))

    assert result.verdict is Verdict.RETRY
    assert result.error is not None
    assert result.error.startswith("ConnectError")
