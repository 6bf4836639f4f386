"""Publication -> `new` alert with WebSub push, the poll floor left at its 60 s default.

The whole stack as in bench/pipeline_latency.py: fetcher, parser and enricher
as separate processes on a private broker, under a fresh topic prefix, and
generated launch news (about half reports, two per launch) appearing one
article every 0.5/rate to 1.5/rate seconds on `--hosts` loopback sites, one
Atom feed each. Here every feed names a local WebSub hub (`tests.websub_hub`,
the hub side of W3C WebSub) and itself (``rel="self"``), and the fetcher
serves its callback on its HTTP port (``LAUNCHWATCH_WEBSUB_CALLBACK_URL``).
Every other setting is the service default, except the loopback allowance: the
poll floor 60 s, one request start per second per site, robots.txt honoured.

The fetcher's first poll of each feed discovers the hub and subscribes; once
the hub has verified every subscription the news starts. When an article
appears, its site pings the hub, which delivers the feed document with the new
entry, signed, to the callback (as a publisher's hub does). Reported
afterwards, from the moment each article appeared and the record timestamps:

* publication -> `new` alert, per launch (from its first report), p50/p95/p99;
* publication -> `news.enriched`, per article;
* the counts: articles appeared, on `news.raw` (each once), `new` alerts (one
  per launch), and the polls of the feeds (each feed's first only: everything
  else came by push).

    python bench/websub_latency.py [--duration 60] [--rate 1] [--hosts 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # sibling benchmarks, by their file names

from pipeline_figures import latency, percentiles, slug_of  # noqa: E402
from pipeline_monitor import Monitor  # noqa: E402
from pipeline_rig import (  # noqa: E402
    LOOPBACK,
    Run,
    Sites,
    cli,
    console,
    environment,
    newsroom,
    read_outcome,
    ready,
    trickle,
    wait_until,
)

from schemas import AlertKind  # noqa: E402
from services.sample_site import SampleSite  # noqa: E402
from services.sample_site.catalog import SampleArticle  # noqa: E402
from services.sample_site.render import atom_feed  # noqa: E402
from tests.integration.pipeline import SERVICES, Pipeline  # noqa: E402
from tests.kafka_broker import free_port, start_broker, stop_broker  # noqa: E402
from tests.newsroom import Story  # noqa: E402
from tests.websub_hub import Hub  # noqa: E402

ATOM_TYPE = "application/atom+xml; charset=utf-8"
CALLBACK_PATH = "/websub"


def announcing(document: bytes, hub_url: str, self_url: str) -> bytes:
    """An Atom feed document naming `hub_url` as its hub and `self_url` as itself."""
    head, tag, rest = document.partition(b"<feed")
    end = rest.index(b">") + 1
    links = f'<link rel="hub" href="{hub_url}"/><link rel="self" href="{self_url}"/>'
    return head + tag + rest[:end] + links.encode() + rest[end:]


class HubSite(SampleSite):
    """A sample site whose Atom feed names a WebSub hub and itself (`/atom.xml`)."""

    def __init__(self, hub_url: str, *, host: str, articles: list[SampleArticle]) -> None:
        super().__init__(host=host, articles=articles)
        self.hub_url = hub_url

    @property
    def topic(self) -> str:
        return f"{self.base_url}/atom.xml"

    def _send(  # type: ignore[override]
        self, request: BaseHTTPRequestHandler, body: bytes, content_type: str, modified: str | None
    ) -> None:
        if content_type.startswith("application/atom+xml"):
            body = announcing(body, self.hub_url, self.topic)
        SampleSite._send(request, body, content_type, modified)

    def pushed(self, articles: Sequence[SampleArticle]) -> bytes:
        """What the hub delivers when `articles` appear: the feed with those entries."""
        return announcing(atom_feed(list(articles), self.base_url), self.hub_url, self.topic)


class HubSites(Sites):
    """`hosts` sites, one Atom feed each naming `hub`; a publication pings the hub."""

    def __init__(self, stories: Sequence[Story], *, hosts: int, hub: Hub) -> None:
        self.hub = hub
        super().__init__(
            stories,
            hosts=hosts,
            feeds=hosts,
            make_site=lambda host, articles, _: HubSite(hub.url, host=host, articles=articles),
        )

    def publish(self, articles: Sequence[SampleArticle]) -> None:
        super().publish(articles)
        for number, site in enumerate(self.sites):
            assert isinstance(site, HubSite)
            mine = [a for a in articles if self.home[a.slug] == number]
            if mine:
                codes = self.hub.publish(site.topic, site.pushed(mine), ATOM_TYPE)
                if codes != [202]:
                    console.print(f"[yellow]{site.topic}: the callback answered {codes}[/yellow]")


def run_with_websub(
    run: Run, bootstrap: str, workdir: Path, *, hosts: int, rate: float, seed: int
) -> dict[str, float]:
    """The run, its outcome read into `run`; returns the fetcher's poll and push counts."""
    prefix = f"websub{uuid.uuid4().hex[:8]}."
    cli("topics", "create", bootstrap=bootstrap, prefix=prefix)
    ports = {service: free_port() for service in SERVICES}
    callback = f"http://127.0.0.1:{ports['fetcher']}{CALLBACK_PATH}"
    schedule = trickle(run.stories, rate, seed)
    launches = {s.launch for s in run.stories if s.launch is not None}
    log_path = workdir / f"{prefix}log"
    with (
        Hub(lease_s=864000) as hub,
        HubSites(run.stories, hosts=hosts, hub=hub) as sites,
        log_path.open("wb") as log,
    ):
        cli("feeds", "add", *sites.feed_urls, bootstrap=bootstrap, prefix=prefix)
        pipeline = Pipeline(
            environment(bootstrap, prefix, run.settings),
            per_service={
                service: {"LAUNCHWATCH_HTTP_PORT": str(port)}
                | ({"LAUNCHWATCH_WEBSUB_CALLBACK_URL": callback} if service == "fetcher" else {})
                for service, port in ports.items()
            },
            log=log,
        )
        pipeline.keep_running()
        monitor = Monitor(pipeline, ports)
        try:
            if not wait_until("the services to be ready", lambda: ready(ports), 120):
                raise RuntimeError(f"services not ready; see {log_path}")
            monitor.start()
            topics = [site.topic for site in sites.sites if isinstance(site, HubSite)]
            if not wait_until(
                "the hub to verify every feed's subscription",
                lambda: all(hub.state.current(topic) for topic in topics),
                60,
            ):
                raise RuntimeError(f"subscriptions not verified; see {log_path}")
            start = time.monotonic()
            for offset, articles in schedule:
                time.sleep(max(0.0, start + offset - time.monotonic()))
                sites.publish(articles)

            def alerted() -> bool:
                asyncio.run(read_outcome(run, bootstrap, prefix))
                new = {a.event_id for _, a in run.alerts if a.kind is AlertKind.NEW}
                return len(run.enriched) >= len(run.stories) and len(new) >= len(launches)

            run.complete = wait_until("every article and alert", alerted, 60)
        finally:
            if monitor.is_alive():
                monitor.finish()
            pipeline.stop()
            run.appeared = dict(sites.appeared)
    asyncio.run(read_outcome(run, bootstrap, prefix))
    return {
        "polls": monitor.counter("fetcher", "launchwatch_feed_polls_total"),
        "pushes accepted": monitor.counter(
            "fetcher", "launchwatch_websub_deliveries_total", outcome="accepted"
        ),
    }


