"""Feed parsing in a worker process, under a time limit and a memory limit.

A feed is a stranger's document: parsing one can take seconds of CPU per
megabyte (feedparser's loose parser) or, with a construct that slipped past
the checks, gigabytes. On the event loop that would stall every other feed
and the Kafka heartbeats. `FeedParsers` runs `feeds.parse_feed` in a
`services.workers.WorkerPool` (``LAUNCHWATCH_FEED_PARSE_TIMEOUT_S``,
``LAUNCHWATCH_FEED_PARSE_MEMORY_MB``); a feed over either limit is refused
(status `refused`), one that crashes its worker fails to parse (status
`parse`), and both back off like any failure.
"""

from __future__ import annotations

from collections.abc import Mapping

from services.fetcher.feeds import FeedParseError, FeedRefused, ParsedFeed, parse_feed
from services.fetcher.settings import FetcherSettings
from services.workers import TaskCrashed, TaskFailed, TaskOutOfMemory, TaskTimeout, WorkerPool

FEED_PARSE_WORKERS = 1
"""Feeds are small and parsed once per changed body: one worker keeps up."""


def parse_in_worker(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    return parse_feed(body, headers=headers, url=url)


class FeedParsers:
    """``await parsers(body, headers, url)``: a `poll.FeedParser` that parses in a worker."""

    def __init__(self, settings: FetcherSettings, workers: int = FEED_PARSE_WORKERS) -> None:
        self._pool = WorkerPool(
            workers,
            timeout_s=settings.feed_parse_timeout_s,
            memory_mb=settings.feed_parse_memory_mb,
            name="feed-parse",
        )

    async def __call__(self, body: bytes, headers: Mapping[str, str], url: str) -> ParsedFeed:
        try:
            return await self._pool.run(parse_in_worker, body, dict(headers), url)
        except TaskTimeout as error:
            raise FeedRefused(f"refused: parsing the feed {error}, the limit") from None
        except TaskOutOfMemory as error:
            raise FeedRefused(f"refused: parsing the feed went {error}") from None
        except (TaskCrashed, TaskFailed) as error:
            raise FeedParseError(f"parsing the feed failed: {error}") from None

    def close(self) -> None:
        self._pool.close()
