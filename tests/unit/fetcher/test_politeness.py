"""Global and per-host limits, and spacing between request starts to one host."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from services.fetcher.politeness import Politeness, site_of


class FakeTime:
    """A clock that moves only when someone sleeps: spacing is checked without real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now = max(self.now, self.now + seconds)
        await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_request_starts_to_one_host_are_spaced() -> None:
    fake = FakeTime()
    polite = Politeness(host_interval_s=1.0, clock=fake.clock, sleep=fake.sleep)
    starts: list[float] = []
    for _ in range(4):
        async with polite.slot("news.example.com"):
            starts.append(fake.now)
    assert [b - a for a, b in itertools.pairwise(starts)] == [1.0, 1.0, 1.0]
    async with polite.slot("other.example.org"):  # other hosts do not wait
        assert fake.now == starts[-1]


@pytest.mark.asyncio
async def test_zero_interval_means_no_spacing() -> None:
    fake = FakeTime()
    polite = Politeness(host_interval_s=0.0, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        async with polite.slot("news.example.com"):
            pass
    assert fake.sleeps == []


class Room:
    """Who is inside a slot right now; tasks announce themselves on entering."""

    def __init__(self) -> None:
        self.inside: list[str] = []
        self.gate = asyncio.Event()
        self.entered = asyncio.Event()

    async def hold(self, polite: Politeness, host: str) -> None:
        async with polite.slot(host):
            self.inside.append(host)
            self.entered.set()
            await self.gate.wait()
            self.inside.remove(host)

    async def settle(self, count: int) -> None:
        """Wait (bounded) until `count` are inside, then let any wrongly admitted task in too."""
        async with asyncio.timeout(5):
            while len(self.inside) < count:
                self.entered.clear()
                await self.entered.wait()
        for _ in range(20):
            await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_per_host_concurrency_limit() -> None:
    polite = Politeness(host_concurrency=2, host_interval_s=0.0)
    room = Room()
    tasks = [asyncio.create_task(room.hold(polite, "a.example")) for _ in range(5)]
    tasks.append(asyncio.create_task(room.hold(polite, "b.example")))
    await room.settle(3)
    assert sorted(room.inside) == ["a.example", "a.example", "b.example"]
    room.gate.set()
    async with asyncio.timeout(5):
        await asyncio.gather(*tasks)
    assert polite.hosts_tracked() == 0  # idle hosts are forgotten


@pytest.mark.asyncio
async def test_global_concurrency_limit() -> None:
    polite = Politeness(concurrency=3, host_interval_s=0.0)
    room = Room()
    tasks = [asyncio.create_task(room.hold(polite, f"h{n}.example")) for n in range(6)]
    await room.settle(3)
    assert len(room.inside) == 3
    room.gate.set()
    async with asyncio.timeout(5):
        await asyncio.gather(*tasks)


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Politeness(host_concurrency=0)
    with pytest.raises(ValueError, match="at least 1"):
        Politeness(address_concurrency=0)
    with pytest.raises(ValueError, match="negative"):
        Politeness(host_interval_s=-1)


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("a.b.evil.test", "evil.test"),
        ("EVIL.test.", "evil.test"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("alice.github.io", "alice.github.io"),  # github.io is a public suffix: own sites
        ("github.io", "github.io"),
        ("localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
    ],
)
def test_the_site_is_the_registrable_domain(host: str, site: str) -> None:
    assert site_of(host) == site


@pytest.mark.asyncio
async def test_subdomains_of_one_site_share_its_limit() -> None:
    polite = Politeness(host_concurrency=2, host_interval_s=0.0)
    room = Room()
    tasks = [asyncio.create_task(room.hold(polite, f"s{n}.evil.example")) for n in range(6)]
    tasks.append(asyncio.create_task(room.hold(polite, "news.other.example")))
    await room.settle(3)
    assert sorted(room.inside) == ["news.other.example", "s0.evil.example", "s1.evil.example"]
    room.gate.set()
    async with asyncio.timeout(5):
        await asyncio.gather(*tasks)


@pytest.mark.asyncio
async def test_one_address_is_limited_whatever_the_names() -> None:
    polite = Politeness(host_concurrency=2, address_concurrency=3, host_interval_s=0.0)
    room = Room()

    async def hold(site: str) -> None:
        async with polite.slot(site, "203.0.113.7"):
            room.inside.append(site)
            room.entered.set()
            await room.gate.wait()

    tasks = [asyncio.create_task(hold(f"site{n}.example")) for n in range(8)]
    await room.settle(3)
    assert len(room.inside) == 3
    room.gate.set()
    async with asyncio.timeout(5):
        await asyncio.gather(*tasks)
    assert polite.hosts_tracked() == 0
