"""Claimed pages downloaded once each, within the bounds, never from an outdated view."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

import msgspec
import pytest

from schemas import Message, RawArticle
from schemas.articles import FeedEntry
from schemas.feeds import ArticleClaim, ArticleLead
from services.fetcher.claims import Claims
from services.fetcher.downloads import DownloadSource
from services.fetcher.http import Fetcher
from services.fetcher.poll import article_key
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView
from services.runtime.spec import StageContext
from tests.hostile_site import HostileSite
from tests.unit.fetcher.conftest import TEST_SETTINGS

pytestmark = pytest.mark.asyncio

T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
PARTITION = TopicPartition("fetcher.articles", 0)
SETTINGS = dataclasses.replace(
    TEST_SETTINGS,
    fetch_download_concurrency=3,
    fetch_feed_page_concurrency=2,
    fetch_host_concurrency=8,
    fetch_host_interval_s=0.0,
    fetch_robots=False,
)


def pending(number: int, link: str, feed: str = "f") -> ArticleClaim:
    entry = FeedEntry(entry_id=f"e{number}", title=f"Story {number}", link=link)
    return ArticleClaim(
        article_id=article_key(entry, feed * 32),
        status="pending",
        feed_id=feed * 32,
        feed_url="http://127.0.0.1/feed",
        entry=entry,
        claimed_at=T0,
    )


class Table:
    """The claims table as a source and `StageContext.latest` see it."""

    def __init__(self, claims: Sequence[ArticleClaim]) -> None:
        self.rows = {claim.article_id.encode(): claim for claim in claims}
        self.changed = asyncio.Event()
        self.writes: list[list[Message]] = []

    def owned(self) -> Mapping[TopicPartition, Mapping[bytes, ArticleClaim]]:
        return {PARTITION: dict(self.rows)}

    async def write(self, partition: TopicPartition, messages: Sequence[Message]) -> None:
        self.writes.append(list(messages))
        for message in messages:
            if isinstance(message, ArticleClaim):
                self.rows[message.article_id.encode()] = message
        self.changed.set()

    async def latest(self, value_type: type[Any]) -> dict[bytes, ArticleClaim]:
        return dict(self.rows)

    def raws(self) -> list[RawArticle]:
        return [m for batch in self.writes for m in batch if isinstance(m, RawArticle)]


async def run_until_idle(source: DownloadSource, table: Table, count: int) -> None:
    stop = asyncio.Event()
    view = cast(SourceView[ArticleClaim], table)
    running = asyncio.create_task(source.run(view, stop))
    async with asyncio.timeout(20):
        while len(table.writes) < count:
            table.changed.clear()
            await table.changed.wait()
    await asyncio.sleep(0.3)  # anything started twice would be written by now
    stop.set()
    await running


async def test_each_pending_claim_is_downloaded_once_within_the_bounds() -> None:
    with HostileSite() as site:
        claims = [pending(n, site.url(f"/slow/{n}?s=0.3")) for n in range(8)]
        table = Table(claims)
        async with Fetcher(SETTINGS) as client:
            source = DownloadSource(SETTINGS, cast(StageContext, table), client)
            await source.prepare(frozenset({PARTITION}))
            await run_until_idle(source, table, len(claims))
        peak = site.in_flight_peak
    assert sorted(raw.article_id for raw in table.raws()) == sorted(c.article_id for c in claims)
    assert all(raw.body for raw in table.raws())
    for batch in table.writes:  # the page and its done claim, together
        done = [m for m in batch if isinstance(m, ArticleClaim)]
        assert [claim.status for claim in done] == ["done"]
        assert done[0].entry is None
    assert peak == 2, "one feed: two of its pages at once"


async def test_claims_done_before_the_assignment_are_not_downloaded_again() -> None:
    """The view still shows a claim pending that the table, read to its end, says is done."""
    with HostileSite() as site:
        stale = pending(1, site.url("/page/one"))
        table = Table([msgspec.structs.replace(stale, status="done", entry=None)])
        fresh = pending(2, site.url("/page/two"))
        async with Fetcher(SETTINGS) as client:
            source = DownloadSource(SETTINGS, cast(StageContext, table), client)
            await source.prepare(frozenset({PARTITION}))
            table.rows = {b"stale": stale, b"fresh": fresh}  # the view, catching up from the start
            await run_until_idle(source, table, 1)
        hits = site.hits("/page/one")
    assert [raw.article_id for raw in table.raws()] == [fresh.article_id]
    assert hits == 0


async def test_a_download_from_an_earlier_assignment_is_not_written() -> None:
    with HostileSite() as site:
        claim = pending(1, site.url("/slow/1?s=0.5"))
        table = Table([claim])
        async with Fetcher(SETTINGS) as client:
            source = DownloadSource(SETTINGS, cast(StageContext, table), client)
            await source.prepare(frozenset({PARTITION}))
            stop = asyncio.Event()
            running = asyncio.create_task(source.run(cast(SourceView[ArticleClaim], table), stop))
            await asyncio.sleep(0.2)  # downloading
            table.rows = {}  # meanwhile the partition went away and came back, done elsewhere
            await source.prepare(frozenset({PARTITION}))
            await asyncio.sleep(0.6)
            stop.set()
            await running
    assert table.writes == []


async def test_one_article_from_several_feeds_is_claimed_once() -> None:
    table = Table([])
    claims = Claims(cast(StageContext, table))
    await claims.reload(frozenset())
    leads = [
        ArticleLead(
            article_id="a" * 32,
            feed_id=feed * 32,
            feed_url=f"https://{feed}.example/feed",
            entry=FeedEntry(entry_id=feed, title="Same story"),
            found_at=T0,
        )
        for feed in "abc"
    ]
    decided = [claims.decide(lead) for lead in leads]
    assert [len(outputs) for outputs in decided] == [1, 0, 0]
    claim = decided[0][0]
    assert isinstance(claim, ArticleClaim)
    assert claim.status == "pending"
    table.rows = {claim.article_id.encode(): claim}
    restarted = Claims(cast(StageContext, table))
    await restarted.reload(frozenset())
    assert restarted.decide(leads[2]) == []
