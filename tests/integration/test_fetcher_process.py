"""`launchwatch run fetcher` on the real broker: kills, restarts, rebalances, each article once.

The fetcher writes the RawArticles of a poll and the FeedState that records
them in one transaction on the feed's partition. These tests check that
promise from outside, as an operator would: a real process polling real feeds
over HTTP on 127.0.0.1, killed, restarted and joined by a second replica,
while the site keeps publishing. At the end `news.raw`, read with
read_committed, must hold every published article exactly once.

Every feed here lists only its own articles, so duplicates can only come from
lost or repeated feed state; an article listed by several feeds is the
cross-feed dedup's business (see docs/fetcher.md for its limits).
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka.partitioner import murmur2

from schemas import FeedState, FeedSubscription, RawArticle
from schemas.feeds import ArticleClaim, ArticleLead
from schemas.ids import feed_id
from services.cli.feeds_command import subscriptions
from services.runtime import KafkaTransport
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.fetcher_site import Item, html_page, rss
from tests.integration.processes import kafka_environment, running
from tests.kafka_broker import free_port
from tests.served import ServedInThread
from tests.streams import Stream, eventually

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

PARTITIONS = 3
HOLD_LIMIT_S = 120.0
"""A held page is answered after this long even if the test never releases it."""


class NewsSite(ServedInThread):
    """Feeds on 127.0.0.1 that gain articles while the test runs.

    Feed `/feed/<name>.xml` lists the articles published to it (newest first),
    with an ETag that changes when it does and a 304 for a matching
    If-None-Match, as real feeds do. Article pages can answer slowly
    (`page_delay_s`), so a poll takes long enough to be killed in the middle,
    and a page can be *held*: its first request waits until `release()`, which
    keeps that poll in flight for as long as a test needs.
    """

    def __init__(self, *, page_delay_s: float = 0.0) -> None:
        self.page_delay_s = page_delay_s
        self.lock = threading.Lock()
        self.feeds: dict[str, list[str]] = {}
        self.versions: dict[str, int] = {}
        self.published: list[str] = []
        self.in_flight = 0
        """Page requests being answered right now."""
        self.waiting = 0
        """Requests of held pages waiting for `release()`."""
        self._held: set[str] = set()
        self._released = threading.Event()
        super().__init__(_SiteServer(self))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add_feed(self, name: str) -> str:
        with self.lock:
            self.feeds.setdefault(name, [])
            self.versions.setdefault(name, 0)
        return self.url(f"/feed/{name}.xml")

    def publish(self, feed: str, *, hold: bool = False) -> str:
        """Put a new article at the top of `feed`; returns the article's URL."""
        with self.lock:
            number = len(self.feeds[feed])
            path = f"/article/{feed}/{number}.html"
            self.feeds[feed].insert(0, path)
            self.versions[feed] += 1
            if hold:
                self._held.add(path)
            url = self.url(path)
            self.published.append(url)
            return url

    def release(self) -> None:
        self._released.set()

    def feed_body(self, name: str) -> tuple[bytes, str] | None:
        with self.lock:
            if name not in self.feeds:
                return None
            paths, version = list(self.feeds[name]), self.versions[name]
        items = [Item(path, f"Story {path}", self.url(path)) for path in paths]
        return rss(items, title=f"Feed {name}"), f'"{name}-{version}"'

    def wait_for_page(self, path: str) -> None:
        with self.lock:
            held = path in self._held
            self._held.discard(path)  # only the first request waits
            self.in_flight += 1
            self.waiting += held
        try:
            if held:
                self._released.wait(HOLD_LIMIT_S)
            elif self.page_delay_s:
                self._released.wait(random.uniform(0, self.page_delay_s))
        finally:
            with self.lock:
                self.in_flight -= 1
                self.waiting -= held

    def _unblock(self) -> None:
        self.release()


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path.split("?", 1)[0]
        if path.startswith("/feed/") and path.endswith(".xml"):
            found = site.feed_body(path[len("/feed/") : -len(".xml")])
            if found is None:
                self._send(404, b"no such feed", "text/plain")
                return
            body, etag = found
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", None, etag)
            else:
                self._send(200, body, "application/rss+xml; charset=utf-8", etag)
        elif path.startswith("/article/"):
            site.wait_for_page(path)
            self._send(200, html_page(f"Story {path}"), "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")  # robots.txt too: everything allowed

    def _send(self, code: int, body: bytes, kind: str | None, etag: str | None = None) -> None:
        self.send_response(code)
        if kind is not None:
            self.send_header("Content-Type", kind)
        if etag is not None:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: NewsSite) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.site = site

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a fetcher killed mid-request hangs up; that is what these tests do


