"""Whole-pipeline latency and throughput: news appearing in feeds -> `new` launch alerts.

The fetcher, parser and enricher run as separate processes (`launchwatch run
...`) on a private Apache Kafka broker, under a fresh topic prefix per run.
News sites are served on loopback: `--hosts` sites (127.0.0.1, 127.0.0.2, ...),
`--feeds` Atom/RSS feeds in all, spread evenly over the sites, all subscribed
with `launchwatch feeds add`. Each service gets a fixed HTTP port; its
`/metrics` is scraped every second (consumer lag), and its process tree (the
parser's extraction workers included) is read from /proc (CPU, memory).

Phase 1, latency. For `--duration` seconds one article appears in a feed every
0.5/rate to 1.5/rate seconds (generated launch news: about half are reports of
distinct launches, two reports each, the rest other stories). The moment each
article appears is recorded. Afterwards, read_committed readers of the topics
give, per `new` LaunchAlert, the alert latency (alert record timestamp minus
the appearance of the launch's first article), split into the wait for the
poll (`RawArticle.fetched_at` of the alert's article, which is the start of the
poll that found it, minus that appearance) and the processing after the poll
(alert minus `fetched_at`); and per article, appearance -> its EnrichedArticle
record. Two runs: the service defaults except the loopback allowance (floor
60 s; a freshly subscribed feed's second poll comes about 90 s after its
first), then the same with the poll floor `--poll-min-s` and the ceiling
`--poll-max-s` (twice the floor unless given), so that every feed is polled
every floor..ceiling seconds however quiet it has been.

Phase 2, throughput. A backlog of `--backlog` articles appears at once, with
the loopback settings of the integration tests (poll every 1-2 s, no spacing
between requests to one host) and 1, then 2, parser workers; stage rates come
from the record timestamps on news.raw, news.articles and news.enriched.

    python bench/pipeline_latency.py [--feeds 40] [--hosts 40] [--duration 60] [--rate 1.33]
                                     [--backlog 2000] [--poll-min-s 1] [--poll-max-s S] [--quick]

`--quick` (about 40 s): 10 feeds, 20 articles over 10 s with the short polls
only, a backlog of 100 with one parser worker.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas import (  # noqa: E402
    AlertKind,
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
from tests.kafka_broker import free_port, start_broker, stop_broker  # noqa: E402
from tests.newsroom import Story, launch_news  # noqa: E402

M = TypeVar("M", bound=Message)

CLOCK_TICK = os.sysconf("SC_CLK_TCK")
LOOPBACK = {"LAUNCHWATCH_FETCH_ALLOW_NETWORKS": "127.0.0.0/8"}
TEST_LOOPBACK = {
    "LAUNCHWATCH_POLL_MIN_S": "1",
    "LAUNCHWATCH_POLL_MAX_S": "2",
    "LAUNCHWATCH_FETCH_HOST_INTERVAL_S": "0",
}
START_TIMEOUT_S = 120.0
console = Console(width=150)


# --- the process trees of the services, from /proc ---------------------------------------


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, whichever of its threads started them."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(n) for n in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process, plus those of its children it has reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICK


def status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- sampling metrics and /proc every second ----------------------------------------------


@dataclass
class Usage:
    cpu_s: dict[int, float] = field(default_factory=dict)
    hwm_kib: dict[int, int] = field(default_factory=dict)
    peak_rss_kib: int = 0
    lag: list[int] = field(default_factory=list)
    main_pid: int = 0


class Monitor(threading.Thread):
    """Samples every service's process tree and consumer lag once a second."""

    def __init__(self, pipeline: Pipeline, ports: Mapping[str, int]) -> None:
        super().__init__(name="monitor", daemon=True)
        self._pipeline = pipeline
        self._ports = ports
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self.usage = {service: Usage() for service in SERVICES}
        self.counters: dict[str, dict[str, float]] = {service: {} for service in SERVICES}
        self.started = time.monotonic()
        self.ended = self.started

    def run(self) -> None:
        with httpx.Client(timeout=2.0) as client:
            while not self._halt.is_set():
                self.sample(client)
                self._halt.wait(1.0)

    def sample(self, client: httpx.Client) -> None:
        for service in SERVICES:
            process = self._pipeline.processes.get(service)
            if process is None or process.poll() is not None:
                continue
            usage = self.usage[service]
            usage.main_pid = process.pid
            rss = 0
            for pid in process_tree(process.pid):
                usage.cpu_s[pid] = max(usage.cpu_s.get(pid, 0.0), cpu_seconds(pid))
                usage.hwm_kib[pid] = max(usage.hwm_kib.get(pid, 0), status_kib(pid, "VmHWM"))
                rss += status_kib(pid, "VmRSS")
            usage.peak_rss_kib = max(usage.peak_rss_kib, rss)
            try:
                text = client.get(f"http://127.0.0.1:{self._ports[service]}/metrics").text
            except httpx.HTTPError:
                continue
            lag, counters = 0.0, {}
            for line in text.splitlines():
                if line.startswith("launchwatch_consumer_lag{"):
                    lag += float(line.rsplit(" ", 1)[1])
                elif line.startswith("launchwatch_") and not line.startswith("#"):
                    name, value = line.rsplit(" ", 1)
                    counters[name] = float(value)
            with self._lock:
                usage.lag.append(int(lag))
                self.counters[service] = counters
        self.ended = time.monotonic()

    def counter(self, service: str, name: str, **labels: str) -> float:
        """Sum of the samples of metric `name` whose labels include `labels`."""
        wanted = [f'{key}="{value}"' for key, value in labels.items()]
        with self._lock:
            items = list(self.counters[service].items())
        return sum(v for k, v in items if k.split("{")[0] == name and all(w in k for w in wanted))

    def finish(self) -> None:
        with httpx.Client(timeout=2.0) as client:
            self.sample(client)
        self._halt.set()
        self.join()


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

    def __init__(self, stories: Sequence[Story], *, hosts: int, feeds: int) -> None:
        per_host = max(1, feeds // hosts)
        self.home = {s.article.slug: n % hosts for n, s in enumerate(stories)}
        self.sites = [
            SampleSite(
                host=f"127.0.0.{number + 1}",
                articles=[s.article for s in stories if self.home[s.article.slug] == number],
                feeds=per_host,
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


# --- figures ------------------------------------------------------------------------------


def slug_of(url: str) -> str:
    return PurePosixPath(urlsplit(url).path).stem


def first_by_slug(moments: Iterable[tuple[float, str]]) -> dict[str, float]:
    """The earliest moment for each article (a redelivery may repeat a record)."""
    first: dict[str, float] = {}
    for moment, url in moments:
        slug = slug_of(url)
        first[slug] = min(first.get(slug, moment), moment)
    return first


def seconds(moment: datetime) -> float:
    return moment.timestamp()


def percentiles(values: Sequence[float]) -> tuple[str, str, str, str]:
    if not values:
        return ("0", "-", "-", "-")
    ordered = sorted(values)

    def at(q: float) -> str:
        rank = max(0, math.ceil(q * len(ordered)) - 1)  # nearest rank
        return f"{ordered[rank]:.2f}"

    return (str(len(ordered)), at(0.50), at(0.95), at(0.99))


@dataclass
class Latency:
    alert_total: list[float] = field(default_factory=list)
    alert_wait: list[float] = field(default_factory=list)
    alert_processing: list[float] = field(default_factory=list)
    article_enriched: list[float] = field(default_factory=list)
    article_wait: list[float] = field(default_factory=list)
    article_processing: list[float] = field(default_factory=list)
    hops: dict[str, list[float]] = field(default_factory=dict)
    missing_alerts: int = 0


def latency(run: Run) -> Latency:
    figures = Latency()
    story_of = {s.article.slug: s for s in run.stories}
    first_seen: dict[tuple[str, object], float] = {}
    for story in run.stories:
        if story.launch is not None and story.article.slug in run.appeared:
            moment = run.appeared[story.article.slug]
            first_seen[story.launch] = min(first_seen.get(story.launch, moment), moment)
    fetched = first_by_slug((seconds(raw.fetched_at), raw.url) for _, raw in run.raw)
    alerted = set()
    for timestamp_ms, alert in sorted(run.alerts, key=lambda pair: pair[0]):
        if alert.kind is not AlertKind.NEW or not alert.article_urls:
            continue
        report = story_of.get(slug_of(alert.article_urls[0]))
        if report is None or report.launch is None or report.launch in alerted:
            continue
        alerted.add(report.launch)
        when = timestamp_ms / 1000
        polled = fetched[report.article.slug]
        figures.alert_total.append(when - first_seen[report.launch])
        figures.alert_wait.append(polled - first_seen[report.launch])
        figures.alert_processing.append(when - polled)
    figures.missing_alerts = len(first_seen) - len(alerted)
    done = first_by_slug((ms / 1000, enriched.url) for ms, enriched in run.enriched)
    for slug, appeared in run.appeared.items():
        if slug in done:
            figures.article_enriched.append(done[slug] - appeared)
            figures.article_wait.append(fetched[slug] - appeared)
            figures.article_processing.append(done[slug] - fetched[slug])
    # Where the processing goes: record timestamps of each article on each topic.
    raw = first_by_slug((ms / 1000, m.url) for ms, m in run.raw)
    parsed = first_by_slug((ms / 1000, m.url) for ms, m in run.articles)
    alert_of: dict[str, float] = {}
    for timestamp_ms, alert in run.alerts:
        if alert.kind is AlertKind.NEW and alert.article_urls:
            slug = slug_of(alert.article_urls[0])
            alert_of[slug] = min(alert_of.get(slug, timestamp_ms / 1000), timestamp_ms / 1000)
    hops: dict[str, list[float]] = defaultdict(list)
    for slug in run.appeared:
        if slug not in done or slug not in raw or slug not in parsed:
            continue
        is_report = story_of[slug].launch is not None
        hops["fetcher: poll starts -> news.raw (downloads, transaction)"].append(
            raw[slug] - fetched[slug]
        )
        hops["parser: news.raw -> news.articles"].append(parsed[slug] - raw[slug])
        kind = "launch report, tag + correlate" if is_report else "other story, tag"
        hops[f"enricher: news.articles -> news.enriched ({kind})"].append(done[slug] - parsed[slug])
        if slug in alert_of:
            hops["enricher: news.articles -> new alert (tag + correlate)"].append(
                alert_of[slug] - parsed[slug]
            )
    figures.hops = dict(hops)
    return figures


def distinct_ms(records: Sequence[tuple[int, str]]) -> list[int]:
    first = first_by_slug((ms / 1000, url) for ms, url in records)
    return sorted(round(moment * 1000) for moment in first.values())


def stage_rate(timestamps_ms: Sequence[int]) -> tuple[float, float]:
    """Steady records/s (between the 5th and 95th percentile record) and the whole span, s.

    The first and last few records are left out: the first wait for the feeds'
    polls to come round, the last for a straggling batch.
    """
    if len(timestamps_ms) < 2:
        return (0.0, 0.0)
    ordered = sorted(timestamps_ms)
    low, high = int(0.05 * (len(ordered) - 1)), int(0.95 * (len(ordered) - 1))
    steady = (ordered[high] - ordered[low]) / 1000
    rate = (high - low) / steady if steady else math.inf
    return (rate, (ordered[-1] - ordered[0]) / 1000)


def show_latency(runs: Sequence[Run]) -> None:
    table = Table(
        "run",
        "measure (seconds)",
        "n",
        "p50",
        "p95",
        "p99",
        title="Phase 1: latency from an article appearing in a feed",
    )
    for run in runs:
        figures = latency(run)
        rows = [
            ("new alert: first report appears -> alert", figures.alert_total),
            ("  waiting for the poll (appears -> fetched_at)", figures.alert_wait),
            ("  processing (fetched_at -> alert)", figures.alert_processing),
            ("article: appears -> news.enriched", figures.article_enriched),
            ("  waiting for the poll", figures.article_wait),
            ("  processing (fetched_at -> news.enriched)", figures.article_processing),
            *((f"    {hop}", values) for hop, values in sorted(figures.hops.items())),
        ]
        for number, (label, values) in enumerate(rows):
            table.add_row(run.name if number == 0 else "", label, *percentiles(values))
        if figures.missing_alerts or not run.complete:
            table.add_row("", f"[red]launches without a new alert: {figures.missing_alerts}[/red]")
        table.add_section()
    console.print(table)


def show_throughput(runs: Sequence[Run], backlog_appeared: Mapping[str, float]) -> None:
    table = Table(
        "run",
        "stage (topic)",
        "records",
        "articles/s, 5th-95th pct record",
        "backlog appears -> first record, s",
        "first -> last record, s",
        "max lag of its input",
        title="Phase 2: throughput on a backlog published at once",
    )
    for run in runs:
        # Rates over distinct articles: the first record of each (a redelivery may repeat one).
        stages = {
            "fetcher (news.raw)": distinct_ms([(ms, m.url) for ms, m in run.raw]),
            "parser (news.articles)": distinct_ms([(ms, m.url) for ms, m in run.articles]),
            "enricher (news.enriched)": distinct_ms([(ms, m.url) for ms, m in run.enriched]),
        }
        lags = {stage: max(run.usage[stage.split()[0]].lag, default=0) for stage in stages}
        published = backlog_appeared[run.name]
        for number, (stage, stamps) in enumerate(stages.items()):
            rate, span = stage_rate(stamps)
            table.add_row(
                run.name if number == 0 else "",
                stage,
                str(len(stamps)),
                f"{rate:.1f}",
                f"{stamps[0] / 1000 - published:.1f}" if stamps else "-",
                f"{span:.1f}",
                str(lags[stage]) if number else "- (feeds)",
            )
        last = max((ms for ms, _ in run.enriched), default=0) / 1000
        pages = [len(m.body or b"") for _, m in run.raw]
        words = [m.word_count for _, m in run.articles]
        table.add_row(
            "",
            "whole pipeline: backlog appears -> last enriched",
            str(len(stages["enricher (news.enriched)"])),
            f"{len(run.appeared) / (last - published):.1f}" if last > published else "-",
            "-",
            f"{last - published:.1f}",
            "",
        )
        queued = max(stages, key=lambda stage: lags[stage])
        table.add_row(
            "",
            f"[bold]bottleneck (the backlog queued before it): {queued.split()[0]}[/bold]",
            "",
            "",
            "",
            "",
            "",
        )
        table.add_row(
            "",
            f"pages: mean {sum(pages) / max(1, len(pages)) / 1024:.1f} KiB, "
            f"mean {sum(words) / max(1, len(words)):.0f} words",
            "",
            "",
            "",
            "",
            "",
        )
        table.add_section()
    console.print(table)


def show_resources(runs: Sequence[Run]) -> None:
    table = Table(
        "run",
        "service",
        "processes",
        "CPU s (main process)",
        "CPU % of one core",
        "peak RSS MiB (sum of VmHWM)",
        "peak sampled RSS MiB",
        "lag max",
        "lag final",
        title="Resources over each run (process trees; lag summed over owned partitions)",
    )
    for run in runs:
        for number, service in enumerate(SERVICES):
            usage = run.usage[service]
            cpu = sum(usage.cpu_s.values())
            table.add_row(
                run.name if number == 0 else "",
                service,
                str(len(usage.cpu_s)),
                f"{cpu:.1f} ({usage.cpu_s.get(usage.main_pid, 0.0):.1f} main)",
                f"{100 * cpu / run.wall_s:.0f}" if run.wall_s else "-",
                f"{sum(usage.hwm_kib.values()) / 1024:.0f}",
                f"{usage.peak_rss_kib / 1024:.0f}",
                str(max(usage.lag, default=0)),
                str(usage.lag[-1] if usage.lag else "-"),
            )
        table.add_section()
    console.print(table)


# --- the benchmark ------------------------------------------------------------------------


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=40, help="feeds in all")
    parser.add_argument("--hosts", type=int, default=40, help="sites (loopback addresses)")
    parser.add_argument("--duration", type=float, default=60.0, help="phase 1 seconds")
    parser.add_argument("--rate", type=float, default=4 / 3, help="phase 1 articles per second")
    parser.add_argument("--backlog", type=int, default=2000, help="phase 2 articles")
    parser.add_argument(
        "--poll-min-s", type=float, default=1.0, help="poll floor of the second latency run"
    )
    parser.add_argument(
        "--poll-max-s", type=float, help="poll ceiling of that run (default: twice the floor)"
    )
    parser.add_argument("--skip-defaults", action="store_true", help="no run with default polls")
    parser.add_argument("--quick", action="store_true", help="a short run to check the script")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rate, args.backlog, args.skip_defaults = 10.0, 2.0, 100, True
        args.feeds = args.hosts = 10
    if args.feeds % args.hosts:
        parser.error("--feeds must be a multiple of --hosts")
    count = max(4, round(args.duration * args.rate))
    ceiling = args.poll_max_s if args.poll_max_s is not None else 2 * args.poll_min_s
    floor = {
        "LAUNCHWATCH_POLL_MIN_S": f"{args.poll_min_s:g}",
        "LAUNCHWATCH_POLL_MAX_S": f"{ceiling:g}",
    }
    latency_runs = [] if args.skip_defaults else [Run("service defaults", dict(LOOPBACK), [])]
    floor_name = ", ".join(f"{k.removeprefix('LAUNCHWATCH_')}={v}" for k, v in floor.items())
    latency_runs.append(Run(floor_name, {**LOOPBACK, **floor}, []))
    throughput_runs = [
        Run(
            f"{workers} parser worker(s)",
            {**LOOPBACK, **TEST_LOOPBACK, "LAUNCHWATCH_PARSER_WORKERS": str(workers)},
            [],
        )
        for workers in ((1,) if args.quick else (1, 2))
    ]
    console.print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {args.feeds} feeds on "
        f"{args.hosts} loopback sites; phase 1: {count} articles over {args.duration:g} s; "
        f"phase 2: backlog of {args.backlog}"
    )
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="launchwatch-bench-latency-") as work:
        workdir = Path(work)
        broker, started = start_broker(workdir / "kafka")
        if started.returncode != 0:
            print(started.stderr, file=sys.stderr)
            return 1
        bootstrap = started.stdout.strip().splitlines()[-1]
        backlog_appeared: dict[str, float] = {}
        try:
            for number, run in enumerate(latency_runs):
                run.stories = newsroom(count, seed=number, prefix=f"l{number}")
                poll_min = float(run.settings.get("LAUNCHWATCH_POLL_MIN_S", "60"))
                console.print(f"phase 1, {run.name} ...")
                run_pipeline(
                    run,
                    bootstrap,
                    workdir,
                    hosts=args.hosts,
                    feeds=args.feeds,
                    schedule=trickle(run.stories, args.rate, seed=number),
                    drain_s=2.5 * poll_min + 60,
                )
            for number, run in enumerate(throughput_runs):
                run.stories = newsroom(args.backlog, seed=100 + number, prefix=f"t{number}")
                console.print(f"phase 2, {run.name} ...")
                run_pipeline(
                    run,
                    bootstrap,
                    workdir,
                    hosts=args.hosts,
                    feeds=args.feeds,
                    schedule=[(0.0, [s.article for s in run.stories])],
                    drain_s=300,
                )
                backlog_appeared[run.name] = min(run.appeared.values())
        finally:
            stop_broker(broker)
    show_latency(latency_runs)
    show_throughput(throughput_runs, backlog_appeared)
    show_resources([*latency_runs, *throughput_runs])
    console.print(
        f"run time {time.monotonic() - began:.0f} s; load average now "
        + " ".join(f"{value:.2f}" for value in os.getloadavg())
    )
    return 0 if all(run.complete for run in [*latency_runs, *throughput_runs]) else 1


if __name__ == "__main__":
    sys.exit(main())
