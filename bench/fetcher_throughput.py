"""Fetcher polling cost: feeds polled per second, CPU per poll and peak memory.

A local HTTP/1.1 server in a separate process (so its CPU is not counted)
serves N feeds of `--entries` items each on 127.0.0.1. The fetcher's own
service code, `FetcherSource.run`, polls every feed once, in two passes:

- **304 pass**: every feed answers the conditional GET with 304 Not Modified,
  the steady state of a feed with nothing new.
- **new-entry pass**: every feed has one entry the fetcher has not seen, so a
  poll is a 200 with the whole feed (parsed by feedparser), and the entry's
  ArticleLead and the FeedState encoded for Kafka. The page itself is
  downloaded by the fetcher's download stage, which this benchmark does not
  run (`--page-kb` sizes the pages the server offers).

Each pass starts from feed states that say where the last poll left off (the
ETag, the ids already seen), read through `FetcherSource.prepare` as after a
restart. The writes go through the real `SourceView.write` (routing, CloudEvents
encoding, size checks) to a subscription that counts and discards them: the
Kafka client's own cost (compression, network) is not part of the figures.

The fetcher runs with the service's defaults except: 127.0.0.1 allowed, all
feeds on one host, so the per-host politeness limits are lifted
(`fetch_host_concurrency` = `fetch_concurrency` = 64, no spacing), and a poll
interval of an hour so that each feed is polled exactly once per pass.

Figures: feeds polled per second (wall clock, the pass from its first task to
its last write), CPU seconds per poll (`getrusage` of the fetcher process, user
+ system), the fetcher's share of one core, and the process's peak RSS.

    python bench/fetcher_throughput.py [--feeds 10000] [--entries 20] [--page-kb 30]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas import FeedState, FeedStatus, FeedSubscription, topic_for  # noqa: E402
from schemas.ids import feed_id  # noqa: E402
from services.fetcher.service import FetcherSource, open_fetcher  # noqa: E402
from services.fetcher.settings import FetcherSettings  # noqa: E402
from services.runtime import InMemoryTransport, Routing  # noqa: E402
from services.runtime.records import ConsumedRecord, OutgoingRecord, TopicPartition  # noqa: E402
from services.runtime.source import SourceView  # noqa: E402
from services.runtime.spec import StageContext  # noqa: E402
from services.runtime.transport import Subscription  # noqa: E402

PARTITIONS = 6
PASS_TIMEOUT_S = 600.0


# The feed server (its own process).


@dataclass
class SiteModel:
    """What every feed lists: version `version` lists entries version-1 down to version-entries."""

    entries: int
    page: bytes
    version: int
    new_mode: bool = False

    def etag(self) -> str:
        return f'"v{self.version}"'

    def feed(self, number: int, port: int) -> bytes:
        base = f"http://127.0.0.1:{port}"
        items = []
        for entry in range(self.version - 1, self.version - 1 - self.entries, -1):
            items.append(
                f"<item><title>Story {number}-{entry}: a launch was reported</title>"
                f"<link>{base}/page/{number}/{entry}.html</link>"
                f'<guid isPermaLink="false">e-{number}-{entry}</guid>'
                "<description>Officials said a missile was launched early on Tuesday "
                "and flew for several hundred kilometres.</description>"
                "<pubDate>Tue, 28 Oct 2025 22:05:00 +0900</pubDate></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {number}</title><link>{base}/</link><description>bench</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()


def entry_ids(number: int, version: int, entries: int) -> tuple[str, ...]:
    """The ids a feed at `version` lists, oldest first, as the fetcher remembers them."""
    return tuple(f"e-{number}-{entry}" for entry in range(version - entries, version))


def serve(conn: Connection, entries: int, page_kb: int) -> None:
    """Run the feed server until the parent closes `conn`; reports its port, then its CPU."""
    paragraph = b"<p>" + b"Launch coverage text. " * 40 + b"</p>\n"
    body = paragraph * max(1, page_kb * 1024 // len(paragraph))
    page = b"<!doctype html><html><head><title>Story</title></head><body><article>"
    page += body + b"</article></body></html>"
    model = SiteModel(entries=entries, page=page, version=entries)
    asyncio.run(_serve(conn, model))


async def _serve(conn: Connection, model: SiteModel) -> None:
    port = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                writer.write(answer(path, headers.get("if-none-match")))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def answer(path: str, etag: str | None) -> bytes:
        if path.startswith("/feed/"):
            if not model.new_mode and etag == model.etag():
                return response(304, b"", extra=f"ETag: {model.etag()}\r\n")
            return response(
                200,
                model.feed(int(path[6:].split(".")[0]), port),
                "application/rss+xml; charset=utf-8",
                f"ETag: {model.etag()}\r\n",
            )
        if path.startswith("/page/"):
            return response(200, model.page, "text/html; charset=utf-8")
        if path == "/_new":
            model.new_mode = True
            model.version += 1  # one entry no poll has seen, in every feed
            return response(200, b"ok", "text/plain")
        return response(404, b"", "text/plain")  # robots.txt too: everything allowed

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    conn.send(port)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, conn.recv)  # the parent asks for the CPU figure, then quits
    usage = resource.getrusage(resource.RUSAGE_SELF)
    conn.send(usage.ru_utime + usage.ru_stime)
    server.close()


def response(code: int, body: bytes, kind: str | None = None, extra: str = "") -> bytes:
    reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[code]
    head = f"HTTP/1.1 {code} {reason}\r\nContent-Length: {len(body)}\r\n{extra}"
    if kind is not None:
        head += f"Content-Type: {kind}\r\n"
    return head.encode() + b"\r\n" + body


# The fetcher side (this process).


class CountingSubscription(Subscription):
    """Takes every write of the source, counts it and lets it go."""

    def __init__(self) -> None:
        self.writes = 0
        self.records = 0
        self.bytes = 0
        self.done = asyncio.Event()
        self.expected = 0

    async def poll(self, *, timeout_s: float, max_records: int) -> list[ConsumedRecord]:
        return []

    async def complete(
        self, partition: TopicPartition, next_offset: int, outputs: Sequence[OutgoingRecord]
    ) -> None:
        self.writes += 1
        self.records += len(outputs)
        self.bytes += sum(record.size for record in outputs)
        if self.writes >= self.expected:
            self.done.set()

    def seek(self, partition: TopicPartition, offset: int) -> None:
        pass

    def assignment(self) -> frozenset[TopicPartition]:
        return frozenset()

    def lag(self) -> dict[TopicPartition, int]:
        return {}

    async def close(self) -> None:
        pass


@dataclass(frozen=True)
class Figures:
    name: str
    polls: int
    wall_s: float
    cpu_s: float
    records: int
    megabytes: float
    peak_rss_mib: float
    statuses: dict[str, int]

    def lines(self) -> list[str]:
        outcomes = ", ".join(f"{status} {count}" for status, count in self.statuses.items())
        return [
            f"{self.name}:",
            f"  poll outcomes            {outcomes}",
            f"  feeds polled per second  {self.polls / self.wall_s:10.0f}",
            f"  CPU per poll             {1000 * self.cpu_s / self.polls:10.3f} ms",
            f"  fetcher CPU / wall clock {self.cpu_s / self.wall_s:10.2f} cores",
            f"  polls, wall clock        {self.polls:10d} in {self.wall_s:.1f} s",
            f"  records written          {self.records:10d} ({self.megabytes:.1f} MB encoded)",
            f"  peak RSS so far          {self.peak_rss_mib:10.0f} MiB",
        ]


def poll_statuses() -> dict[str, int]:
    """The fetcher's polls so far, by the status they ended with."""
    counts = {}
    for status in FeedStatus:
        value = REGISTRY.get_sample_value("launchwatch_feed_polls_total", {"status": status.value})
        if value:
            counts[status.value] = int(value)
    return counts


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def one_pass(
    name: str,
    settings: FetcherSettings,
    feeds: list[FeedSubscription],
    states: list[FeedState],
) -> Figures:
    """Poll every feed once with the service's source; time it from the first poll to the last."""
    routing = Routing(source="/launchwatch/fetcher", prefix="bench.")
    transport = InMemoryTransport()
    table = topic_for(FeedState)
    await transport.create_topics([replace(table, name=routing.name_of(table))])
    publisher = await transport.publisher(client_id="bench")
    await publisher.publish([routing.record_for(state) for state in states])
    await publisher.close()
    context = StageContext(transport, routing)

    view: SourceView[FeedSubscription] = SourceView(routing, "fetcher")
    counting = CountingSubscription()
    counting.expected = len(feeds)
    view._subscription = counting
    partitions = [
        TopicPartition(routing.name_of(topic_for(FeedSubscription)), p) for p in range(PARTITIONS)
    ]
    async with open_fetcher(settings, context) as source:
        assert isinstance(source, FetcherSource)
        await source.prepare(frozenset(partitions))
        view._assign(frozenset(partitions))
        for index, feed in enumerate(feeds):
            view._rows[partitions[index % PARTITIONS]][feed.feed_id.encode()] = feed

        stop = asyncio.Event()
        before = poll_statuses()
        cpu, start = cpu_now(), time.perf_counter()
        running = asyncio.create_task(source.run(view, stop))
        try:
            await asyncio.wait_for(counting.done.wait(), PASS_TIMEOUT_S)
        except TimeoutError:
            raise SystemExit(f"{name}: {counting.writes} of {len(feeds)} polls written") from None
        wall, cpu = time.perf_counter() - start, cpu_now() - cpu
        stop.set()
        await running
    return Figures(
        name=name,
        polls=counting.writes,
        wall_s=wall,
        cpu_s=cpu,
        records=counting.records,
        megabytes=counting.bytes / 1e6,
        peak_rss_mib=peak_rss_mib(),
        statuses={
            status: count - before.get(status, 0)
            for status, count in poll_statuses().items()
            if count > before.get(status, 0)
        },
    )


