"""What each kind of receiver is sent: one HTTP POST per delivery.

* ``webhook``: the `LaunchAlert` as JSON, exactly as on ``alerts.launch``,
  plus ``delivery_id``; CloudEvents binary-mode headers say what it is.
* ``slack``: an incoming-webhook message, a plain `text` (what notifications
  show) and `blocks` (what the channel shows). The headline is a sentence with
  the launching state and the sources named; the facts below it keep the codes
  beside the names ("North Korea (KP)").
* ``alertmanager``: Alertmanager's v2 API, a list of one alert. Its labels
  identify the launch, not the revision, so the updates of one launch refresh
  one Alertmanager alert instead of raising another.

Each kind is one `Receiver` in `RECEIVERS`, whose keys are tested to be every
`ReceiverKind`: a kind added to the vocabulary without its receiver fails the
tests, never silently sending another kind's payload.

Every request carries ``Idempotency-Key: <delivery_id>``: delivery is
at-least-once (a timeout does not say whether the receiver got the alert), and
the key lets a receiver drop the repeat.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol
from urllib.parse import urlsplit

import msgspec

from schemas.deliveries import AlertDelivery
from schemas.launches import FACT_FIELDS, Claim, LaunchAlert, LaunchFactFields, Place
from schemas.vocabulary import AlertKind, CountryCode, MissileType, ReceiverKind
from services.enricher.correlation.alerts import country_name

USER_AGENT = "launchwatch/0.1 (alert delivery; +https://github.com/launchwatch/launchwatch)"
CLOUDEVENTS_SOURCE = "/launchwatch/enricher"
ALERTNAME = "LaunchDetected"
SLACK_MAX_LINKS = 10
SLACK_MAX_TEXT = 3000
"""Slack's limit on the text of one block."""

_SEVERITY: dict[MissileType, str] = {
    MissileType.BALLISTIC: "critical",
    MissileType.HYPERSONIC: "critical",
    MissileType.CRUISE: "warning",
    MissileType.SURFACE_TO_AIR: "warning",
    MissileType.ARTILLERY_ROCKET: "warning",
    MissileType.UNKNOWN: "warning",
    MissileType.SPACE_LAUNCH: "info",
}


@dataclass(frozen=True)
class DeliveryRequest:
    """One POST: where, what and with which headers."""

    url: str
    body: bytes
    headers: dict[str, str]


class Receiver(Protocol):
    """How one kind of receiver is addressed, and what it is sent."""

    def request(
        self, delivery: AlertDelivery, url: str, headers: dict[str, str]
    ) -> DeliveryRequest: ...


def request_for(delivery: AlertDelivery, url: str) -> DeliveryRequest:
    """The request that delivers `delivery` to the receiver configured at `url`."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": delivery.delivery_id,
    }
    return RECEIVERS[delivery.receiver].request(delivery, url, headers)


# -- webhook ------------------------------------------------------------------------


class WebhookReceiver:
    """Any HTTP endpoint: the alert as JSON, with CloudEvents headers."""

    def request(
        self, delivery: AlertDelivery, url: str, headers: dict[str, str]
    ) -> DeliveryRequest:
        headers = {**headers, **cloudevents_headers(delivery)}
        return DeliveryRequest(url, msgspec.json.encode(webhook_payload(delivery)), headers)


def webhook_payload(delivery: AlertDelivery) -> dict[str, Any]:
    """The alert as the topic carries it, with the delivery id beside its fields."""
    payload: dict[str, Any] = msgspec.to_builtins(delivery.alert)
    payload["delivery_id"] = delivery.delivery_id
    return payload


def cloudevents_headers(delivery: AlertDelivery) -> dict[str, str]:
    """CloudEvents 1.0 HTTP binary mode: the body is the event's data."""
    alert = delivery.alert
    return {
        "ce-specversion": "1.0",
        "ce-type": LaunchAlert.cloudevents_type(),
        "ce-source": CLOUDEVENTS_SOURCE,
        "ce-id": delivery.delivery_id,
        "ce-subject": alert.event_id,
        "ce-time": _rfc3339(alert),
    }


# -- slack --------------------------------------------------------------------------


class SlackReceiver:
    """A Slack-compatible incoming webhook."""

    def request(
        self, delivery: AlertDelivery, url: str, headers: dict[str, str]
    ) -> DeliveryRequest:
        return DeliveryRequest(url, msgspec.json.encode(slack_payload(delivery.alert)), headers)


def slack_payload(alert: LaunchAlert) -> dict[str, Any]:
    """An incoming-webhook message: the headline, the facts and the reports behind them."""
    title = _title(alert)
    links = [_slack_link(url) for url in alert.article_urls[:SLACK_MAX_LINKS]]
    text_lines = [f"{title}: {_slack_escape(alert.headline)}"]
    if links:
        text_lines.append("Reports: " + ", ".join(links))
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": _clip(f"*{title}*\n{_slack_escape(alert.headline)}"),
            },
        }
    ]
    fields = [
        {"type": "mrkdwn", "text": _clip(f"*{name}*\n{_slack_escape(value)}")}
        for name, value in facts_of(alert)
    ]
    if fields:
        blocks.append({"type": "section", "fields": fields[:10]})
    if links:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _clip("Reports: " + " · ".join(links))}],
            }
        )
    return {"text": _clip("\n".join(text_lines)), "blocks": blocks}