@pytest_asyncio.fixture
async def kafka_stream(kafka_bootstrap: str) -> AsyncIterator[Stream]:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(
        FeedSubscription, FeedState, ArticleLead, ArticleClaim, RawArticle, partitions=PARTITIONS
    )
    yield stream


def fetcher(
    stream: Stream, bootstrap: str, *, http_port: int = 0
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """`launchwatch run fetcher` on the stream's topics, polling fast, allowed onto loopback."""
    environment = kafka_environment(
        bootstrap,
        stream.prefix,
        stream.group_id,
        http_port=str(http_port),
        log_level="WARNING",
        fetch_allow_networks="127.0.0.1/32",
        poll_min_s="0.2",
        poll_max_s="0.5",
        poll_failure_max_s="1",
        fetch_host_interval_s="0",
        fetch_host_concurrency="32",
        fetch_read_timeout_s=str(HOLD_LIMIT_S),
        fetch_total_timeout_s=str(HOLD_LIMIT_S + 30),
    )
    without_proxies = {k: v for k, v in environment.items() if not k.lower().endswith("_proxy")}
    return running(["run", "fetcher"], without_proxies)


async def emitted(stream: Stream) -> Counter[str]:
    """How many times each article URL is on `news.raw`, for a read_committed reader."""
    return Counter(raw.url for raw in await stream.messages(RawArticle))


async def until_emitted(stream: Stream, urls: list[str]) -> Counter[str]:
    wanted = set(urls)
    return await eventually(
        lambda: emitted(stream), lambda found: wanted <= set(found), f"{len(wanted)} articles"
    )


def at_least(count: int) -> Callable[[Counter[str]], bool]:
    return lambda found: len(found) >= count


async def keep_publishing(site: NewsSite, feeds: list[str], stop: asyncio.Event) -> None:
    while not stop.is_set():
        site.publish(random.choice(feeds))
        await asyncio.sleep(random.uniform(0.05, 0.3))


async def test_sigkill_mid_poll_and_restart_emit_every_article_once(
    kafka_stream: Stream, kafka_bootstrap: str
) -> None:
    """Kills during a page download (feed read, nothing written) and at random moments.

    The first must not lose the entries the killed poll had found; any kill
    must not make the next process emit again what was already committed.
    """
    stream = kafka_stream
    with NewsSite(page_delay_s=0.3) as site:
        names = [f"f{n}" for n in range(4)]
        urls = [site.add_feed(name) for name in names]
        for name in names:
            site.publish(name)
        await stream.write(subscriptions(urls))
        stop_publishing = asyncio.Event()
        publisher = asyncio.create_task(keep_publishing(site, names, stop_publishing))
        kills = 0
        for moment in ("mid-poll", "random", "mid-poll"):
            progress = at_least(len(await emitted(stream)) + 2)
            with fetcher(stream, kafka_bootstrap) as process:
                await eventually(lambda: emitted(stream), progress, "progress")
                if moment == "mid-poll":
                    await eventually(
                        lambda: _value(site.in_flight), lambda n: n > 0, "a page download"
                    )
                else:
                    await asyncio.sleep(random.uniform(0.0, 1.0))
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
            for name in random.sample(names, 2):
                site.publish(name)  # published while no fetcher runs
        stop_publishing.set()
        await publisher

        with fetcher(stream, kafka_bootstrap) as process:
            sentinels = [site.publish(name) for name in names]  # each feed polled once more
            found = await until_emitted(stream, site.published)
            assert set(sentinels) <= set(found)
            process.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(process.wait, 30)

    assert kills == 3
    assert code == 0
    assert set(found) == set(site.published), "nothing published is missed, nothing invented"
    repeated = {url: count for url, count in found.items() if count > 1}
    assert repeated == {}, "no article already emitted is emitted again"
    assert await stream.dead_letters(FeedSubscription) == []


async def test_second_replica_joins_and_leaves_each_article_once(
    kafka_stream: Stream, kafka_bootstrap: str
) -> None:
    """A poll stays in flight across two rebalances, and its feed is polled meanwhile.

    Replica A starts polling every feed; each feed's first article page is held,
    so all of A's polls hang. Replica B joins, takes some partitions and emits
    the held articles of its feeds (its own requests are answered). More is
    published; B gets SIGTERM and A owns every partition again. Only then are
    A's old polls answered: what they found was emitted by B meanwhile, so
    writing it now would repeat it.
    """
    stream = kafka_stream
    with NewsSite(page_delay_s=0.05) as site:
        names = feeds_on_every_partition(site, per_partition=2)
        first = [site.publish(name, hold=True) for name in names]
        await stream.write(subscriptions([site.add_feed(name) for name in names]))
        port_a, port_b = free_port(), free_port()
        async with httpx.AsyncClient() as http:
            with fetcher(stream, kafka_bootstrap, http_port=port_a) as replica_a:
                await eventually(
                    lambda: _value(site.waiting), lambda n: n == len(names), "A polling all"
                )
                with fetcher(stream, kafka_bootstrap, http_port=port_b) as replica_b:
                    found = await eventually(
                        lambda: emitted(stream), lambda found: len(found) >= 1, "B's first work"
                    )
                    assert set(found) <= set(first)
                    middle = [site.publish(name) for name in names]
                    replica_b.send_signal(signal.SIGTERM)
                    code_b = await asyncio.to_thread(replica_b.wait, 30)
                await eventually(
                    lambda: assigned_partitions(http, port_a),
                    lambda n: n == PARTITIONS,
                    "A owning every partition",
                )
                site.release()  # A's polls from before both rebalances now finish
                await eventually(lambda: _value(site.waiting), lambda n: n == 0, "held answers")
                last = [site.publish(name) for name in names]  # A polls every feed again
                found = await until_emitted(stream, first + middle + last)
                assert replica_a.poll() is None, "A kept running throughout"

    assert code_b == 0
    assert set(found) == set(site.published)
    repeated = {url: count for url, count in found.items() if count > 1}
    assert repeated == {}, "each article once, whoever owned its feed when"


def feeds_on_every_partition(site: NewsSite, *, per_partition: int) -> list[str]:
    """Feed names whose subscriptions land `per_partition` to each partition of `feeds`."""
    names: list[str] = []
    counts = Counter[int]()
    number = 0
    while len(names) < per_partition * PARTITIONS:
        name = f"f{number}"
        number += 1
        key = feed_id(site.url(f"/feed/{name}.xml")).encode()
        partition = (murmur2(key) & 0x7FFFFFFF) % PARTITIONS  # Kafka's default partitioner
        if counts[partition] < per_partition:
            counts[partition] += 1
            names.append(name)
            site.add_feed(name)
    return names


async def assigned_partitions(http: httpx.AsyncClient, port: int) -> float:
    try:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    except httpx.TransportError:
        return -1
    for line in text.splitlines():
        if line.startswith('launchwatch_assigned_partitions{service="fetcher"}'):
            return float(line.rsplit(" ", 1)[1])
    return -1


async def _value(value: int) -> int:
    return value
