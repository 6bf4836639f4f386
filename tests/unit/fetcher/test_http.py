"""The HTTP client against a site that misbehaves in every way it can."""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from schemas.vocabulary import FeedStatus
from services.fetcher.guard import IPAddress, NetworkPolicy, ResolutionFailed
from services.fetcher.http import Fetcher, parse_retry_after
from services.fetcher.politeness import Politeness
from services.fetcher.settings import DEFAULT_USER_AGENT
from tests.fetcher_site import BOMB_DECODED_BYTES, FetcherSite, Item
from tests.unit.fetcher.conftest import TEST_SETTINGS


@pytest.mark.asyncio
async def test_plain_fetch_sends_an_honest_user_agent(client: Fetcher, site: FetcherSite) -> None:
    result = await client.fetch(site.url("/headers"))
    assert result.status is FeedStatus.OK
    assert result.http_status == 200
    assert result.body is not None
    sent = json.loads(result.body)
    assert sent["user-agent"] == DEFAULT_USER_AGENT
    assert "+https://" in sent["user-agent"]
    assert sent["accept-encoding"] == "gzip, deflate"
    assert result.final_url == site.url("/headers")
    assert result.redirects == ()


@pytest.mark.asyncio
async def test_conditional_get_gets_304_when_nothing_changed(
    client: Fetcher, site: FetcherSite
) -> None:
    first = await client.fetch(site.url("/feed/validators"))
    assert first.http_status == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    second = await client.fetch(site.url("/feed/validators"), etag=etag, last_modified=modified)
    assert second.status is FeedStatus.OK
    assert second.not_modified
    assert second.body is None
    _, headers = site.state.requests[-1]
    assert headers["if-none-match"] == etag
    assert headers["if-modified-since"] == modified

    site.state.publish(Item("a-2", "Second", "/page/2"))
    third = await client.fetch(site.url("/feed/validators"), etag=etag, last_modified=modified)
    assert third.http_status == 200
    assert third.body is not None
    assert b"Second" in third.body


@pytest.mark.asyncio
async def test_redirect_chain_is_followed_and_reported_hop_by_hop(
    client: Fetcher, site: FetcherSite
) -> None:
    result = await client.fetch(site.url("/r/301/r/302/r/307/r/308/feed/validators"))
    assert result.status is FeedStatus.OK
    assert result.final_url == site.url("/feed/validators")
    assert [hop.status for hop in result.redirects] == [301, 302, 307, 308]
    assert [hop.permanent for hop in result.redirects] == [True, False, False, True]
    # Only the leading permanent hop says where the resource lives now.
    assert result.permanent_target() == site.url("/r/302/r/307/r/308/feed/validators")


@pytest.mark.asyncio
async def test_redirect_loop_is_detected(client: Fetcher, site: FetcherSite) -> None:
    result = await client.fetch(site.url("/loop/a"))
    assert result.status is FeedStatus.HTTP
    assert result.error is not None
    assert "loop" in result.error
    assert len(result.redirects) == 2
    assert site.state.hits("/loop/a") == 1


@pytest.mark.asyncio
async def test_redirect_limit(site: FetcherSite) -> None:
    settings = dataclasses.replace(TEST_SETTINGS, fetch_max_redirects=2)
    async with Fetcher(settings) as client:
        result = await client.fetch(site.url("/r/301/r/301/r/301/feed/validators"))
    assert result.status is FeedStatus.HTTP
    assert result.error is not None
    assert "more than 2 redirects" in result.error
    assert site.state.hits("/feed/validators") == 0


@pytest.mark.parametrize("target", ["http://10.0.0.1/feed", "http://169.254.169.254/latest/"])
@pytest.mark.asyncio
async def test_redirect_to_a_private_address_is_blocked(
    client: Fetcher, site: FetcherSite, target: str
) -> None:
    result = await client.fetch(site.url(f"/redirect-to/302?u={target}"))
    assert result.status is FeedStatus.BLOCKED, result.error
    assert result.final_url == target
    assert result.error is not None
    assert "private" in result.error or "metadata" in result.error


@pytest.mark.asyncio
async def test_redirect_to_another_scheme_is_blocked(client: Fetcher, site: FetcherSite) -> None:
    result = await client.fetch(site.url("/redirect-to/301?u=file:///etc/passwd"))
    assert result.status is FeedStatus.BLOCKED
    assert result.error is not None
    assert "scheme" in result.error


@pytest.mark.asyncio
async def test_loopback_is_blocked_unless_allowed(site: FetcherSite) -> None:
    settings = dataclasses.replace(TEST_SETTINGS, fetch_allow_networks="")
    async with Fetcher(settings) as client:
        result = await client.fetch(site.url("/feed/validators"))
    assert result.status is FeedStatus.BLOCKED
    assert result.error is not None
    assert "loopback" in result.error
    assert site.state.hits("/feed/validators") == 0


@pytest.mark.asyncio
async def test_unresolvable_host_is_a_dns_failure() -> None:
    async def failing_resolver(host: str, port: int) -> list[IPAddress]:
        raise ResolutionFailed(f"cannot resolve {host}")

    async with Fetcher(TEST_SETTINGS, policy=NetworkPolicy((), failing_resolver)) as client:
        result = await client.fetch("http://feeds.example.invalid/rss")
    assert result.status is FeedStatus.DNS


