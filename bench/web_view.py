"""The web view with many launch events: start-up, memory, first byte, rendered page, live delay.

The web service runs in this process (its view stage, opened by the runtime as
`launchwatch run web` opens it, and served by uvicorn on a free port) over
`--events` generated launch events (varied states, types, days; a third known
only by country), one `new` alert each and two reports per event for a tenth of
them, written to the topics first. Figures:

* rebuild: time from start to ready (every record read), and the process's
  resident memory before and after (VmRSS, so the interpreter is included);
* time to first byte and to the last byte of `/`, `/api/events`,
  `/api/events.geojson` and `/alerts.atom` (median of `--requests`), and the
  size of each answer;
* rendered page: Debian's Chromium (Playwright) loads `/`, and the browser's
  own navigation timing gives first byte, DOMContentLoaded and load;
* live delay: a client holds `/api/stream` open while `--live` new events are
  written one at a time; the delay is from the write's return (the record is
  on the topic) to the frame's arrival, median and 95th percentile.

    python bench/web_view.py [--events 10000] [--requests 20] [--live 50] [--kafka BOOTSTRAP]

In memory by default; with `--kafka`, through that broker under a fresh topic prefix.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import httpx

from schemas import (
    TOPICS,
    AlertKind,
    EnrichedArticle,
    LaunchAlert,
    LaunchEvent,
    LaunchFacts,
    Message,
    MissileType,
    Outcome,
    Place,
)
from services.runtime import InMemoryTransport, KafkaOptions, KafkaTransport, Routing, Transport
from services.runtime.http import AppServer, with_probes
from services.runtime.service import open_runners
from services.runtime.settings import RuntimeSettings
from services.runtime.view import ViewRunner
from services.web import WEB

STATES = ("KP", "IR", "RU", "YE", "CN", "IN", "PK", "IL", "US", "FR")
TYPES = (MissileType.BALLISTIC, MissileType.CRUISE, MissileType.HYPERSONIC, MissileType.UNKNOWN)
T0 = datetime(2020, 1, 1, tzinfo=UTC)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generated(number: int) -> list[Message]:
    event_id = f"{number:032x}"
    day = date(2020, 1, 1) + timedelta(days=number % 2000)
    site = None
    if number % 3:
        site = Place(
            name=f"Site {number % 97}", latitude=number % 120 - 50.0, longitude=number % 340 - 170.0
        )
    when = T0 + timedelta(minutes=number)
    event = LaunchEvent(
        event_id=event_id,
        country=STATES[number % len(STATES)],  # type: ignore[arg-type]
        launch_date=day,
        missile_type=TYPES[number % len(TYPES)],
        count=1 + number % 4,
        location=site,
        outcome=Outcome.SUCCESS,
        article_urls=(f"https://news.example/{number}", f"https://wire.example/{number}"),
        sources=("news.example", "wire.example"),
        report_count=2,
        first_reported_at=when,
        last_reported_at=when,
    )
    alert = LaunchAlert(
        alert_id=f"{number:030x}01",
        kind=AlertKind.NEW,
        event_id=event_id,
        country=event.country,
        missile_type=event.missile_type,
        headline=f"Generated launch {number}",
        article_urls=event.article_urls,
        raised_at=when,
    )
    messages: list[Message] = [event, alert]
    if number % 10 == 0:
        for site_name in ("news.example", "wire.example"):
            messages.append(
                EnrichedArticle(
                    article_id=f"{number:028x}{len(site_name):04x}",
                    url=f"https://{site_name}/{number}",
                    title=f"Report {number}",
                    is_launch_report=True,
                    launch=LaunchFacts(event_id=event_id, country=event.country, count=event.count),
                    enriched_at=when,
                )
            )
    return messages


async def write(transport: Transport, routing: Routing, messages: list[Message]) -> None:
    publisher = await transport.publisher(client_id="bench-web")
    try:
        for start in range(0, len(messages), 1000):
            await publisher.publish([routing.record_for(m) for m in messages[start : start + 1000]])
    finally:
        await publisher.close()


async def timed_get(client: httpx.AsyncClient, path: str) -> tuple[float, float, int]:
    started = time.perf_counter()
    async with client.stream("GET", path) as answer:
        first = None
        size = 0
        async for chunk in answer.aiter_bytes():
            first = first or time.perf_counter()
            size += len(chunk)
    done = time.perf_counter()
    return ((first or done) - started) * 1000, (done - started) * 1000, size


def rendered(url: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        page = browser.new_page()
        page.goto(url, wait_until="load")
        page.goto(url, wait_until="load")  # the second visit: caches warm, as a reader's would be
        timing: dict[str, float] = page.evaluate(
            """() => { const t = performance.getEntriesByType('navigation')[0];
                return {ttfb: t.responseStart, dom: t.domContentLoadedEventEnd,
                        load: t.loadEventEnd, bytes: t.transferSize}; }"""
        )
        browser.close()
    return timing


async def live_delays(
    client: httpx.AsyncClient, transport: Transport, routing: Routing, count: int, base: int
) -> list[float]:
    arrived: dict[str, float] = {}
    heard = asyncio.Event()

    async def listen() -> None:
        async with client.stream("GET", "/api/stream", timeout=None) as answer:
            async for line in answer.aiter_lines():
                if line.startswith("id: "):
                    arrived[line[4:].split("/")[0]] = time.perf_counter()
                    heard.set()

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.5)
    delays = []
    publisher = await transport.publisher(client_id="bench-web-live")
    try:
        for number in range(base, base + count):
            event = generated(number)[0]
            await publisher.publish([routing.record_for(event)])
            written = time.perf_counter()
            assert isinstance(event, LaunchEvent)
            while event.event_id not in arrived:
                await heard.wait()
                heard.clear()
            delays.append((arrived[event.event_id] - written) * 1000)
            await asyncio.sleep(0.05)
    finally:
        await publisher.close()
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
    return delays


async def main(args: argparse.Namespace) -> None:
    prefix = f"bench-{uuid.uuid4().hex[:8]}." if args.kafka else ""
    transport: Transport = (
        KafkaTransport(args.kafka, KafkaOptions()) if args.kafka else InMemoryTransport()
    )
    routing = Routing(source="/launchwatch/bench", prefix=prefix)
    await transport.create_topics([replace(t, name=prefix + t.name) for t in TOPICS])
    messages = [m for n in range(args.events) for m in generated(n)]
    await write(transport, routing, messages)
    del messages
    before = rss_mb()
    settings = RuntimeSettings(topic_prefix=prefix)
    async with contextlib.AsyncExitStack() as stack:
        started = time.perf_counter()
        runners = await open_runners(WEB, settings, None, transport, stack)
        (runner,) = runners
        assert isinstance(runner, ViewRunner)
        stop = asyncio.Event()
        running = asyncio.create_task(runner.run(stop))
        await runner.ready.wait()
        rebuilt = time.perf_counter() - started
        after = rss_mb()
        server = AppServer(with_probes(runner.app, runner.ready.is_set), "127.0.0.1", 0)
        port = await server.start()
        base = f"http://127.0.0.1:{port}"
        print(f"events: {args.events} ({'Kafka' if args.kafka else 'in memory'})")
        print(
            f"rebuild to ready: {rebuilt:.2f} s; RSS {before:.0f} MB before, {after:.0f} MB after"
        )
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            for path in ("/", "/api/events", "/api/events.geojson", "/alerts.atom"):
                samples = [await timed_get(client, path) for _ in range(args.requests)]
                ttfb = statistics.median(s[0] for s in samples)
                total = statistics.median(s[1] for s in samples)
                print(
                    f"{path:22} first byte {ttfb:7.1f} ms, last byte {total:7.1f} ms, "
                    f"{samples[0][2] / 1024:7.0f} KiB"
                )
            with ThreadPoolExecutor(1) as thread:
                timing = await asyncio.get_running_loop().run_in_executor(
                    thread, rendered, base + "/"
                )
            print(
                f"chromium /: first byte {timing['ttfb']:.0f} ms, DOMContentLoaded "
                f"{timing['dom']:.0f} ms, load {timing['load']:.0f} ms"
            )
            delays = await live_delays(client, transport, routing, args.live, args.events)
            delays.sort()
            p95 = delays[min(len(delays) - 1, int(len(delays) * 0.95))]
            print(
                f"record -> /api/stream frame: median {statistics.median(delays):.1f} ms, "
                f"p95 {p95:.1f} ms, max {delays[-1]:.1f} ms ({len(delays)} events)"
            )
        await server.stop()
        stop.set()
        await running
    await transport.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--live", type=int, default=50)
    parser.add_argument("--kafka", metavar="BOOTSTRAP")
    asyncio.run(main(parser.parse_args()))
