"""Politeness by where requests land: a wildcard site and a reflector, over real sockets.

Names under ``.test`` exist only in the policy's resolver: the hostile site's
subdomains all resolve to 127.0.0.2, the innocent feed's host to 127.0.0.1,
as two servers on the internet would.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import time
from collections.abc import Iterator

import pytest

from schemas.vocabulary import FeedStatus
from services.fetcher.guard import IPAddress, NetworkPolicy, ResolutionFailed
from services.fetcher.http import Fetcher
from services.fetcher.politeness import Politeness
from tests.hostile_site import HostileSite
from tests.unit.fetcher.conftest import TEST_SETTINGS

pytestmark = pytest.mark.asyncio

SLOW_S = 1.5
SETTINGS = dataclasses.replace(TEST_SETTINGS, fetch_allow_networks="127.0.0.0/8")


async def resolver(host: str, port: int) -> list[IPAddress]:
    if host.endswith(".evil.test") or host.startswith("www.mirror"):
        return [ipaddress.ip_address("127.0.0.2")]
    if host == "news.good.test":
        return [ipaddress.ip_address("127.0.0.1")]
    raise ResolutionFailed(f"cannot resolve {host}")


@pytest.fixture
def evil() -> Iterator[HostileSite]:
    with HostileSite("127.0.0.2") as site:
        yield site


@pytest.fixture
def good() -> Iterator[HostileSite]:
    with HostileSite("127.0.0.1") as site:
        yield site


async def test_slow_pages_on_many_subdomains_cannot_starve_another_feed(
    evil: HostileSite, good: HostileSite
) -> None:
    """16 slow pages, each on its own subdomain, and 4 global slots: the good page still runs."""
    polite = Politeness(concurrency=4, host_concurrency=2, host_interval_s=0.0)
    policy = NetworkPolicy.from_setting(SETTINGS.fetch_allow_networks, resolver)
    async with Fetcher(SETTINGS, policy=policy, politeness=polite) as client:
        slow = [
            asyncio.create_task(
                client.fetch(evil.url(f"/slow/{n}?s={SLOW_S}", f"s{n}.evil.test"), html_only=True)
            )
            for n in range(16)
        ]
        await asyncio.sleep(0.2)  # the slow requests are queued or running
        started = time.monotonic()
        page = await client.fetch(good.url("/page/innocent", "news.good.test"), html_only=True)
        waited = time.monotonic() - started
        for task in slow:
            task.cancel()
        await asyncio.gather(*slow, return_exceptions=True)
    assert page.status is FeedStatus.OK, page.error
    assert waited < SLOW_S / 2, f"the innocent page waited {waited:.2f} s behind the wildcard site"
    assert evil.in_flight_peak == 2, "one site, whatever its subdomains: two requests at once"


async def test_many_domains_of_one_address_cannot_make_a_reflector(evil: HostileSite) -> None:
    """Twelve registrable domains, one server: requests to it are capped by its address."""
    polite = Politeness(host_concurrency=2, host_interval_s=0.0, address_concurrency=3)
    policy = NetworkPolicy.from_setting(SETTINGS.fetch_allow_networks, resolver)
    async with Fetcher(SETTINGS, policy=policy, politeness=polite) as client:
        results = await asyncio.gather(
            *(
                client.fetch(evil.url("/slow/x?s=0.3", f"www.mirror{n}.test"), html_only=True)
                for n in range(12)
            )
        )
    assert all(result.status is FeedStatus.OK for result in results)
    assert evil.in_flight_peak == 3