@pytest.mark.asyncio
async def test_refused_connection_is_a_connect_failure(client: Fetcher) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = await client.fetch(f"http://127.0.0.1:{port}/feed")
    assert result.status is FeedStatus.CONNECT


@pytest.mark.asyncio
async def test_retry_after_in_seconds(client: Fetcher, site: FetcherSite) -> None:
    result = await client.fetch(site.url("/status/429?retry_after=120"))
    assert result.status is FeedStatus.HTTP
    assert result.http_status == 429
    assert result.retry_after_s == 120.0


@pytest.mark.asyncio
async def test_retry_after_as_a_date_and_capped(client: Fetcher, site: FetcherSite) -> None:
    soon = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=600), usegmt=True)
    result = await client.fetch(site.url(f"/status/503?retry_after={soon}"))
    assert result.http_status == 503
    assert result.retry_after_s is not None
    assert 500 < result.retry_after_s <= 601
    result = await client.fetch(site.url("/status/429?retry_after=999999"))
    assert result.retry_after_s == TEST_SETTINGS.fetch_retry_after_max_s


@pytest.mark.parametrize("code", [404, 410, 500])
@pytest.mark.asyncio
async def test_error_statuses(client: Fetcher, site: FetcherSite, code: int) -> None:
    result = await client.fetch(site.url(f"/status/{code}"))
    assert result.status is FeedStatus.HTTP
    assert result.http_status == code
    assert result.body is None
    assert result.error is not None
    assert str(code) in result.error


@pytest.mark.parametrize("path", ["/drip", "/hang"])
@pytest.mark.asyncio
async def test_slow_servers_time_out(site: FetcherSite, path: str) -> None:
    settings = dataclasses.replace(
        TEST_SETTINGS, fetch_read_timeout_s=5.0, fetch_total_timeout_s=1.0
    )
    async with Fetcher(settings) as client:
        result = await client.fetch(site.url(path))
    assert result.status is FeedStatus.TIMEOUT
    assert result.body is None


@pytest.mark.asyncio
async def test_read_timeout(site: FetcherSite) -> None:
    settings = dataclasses.replace(TEST_SETTINGS, fetch_read_timeout_s=0.3)
    async with Fetcher(settings) as client:
        result = await client.fetch(site.url("/hang"))
    assert result.status is FeedStatus.TIMEOUT
    assert result.error == "read timeout"


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
@pytest.mark.asyncio
async def test_gigantic_bodies_are_cut_at_the_cap(
    client: Fetcher, site: FetcherSite, path: str
) -> None:
    result = await client.fetch(site.url(path), max_bytes=256 * 1024)
    assert result.status is FeedStatus.TOO_LARGE
    assert result.body is None


@pytest.mark.asyncio
async def test_gzip_bomb_is_cut_at_the_decoded_cap(client: Fetcher, site: FetcherSite) -> None:
    cap = 1024 * 1024
    assert len(site.bomb) < cap < BOMB_DECODED_BYTES  # small on the wire only
    result = await client.fetch(site.url("/bomb"), max_bytes=cap)
    assert result.status is FeedStatus.TOO_LARGE
    assert result.error is not None
    assert "after decoding" in result.error


@pytest.mark.asyncio
async def test_gzip_body_within_the_cap_is_decoded(client: Fetcher, site: FetcherSite) -> None:
    result = await client.fetch(site.url("/bomb"), max_bytes=BOMB_DECODED_BYTES)
    assert result.status is FeedStatus.OK
    assert result.body is not None
    assert len(result.body) == BOMB_DECODED_BYTES


@pytest.mark.asyncio
async def test_pages_must_be_html(client: Fetcher, site: FetcherSite) -> None:
    result = await client.fetch(site.url("/doc.pdf"), html_only=True)
    assert result.status is FeedStatus.PARSE
    assert result.error == "not-html: application/pdf"
    assert result.body is None
    page = await client.fetch(site.url("/page/1"), html_only=True)
    assert page.status is FeedStatus.OK
    assert page.content_type == "text/html; charset=utf-8"


def test_parse_retry_after() -> None:
    now = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now, 3600) == 30.0
    assert parse_retry_after("Tue, 28 Oct 2025 12:02:00 GMT", now, 3600) == 120.0
    assert parse_retry_after("Tue, 28 Oct 2025 11:00:00 GMT", now, 3600) == 0.0
    assert parse_retry_after("86400", now, 3600) == 3600.0
    assert parse_retry_after("soon", now, 3600) is None
    assert parse_retry_after(None, now, 3600) is None


class RecordingPoliteness(Politeness):
    def __init__(self) -> None:
        super().__init__(host_interval_s=0.0)
        self.hosts: list[str] = []

    @contextlib.asynccontextmanager
    async def slot(self, host: str, address: str | None = None) -> AsyncIterator[None]:
        self.hosts.append(f"{host} at {address}")
        async with super().slot(host, address):
            yield


@pytest.mark.asyncio
async def test_every_hop_takes_a_politeness_slot(site: FetcherSite) -> None:
    polite = RecordingPoliteness()
    async with Fetcher(TEST_SETTINGS, politeness=polite) as client:
        result = await client.fetch(site.url("/r/301/r/302/feed/validators"))
    assert result.status is FeedStatus.OK
    assert polite.hosts == ["127.0.0.1 at 127.0.0.1"] * 3
