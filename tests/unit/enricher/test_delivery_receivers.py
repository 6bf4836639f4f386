"""What each receiver is sent: the webhook's alert, Slack's message, Alertmanager's alert."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from schemas import (
    AlertDelivery,
    Claim,
    LaunchAlert,
    Place,
    RangeClass,
    ReceiverKind,
    decode,
    encode,
)
from schemas.ids import stable_id
from services.enricher.delivery import DeliverySettings, deliveries_for, request_for
from services.enricher.delivery.receivers import (
    RECEIVERS,
    alertmanager_endpoint,
    alertmanager_payload,
    facts_of,
    slack_payload,
)
from tests.alert_receiver import RAISED, alert, delivery


def test_the_webhook_body_is_the_alert_as_on_the_topic_plus_the_delivery_id() -> None:
    row = delivery(ReceiverKind.WEBHOOK, revision=2)
    request = request_for(row, "https://hooks.example/launch")

    body = msgspec.json.decode(request.body)
    assert body.pop("delivery_id") == row.delivery_id
    assert msgspec.convert(body, LaunchAlert) == row.alert
    assert body["raised_at"] == "2025-10-29T12:00:00Z"
    assert request.url == "https://hooks.example/launch"
    assert request.headers["Idempotency-Key"] == row.delivery_id
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["ce-type"] == "launchwatch.LaunchAlert.v1"
    assert request.headers["ce-id"] == row.delivery_id
    assert request.headers["ce-specversion"] == "1.0"
    assert request.headers["ce-subject"] == row.alert.event_id


def test_every_receiver_gets_the_idempotency_key() -> None:
    for kind in ReceiverKind:
        row = delivery(kind)
        assert request_for(row, "http://receiver.example").headers["Idempotency-Key"] == (
            row.delivery_id
        )


def test_slack_gets_the_headline_the_facts_and_the_links() -> None:
    launch = msgspec.structs.replace(
        alert(),
        headline="Launch <near> A&B",
        range_class=RangeClass.SRBM,
        launch_date=date(2025, 10, 29),
        location=Place(name="Sunan"),
        article_urls=("https://news.example/a?x=1|2", "https://other.example/b"),
    )
    payload = slack_payload(launch)

    text = payload["text"]
    assert text.startswith("Launch detected: Launch &lt;near&gt; A&amp;B")
    assert "<https://news.example/a?x=1%7C2|news.example>" in text
    assert "<https://other.example/b|other.example>" in text
    blocks = payload["blocks"]
    assert [block["type"] for block in blocks] == ["section", "section", "context"]
    fields = {
        field["text"].split("\n")[0]: field["text"].split("\n")[1] for field in blocks[1]["fields"]
    }
    assert fields["*Country*"] == "North Korea (KP)", "the name to read, the code to filter"
    assert fields["*Weapon*"] == "ballistic (SRBM)"
    assert fields["*Date*"] == "2025-10-29"
    assert fields["*From*"] == "Sunan"


def test_a_slack_update_says_which_revision() -> None:
    payload = slack_payload(alert(revision=3))
    assert payload["text"].startswith("Launch update (revision 3): ")


def test_alertmanager_labels_identify_the_launch_not_the_revision() -> None:
    first = alertmanager_payload(alert(revision=1))
    third = alertmanager_payload(msgspec.structs.replace(alert(revision=3), changed=("count",)))

    assert len(first) == len(third) == 1
    assert first[0]["labels"] == third[0]["labels"], "updates replace the one alert"
    assert first[0]["labels"] == {
        "alertname": "LaunchDetected",
        "event_id": stable_id("event a"),
        "country": "KP",
        "missile_type": "ballistic",
        "severity": "critical",
    }
    annotations = third[0]["annotations"]
    assert annotations["summary"] == alert(revision=3).headline
    assert annotations["revision"] == "3"
    assert annotations["changed"] == "count"
    assert annotations["article_urls"] == "https://news.example/a/3"
    assert "Country: North Korea (KP)" in annotations["description"]
    assert third[0]["startsAt"] == "2025-10-29T12:00:00Z"
    assert third[0]["generatorURL"] == "https://news.example/a/3"
    assert "endsAt" not in third[0]
    assert all(isinstance(value, str) for value in annotations.values())


def test_alertmanager_copes_with_an_unknown_country_and_no_articles() -> None:
    (entry,) = alertmanager_payload(msgspec.structs.replace(alert(), country=None, article_urls=()))
    assert entry["labels"]["country"] == "unknown"
    assert "generatorURL" not in entry


@pytest.mark.parametrize(
    "base",
    [
        "http://alertmanager:9093",
        "http://alertmanager:9093/",
        "http://alertmanager:9093/api/v2/alerts",
    ],
)
def test_alertmanager_url_is_its_alerts_api(base: str) -> None:
    assert alertmanager_endpoint(base) == "http://alertmanager:9093/api/v2/alerts"


def test_an_alert_owes_one_pending_delivery_per_configured_receiver() -> None:
    launch = alert()
    settings = DeliverySettings(
        alert_webhook_url="https://hooks.example/", alert_alertmanager_url="http://am:9093"
    )
    rows = deliveries_for(launch, settings, RAISED)

    assert [row.receiver for row in rows] == [ReceiverKind.WEBHOOK, ReceiverKind.ALERTMANAGER]
    for row in rows:
        assert row.delivery_id == stable_id(f"{launch.alert_id}:{row.receiver.value}")
        assert row.status == "pending"
        assert row.attempts == 0
        assert row.next_attempt_at == row.created_at == RAISED
        assert row.alert == launch
        assert decode(AlertDelivery, encode(row, key=row.delivery_id, source="/t").value) == row
    assert deliveries_for(launch, settings, RAISED) == rows, "a repeat writes the same rows"
    assert deliveries_for(launch, DeliverySettings(), RAISED) == []


def test_every_receiver_kind_has_its_receiver() -> None:
    assert set(RECEIVERS) == set(ReceiverKind)


def test_each_kind_is_sent_its_own_payload() -> None:
    bodies = {
        kind: msgspec.json.decode(request_for(delivery(kind), "http://r.example").body)
        for kind in ReceiverKind
    }
    assert bodies[ReceiverKind.WEBHOOK]["alert_id"] == alert().alert_id
    assert set(bodies[ReceiverKind.SLACK]) == {"text", "blocks"}
    assert bodies[ReceiverKind.ALERTMANAGER][0]["labels"]["alertname"] == "LaunchDetected"


def test_the_facts_shown_follow_the_schema_including_officials_and_claims() -> None:
    launch = msgspec.structs.replace(
        alert(),
        officials=("Kim Jong Un",),
        claims=(Claim(quantity="apogee_km", value=6100.0, claimed_by="JCS"),),
    )
    shown = dict(facts_of(launch))
    assert shown["Officials"] == "Kim Jong Un"
    assert shown["Claims"] == "apogee km 6100 (JCS)"
    assert shown["Outcome"] == "unknown", "an unknown outcome is still shown"
    assert "Count" not in shown, "a fact not known is left out"
