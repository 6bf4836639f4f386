"""The whole pipeline in one process: sample site → fetcher → parser → enricher → alerts.

The three services run exactly as `launchwatch run` runs them (the same
stages, opened by the same runtime), only side by side in one event loop and,
by default, on the in-memory transport. With a Kafka bootstrap the same run
goes through a real broker, under a topic prefix of its own so that runs never
see each other's records.

The run is finished when every article of the sample site has come out of the
enricher: correlation writes a report's tagged article in the same
transaction as its event and alerts, so by then every alert has been raised.

With `DemoWeb` (``launchwatch demo --serve``) the web view runs too, from the
start, so launches appear on its map as the pipeline finds them; once the run is
over, its pages stay up (on the run's transport) until `DemoWeb.hold` returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from schemas import (
    TOPICS,
    Article,
    EnrichedArticle,
    FeedSubscription,
    LaunchAlert,
    LaunchEvent,
    Message,
    RawArticle,
    decode,
    topic_for,
)
from schemas.ids import canonical_url, feed_id
from services.catalog import SERVICES
from services.fetcher.settings import FetcherSettings
from services.runtime import InMemoryTransport, KafkaOptions, KafkaTransport, Routing, Transport
from services.runtime.http import AppServer, with_probes
from services.runtime.kafka_security import KafkaSecurity
from services.runtime.service import Runner, open_runners, run_all
from services.runtime.settings import RuntimeSettings
from services.runtime.tables import latest
from services.runtime.view import ViewSpec, view_app
from services.sample_site import SampleSite

STAGES = ("fetched", "parsed", "enriched")
PROGRESS_TOPICS: dict[str, type[Message]] = {
    "fetched": RawArticle,
    "parsed": Article,
    "enriched": EnrichedArticle,
}


@dataclass
class Progress:
    """What the run has seen so far: distinct articles per stage, and the alerts."""

    expected: int
    articles: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in STAGES})
    alerts: list[LaunchAlert] = field(default_factory=list)

    def count(self, stage: str) -> int:
        return len(self.articles[stage])

    @property
    def finished(self) -> bool:
        return self.count("enriched") >= self.expected


@dataclass(frozen=True)
class DemoResult:
    progress: Progress
    events: list[LaunchEvent]
    """The launch events at the end, first reported first."""
    finished: bool
    """False when the time ran out before every article was enriched."""


@dataclass
class Observer:
    """How the run reports itself (the terminal view, or nothing)."""

    on_progress: Callable[[Progress], None] = lambda progress: None
    on_alert: Callable[[LaunchAlert], None] = lambda alert: None


@dataclass
class DemoWeb:
    """Serve the web view during and after the run (``launchwatch demo --serve``)."""

    hold: Callable[[DemoResult], Awaitable[None]]
    """Awaited once the run is over, with its result; the pages stay up until it returns."""
    port: int = 8084
    host: str = "127.0.0.1"
    on_listening: Callable[[str], None] = lambda url: None


async def run_demo(
    *,
    kafka_bootstrap: str | None = None,
    timeout_s: float = 60.0,
    observer: Observer | None = None,
    site: SampleSite | None = None,
    web: DemoWeb | None = None,
    kafka_security: KafkaSecurity | None = None,
) -> DemoResult:
    """Serve the sample site, run the three services over it until done or `timeout_s`.

    On a real broker the run's topics carry a prefix of their own, and they are
    deleted when the run ends, however it ends: a demo leaves nothing behind.
    """
    observer = observer or Observer()
    own_site = site is None
    site = site or SampleSite("127.0.0.1", 0)
    if own_site:
        site.start()
    prefix = f"demo-{uuid.uuid4().hex[:8]}." if kafka_bootstrap else ""
    transport = _transport(kafka_bootstrap, kafka_security)
    topics = [dataclasses.replace(topic, name=prefix + topic.name) for topic in TOPICS]
    try:
        routing = Routing(source="/launchwatch/demo", prefix=prefix)
        await transport.create_topics(topics)
        await _subscribe(transport, routing, site.feed_urls)
        progress = Progress(expected=len(site.articles))
        return await _run(transport, routing, prefix, progress, observer, timeout_s, web)
    finally:
        try:
            if isinstance(transport, KafkaTransport):
                await transport.delete_topics([topic.name for topic in topics])
        finally:
            await transport.close()
            if own_site:
                site.stop()


def _transport(kafka_bootstrap: str | None, security: KafkaSecurity | None) -> Transport:
    if kafka_bootstrap is None:
        return InMemoryTransport()
    return KafkaTransport(
        kafka_bootstrap,
        KafkaOptions(
            session_timeout_s=6,
            heartbeat_interval_s=1,
            security=security or KafkaSecurity(),
        ),
    )


async def _subscribe(transport: Transport, routing: Routing, urls: list[str]) -> None:
    feeds = [
        FeedSubscription(
            feed_id=feed_id(url),
            url=canonical_url(url),
            title="launchwatch sample news",
            added_at=datetime.now(UTC),
        )
        for url in urls
    ]
    publisher = await transport.publisher(client_id="launchwatch-demo")
    try:
        await publisher.publish([routing.record_for(feed) for feed in feeds])
    finally:
        await publisher.close()


async def _run(
    transport: Transport,
    routing: Routing,
    prefix: str,
    progress: Progress,
    observer: Observer,
    timeout_s: float,
    web: DemoWeb | None = None,
) -> DemoResult:
    stop = asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        runners: list[Runner] = []
        for name, spec in SERVICES.items():
            if web is None and any(isinstance(stage, ViewSpec) for stage in spec.stages):
                continue
            settings = RuntimeSettings(
                topic_prefix=prefix,
                group_id=f"{prefix}launchwatch-{name}",
                session_timeout_s=6.0,
                shutdown_grace_s=5.0,
            )
            runners += await open_runners(spec, settings, _own_settings(name), transport, stack)
        pages = await _serve_pages(runners, web)
        services = asyncio.create_task(run_all(runners, stop))
        watchers = [
            asyncio.create_task(_watch_stage(transport, routing, stage, progress, observer))
            for stage in STAGES
        ] + [asyncio.create_task(_watch_alerts(transport, routing, progress, observer))]
        try:
            finished = await _until_finished(progress, services, timeout_s)
        finally:
            stop.set()
            for watcher in watchers:
                watcher.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)
            await services
        table = await latest(transport, routing, LaunchEvent)
        events = sorted(table.values(), key=lambda event: event.first_reported_at)
        result = DemoResult(progress, events, finished)
        if pages is not None and web is not None:
            try:
                await web.hold(result)
            finally:
                await pages.stop()
    return result


async def _serve_pages(runners: list[Runner], web: DemoWeb | None) -> AppServer | None:
    app = view_app(runners)
    if web is None or app is None:
        return None
    pages = AppServer(with_probes(app, lambda: True), web.host, web.port)
    port = await pages.start()
    web.on_listening(f"http://{web.host}:{port}/")
    return pages


def _own_settings(service: str) -> Any:
    """Each service's defaults, but the fetcher may fetch the local site and polls it often."""
    if service == "fetcher":
        return FetcherSettings(
            fetch_allow_networks="127.0.0.0/8", fetch_host_interval_s=0.05, poll_min_s=5.0
        )
    return SERVICES[service].settings_type()


async def _until_finished(
    progress: Progress, services: asyncio.Task[None], timeout_s: float
) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not progress.finished and loop.time() < deadline:
        if services.done():
            services.result()  # a service failed: raise its error
            return False
        await asyncio.sleep(0.1)
    return progress.finished


async def _watch_stage(
    transport: Transport, routing: Routing, stage: str, progress: Progress, observer: Observer
) -> None:
    message_type = PROGRESS_TOPICS[stage]
    topic = routing.name_of(topic_for(message_type))
    async for record in transport.read(topic, from_beginning=True, follow=True):
        if record.key is not None:
            progress.articles[stage].add(record.key.decode())
            observer.on_progress(progress)


async def _watch_alerts(
    transport: Transport, routing: Routing, progress: Progress, observer: Observer
) -> None:
    topic = routing.name_of(topic_for(LaunchAlert))
    async for record in transport.read(topic, from_beginning=True, follow=True):
        if record.value is None:
            continue
        alert = decode(LaunchAlert, record.value, record.headers)
        progress.alerts.append(alert)
        observer.on_alert(alert)
