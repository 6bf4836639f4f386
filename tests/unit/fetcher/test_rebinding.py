"""Connections go only to the address that was checked; proxies only when trusted."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator

import pytest

from schemas.vocabulary import FeedStatus
from services.fetcher.guard import IPAddress, NetworkPolicy
from services.fetcher.http import Fetcher
from tests.hostile_site import HostileSite
from tests.unit.fetcher.conftest import TEST_SETTINGS

pytestmark = pytest.mark.asyncio

PUBLIC = ipaddress.ip_address("93.184.216.34")
LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.fixture
def internal() -> Iterator[HostileSite]:
    """An internal server with an endpoint nobody outside may reach."""
    with HostileSite() as site:
        yield site


async def test_a_rebinding_answer_is_refused_before_anything_is_sent(
    internal: HostileSite,
) -> None:
    """The name check sees a public address; the dial would land on loopback: no request."""
    answers = iter([[PUBLIC]])

    async def rebinding(host: str, port: int) -> list[IPAddress]:
        return next(answers, [LOOPBACK])

    settings = dataclasses.replace(TEST_SETTINGS, fetch_allow_networks="")
    policy = NetworkPolicy((), rebinding)
    async with Fetcher(settings, policy=policy) as client:
        result = await client.fetch(f"http://rebind.test:{internal.port}/admin/delete?user=1")
    assert result.status is FeedStatus.BLOCKED, result.error
    assert result.error == "loopback address 127.0.0.1"
    assert internal.hits("/admin/delete") == 0


async def test_the_connection_is_dialled_to_the_checked_address(internal: HostileSite) -> None:
    """`feeds.test` exists only in the policy's resolver: only a dial to its answer can work."""

    async def resolver(host: str, port: int) -> list[IPAddress]:
        assert host == "feeds.test"
        return [LOOPBACK]

    policy = NetworkPolicy.from_setting("127.0.0.1/32", resolver)
    async with Fetcher(TEST_SETTINGS, policy=policy) as client:
        result = await client.fetch(f"http://feeds.test:{internal.port}/page/one", html_only=True)
    assert result.status is FeedStatus.OK, result.error
    assert internal.hits("/page/one") == 1


async def test_an_untrusted_proxy_is_refused(
    internal: HostileSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", internal.url(""))
    async with Fetcher(TEST_SETTINGS) as client:
        result = await client.fetch("http://93.184.216.34/feed.xml")
    assert result.status is FeedStatus.BLOCKED
    assert result.error is not None
    assert "LAUNCHWATCH_FETCH_TRUST_PROXY" in result.error
    assert internal.hits("http://93.184.216.34/feed.xml") == 0


async def test_no_proxy_with_a_scheme_goes_direct_and_is_still_checked(
    internal: HostileSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx reads ``NO_PROXY=http://localhost`` as its own rules say; the dial is checked."""
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("NO_PROXY", "http://localhost")
    settings = dataclasses.replace(TEST_SETTINGS, fetch_allow_networks="")
    async with Fetcher(settings) as client:
        result = await client.fetch(f"http://localhost:{internal.port}/admin/delete")
    assert result.status is FeedStatus.BLOCKED, result.error
    assert internal.hits("/admin/delete") == 0


async def test_behind_a_trusted_proxy_private_targets_are_refused_by_policy(
    internal: HostileSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", internal.url(""))
    settings = dataclasses.replace(TEST_SETTINGS, fetch_allow_networks="", fetch_trust_proxy=True)
    async with Fetcher(settings) as client:
        result = await client.fetch("http://10.0.0.7/admin/delete")
    assert result.status is FeedStatus.BLOCKED
    assert result.error == "private address 10.0.0.7"
