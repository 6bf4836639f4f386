"""Each article once on `news.raw`: one story in several feeds, two replicas, one SIGKILLed.

Every story is published into three of six feeds at once, and the feeds are
spread over every partition of `feeds`, so two replicas of `launchwatch run
fetcher` each poll feeds carrying the same stories. While stories keep coming,
one replica is SIGKILLed in the middle of its downloads and started again.
At the end, `news.raw` (read_committed) must hold every story exactly once:
the count of records is the proof.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter

import pytest

from schemas.feeds import ArticleLead
from services.cli.feeds_command import subscriptions
from tests.integration.test_fetcher_process import (
    NewsSite,
    at_least,
    emitted,
    feeds_on_every_partition,
    fetcher,
    kafka_stream,
)
from tests.streams import Stream, eventually

__all__ = ["kafka_stream"]  # the fixture, shared with the fetcher's process tests

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

FEEDS_PER_STORY = 3


class SyndicatedSite(NewsSite):
    """A site whose stories each appear in several of its feeds, as agency copy does."""

    def publish_story(self, feeds: list[str]) -> str:
        with self.lock:
            path = f"/article/story/{len(self.published)}.html"
            for feed in feeds:
                self.feeds[feed].insert(0, path)
                self.versions[feed] += 1
            url = self.url(path)
            self.published.append(url)
            return url


async def keep_publishing(site: SyndicatedSite, feeds: list[str], stop: asyncio.Event) -> None:
    while not stop.is_set():
        site.publish_story(random.sample(feeds, FEEDS_PER_STORY))
        await asyncio.sleep(random.uniform(0.1, 0.3))


async def test_one_story_in_several_feeds_is_on_news_raw_once(
    kafka_stream: Stream, kafka_bootstrap: str
) -> None:
    stream = kafka_stream
    with SyndicatedSite(page_delay_s=0.2) as site:
        names = feeds_on_every_partition(site, per_partition=2)
        await stream.write(subscriptions([site.add_feed(name) for name in names]))
        stop = asyncio.Event()
        publisher = asyncio.create_task(keep_publishing(site, names, stop))
        with fetcher(stream, kafka_bootstrap) as steady:
            for _ in range(2):
                with fetcher(stream, kafka_bootstrap) as victim:
                    progress = at_least(len(await emitted(stream)) + 3)
                    await eventually(lambda: emitted(stream), progress, "progress")
                    await eventually(
                        lambda: _value(site.in_flight), lambda n: n > 0, "a page download"
                    )
                    victim.send_signal(signal.SIGKILL)
                    victim.wait()
            stop.set()
            await publisher
            found = await eventually(
                lambda: emitted(stream),
                lambda found: set(site.published) <= set(found),
                f"all {len(site.published)} stories",
            )
            await asyncio.sleep(2)  # a late duplicate would land by now
            found = await emitted(stream)
            assert steady.poll() is None, "the steady replica kept running"
        leads = Counter(lead.article_id for lead in await stream.messages(ArticleLead))

    assert set(found) == set(site.published)
    repeated = {url: count for url, count in found.items() if count > 1}
    assert repeated == {}, "each story once, whichever feeds and replicas brought it"
    assert len(site.published) >= 10
    brought = sum(1 for count in leads.values() if count > 1)
    assert brought >= len(site.published) // 2, "most stories reached the decision several times"


async def _value(value: int) -> int:
    return value
