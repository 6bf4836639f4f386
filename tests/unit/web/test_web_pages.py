"""The web view's routes over a library: pages, feed, API, validated against their contracts."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import feedparser
import httpx
import jsonschema
import pytest
from starlette.types import ASGIApp

from schemas import AlertKind, MissileType
from services.web.basemap import world
from services.web.library import Library
from services.web.pages import web_app
from tests.unit.web.samples import alert, change, event, event_id, report

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas" / "jsonschema"


@pytest.fixture
def library() -> Library:
    library = Library()
    library.apply(change(event(1)))
    library.apply(change(event(2, country="IR", missile_type=MissileType.CRUISE, location=None)))
    library.apply(change(event(3, country=None, location=None, launch_date=None)))
    library.apply(change(event(4, merged_into=event_id(1))))
    library.apply(change(report(1, "news.example", 2, "two ballistic missiles")))
    library.apply(change(report(1, "wire.example", 3, "three missiles")))
    library.apply(change(alert(1)))
    library.apply(change(alert(1, kind=AlertKind.UPDATE, revision=2)))
    library.apply(change(alert(2)))
    return library


class PageClient:
    """Requests to the app in process, each in its own event loop (the pages hold no loop state)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    def get(self, url: str, **options: Any) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self._app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver"
            ) as client:
                return await client.get(url, **options)

        return asyncio.run(fetch())


@pytest.fixture
def client(library: Library) -> PageClient:
    app, _ = web_app(library, world())
    return PageClient(app)


def validate(document: object, name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.v1.schema.json").read_text())
    jsonschema.validate(document, schema)


def test_the_front_page_lists_every_live_launch_and_marks_those_it_can_place(
    client: PageClient,
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    for number in (1, 2, 3):
        assert f'id="event-{event_id(number)}"' in html
    assert event_id(4) not in html  # merged into 1
    assert f'id="marker-{event_id(1)}"' in html
    assert 'class="marker site"' in html
    assert f'id="marker-{event_id(2)}"' in html
    assert 'class="marker country"' in html
    assert f'id="marker-{event_id(3)}"' not in html  # neither site nor country
    assert "Iran: cruise launch, 2 fired, 2025-10-28" in html


def test_the_page_is_light_and_loads_nothing_from_elsewhere(client: PageClient) -> None:
    page = client.get("/")
    assert len(page.content) < 400_000
    assert "default-src 'self'" in page.headers["content-security-policy"]
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert loaded
    assert all(url.startswith("/") for url in loaded)


def test_filters_narrow_the_list(client: PageClient) -> None:
    html = client.get("/", params={"country": "IR"}).text
    assert event_id(2) in html
    assert f"event-{event_id(1)}" not in html
    html = client.get("/", params={"type": "ballistic", "until": "2025-10-28"}).text
    assert f"event-{event_id(1)}" in html
    assert f"event-{event_id(2)}" not in html


def test_a_bad_filter_is_refused_with_its_reason(client: PageClient) -> None:
    answer = client.get("/api/events", params={"since": "yesterday"})
    assert answer.status_code == 400
    assert "since" in answer.text
    assert client.get("/", params={"type": "rocket-ish"}).status_code == 400


def test_the_event_page_shows_sources_claims_and_evidence(client: PageClient) -> None:
    html = client.get(f"/events/{event_id(1)}").text
    assert "news.example" in html
    assert "wire.example" in html
    assert "two ballistic missiles" in html
    assert "three missiles" in html
    count_row = html[html.index('id="fact-count"') :]
    assert "sources disagree" in count_row[: count_row.index("</tr>")]
    assert "https://news.example/1/a" in html
    assert html.count("<strong>update</strong>") == 1


def test_an_absorbed_event_redirects_to_its_survivor_and_unknown_ones_are_404(
    client: PageClient,
) -> None:
    answer = client.get(f"/events/{event_id(4)}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/events/{event_id(1)}"
    assert client.get(f"/events/{event_id(99)}").status_code == 404


def test_api_events_is_a_valid_page_with_filters_and_paging(client: PageClient) -> None:
    first = client.get("/api/events", params={"limit": 2}).json()
    validate(first, "EventPage")
    assert first["total"] == 3
    assert len(first["events"]) == 2
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert len(second["events"]) == 1
    ids = {e["event_id"] for e in first["events"] + second["events"]}
    assert ids == {event_id(1), event_id(2), event_id(3)}
    only = client.get("/api/events", params={"country": "ir"}).json()
    assert [e["event_id"] for e in only["events"]] == [event_id(2)]


def test_api_geojson_places_events_at_site_or_country(client: PageClient) -> None:
    answer = client.get("/api/events.geojson")
    assert answer.headers["content-type"].startswith("application/geo+json")
    collection = answer.json()
    validate(collection, "EventCollection")
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {event_id(1), event_id(2)}
    assert features[event_id(1)]["geometry"]["coordinates"] == [124.5, 38.3]
    assert features[event_id(1)]["properties"]["precision"] == "site"
    iran = features[event_id(2)]["properties"]
    assert iran["precision"] == "country"
    assert iran["uncertainty_km"] > 100


def test_the_atom_feed_has_one_entry_per_alert_with_stable_ids_and_links(
    client: PageClient,
) -> None:
    body = client.get("/alerts.atom")
    assert body.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(body.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == 3
    ids = [entry.id for entry in feed.entries]
    assert ids[-1] == f"urn:launchwatch:alert:{alert(1).alert_id}"
    first = feed.entries[-1]
    assert first.link == f"http://testserver/events/{event_id(1)}"
    assert "https://news.example/1/a" in [link.href for link in first.links]
    assert first.title.startswith("[new] Test launch number 1 & friends <b>")
    again = feedparser.parse(client.get("/alerts.atom").content)
    assert [entry.id for entry in again.entries] == ids
