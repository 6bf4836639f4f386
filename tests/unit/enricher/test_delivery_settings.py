"""Delivery settings: contract names, and mistakes refused when the stage opens."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from schemas import ReceiverKind
from services.enricher.delivery import DeliverySettings, receiver_urls, validate_delivery_settings
from services.runtime import ConfigurationError
from services.runtime.settings import load


def test_settings_are_read_from_launchwatch_variables() -> None:
    settings = load(
        DeliverySettings,
        environ={
            "LAUNCHWATCH_ALERT_WEBHOOK_URL": "https://hooks.example/launch",
            "LAUNCHWATCH_ALERT_SLACK_URL": "https://hooks.slack.com/services/T/B/X",
            "LAUNCHWATCH_ALERT_ALERTMANAGER_URL": "http://alertmanager:9093",
            "LAUNCHWATCH_ALERT_DELIVERY_TIMEOUT_S": "2.5",
            "LAUNCHWATCH_ALERT_DELIVERY_BACKOFF_S": "0.5",
            "LAUNCHWATCH_ALERT_DELIVERY_MAX_BACKOFF_S": "60",
            "LAUNCHWATCH_ALERT_DELIVERY_RATE_PER_MINUTE": "30",
            "LAUNCHWATCH_ALERT_DELIVERY_CONCURRENCY": "2",
            "LAUNCHWATCH_ALERT_DELIVERY_MAX_AGE_H": "6",
        },
    )
    assert settings == DeliverySettings(
        alert_webhook_url="https://hooks.example/launch",
        alert_slack_url="https://hooks.slack.com/services/T/B/X",
        alert_alertmanager_url="http://alertmanager:9093",
        alert_delivery_timeout_s=2.5,
        alert_delivery_backoff_s=0.5,
        alert_delivery_max_backoff_s=60.0,
        alert_delivery_rate_per_minute=30.0,
        alert_delivery_concurrency=2,
        alert_delivery_max_age_h=6.0,
    )
    assert list(validate_delivery_settings(settings)) == list(ReceiverKind)


def test_defaults_configure_no_receiver() -> None:
    settings = DeliverySettings()
    assert receiver_urls(settings) == {}
    assert validate_delivery_settings(settings) == {}
    assert settings.alert_delivery_timeout_s == 10
    assert settings.alert_delivery_backoff_s == 1
    assert settings.alert_delivery_max_backoff_s == 300
    assert settings.alert_delivery_rate_per_minute == 60
    assert settings.alert_delivery_concurrency == 4
    assert settings.alert_delivery_max_age_h == 24


def test_a_blank_url_is_no_receiver() -> None:
    assert receiver_urls(DeliverySettings(alert_slack_url="  ")) == {}


def test_a_service_settings_class_can_extend_them() -> None:
    @dataclasses.dataclass(frozen=True)
    class EnricherLike(DeliverySettings):
        other: int = 1

    assert EnricherLike(alert_webhook_url="http://x.example").alert_webhook_url == (
        "http://x.example"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"alert_webhook_url": "ftp://hooks.example/"}, "LAUNCHWATCH_ALERT_WEBHOOK_URL"),
        ({"alert_slack_url": "hooks.slack.com/services/x"}, "LAUNCHWATCH_ALERT_SLACK_URL"),
        ({"alert_alertmanager_url": "http://"}, "LAUNCHWATCH_ALERT_ALERTMANAGER_URL"),
        ({"alert_webhook_url": "http://host:99999/"}, "LAUNCHWATCH_ALERT_WEBHOOK_URL"),
        ({"alert_delivery_timeout_s": 0.0}, "LAUNCHWATCH_ALERT_DELIVERY_TIMEOUT_S"),
        ({"alert_delivery_concurrency": 0}, "LAUNCHWATCH_ALERT_DELIVERY_CONCURRENCY"),
        ({"alert_delivery_rate_per_minute": -1.0}, "LAUNCHWATCH_ALERT_DELIVERY_RATE_PER_MINUTE"),
        ({"alert_delivery_max_age_h": 0.0}, "LAUNCHWATCH_ALERT_DELIVERY_MAX_AGE_H"),
        (
            {"alert_delivery_backoff_s": 10.0, "alert_delivery_max_backoff_s": 5.0},
            "LAUNCHWATCH_ALERT_DELIVERY_MAX_BACKOFF_S",
        ),
    ],
)
def test_mistakes_are_refused_with_the_variable_named(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        validate_delivery_settings(dataclasses.replace(DeliverySettings(), **changes))
