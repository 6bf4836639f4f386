"""The API's documents (`schemas.web`) and the Atom feed, built from the library.

The Atom feed (RFC 4287) has one entry per alert, newest first, capped at
`FEED_ENTRIES`. An entry's id is the alert's stable id as a URN
(``urn:launchwatch:alert:<alert_id>``), so a feed reader that sees a
redelivered alert sees the same entry; its links are the event's page and the
reports behind the alert. The document is built with ElementTree, which
escapes every text and attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import msgspec

from schemas import (
    EventCollection,
    EventFeature,
    EventPage,
    EventProperties,
    LaunchAlert,
    LaunchEvent,
    Point,
)
from services.web.basemap import Basemap
from services.web.query import EventQuery

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 200
FEED_ID = "urn:launchwatch:alerts"


def event_page(query: EventQuery, matching: Sequence[LaunchEvent], path: str) -> EventPage:
    return EventPage(
        total=len(matching),
        offset=query.offset,
        limit=query.limit,
        next=query.next_link(path, len(matching)),
        events=tuple(query.page(matching)),
    )


def feature_of(event: LaunchEvent, basemap: Basemap) -> EventFeature | None:
    placement = basemap.place(event)
    if placement is None:
        return None
    return EventFeature(
        id=event.event_id,
        geometry=Point(coordinates=(placement.longitude, placement.latitude)),
        properties=EventProperties(
            event_id=event.event_id,
            revision=event.revision,
            url=f"/events/{event.event_id}",
            country=event.country,
            launch_date=event.launch_date,
            missile_type=event.missile_type,
            range_class=event.range_class,
            count=event.count,
            outcome=event.outcome,
            place=placement.name,
            precision=placement.precision,
            uncertainty_km=placement.uncertainty_km,
            report_count=event.report_count,
            first_reported_at=event.first_reported_at,
            last_reported_at=event.last_reported_at,
        ),
    )


def event_collection(matching: Sequence[LaunchEvent], basemap: Basemap) -> EventCollection:
    features = (feature_of(event, basemap) for event in matching)
    return EventCollection(features=tuple(f for f in features if f is not None))


def json_bytes(document: msgspec.Struct) -> bytes:
    return msgspec.json.encode(document)


def alert_feed(alerts: Sequence[LaunchAlert], base_url: str) -> bytes:
    """An Atom feed of `alerts` (newest first); links are absolute, under `base_url`."""
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", FEED_ID)
    _text(feed, "title", "launchwatch: launch alerts")
    updated = max((alert.raised_at for alert in alerts), default=datetime(2000, 1, 1, tzinfo=UTC))
    _text(feed, "updated", _stamp(updated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "launchwatch")
    _link(feed, f"{base}/alerts.atom", rel="self", type="application/atom+xml")
    _link(feed, f"{base}/", rel="alternate", type="text/html")
    for alert in alerts[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:launchwatch:alert:{alert.alert_id}")
        _text(entry, "title", f"[{alert.kind}] {alert.headline}")
        _text(entry, "updated", _stamp(alert.raised_at))
        _text(entry, "published", _stamp(alert.raised_at))
        _link(entry, f"{base}/events/{alert.event_id}", rel="alternate", type="text/html")
        for url in alert.article_urls:
            _link(entry, url, rel="related")
        ET.SubElement(entry, f"{{{ATOM}}}category", term=str(alert.kind))
        _text(entry, "summary", _alert_summary(alert))
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _alert_summary(alert: LaunchAlert) -> str:
    facts = [
        f"country {alert.country or 'unknown'}",
        f"type {alert.missile_type}",
        f"date {alert.launch_date.isoformat() if alert.launch_date else 'unknown'}",
        f"outcome {alert.outcome}",
    ]
    if alert.count is not None:
        facts.append(f"count {alert.count}")
    if alert.changed:
        facts.append("changed: " + ", ".join(alert.changed))
    return "; ".join(facts)


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = text


def _link(parent: ET.Element, href: str, **attributes: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"href": href, **attributes})


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
