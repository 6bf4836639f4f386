"""Feed bodies that attack the parser, parsed in a worker; and the ordinary web's oddities."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from schemas.feeds import FeedSubscription
from schemas.ids import feed_id
from schemas.vocabulary import FeedStatus
from services.fetcher.feeds import FeedRefused, parse_feed
from services.fetcher.http import Fetcher
from services.fetcher.parsing import FeedParsers
from services.fetcher.poll import initial_state, poll_feed
from tests.fetcher_site import BOZO, FetcherSite
from tests.hostile_site import UTF16_ENTITY, HostileSite, padded_entity_feed
from tests.unit.fetcher.conftest import TEST_SETTINGS

pytestmark = pytest.mark.asyncio

T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
XML = {"content-type": "application/rss+xml"}


@pytest.fixture
def hostile() -> Iterator[HostileSite]:
    with HostileSite() as site:
        yield site


def subscribe(url: str) -> FeedSubscription:
    return FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)


async def test_an_entity_hidden_behind_a_long_comment_is_refused() -> None:
    with pytest.raises(FeedRefused, match="declares XML entities"):
        parse_feed(padded_entity_feed(), headers=XML, url="http://a.example/feed")


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (UTF16_ENTITY, XML),
        ('<rss><!ENTITY e "x"></rss>'.encode("utf-32"), XML),
        (b'<rss>+ADwAIQ-ENTITY e "x"></rss>', {"content-type": "text/xml; charset=utf-7"}),
        (b'<?xml version="1.0"?><rss><! entity e "x"></rss>', XML),
    ],
)
async def test_an_entity_declaration_is_found_after_decoding(
    body: bytes, headers: dict[str, str]
) -> None:
    with pytest.raises(FeedRefused):
        parse_feed(body, headers=headers, url="http://a.example/feed")


async def test_a_refused_feed_says_why_and_backs_off(hostile: HostileSite) -> None:
    parsers = FeedParsers(TEST_SETTINGS)
    try:
        sub = subscribe(hostile.url("/padded-entity"))
        async with Fetcher(TEST_SETTINGS) as client:
            result = await poll_feed(
                sub, initial_state(sub, T0), client=client, now=T0, parse=parsers
            )
    finally:
        parsers.close()
    assert result.state.status is FeedStatus.REFUSED
    assert result.state.error is not None
    assert "<!ENTITY>" in result.state.error
    assert result.state.consecutive_failures == 1
    assert result.state.next_poll_at is not None
    assert result.state.next_poll_at > T0


async def test_feed_parsing_runs_in_a_worker_under_a_time_limit() -> None:
    slow = dataclasses.replace(TEST_SETTINGS, feed_parse_timeout_s=0.05)
    parsers = FeedParsers(slow)
    body = b"<rss><channel>" + b"<item><title>t</title></item>" * 200_000 + b"</channel></rss>"
    try:
        with pytest.raises(FeedRefused, match="longer than"):
            await parsers(body, XML, "http://a.example/feed")
        parsers._pool.timeout_s = 30
        parsed = await parsers(BOZO, XML, "http://a.example/feed")
        assert next(e.title for e in parsed.entries) == "First \xa0 broken"
    finally:
        parsers.close()


async def test_a_json_feed_is_read(hostile: HostileSite) -> None:
    sub = subscribe(hostile.url("/json-feed"))
    async with Fetcher(TEST_SETTINGS) as client:
        result = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
    assert result.state.status is FeedStatus.OK, result.state.error
    second, first = result.entries[1], result.entries[0]
    assert (first.entry_id, second.entry_id) == ("1", "j-2")
    assert second.link == hostile.url("/news/2")
    assert second.authors == ("Desk",)
    assert first.authors == ("Reporter",)
    assert first.published_at == datetime(2025, 10, 28, 3, 0, tzinfo=UTC)
    assert second.categories == ("world",)
    assert first.content == "First story."


async def test_a_relative_content_location_is_joined_onto_the_final_url(
    hostile: HostileSite,
) -> None:
    sub = subscribe(hostile.url("/content-location"))
    async with Fetcher(TEST_SETTINGS) as client:
        result = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
    assert [e.link for e in result.entries] == [hostile.url("/2024/01/post.html")]


async def test_entry_ids_do_not_change_when_the_feed_moves_to_https(
    hostile: HostileSite,
) -> None:
    http = hostile.url("/atom-relative")
    sub = subscribe(http)
    async with Fetcher(TEST_SETTINGS) as client:
        first = await poll_feed(sub, initial_state(sub, T0), client=client, now=T0)
        assert {e.entry_id for e in first.entries} == {
            hostile.url("/entries/1"),
            hostile.url("/entries/2"),
        }
        https_base = f"https://127.0.0.1:{hostile.port}/atom-relative"
        moved = msgspec.structs.replace(
            first.state, url=f"{http}?base={https_base}", body_sha256=None
        )
        second = await poll_feed(sub, moved, client=client, now=T0 + timedelta(hours=1))
    assert second.entries == ()


async def test_a_parse_warning_stays_until_a_clean_parse() -> None:
    with FetcherSite() as site:
        sub = subscribe(site.url("/bozo"))
        async with Fetcher(TEST_SETTINGS) as client:
            first = await poll_feed(
                sub, initial_state(sub, T0), client=client, now=T0, rng=random.Random(1)
            )
            assert first.state.status is FeedStatus.OK
            assert first.state.error
            second = await poll_feed(sub, first.state, client=client, now=T0 + timedelta(hours=1))
    assert second.entries == ()
    assert second.state.error == first.state.error