def show(run: Run, counts: dict[str, float], feeds: int) -> None:
    figures = latency(run)
    console.print("[bold]WebSub push, poll floor 60 s (seconds): n, p50, p95, p99[/bold]")
    for label, values in (
        ("publication -> new alert", figures.alert_total),
        ("publication -> news.enriched (every article)", figures.article_enriched),
        ("publication -> fetched_at (push applied)", figures.article_wait),
    ):
        console.print(f"  {label:48s}", *percentiles(values))
    raw = Counter(slug_of(r.url) for _, r in run.raw)
    new = Counter(a.event_id for _, a in run.alerts if a.kind is AlertKind.NEW)
    launches = {s.launch for s in run.stories if s.launch is not None}
    console.print(
        f"  articles appeared: {len(run.appeared)}; on news.raw: {len(raw)}, "
        f"repeated: {sum(n - 1 for n in raw.values())}; launches: {len(launches)}, "
        f"new alerts: {len(new)}, repeated: {sum(n - 1 for n in new.values())}, "
        f"launches without one: {figures.missing_alerts}"
    )
    console.print(
        f"  feeds: {feeds}; polls: {counts['polls']:.0f}; "
        f"deliveries accepted: {counts['pushes accepted']:.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of news")
    parser.add_argument("--rate", type=float, default=1.0, help="articles per second")
    parser.add_argument("--hosts", type=int, default=10, help="sites, one feed each")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    stories = newsroom(max(4, round(args.duration * args.rate)), seed=args.seed, prefix="w")
    run = Run("WebSub push", dict(LOOPBACK), stories)
    with tempfile.TemporaryDirectory(prefix="launchwatch-bench-websub-") as work:
        broker, started = start_broker(Path(work) / "kafka")
        if started.returncode != 0:
            print(started.stderr, file=sys.stderr)
            return 1
        try:
            counts = run_with_websub(
                run,
                started.stdout.strip().splitlines()[-1],
                Path(work),
                hosts=args.hosts,
                rate=args.rate,
                seed=args.seed,
            )
        finally:
            stop_broker(broker)
    show(run, counts, args.hosts)
    return 0 if run.complete else 1


if __name__ == "__main__":
    sys.exit(main())