def _slack_escape(text: str) -> str:
    """Slack's mrkdwn control characters, escaped as Slack documents."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str) -> str:
    target = url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    label = urlsplit(url).hostname or url
    return f"<{target}|{_slack_escape(label)}>"


def _clip(text: str) -> str:
    return text if len(text) <= SLACK_MAX_TEXT else text[: SLACK_MAX_TEXT - 1] + "…"


# -- alertmanager -------------------------------------------------------------------


class AlertmanagerReceiver:
    """Prometheus Alertmanager's v2 API, at ``<base>/api/v2/alerts``."""

    def request(
        self, delivery: AlertDelivery, url: str, headers: dict[str, str]
    ) -> DeliveryRequest:
        body = msgspec.json.encode(alertmanager_payload(delivery.alert))
        return DeliveryRequest(alertmanager_endpoint(url), body, headers)


def alertmanager_endpoint(base_url: str) -> str:
    """``<base>/api/v2/alerts``; a base that already ends with it is taken as is."""
    base = base_url.rstrip("/")
    if base.endswith("/api/v2/alerts"):
        return base
    return base + "/api/v2/alerts"


def severity_of(alert: LaunchAlert) -> str:
    """critical for ballistic and hypersonic weapons, info for space launches, else warning."""
    return _SEVERITY.get(alert.missile_type, "warning")


def alertmanager_payload(alert: LaunchAlert) -> list[dict[str, Any]]:
    """A list of one alert, labelled by launch so that updates replace it in Alertmanager.

    No ``endsAt``: a launch does not end, and Alertmanager resolves the alert
    after its ``resolve_timeout``. An ``endsAt`` computed from the raise time
    would make an alert delivered late arrive already resolved.
    """
    labels = {
        "alertname": ALERTNAME,
        "event_id": alert.event_id,
        "country": alert.country or "unknown",
        "missile_type": alert.missile_type.value,
        "severity": severity_of(alert),
    }
    annotations = {
        "summary": alert.headline,
        "description": describe(alert),
        "article_urls": "\n".join(alert.article_urls),
        "alert_id": alert.alert_id,
        "kind": alert.kind.value,
        "revision": str(alert.revision),
    }
    if alert.changed:
        annotations["changed"] = ", ".join(alert.changed)
    entry: dict[str, Any] = {
        "labels": labels,
        "annotations": annotations,
        "startsAt": _rfc3339(alert),
    }
    generator = next((url for url in alert.article_urls if _is_http(url)), None)
    if generator is not None:
        entry["generatorURL"] = generator
    return [entry]


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


# -- shared -------------------------------------------------------------------------


_WEAPON_FACTS = ("missile_type", "range_class", "weapon_names")
"""Shown together, as one "Weapon" line: "ballistic (SRBM): Hwasong-17"."""

_LABELS = {"launch_date": "Date", "location": "From", "impact_area": "Impact"}
"""Labels other than the field's name written out ("reported_by" is "Reported by")."""

_ALWAYS_SHOWN = frozenset({"outcome"})
"""Shown even when unknown, so an analyst sees that it is not known yet."""

_DEFAULTS: dict[str, object] = {name: getattr(LaunchFactFields(), name) for name in FACT_FIELDS}


def facts_of(alert: LaunchAlert) -> list[tuple[str, str]]:
    """The known facts of the launch as (name, value), in the schema's order.

    Derived from the schema's fact fields, so a fact added there is shown here
    without a change: a value this module has no form for is written as text.
    """
    facts: list[tuple[str, str]] = []
    for name in FACT_FIELDS:
        if name in _WEAPON_FACTS:
            if name == _WEAPON_FACTS[0]:
                facts.append(("Weapon", _weapon(alert)))
            continue
        value = getattr(alert, name)
        if value == _DEFAULTS[name] and name not in _ALWAYS_SHOWN:
            continue
        shown = _country(value) if name == "country" else _text(value)
        facts.append((_LABELS.get(name, name.replace("_", " ").capitalize()), shown))
    return facts


def _country(code: CountryCode) -> str:
    """ "North Korea (KP)": the name to read, and the code to filter on."""
    name = country_name(code)
    return name if name == code else f"{name} ({code})"


def _weapon(alert: LaunchAlert) -> str:
    weapon = alert.missile_type.value
    if alert.range_class is not None:
        weapon += f" ({alert.range_class.value})"
    if alert.weapon_names:
        weapon += ": " + ", ".join(alert.weapon_names)
    return weapon


def _text(value: object) -> str:
    """A fact's value as an analyst reads it."""
    if isinstance(value, tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Place):
        return value.name
    if isinstance(value, Claim):
        by = f" ({value.claimed_by})" if value.claimed_by else ""
        return f"{value.quantity.replace('_', ' ')} {value.value:g}{by}"
    return str(value)


def describe(alert: LaunchAlert) -> str:
    """One paragraph of facts, for receivers that show plain text."""
    lines = [f"{name}: {value}" for name, value in facts_of(alert)]
    if alert.kind == AlertKind.UPDATE and alert.changed:
        lines.insert(0, f"Update (revision {alert.revision}): {', '.join(alert.changed)} changed")
    return "\n".join(lines)


def _title(alert: LaunchAlert) -> str:
    if alert.kind == AlertKind.NEW:
        return "Launch detected"
    return f"Launch update (revision {alert.revision})"


def _rfc3339(alert: LaunchAlert) -> str:
    encoded: str = msgspec.to_builtins(alert.raised_at)
    return encoded


RECEIVERS: Mapping[ReceiverKind, Receiver] = MappingProxyType(
    {
        ReceiverKind.WEBHOOK: WebhookReceiver(),
        ReceiverKind.SLACK: SlackReceiver(),
        ReceiverKind.ALERTMANAGER: AlertmanagerReceiver(),
    }
)
"""Every kind of receiver and how it is sent an alert: one entry per `ReceiverKind`."""
