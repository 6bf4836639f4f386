"""A poll is bounded whatever the feed: entries, bytes, batches, records and remembered ids."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

import msgspec
import pytest

from schemas import FeedState, FeedSubscription, Message, RawArticle
from schemas.articles import FeedEntry
from schemas.ids import feed_id
from schemas.vocabulary import FeedStatus
from services.fetcher.batches import Harvest, fit, record_limit
from services.fetcher.http import Fetcher
from services.fetcher.poll import initial_state, parse_here, poll_feed, robots_for
from services.fetcher.service import FetcherSource
from services.runtime.errors import MessageTooLarge
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView
from services.runtime.spec import StageContext
from tests.hostile_site import MIB, HostileSite
from tests.unit.fetcher.conftest import TEST_SETTINGS

pytestmark = pytest.mark.asyncio

T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
BOUNDED = dataclasses.replace(
    TEST_SETTINGS,
    fetch_page_max_bytes=5 * MIB,
    fetch_poll_max_entries=100,
    fetch_poll_max_bytes=32 * MIB,
    fetch_batch_max_bytes=8 * MIB,
    fetch_feed_page_concurrency=4,
    fetch_host_interval_s=0.0,
    fetch_robots=False,
)


@dataclasses.dataclass
class Written:
    batches: list[tuple[list[RawArticle], FeedState]] = dataclasses.field(default_factory=list)

    async def __call__(self, pages: Sequence[RawArticle], state: FeedState) -> None:
        self.batches.append((list(pages), state))


async def harvest(client: Fetcher, sub: FeedSubscription, state: FeedState) -> Written:
    written = Written()
    result = await poll_feed(sub, state, client=client, now=T0, rng=random.Random(1))
    await Harvest(result, sub, client, robots_for(client), T0, written).run()
    return written


async def test_a_feed_of_many_large_pages_is_written_in_bounded_batches_over_several_polls() -> (
    None
):
    with HostileSite() as site:
        url = site.url("/many?n=40&mib=4")
        sub = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        state = initial_state(sub, T0)
        emitted: list[str] = []
        polls = 0
        async with Fetcher(BOUNDED) as client:
            while len(emitted) < 40 and polls < 10:
                polls += 1
                written = await harvest(client, sub, state)
                for pages, batch_state in written.batches:
                    in_batch = sum(len(page.body or b"") for page in pages)
                    assert in_batch <= BOUNDED.fetch_batch_max_bytes + 4 * 5 * MIB
                    emitted.extend(page.entry.entry_id for page in pages)
                    # Each batch's state records exactly what has been written so far.
                    assert set(emitted) <= set(batch_state.seen_entry_ids)
                state = written.batches[-1][1]
                if len(emitted) < 40:
                    # Partial: read again soon, from the body, with nothing skipped.
                    assert state.body_sha256 is None
                    assert state.etag is None
                    assert state.next_poll_at == T0 + timedelta(seconds=BOUNDED.poll_min_s)
        assert sorted(emitted) == sorted(f"m-{i}" for i in range(40))  # each exactly once
        assert len(emitted) == len(set(emitted))
        assert polls > 1  # 160 MiB of pages do not fit one poll's 32 MiB budget
        assert state.body_sha256 is not None  # the last poll recorded everything


async def test_entries_beyond_the_cap_wait_for_the_next_poll() -> None:
    settings = dataclasses.replace(BOUNDED, fetch_poll_max_entries=7)
    with HostileSite() as site:
        url = site.url("/many?n=10&mib=0")
        sub = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        async with Fetcher(settings) as client:
            first = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
            assert [e.entry_id for e in first.entries] == [f"m-{i}" for i in range(6, -1, -1)]
            assert first.deferred == 3
            state = first.state_after(e.entry_id for e in first.entries)
            second = await poll_feed(sub, state, client=client, now=T0)
            assert [e.entry_id for e in second.entries] == ["m-9", "m-8", "m-7"]
            assert second.state_after(e.entry_id for e in second.entries) == second.state


async def test_remembered_ids_are_bounded_by_size_and_a_long_feed_stays_quiet() -> None:
    settings = dataclasses.replace(BOUNDED, fetch_seen_max_bytes=2048)
    with HostileSite() as site:
        url = site.url("/many?n=3000&mib=0&tag=a-long-entry-identifier")
        sub = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        async with Fetcher(settings) as client:
            first = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
            state = first.state_after(e.entry_id for e in first.entries)
            assert len(msgspec.json.encode(state.seen_entry_ids)) <= 2048
            again = await poll_feed(sub, state, client=client, now=T0 + timedelta(hours=1))
        assert again.entries == ()


async def test_a_record_too_large_for_news_raw_loses_its_page_then_is_refused() -> None:
    entry = FeedEntry(entry_id="e", title="T", summary="s")
    page = RawArticle(
        article_id="0" * 32,
        url="https://a.example/x",
        feed_id="f" * 32,
        feed_url="https://a.example/feed",
        entry=entry,
        fetched_at=T0,
        body=b"x" * (7 * MIB),  # base64 in JSON: over 9 MiB
    )
    lighter = fit(page, record_limit())
    assert lighter is not None
    assert lighter.body is None
    assert lighter.page_error is not None
    assert lighter.page_error.startswith("too-large: ")
    huge = msgspec.structs.replace(
        page, entry=msgspec.structs.replace(entry, summary="y" * (9 * MIB))
    )
    assert fit(huge, record_limit()) is None


async def test_too_large_entries_are_recorded_in_the_state() -> None:
    with HostileSite() as site:
        url = site.url("/many?n=2&mib=0")
        sub = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        async with Fetcher(BOUNDED) as client:
            result = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
        state = result.state_after(["m-0", "m-1"], too_large=["m-1"])
        assert state.too_large_entry_ids == ("m-1",)
        assert state.seen_entry_ids == result.state.seen_entry_ids


class RefusingView:
    """Refuses every write that carries articles, as a broker refusing a record would."""

    def __init__(self) -> None:
        self.states: list[FeedState] = []

    async def write(self, partition: TopicPartition, messages: Sequence[Message]) -> None:
        if any(isinstance(message, RawArticle) for message in messages):
            raise MessageTooLarge("the broker refused the record")
        self.states.extend(m for m in messages if isinstance(m, FeedState))


async def test_a_poll_that_keeps_failing_shows_it_and_backs_off() -> None:
    with HostileSite() as site:
        url = site.url("/many?n=2&mib=0")
        sub = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        view = RefusingView()
        partition = TopicPartition("feeds", 0)
        async with Fetcher(BOUNDED) as client:
            source = FetcherSource(BOUNDED, cast(StageContext, None), client, parse_here)
            source._assignments[partition] = 1
            state = initial_state(sub, T0)
            delays = []
            for _ in range(3):
                await source._poll(cast(SourceView[FeedSubscription], view), partition, sub, state)
                state = view.states[-1]
                assert state.status is FeedStatus.INTERNAL
                assert state.error is not None
                assert "refused the record" in state.error
                assert state.next_poll_at is not None
                assert state.last_polled_at is not None
                delays.append((state.next_poll_at - state.last_polled_at).total_seconds())
        assert state.consecutive_failures == 3
        assert delays[2] > BOUNDED.poll_min_s  # backing off, not retried every minute
