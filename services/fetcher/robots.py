"""robots.txt for article pages.

A feed is an invitation to fetch the feed; the pages it links to are governed
by the site's robots.txt, which is honoured by default (``LAUNCHWATCH_FETCH_ROBOTS``).
The file is fetched with the same client, guard, politeness and caps as
everything else, parsed by the standard library, and cached per origin for a
while (``LAUNCHWATCH_FETCH_ROBOTS_TTL_S``).

Following RFC 9309: a 4xx (no robots.txt) allows everything; a server error
or an unreachable site disallows everything for a short while, since the site
cannot tell us what it wants. The entry's own content then stands in for the
page, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from services.fetcher.http import Fetcher

ROBOTS_MAX_BYTES = 512 * 1024
"""RFC 9309 asks crawlers to read at least 500 KiB."""
UNREACHABLE_TTL_S = 600.0
"""How long a failure to read robots.txt keeps a site's pages off limits."""
PRODUCT_TOKEN = "launchwatch"


@dataclass
class _Entry:
    parser: urllib.robotparser.RobotFileParser
    expires: float


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


@dataclass
class RobotsCache:
    """``await robots.allowed(url)``: may the fetcher download this page?"""

    client: Fetcher
    enabled: bool = True
    ttl_s: float = 3600.0
    agent: str = PRODUCT_TOKEN
    clock: Callable[[], float] = time.monotonic
    max_origins: int = 10_000
    _cache: dict[str, _Entry] = field(default_factory=dict)
    _loading: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def allowed(self, url: str) -> bool:
        if not self.enabled:
            return True
        origin = _origin(url)
        # One download per origin: the pages of a new feed are requested together,
        # and each would otherwise fetch robots.txt itself.
        lock = self._loading.setdefault(origin, asyncio.Lock())
        async with lock:
            now = self.clock()
            entry = self._cache.get(origin)
            if entry is None or entry.expires <= now:
                entry = await self._load(origin, now)
                if len(self._cache) >= self.max_origins:
                    self._evict(now)
                self._cache[origin] = entry
        if not lock.locked():
            self._loading.pop(origin, None)
        return entry.parser.can_fetch(self.agent, url)

    async def _load(self, origin: str, now: float) -> _Entry:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        result = await self.client.fetch(
            origin + "/robots.txt", max_bytes=ROBOTS_MAX_BYTES, accept="text/plain, */*;q=0.5"
        )
        if result.ok and result.body is not None:
            parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
            return _Entry(parser, now + self.ttl_s)
        code = result.http_status
        if code is not None and 400 <= code < 500 and code != 429:
            parser.parse([])  # no robots.txt: no rules
            return _Entry(parser, now + self.ttl_s)
        parser.parse(["User-agent: *", "Disallow: /"])
        return _Entry(parser, now + min(self.ttl_s, UNREACHABLE_TTL_S))

    def _evict(self, now: float) -> None:
        for origin in [o for o, e in self._cache.items() if e.expires <= now]:
            del self._cache[origin]
        while len(self._cache) >= self.max_origins:
            del self._cache[next(iter(self._cache))]
