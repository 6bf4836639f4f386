"""A poll is bounded whatever the feed: entries, records and remembered ids; no page in it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

import msgspec
import pytest

from schemas import FeedState, FeedSubscription, Message, RawArticle
from schemas.articles import FeedEntry
from schemas.feeds import ArticleLead
from schemas.ids import feed_id
from schemas.vocabulary import FeedStatus
from services.fetcher.downloads import fit, record_limit
from services.fetcher.http import Fetcher
from services.fetcher.poll import initial_state, parse_here, poll_feed
from services.fetcher.service import FetcherSource, leads_for
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
    fetch_feed_page_concurrency=4,
    fetch_host_interval_s=0.0,
    fetch_robots=False,
)


async def test_a_feed_of_many_large_pages_costs_a_poll_only_small_leads() -> None:
    """The poll downloads no page: 40 entries of 4 MiB pages are 40 small leads and a state."""
    with HostileSite() as site:
        url = site.url("/many?n=40&mib=4")
        sub = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        async with Fetcher(BOUNDED) as client:
            result = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
        leads, state = leads_for(result, sub, T0)
        assert site.hits("/big/m-0") == 0
        assert len(leads) == 40
        assert all(isinstance(lead, ArticleLead) for lead in leads)
        assert max(len(msgspec.json.encode(lead)) for lead in leads) < 4096
        assert {f"m-{i}" for i in range(40)} <= set(state.seen_entry_ids)
        assert state.body_sha256 is not None  # everything recorded in this one poll


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
    """Refuses every write that carries leads, as a broker refusing a record would."""

    def __init__(self) -> None:
        self.states: list[FeedState] = []

    async def write(self, partition: TopicPartition, messages: Sequence[Message]) -> None:
        if any(isinstance(message, ArticleLead) for message in messages):
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
