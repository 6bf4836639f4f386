"""The web service as the runtime runs it: one view over events, alerts and reports.

Stateless: every replica reads ``launch.events``, ``alerts.launch`` and
``news.enriched`` from their beginning at start (read_committed, outside any
consumer group) and follows them; `/readyz` answers once that first read is
done. Its pages, feed, API and stream share the service's port with the probes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from schemas import EnrichedArticle, LaunchAlert, LaunchEvent
from services.runtime.spec import ServiceSpec, StageContext
from services.runtime.view import View, ViewSpec
from services.web.basemap import world
from services.web.library import Library
from services.web.pages import web_app

HTTP_PORT = 8084


@asynccontextmanager
async def open_web(settings: Any, context: StageContext) -> AsyncIterator[View]:
    library = Library()
    app, broadcaster = web_app(library, world())
    library.listeners.append(broadcaster)
    try:
        yield View(apply=library.apply, app=app)
    finally:
        broadcaster.close()


WEB = ServiceSpec(
    name="web",
    stages=(
        ViewSpec(name="web", follows=(LaunchEvent, LaunchAlert, EnrichedArticle), open=open_web),
    ),
    http_port=HTTP_PORT,
)
