"""Politeness: how hard the fetcher may lean on the network and on any one site.

News sites must find the fetcher a good citizen: at most a few requests in
flight to one host (``LAUNCHWATCH_FETCH_HOST_CONCURRENCY``, default 2), request
starts to one host spaced by a minimum interval
(``LAUNCHWATCH_FETCH_HOST_INTERVAL_S``, default 1 s, 0 = none), and a global cap
so that thousands of due feeds do not open thousands of sockets at once.

Waiting for a host never holds a global slot, so one slow site cannot starve
the others. Per-host bookkeeping is dropped once a host is idle, so memory
follows the hosts in use, not every host ever seen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    users: int = 0


@dataclass
class Politeness:
    """Global and per-host limits, used as ``async with politeness.slot(host): ...``."""

    concurrency: int = 64
    host_concurrency: int = 2
    host_interval_s: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _global: asyncio.Semaphore = field(init=False)
    _hosts: dict[str, _Host] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.host_concurrency < 1:
            raise ValueError("concurrency limits must be at least 1")
        if self.host_interval_s < 0:
            raise ValueError("host interval must not be negative")
        self._global = asyncio.Semaphore(self.concurrency)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for the right to start one request to `host`; hold it while the request runs."""
        key = host.lower()
        state = self._hosts.get(key)
        if state is None:
            self._prune()
            state = self._hosts[key] = _Host(asyncio.Semaphore(self.host_concurrency))
        state.users += 1
        try:
            async with state.semaphore:
                # Reserve a start time before sleeping, so concurrent waiters queue up
                # one interval apart instead of all waking at the same moment.
                now = self.clock()
                start = max(now, state.next_start)
                state.next_start = start + self.host_interval_s
                if start > now:
                    await self.sleep(start - now)
                async with self._global:
                    yield
        finally:
            state.users -= 1
            if state.users == 0 and state.next_start <= self.clock():
                del self._hosts[key]

    def _prune(self) -> None:
        now = self.clock()
        for key in [k for k, s in self._hosts.items() if s.users == 0 and s.next_start <= now]:
            del self._hosts[key]

    def hosts_tracked(self) -> int:
        """How many hosts have bookkeeping right now (for metrics and tests)."""
        return len(self._hosts)