def subscriptions(port: int, count: int) -> list[FeedSubscription]:
    now = datetime.now(UTC)
    urls = [f"http://127.0.0.1:{port}/feed/{number}.xml" for number in range(count)]
    return [FeedSubscription(feed_id=feed_id(url), url=url, added_at=now) for url in urls]


def states_for(
    feeds: list[FeedSubscription], *, version: int, entries: int, etag: str | None
) -> list[FeedState]:
    """Every feed as its last poll left it: due now, having seen `version`'s entries."""
    now = datetime.now(UTC)
    return [
        FeedState(
            feed_id=feed.feed_id,
            url=feed.url,
            etag=etag,
            interval_s=3600.0,
            next_poll_at=now,
            last_success_at=now,
            seen_entry_ids=entry_ids(number, version, entries),
            updated_at=now,
        )
        for number, feed in enumerate(feeds)
    ]


async def measure(port: int, args: argparse.Namespace) -> list[Figures]:
    settings = FetcherSettings(
        fetch_allow_networks="127.0.0.1/32",
        fetch_host_concurrency=64,
        fetch_concurrency=64,
        fetch_host_interval_s=0.0,
        poll_min_s=3600.0,
        poll_max_s=3600.0,
    )
    feeds = subscriptions(port, args.feeds)
    version = args.entries
    print(f"peak RSS after imports, before any pass: {peak_rss_mib():.0f} MiB")
    results = []
    states = states_for(feeds, version=version, entries=args.entries, etag=f'"v{version}"')
    results.append(await one_pass("304 pass (nothing new)", settings, feeds, states))
    async with httpx.AsyncClient() as http:
        (await http.get(f"http://127.0.0.1:{port}/_new")).raise_for_status()
    states = states_for(feeds, version=version, entries=args.entries, etag=f'"v{version}"')
    results.append(await one_pass("new-entry pass (one new entry each)", settings, feeds, states))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000, help="feeds served and polled")
    parser.add_argument("--entries", type=int, default=20, help="items listed by every feed")
    parser.add_argument("--page-kb", type=int, default=30, help="size of every article page")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(theirs, args.entries, args.page_kb))
    server.start()
    try:
        port = ours.recv()
        print(
            f"{args.feeds} feeds of {args.entries} items on 127.0.0.1:{port}, "
            f"{args.page_kb} KB pages; server in process {server.pid}"
        )
        results = asyncio.run(measure(port, args))
        ours.send("stop")
        server_cpu = ours.recv()
    finally:
        server.join(timeout=10)
        if server.is_alive():
            server.kill()
    for figures in results:
        print("\n".join(figures.lines()))
    wall = sum(figures.wall_s for figures in results)
    print(f"server CPU over the whole run: {server_cpu:.1f} s (both passes took {wall:.1f} s)")


if __name__ == "__main__":
    main()
