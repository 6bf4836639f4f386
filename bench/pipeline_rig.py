"""Running the whole pipeline for a benchmark: news sites, generated news, processes, topics.

The fetcher, parser and enricher run as separate processes (`launchwatch run ...`)
on a private broker, under a fresh topic prefix per run; news sites are served on
loopback addresses; generated launch news appears in their feeds on a schedule; and
afterwards the topics are read back with the record timestamps. Shared by the
whole-pipeline benchmarks (pipeline_latency.py, restart_kills.py).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from rich.console import Console

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # sibling benchmarks, by their file names

from pipeline_monitor import Monitor, Usage  # noqa: E402

from schemas import (  # noqa: E402
    Article,
    EnrichedArticle,
    LaunchAlert,
    Message,
    RawArticle,
    decode,
    topic_for,
)
from services.runtime import KafkaTransport, Routing  # noqa: E402
from services.sample_site import SampleSite  # noqa: E402
from services.sample_site.catalog import SampleArticle  # noqa: E402
from tests.cli import launchwatch  # noqa: E402
from tests.integration.pipeline import SERVICES, Pipeline  # noqa: E402
from tests.kafka_broker import free_port  # noqa: E402
from tests.newsroom import Story, launch_news  # noqa: E402

M = TypeVar("M", bound=Message)

LOOPBACK = {"LAUNCHWATCH_FETCH_ALLOW_NETWORKS": "127.0.0.0/8"}
TEST_LOOPBACK = {
    "LAUNCHWATCH_POLL_MIN_S": "1",
    "LAUNCHWATCH_POLL_MAX_S": "2",
    "LAUNCHWATCH_FETCH_HOST_INTERVAL_S": "0",
}
console = Console(width=150)


# --- one pipeline on fresh topics ---------------------------------------------------------


def environment(bootstrap: str, prefix: str, settings: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment without any LAUNCHWATCH_* setting, plus the run's own."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LAUNCHWATCH_")},
        "LAUNCHWATCH_KAFKA_BOOTSTRAP": bootstrap,
        "LAUNCHWATCH_TOPIC_PREFIX": prefix,
        "LAUNCHWATCH_GROUP_ID": f"{prefix}group",
        "LAUNCHWATCH_HTTP_HOST": "127.0.0.1",
        **settings,
    }


def cli(*args: str, bootstrap: str, prefix: str) -> None:
    done = launchwatch(*args, bootstrap=bootstrap, prefix=prefix)
    if done.returncode != 0:
        raise RuntimeError(f"launchwatch {' '.join(args[:2])} failed: {done.stderr}")


class Sites:
    """`hosts` news sites on 127.0.0.1, 127.0.0.2, ..., `feeds` feeds in all."""

    def __init__(
        self,
        stories: Sequence[Story],
        *,
        hosts: int,
        feeds: int,
        make_site: Callable[[str, list[SampleArticle], int], SampleSite] | None = None,
    ) -> None:
        """`make_site(host, articles, feeds)` builds each site (a `SampleSite` by default)."""
        per_host = max(1, feeds // hosts)
        build = make_site or (
            lambda host, articles, count: SampleSite(host=host, articles=articles, feeds=count)
        )
        self.home = {s.article.slug: n % hosts for n, s in enumerate(stories)}
        self.sites = [
            build(
                f"127.0.0.{number + 1}",
                [s.article for s in stories if self.home[s.article.slug] == number],
                per_host,
            )
            for number in range(hosts)
        ]
        self.published: list[list[SampleArticle]] = [[] for _ in self.sites]
        self.appeared: dict[str, float] = {}

    def __enter__(self) -> Sites:
        for site in self.sites:
            site.start()
            site.publish([])
        return self

    def __exit__(self, *exc: object) -> None:
        for site in self.sites:
            site.stop()

    @property
    def feed_urls(self) -> list[str]:
        # One feed per site: its Atom feed (the RSS one carries a <ttl> of a minute).
        return [
            url
            for site in self.sites
            for url in (
                site.feed_urls if site.feed_urls[0].endswith("/0.xml") else site.feed_urls[1:]
            )
        ]

    def publish(self, articles: Sequence[SampleArticle]) -> None:
        touched = set()
        for article in articles:
            home = self.home[article.slug]
            self.published[home].append(article)
            touched.add(home)
        for home in touched:
            self.sites[home].publish(self.published[home])
        now = time.time()
        for article in articles:
            self.appeared[article.slug] = now


@dataclass
class Run:
    name: str
    settings: dict[str, str]
    stories: list[Story]
    appeared: dict[str, float] = field(default_factory=dict)
    usage: dict[str, Usage] = field(default_factory=dict)
    wall_s: float = 0.0
    raw: list[tuple[int, RawArticle]] = field(default_factory=list)
    enriched: list[tuple[int, EnrichedArticle]] = field(default_factory=list)
    articles: list[tuple[int, Article]] = field(default_factory=list)
    alerts: list[tuple[int, LaunchAlert]] = field(default_factory=list)
    complete: bool = True


def wait_until(what: str, check: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    console.print(f"[yellow]gave up waiting for {what} after {timeout_s:.0f} s[/yellow]")
    return False


def ready(ports: Mapping[str, int]) -> bool:
    try:
        return all(
            httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
            for port in ports.values()
        )
    except httpx.HTTPError:
        return False


def run_pipeline(
    run: Run,
    bootstrap: str,
    workdir: Path,
    *,
    hosts: int,
    feeds: int,
    schedule: Sequence[tuple[float, list[SampleArticle]]],
    drain_s: float,
) -> Run:
    """Runs the three services on fresh topics, publishes by `schedule`, waits, reads."""
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    cli("topics", "create", bootstrap=bootstrap, prefix=prefix)
    ports = {service: free_port() for service in SERVICES}
    log_path = workdir / f"{prefix}log"
    expected = sum(len(articles) for _, articles in schedule)
    launches = {s.launch for s in run.stories if s.launch is not None}
    with Sites(run.stories, hosts=hosts, feeds=feeds) as sites, log_path.open("wb") as log:
        cli("feeds", "add", *sites.feed_urls, bootstrap=bootstrap, prefix=prefix)
        pipeline = Pipeline(
            environment(bootstrap, prefix, run.settings),
            per_service={s: {"LAUNCHWATCH_HTTP_PORT": str(p)} for s, p in ports.items()},
            log=log,
        )
        began = time.monotonic()
        pipeline.keep_running()
        monitor = Monitor(pipeline, ports)
        try:
            if not wait_until("the services to be ready", lambda: ready(ports), 120):
                log.flush()
                tail = log_path.read_text(errors="replace").splitlines()[-15:]
                raise RuntimeError("services not ready; their log ends:\n" + "\n".join(tail))
            monitor.start()

            def polled() -> bool:
                polls = monitor.counter("fetcher", "launchwatch_feed_polls_total")
                return polls >= len(sites.feed_urls)

            wait_until("the first poll of every feed", polled, 60)
            start = time.monotonic()
            for offset, articles in schedule:
                time.sleep(max(0.0, start + offset - time.monotonic()))
                sites.publish(articles)

            def done() -> bool:
                produced = "launchwatch_messages_produced_total"
                enriched = monitor.counter("enricher", produced, topic=f"{prefix}news.enriched")
                alerts = monitor.counter("enricher", produced, topic=f"{prefix}alerts.launch")
                return enriched >= expected and alerts >= len(launches)

            run.complete = wait_until("every article and alert", done, drain_s)
            if not run.complete:
                for service in SERVICES:
                    counters = monitor.counters[service]
                    console.print(service, {k: v for k, v in counters.items() if "total" in k})
            time.sleep(1.5)  # a last lag sample once the stream is quiet
            for service, process in pipeline.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{service} exited with {process.returncode}; see {log_path}"
                    )
        finally:
            try:
                if monitor.is_alive():
                    monitor.finish()
            finally:
                run.wall_s = time.monotonic() - began
                pipeline.stop()
        run.appeared = dict(sites.appeared)
    run.usage = monitor.usage
    asyncio.run(read_outcome(run, bootstrap, prefix))
    return run


async def read_topic(transport: KafkaTransport, prefix: str, kind: type[M]) -> list[tuple[int, M]]:
    name = Routing(source="/launchwatch/bench", prefix=prefix).name_of(topic_for(kind))
    return [
        (record.timestamp_ms, decode(kind, record.value, record.headers))
        async for record in transport.read(name, from_beginning=True, follow=False)
        if record.value is not None
    ]


async def read_outcome(run: Run, bootstrap: str, prefix: str) -> None:
    transport = KafkaTransport(bootstrap)
    run.raw = await read_topic(transport, prefix, RawArticle)
    run.enriched = await read_topic(transport, prefix, EnrichedArticle)
    run.alerts = await read_topic(transport, prefix, LaunchAlert)
    run.articles = await read_topic(transport, prefix, Article)


def newsroom(count: int, seed: int, prefix: str) -> list[Story]:
    """`count` stories: half reports (two per launch), half others, shuffled."""
    launches = max(1, count // 4)
    stories = launch_news(launches, reports=2, others=max(0, count - 2 * launches))
    random.Random(seed).shuffle(stories)
    return [
        Story(
            SampleArticle(
                slug=f"{prefix}-{s.article.slug}",
                title=s.article.title,
                published=s.article.published,
                section=s.article.section,
                text=s.article.text,
            ),
            s.launch,
        )
        for s in stories
    ]


def trickle(
    stories: Sequence[Story], rate: float, seed: int
) -> list[tuple[float, list[SampleArticle]]]:
    """One article every 0.5/rate .. 1.5/rate seconds."""
    rng, offset, schedule = random.Random(seed), 0.0, []
    for story in stories:
        schedule.append((offset, [story.article]))
        offset += rng.uniform(0.5, 1.5) / rate
    return schedule
