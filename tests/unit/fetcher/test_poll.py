"""One poll of one feed, and one article download, against the misbehaving site."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from schemas.articles import FeedEntry
from schemas.feeds import FeedState, FeedSubscription
from schemas.ids import article_id, feed_id
from schemas.vocabulary import FeedStatus
from services.fetcher.http import Fetcher
from services.fetcher.poll import (
    SEEN_LIMIT,
    PollResult,
    download_article,
    initial_state,
    poll_feed,
    upgrades_scheme_only,
)
from services.fetcher.robots import RobotsCache
from services.fetcher.schedule import ScheduleSettings, success_interval
from tests.fetcher_site import FetcherSite, Item
from tests.unit.fetcher.conftest import TEST_SETTINGS

T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)


def subscribe(url: str, **fields: object) -> FeedSubscription:
    return FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0, **fields)  # type: ignore[arg-type]


async def poll(
    client: Fetcher, sub: FeedSubscription, state: FeedState, now: datetime = T0
) -> PollResult:
    return await poll_feed(sub, state, client=client, now=now, rng=random.Random(7))


def ids(result: PollResult) -> list[str]:
    return [entry.entry_id for entry in result.entries]


@pytest.mark.asyncio
async def test_validators_304_and_only_new_entries(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"))
    first = await poll(client, sub, initial_state(sub, T0))
    assert first.state.status is FeedStatus.OK
    assert ids(first) == ["a-1"]
    assert first.state.etag == '"v1"'
    assert first.state.last_modified is not None
    assert first.state.body_sha256 is not None
    assert first.state.seen_entry_ids == ("a-1",)
    assert first.state.last_success_at == T0
    assert first.state.next_poll_at is not None
    assert first.state.next_poll_at > T0
    assert first.feed_title == "Test feed"

    later = T0 + timedelta(minutes=5)
    second = await poll(client, sub, first.state, later)
    assert second.fetch.not_modified
    assert second.entries == ()
    assert second.state.status is FeedStatus.OK
    assert second.state.last_success_at == later
    assert second.state.interval_s > first.state.interval_s  # quiet: slower

    site.state.publish(Item("a-2", "Second", "/page/2"))
    third = await poll(client, sub, second.state, later + timedelta(minutes=5))
    assert ids(third) == ["a-2"]
    assert third.state.etag == '"v2"'
    assert third.state.seen_entry_ids == ("a-1", "a-2")
    assert third.state.interval_s < second.state.interval_s  # busy: faster
    assert third.state.last_new_entry_at == later + timedelta(minutes=5)


@pytest.mark.asyncio
async def test_validators_that_never_change_are_dropped(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/lying"))
    first = await poll(client, sub, initial_state(sub, T0))
    assert ids(first) == ["a-1"]
    assert first.state.etag == '"forever"'

    same = await poll(client, sub, first.state)
    assert same.entries == ()  # identical body: recognised by its hash
    assert same.state.body_sha256 == first.state.body_sha256

    site.state.publish(Item("a-2", "Second", "/page/2"))
    changed = await poll(client, sub, same.state)
    assert ids(changed) == ["a-2"]
    assert changed.state.etag is None
    assert changed.state.last_modified is None
    assert changed.state.body_sha256 != first.state.body_sha256

    await poll(client, sub, changed.state)
    _, headers = site.state.requests[-1]
    assert "if-none-match" not in headers
    assert "if-modified-since" not in headers


@pytest.mark.asyncio
async def test_permanent_redirect_moves_the_url_after_a_grace_period(
    client: Fetcher, site: FetcherSite
) -> None:
    sub = subscribe(site.url("/r/301/feed/validators"))
    first = await poll(client, sub, initial_state(sub, T0))
    assert first.state.status is FeedStatus.OK
    assert ids(first) == ["a-1"]
    assert first.state.url == sub.url
    assert first.state.redirect_target == site.url("/feed/validators")
    assert first.state.redirect_since == T0

    soon = await poll(client, sub, first.state, T0 + timedelta(days=1))
    assert soon.state.url == sub.url
    assert soon.state.redirect_since == T0

    grace = timedelta(seconds=TEST_SETTINGS.feed_redirect_grace_s)
    moved = await poll(client, sub, soon.state, T0 + grace)
    assert moved.state.url == site.url("/feed/validators")
    assert moved.state.redirect_target is None


@pytest.mark.asyncio
async def test_temporary_redirect_never_moves_the_url(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/r/302/feed/validators"))
    result = await poll(client, sub, initial_state(sub, T0))
    assert result.state.status is FeedStatus.OK
    assert result.state.redirect_target is None
    assert result.state.url == sub.url


def test_http_to_https_is_recognised() -> None:
    assert upgrades_scheme_only("http://news.example.com/rss", "https://news.example.com/rss")
    assert upgrades_scheme_only("http://News.example.com:80/rss", "https://news.example.com/rss")
    assert not upgrades_scheme_only("http://news.example.com/rss", "https://other.example/rss")
    assert not upgrades_scheme_only("https://news.example.com/a", "https://news.example.com/b")


@pytest.mark.asyncio
async def test_retry_after_is_honoured_and_failures_back_off(
    client: Fetcher, site: FetcherSite
) -> None:
    sub = subscribe(site.url("/status/429?retry_after=1800"))
    result = await poll(client, sub, initial_state(sub, T0))
    assert result.state.status is FeedStatus.HTTP
    assert result.state.http_status == 429
    assert result.state.consecutive_failures == 1
    assert result.state.next_poll_at is not None
    assert result.state.next_poll_at >= T0 + timedelta(seconds=1800)

    sub = subscribe(site.url("/status/503"))
    state = initial_state(sub, T0)
    delays = []
    for _ in range(12):
        state = (await poll(client, sub, state)).state
        assert state.next_poll_at is not None
        delays.append((state.next_poll_at - T0).total_seconds())
    assert state.consecutive_failures == 12
    assert state.status is FeedStatus.HTTP
    assert delays[3] > delays[0]
    assert max(delays) <= TEST_SETTINGS.poll_failure_max_s  # capped, and still scheduled


@pytest.mark.parametrize("code", [404, 410])
@pytest.mark.asyncio
async def test_missing_feed_is_gone_after_a_grace_period(
    client: Fetcher, site: FetcherSite, code: int
) -> None:
    sub = subscribe(site.url(f"/status/{code}"))
    first = await poll(client, sub, initial_state(sub, T0))
    assert first.state.status is FeedStatus.HTTP
    assert first.state.gone_since == T0
    grace = timedelta(seconds=TEST_SETTINGS.feed_gone_grace_s)
    later = await poll(client, sub, first.state, T0 + grace)
    assert later.state.status is FeedStatus.GONE
    assert later.state.gone_since == T0
    assert later.state.next_poll_at is not None  # still polled, rarely


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/billion-laughs", FeedStatus.REFUSED),
        ("/not-a-feed", FeedStatus.PARSE),
        ("/bomb", FeedStatus.TOO_LARGE),
        ("/huge", FeedStatus.TOO_LARGE),
        ("/redirect-to/301?u=http://169.254.169.254/latest/meta-data/", FeedStatus.BLOCKED),
    ],
)
@pytest.mark.asyncio
async def test_hostile_feeds_fail_cleanly(
    client: Fetcher, site: FetcherSite, path: str, status: FeedStatus
) -> None:
    sub = subscribe(site.url(path))
    result = await poll(client, sub, initial_state(sub, T0))
    assert result.state.status is status, result.state.error
    assert result.state.error
    assert result.entries == ()
    assert result.state.body_sha256 is None  # judged again next time
    assert result.state.consecutive_failures == 1


@pytest.mark.asyncio
async def test_bozo_feed_is_used_and_its_problem_recorded(
    client: Fetcher, site: FetcherSite
) -> None:
    sub = subscribe(site.url("/bozo"))
    result = await poll(client, sub, initial_state(sub, T0))
    assert result.state.status is FeedStatus.OK
    assert len(result.entries) == 2
    assert result.problem is not None
    assert result.state.error == result.problem


@pytest.mark.asyncio
async def test_server_floors_lift_the_interval(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/ttl"))
    result = await poll(client, sub, initial_state(sub, T0))
    assert result.state.interval_s >= 7200  # max-age beats the 1 h ceiling
    assert result.state.next_poll_at is not None
    assert result.state.next_poll_at >= T0 + timedelta(seconds=7200)
    quiet = await poll(client, sub, result.state)
    assert quiet.state.interval_s >= 7200


@pytest.mark.asyncio
async def test_override_interval(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"), poll_interval_s=300.0)
    result = await poll(client, sub, initial_state(sub, T0))
    assert result.state.interval_s == 300.0


@pytest.mark.asyncio
async def test_seen_ids_are_bounded(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"))
    old = tuple(f"old-{n}" for n in range(SEEN_LIMIT + 100))
    state = msgspec.structs.replace(initial_state(sub, T0), seen_entry_ids=old)
    result = await poll(client, sub, state)
    assert ids(result) == ["a-1"]
    assert len(result.state.seen_entry_ids) == SEEN_LIMIT
    assert result.state.seen_entry_ids[-1] == "a-1"


# Article pages.


def entry_for(link: str | None) -> FeedEntry:
    return FeedEntry(entry_id="e-1", title="T", link=link, summary="S")


@pytest.mark.asyncio
async def test_download_article_page(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"))
    link = site.url("/page/1?utm_source=rss")
    raw = await download_article(entry_for(link), sub, client=client, now=T0)
    assert raw.article_id == article_id(link)
    assert raw.url == site.url("/page/1")
    assert raw.feed_id == sub.feed_id
    assert raw.body is not None
    assert b"Article 1" in raw.body
    assert raw.page_error is None
    assert raw.http_status == 200
    assert raw.content_type == "text/html; charset=utf-8"
    assert raw.fetched_at == T0


@pytest.mark.asyncio
async def test_robots_txt_is_honoured_for_pages(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"))
    raw = await download_article(entry_for(site.url("/private/1")), sub, client=client, now=T0)
    assert raw.body is None
    assert raw.page_error is not None
    assert raw.page_error.startswith("robots:")
    assert site.state.hits("/private/1") == 0
    assert site.state.hits("/robots.txt") == 1
    allowed = await download_article(entry_for(site.url("/page/2")), sub, client=client, now=T0)
    assert allowed.body is not None
    assert site.state.hits("/robots.txt") == 1  # cached


@pytest.mark.asyncio
async def test_robots_can_be_switched_off(site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"))
    settings = dataclasses.replace(TEST_SETTINGS, fetch_robots=False)
    async with Fetcher(settings) as client:
        raw = await download_article(entry_for(site.url("/private/1")), sub, client=client, now=T0)
    assert raw.body is not None
    assert site.state.hits("/robots.txt") == 0


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/doc.pdf", "not-html: application/pdf"),
        ("/status/404", "http: HTTP 404"),
        ("/redirect-to/302?u=http://10.0.0.1/article", "blocked: private address 10.0.0.1"),
        ("/bomb?type=text/html", "too-large:"),
    ],
)
@pytest.mark.asyncio
async def test_unavailable_pages_leave_the_entry_standing(
    client: Fetcher, site: FetcherSite, path: str, error: str
) -> None:
    sub = subscribe(site.url("/feed/validators"))
    robots = RobotsCache(client, enabled=False)
    raw = await download_article(
        entry_for(site.url(path)), sub, client=client, now=T0, robots=robots
    )
    assert raw.body is None
    assert raw.page_error is not None
    assert raw.page_error.startswith(error), raw.page_error
    assert raw.entry.summary == "S"


@pytest.mark.asyncio
async def test_entry_without_a_link(client: Fetcher, site: FetcherSite) -> None:
    sub = subscribe(site.url("/feed/validators"))
    raw = await download_article(entry_for(None), sub, client=client, now=T0)
    assert raw.body is None
    assert raw.page_error is not None
    assert raw.page_error.startswith("no-link")
    again = await download_article(entry_for(None), sub, client=client, now=T0)
    assert again.article_id == raw.article_id


@pytest.mark.asyncio
async def test_concurrent_first_requests_to_a_site_fetch_robots_txt_once(
    site: FetcherSite, client: Fetcher
) -> None:
    robots = RobotsCache(client)
    urls = [site.url(f"/page/{n}") for n in range(6)]
    answers = await asyncio.gather(*(robots.allowed(url) for url in urls))
    assert answers == [True] * 6
    assert site.state.hits("/robots.txt") == 1


def test_a_new_feed_starts_at_the_floor_and_slows_down_as_it_stays_quiet() -> None:
    sub = FeedSubscription(
        feed_id=feed_id("https://news.example/rss"), url="https://news.example/rss", added_at=T0
    )
    state = initial_state(sub, T0, interval_s=5.0)
    assert (state.interval_s, state.next_poll_at) == (5.0, T0)
    floor = ScheduleSettings(min_s=5.0, max_s=3600.0, failure_max_s=3600.0)
    quiet = success_interval(state.interval_s, 0, settings=floor)
    assert 5.0 < quiet < 60.0
