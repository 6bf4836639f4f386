"""The routes: the pages people read, and the feed, API and stream tools read.

| route | answer |
|---|---|
| `/` | map, timeline, filters and the list of launches (HTML) |
| `/events/{event_id}` | one launch: facts with sources and evidence, articles, revisions, alerts |
| `/alerts.atom` | Atom feed of the alerts |
| `/api/events` | `EventPage` (JSON), filters `country`, `type`, `since`, `until`, paged |
| `/api/events.geojson` | `EventCollection` (GeoJSON), the same filters |
| `/api/stream` | server-sent events (`services.web.stream`) |

Pages are rendered on the server from Jinja templates, complete without
JavaScript; ``static/live.js`` only adds what arrives later. Nothing is loaded
from another origin (a strict Content-Security-Policy says so to the browser).
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas import MissileType
from services.web.basemap import Basemap
from services.web.documents import alert_feed, event_collection, event_page, json_bytes
from services.web.library import Library
from services.web.presentation import fact_rows, label_of, text_of, timeline, title_of
from services.web.query import BadQuery, EventQuery
from services.web.stream import Broadcaster

PAGE_SIZE = 200
"""Launches listed (and marked on the map) per page of `/`; the timeline counts all."""
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("services.web") / name))


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self._app(scope, receive, sending)


def days_link(query: EventQuery, first: date, last: date) -> str:
    """`/` narrowed to some days, the other filters kept: a timeline bar's link."""
    kept = {k: v for k, v in query.filters().items() if k not in ("since", "until")}
    return "/?" + urlencode({**kept, "since": first.isoformat(), "until": last.isoformat()})


def web_app(library: Library, basemap: Basemap) -> tuple[ASGIApp, Broadcaster]:
    """The pages over `library`, and the broadcaster to register as its listener."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_package_dir("templates")), autoescape=True
    )
    templates = Jinja2Templates(env=environment)
    environment.filters["text"] = text_of
    environment.filters["label"] = label_of
    environment.globals["basemap"] = basemap
    environment.globals["title_of"] = lambda event: title_of(event, basemap)
    environment.globals["days_link"] = days_link
    item = environment.get_template("_item.html")
    broadcaster = Broadcaster(basemap, lambda event: item.render(event=event))

    def query_of(request: Request, limit: int) -> EventQuery:
        try:
            return EventQuery.parse(request.query_params, limit=limit)
        except BadQuery as error:
            raise HTTPException(400, str(error)) from None

    async def index(request: Request) -> Response:
        query = query_of(request, PAGE_SIZE)
        current = library.current()
        matching = query.select(current)
        shown = query.page(matching)
        placed = [(event, basemap.place(event)) for event in shown]
        countries = sorted({e.country for e in current if e.country}, key=basemap.name_of)
        return templates.TemplateResponse(
            request,
            "index.html",
            {
                "query": query,
                "total": len(matching),
                "events": shown,
                "markers": [(event, place) for event, place in placed if place is not None],
                "bars": timeline(matching),
                "countries": countries,
                "types": [member.value for member in MissileType],
                "next": query.next_link("/", len(matching)),
                "previous": query.previous_link("/"),
                "alerts": library.latest_alerts(10),
            },
        )

    async def event_page_(request: Request) -> Response:
        event_id = request.path_params["event_id"]
        survivor = library.survivor(event_id)
        if survivor is None:
            raise HTTPException(404, f"no launch event {event_id}")
        if survivor != event_id:
            return RedirectResponse(f"/events/{survivor}", status_code=303)
        event = library.events[event_id]
        reports = library.reports_of(event)
        return templates.TemplateResponse(
            request,
            "event.html",
            {
                "event": event,
                "title": title_of(event, basemap),
                "place": basemap.place(event),
                "rows": fact_rows(event, reports),
                "reports": reports,
                "history": library.history_of(event_id),
                "alerts": library.alerts_of((*event.merged_from, event_id)),
            },
        )

    async def atom(request: Request) -> Response:
        body = alert_feed(library.latest_alerts(200), str(request.base_url))
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    async def api_events(request: Request) -> Response:
        query = query_of(request, 100)
        page = event_page(query, query.select(library.current()), "/api/events")
        return Response(json_bytes(page), media_type="application/json")

    async def api_geojson(request: Request) -> Response:
        query = query_of(request, 100)
        collection = event_collection(query.select(library.current()), basemap)
        return Response(json_bytes(collection), media_type="application/geo+json")

    async def api_stream(request: Request) -> Response:
        return StreamingResponse(
            broadcaster.frames(),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return PlainTextResponse(f"{error.detail}\n", status_code=error.status_code)

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/events/{event_id}", event_page_),
            Route("/alerts.atom", atom),
            Route("/api/events", api_events),
            Route("/api/events.geojson", api_geojson),
            Route("/api/stream", api_stream),
            Mount("/static", StaticFiles(directory=_package_dir("static")), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
    )
    return SecurityHeaders(app), broadcaster
