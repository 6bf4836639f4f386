"""docs/alerting.md shows what receivers are really sent.

The webhook example's body is the alert; every other example (its headers, the
Slack message, the Alertmanager alert) must be what the real renderers make of
that alert, and the alert itself what correlation raises for its facts. On a
mismatch the test prints what is sent, to paste into the guide.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest

from schemas import AlertDelivery, LaunchAlert, LaunchEvent, ReceiverKind
from schemas.launches import launch_facts
from services.enricher.correlation.alerts import alert as raise_alert
from services.enricher.delivery import DeliveryRequest, request_for
from services.enricher.delivery.rows import delivery_id

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "alerting.md"
RECEIVER_URL = "https://hooks.example.org/launchwatch"


def example(receiver: ReceiverKind) -> str:
    """The first fenced block after the guide's `### <receiver>` heading."""
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split(f"\n### {receiver.value}\n", 1)[1]
    found = re.search(r"^```[a-z]*\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert found is not None, f"no example under ### {receiver.value}"
    return found.group(1)


def webhook_example() -> tuple[str, dict[str, str], dict[str, Any]]:
    """The request line, headers and JSON body of the webhook example."""
    head, _, body = example(ReceiverKind.WEBHOOK).partition("\n\n")
    request_line, *header_lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in header_lines)
    decoded: dict[str, Any] = json.loads(body)
    return request_line, headers, decoded


def documented_alert() -> LaunchAlert:
    body = dict(webhook_example()[2])
    body.pop("delivery_id")
    return msgspec.convert(body, LaunchAlert)


def sent(receiver: ReceiverKind) -> DeliveryRequest:
    launch = documented_alert()
    row = AlertDelivery(
        delivery_id=delivery_id(launch, receiver),
        receiver=receiver,
        alert=launch,
        next_attempt_at=launch.raised_at,
        created_at=launch.raised_at,
    )
    return request_for(row, RECEIVER_URL)


def same(documented: Any, rendered: Any) -> None:
    assert documented == rendered, "docs/alerting.md should show:\n" + json.dumps(
        rendered, indent=2, ensure_ascii=False
    )


def test_the_documented_alert_is_what_correlation_raises_for_its_facts() -> None:
    launch = documented_alert()
    event = LaunchEvent(
        event_id=launch.event_id,
        article_urls=launch.article_urls,
        first_reported_at=launch.raised_at,
        last_reported_at=launch.raised_at,
        **launch_facts(launch),
    )
    raised = raise_alert(event, launch.kind, launch.raised_at)
    same(msgspec.to_builtins(launch), msgspec.to_builtins(raised))
    assert "North Korea" in launch.headline, "the state is named in words"
    assert launch.country == "KP", "and by its code in the field"


def test_the_webhook_example_is_the_request_sent() -> None:
    request_line, headers, body = webhook_example()
    request = sent(ReceiverKind.WEBHOOK)
    assert request_line == f"POST {urlsplit(request.url).path} HTTP/1.1"
    same(headers, request.headers)
    same(body, msgspec.json.decode(request.body))


@pytest.mark.parametrize("receiver", [ReceiverKind.SLACK, ReceiverKind.ALERTMANAGER])
def test_the_receiver_s_example_is_the_body_sent(receiver: ReceiverKind) -> None:
    same(json.loads(example(receiver)), msgspec.json.decode(sent(receiver).body))


def test_every_receiver_has_an_example() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for receiver in ReceiverKind:
        assert f"\n### {receiver.value}\n" in guide, receiver
        assert example(receiver)
