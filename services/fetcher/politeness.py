"""Politeness: how hard the fetcher may lean on the network and on any one site.

Limits are keyed by where requests land, not by the host name a feed gives:

- **per site**, the registrable domain (public-suffix aware: ``a.news.example.co.uk``
  and ``b.news.example.co.uk`` are one site, ``example.co.uk``; ``alice.github.io``
  and ``bob.github.io`` are two, because ``github.io`` is a public suffix): at most
  a few requests in flight (``LAUNCHWATCH_FETCH_HOST_CONCURRENCY``, default 2),
  and request starts spaced by a minimum interval
  (``LAUNCHWATCH_FETCH_HOST_INTERVAL_S``, default 1 s, 0 = none). A site that
  answers on any subdomain (a wildcard) is still one site, so slow pages on a
  thousand of its names hold two slots, not all of them;
- **per resolved address**: at most ``LAUNCHWATCH_FETCH_ADDRESS_CONCURRENCY``
  requests in flight to one IP, whatever the names that lead there, so feeds
  naming many domains that all point at one server cannot make the fetcher a
  traffic reflector against it;
- a **global** cap, so that thousands of due feeds do not open thousands of
  sockets at once.

Waiting for a site or an address never holds a global slot, so one slow site
cannot starve the others. Bookkeeping of a key is dropped once it is idle, so
memory follows the sites in use, not every site ever seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from publicsuffixlist import PublicSuffixList


@functools.cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: no network at start-up


def site_of(host: str) -> str:
    """The registrable domain of `host`, the unit of politeness; an IP address is its own site.

    A host that is itself a public suffix (``github.io``), or has no dot, is
    its own site too.
    """
    name = host.strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(name.split("%", 1)[0]))
    except ValueError:
        pass
    return _suffixes().privatesuffix(name) or name


@dataclass
class _Lane:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    users: int = 0


@dataclass
class _Lanes:
    """One limit per key (a site, an address), forgotten while nobody uses it."""

    concurrency: int
    interval_s: float
    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    lanes: dict[str, _Lane] = field(default_factory=dict)

    @asynccontextmanager
    async def enter(self, key: str) -> AsyncIterator[None]:
        lane = self.lanes.get(key)
        if lane is None:
            self._prune()
            lane = self.lanes[key] = _Lane(asyncio.Semaphore(self.concurrency))
        lane.users += 1
        try:
            async with lane.semaphore:
                if self.interval_s:
                    # Reserve a start time before sleeping, so concurrent waiters queue
                    # up one interval apart instead of all waking at the same moment.
                    now = self.clock()
                    start = max(now, lane.next_start)
                    lane.next_start = start + self.interval_s
                    if start > now:
                        await self.sleep(start - now)
                yield
        finally:
            lane.users -= 1
            if lane.users == 0 and lane.next_start <= self.clock():
                del self.lanes[key]

    def _prune(self) -> None:
        now = self.clock()
        for key in [k for k, s in self.lanes.items() if s.users == 0 and s.next_start <= now]:
            del self.lanes[key]


@dataclass
class Politeness:
    """Global, per-site and per-address limits: ``async with politeness.slot(host, ip): ...``."""

    concurrency: int = 64
    host_concurrency: int = 2
    host_interval_s: float = 1.0
    address_concurrency: int = 8
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _global: asyncio.Semaphore = field(init=False)
    _sites: _Lanes = field(init=False)
    _addresses: _Lanes = field(init=False)

    def __post_init__(self) -> None:
        if min(self.concurrency, self.host_concurrency, self.address_concurrency) < 1:
            raise ValueError("concurrency limits must be at least 1")
        if self.host_interval_s < 0:
            raise ValueError("host interval must not be negative")
        self._global = asyncio.Semaphore(self.concurrency)
        self._sites = _Lanes(self.host_concurrency, self.host_interval_s, self.clock, self.sleep)
        self._addresses = _Lanes(self.address_concurrency, 0.0, self.clock, self.sleep)

    @asynccontextmanager
    async def slot(self, host: str, address: str | None = None) -> AsyncIterator[None]:
        """Wait for the right to start one request to `host` at `address`; hold it meanwhile.

        The site is always taken before the address and the global slot last,
        so waiters never hold what another waiter needs first.
        """
        async with self._sites.enter(site_of(host)):
            by_address = (
                self._addresses.enter(site_of(address)) if address else contextlib.nullcontext()
            )
            async with by_address, self._global:
                yield

    def hosts_tracked(self) -> int:
        """How many sites and addresses have bookkeeping right now (for metrics and tests)."""
        return len(self._sites.lanes) + len(self._addresses.lanes)
