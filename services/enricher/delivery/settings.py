"""The delivery settings, read like every other setting (flag, then environment, then default).

Field ``alert_webhook_url`` is the variable ``LAUNCHWATCH_ALERT_WEBHOOK_URL``
and so on: the names are part of the contract that compose files, Kubernetes
manifests and the documentation rely on. A receiver is configured by giving
its URL; receivers without a URL get no deliveries.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from schemas.vocabulary import ReceiverKind
from services.runtime.errors import ConfigurationError
from services.runtime.settings import env_name, setting


@dataclasses.dataclass(frozen=True)
class DeliverySettings:
    """Where alerts go outside Kafka, and how hard to try."""

    alert_webhook_url: str | None = setting(
        None, "HTTP endpoint that receives every alert as JSON (POST); none = no webhook"
    )
    alert_slack_url: str | None = setting(
        None, "Slack incoming-webhook URL for alerts; none = no Slack messages"
    )
    alert_alertmanager_url: str | None = setting(
        None, "Alertmanager base URL (e.g. http://alertmanager:9093); none = no Alertmanager"
    )
    alert_delivery_timeout_s: float = setting(
        10.0, "longest time one delivery attempt may take, connect to last byte"
    )
    alert_delivery_backoff_s: float = setting(
        1.0, "delay before the first retry of a failed delivery, doubled on each failure"
    )
    alert_delivery_max_backoff_s: float = setting(
        300.0, "ceiling of the delay between attempts, a receiver's Retry-After included"
    )
    alert_delivery_rate_per_minute: float = setting(
        60.0, "delivery attempts per minute to one receiver, at most"
    )
    alert_delivery_concurrency: int = setting(
        4, "delivery attempts in flight to one receiver, at most"
    )
    alert_delivery_max_age_h: float = setting(
        24.0, "an alert not delivered this many hours after it was raised is given up"
    )


_URL_FIELDS: dict[ReceiverKind, str] = {
    ReceiverKind.WEBHOOK: "alert_webhook_url",
    ReceiverKind.SLACK: "alert_slack_url",
    ReceiverKind.ALERTMANAGER: "alert_alertmanager_url",
}


def receiver_urls(settings: DeliverySettings) -> dict[ReceiverKind, str]:
    """The configured receivers and their URLs, in `ReceiverKind` order; blank means absent."""
    urls: dict[ReceiverKind, str] = {}
    for kind in ReceiverKind:
        value = getattr(settings, _URL_FIELDS[kind])
        if value is not None and value.strip():
            urls[kind] = value.strip()
    return urls


def validate(settings: DeliverySettings) -> dict[ReceiverKind, str]:
    """Check the settings; returns the configured receivers, or raises `ConfigurationError`.

    Checked when the delivery stage opens, so a typo stops the process at once
    (exit code 2) instead of surfacing hours later as alerts nobody received.
    """
    urls = receiver_urls(settings)
    for kind, url in urls.items():
        _check_url(_URL_FIELDS[kind], url)
    _check_positive("alert_delivery_timeout_s", settings.alert_delivery_timeout_s)
    _check_positive("alert_delivery_backoff_s", settings.alert_delivery_backoff_s)
    _check_positive("alert_delivery_max_backoff_s", settings.alert_delivery_max_backoff_s)
    _check_positive("alert_delivery_rate_per_minute", settings.alert_delivery_rate_per_minute)
    _check_positive("alert_delivery_concurrency", settings.alert_delivery_concurrency)
    _check_positive("alert_delivery_max_age_h", settings.alert_delivery_max_age_h)
    if settings.alert_delivery_max_backoff_s < settings.alert_delivery_backoff_s:
        raise ConfigurationError(
            f"{env_name('alert_delivery_max_backoff_s')} "
            f"({settings.alert_delivery_max_backoff_s}) is below "
            f"{env_name('alert_delivery_backoff_s')} ({settings.alert_delivery_backoff_s})"
        )
    return urls


def _check_url(field: str, url: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError as error:
        raise ConfigurationError(f"{env_name(field)}: {url!r} is not a URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"{env_name(field)}: {url!r} is not an http:// or https:// URL with a host"
        )


def _check_positive(field: str, value: float) -> None:
    if not value > 0:
        raise ConfigurationError(f"{env_name(field)} must be greater than 0, not {value}")
