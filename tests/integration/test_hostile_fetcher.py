"""`launchwatch run fetcher` on the real broker, facing hostile servers beside a normal site.

The hostile server (127.0.0.2, and every name under ``.test``, which the
fetcher process resolves there) offers at once:

- a feed of 120 entries whose pages are 4 MiB each;
- the padded entity feed (an entity declaration behind a 70 KB comment);
- a wildcard site: a feed whose slow pages each live on their own subdomain;
- a server that dies in the middle of a page, among innocent pages of its feed,
  one of them labelled with the charset ``hex``.

Beside it, a normal news site (127.0.0.1) keeps publishing. The fetcher must
keep the normal feeds flowing (each new article fetched within seconds of
being published), stay under 400 MB of peak RSS (VmHWM of the process), refuse
the entity feed with a plain reason, and put every article of the normal feeds
in `news.raw` exactly once, read with read_committed.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from schemas import FeedState, FeedSubscription, RawArticle, decode
from schemas.feeds import ArticleClaim, ArticleLead
from schemas.ids import article_id, feed_id
from schemas.vocabulary import FeedStatus
from services.cli.feeds_command import subscriptions
from services.runtime import KafkaTransport
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.hostile_site import HostileSite
from tests.integration.processes import kafka_environment, running
from tests.integration.test_fetcher_process import NewsSite
from tests.streams import Stream, eventually

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

PEAK_RSS_LIMIT_MB = 400
FLOW_S = 10.0
"""Longest a normal article may wait between being published and its page being fetched."""
PUBLISHING_S = 20.0
BIG_ENTRIES = 120
SLOW_PAGES = 8
SLOW_PAGE_S = 2.0
CRASHING_PATHS = ("/abort/c-crash", "/hex-charset/c-hex", *(f"/page/c-{i}" for i in range(4)))


class TimedNewsSite(NewsSite):
    """The normal site, noting when each article page was first asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.published_at: dict[str, float] = {}
        self.fetched_at: dict[str, float] = {}

    def publish(self, feed: str, *, hold: bool = False) -> str:
        url = super().publish(feed, hold=hold)
        self.published_at[url] = time.monotonic()
        return url

    def wait_for_page(self, path: str) -> None:
        self.fetched_at.setdefault(self.url(path), time.monotonic())
        super().wait_for_page(path)

    def delays(self) -> dict[str, float]:
        """Seconds from publication to first fetch, per article (inf when never fetched)."""
        return {
            url: self.fetched_at.get(url, float("inf")) - published
            for url, published in self.published_at.items()
        }


@pytest_asyncio.fixture
async def stream(kafka_bootstrap: str) -> AsyncIterator[Stream]:
    created = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await created.create(
        FeedSubscription, FeedState, ArticleLead, ArticleClaim, RawArticle, partitions=3
    )
    yield created


async def on_news_raw(stream: Stream) -> tuple[Counter[str], dict[str, RawArticle]]:
    """How often each article id is on `news.raw`; the small records decoded, by id."""
    counts: Counter[str] = Counter()
    small: dict[str, RawArticle] = {}
    topic = stream.name(RawArticle)
    async for record in stream.transport.read(topic, from_beginning=True, follow=False):
        if record.key is None or record.value is None:
            continue
        key = record.key.decode()
        counts[key] += 1
        if len(record.value) < 1024 * 1024:
            small[key] = decode(RawArticle, record.value, record.headers)
    return counts, small


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


async def test_hostile_servers_cannot_stop_a_normal_feed(
    stream: Stream, kafka_bootstrap: str
) -> None:
    with HostileSite("127.0.0.2") as hostile, TimedNewsSite() as normal:
        names = ["n0", "n1", "n2"]
        normal_feeds = [normal.add_feed(name) for name in names]
        for name in names:
            normal.publish(name)
        wildcard = hostile.url(
            f"/wildcard?n={SLOW_PAGES}&s={SLOW_PAGE_S}&domain=evil.test", "feed.evil.test"
        )
        hostile_feeds = [
            hostile.url(f"/many?n={BIG_ENTRIES}&mib=4&tag=big"),
            hostile.url("/padded-entity"),
            wildcard,
            hostile.url("/crashing?tag=c"),
        ]
        await stream.write(subscriptions([*hostile_feeds, *normal_feeds]))
        environment = kafka_environment(
            kafka_bootstrap,
            stream.prefix,
            stream.group_id,
            log_level="WARNING",
            fetch_allow_networks="127.0.0.0/8",
            poll_min_s="0.5",
            poll_max_s="1",
            poll_failure_max_s="2",
            fetch_host_interval_s="0",
        )
        environment = {k: v for k, v in environment.items() if not k.lower().endswith("_proxy")}
        started = time.monotonic()
        with running(["-m", "tests.hostile_site", "run", "fetcher"], environment) as fetcher:
            while time.monotonic() - started < PUBLISHING_S:
                normal.publish(random.choice(names))
                await asyncio.sleep(random.uniform(0.3, 0.8))
            big = {article_id(hostile.url(f"/big/big-{i}?mib=4")) for i in range(BIG_ENTRIES)}
            slow = {
                article_id(hostile.url(f"/slow/{i}?s={SLOW_PAGE_S}", f"s{i}.evil.test"))
                for i in range(SLOW_PAGES)
            }
            crashing = {article_id(hostile.url(path)) for path in CRASHING_PATHS}
            wanted = big | slow | crashing | {article_id(url) for url in normal.published}

            async def counted() -> Counter[str]:
                assert fetcher.poll() is None, "the fetcher died"
                return (await on_news_raw(stream))[0]

            counts = await eventually(
                counted, lambda found: wanted <= set(found), "every article on news.raw"
            )
            peak_mb = peak_rss_mb(fetcher.pid)
            fetcher.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(fetcher.wait, 30)
        elapsed = time.monotonic() - started
        counts, small = await on_news_raw(stream)
        states = {state.feed_id: state for state in await stream.messages(FeedState)}
        crash_id = article_id(hostile.url("/abort/c-crash"))
        innocent = [article_id(hostile.url(f"/page/c-{i}")) for i in range(4)]
        hex_id = article_id(hostile.url("/hex-charset/c-hex"))
        delays = normal.delays()

    print(f"fetcher peak RSS {peak_mb:.0f} MB, run {elapsed:.0f} s")
    assert code == 0
    assert peak_mb < PEAK_RSS_LIMIT_MB
    late = {url: round(delay, 1) for url, delay in delays.items() if delay > FLOW_S}
    assert late == {}, "normal articles waited behind the hostile feeds"
    for url in normal.published:
        assert counts[article_id(url)] == 1, url
    assert all(counts[key] == 1 for key in big)
    padded = states[feed_id(hostile_feeds[1])]
    assert padded.status is FeedStatus.REFUSED
    assert "<!ENTITY>" in (padded.error or "")
    assert small[crash_id].body is None
    assert small[crash_id].page_error is not None
    assert all(small[key].body for key in innocent)
    assert small[hex_id].body is not None
    assert hostile.in_flight_peak <= 2, "the wildcard site is one site: two pages at once"
    assert await stream.dead_letters(FeedSubscription) == []
