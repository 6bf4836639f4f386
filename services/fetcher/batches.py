"""A poll's pages downloaded and written in bounded batches, each with its share of the state.

A poll used to keep every page it downloaded in memory and write them all at
once: a feed of a hundred 5 MiB pages could exhaust a replica's memory before
its state was written, so every replica that took the feed over died the same
way. Here the bounds are:

- at most ``fetch_feed_page_concurrency`` pages of one poll download at once;
- a poll starts no more downloads once ``fetch_poll_max_bytes`` of pages have
  arrived; the entries left are recorded as not yet seen, for the next poll;
- pages are written as soon as ``fetch_batch_max_bytes`` of them are waiting,
  in one transaction with the feed state that records exactly the entries
  written so far (`PollResult.state_after`), so progress survives a crash and
  the next owner resumes after the last batch;
- a RawArticle over `news.raw`'s record limit is written without its page
  (``page_error`` ``too-large: …``, the feed's text stands in); one too large
  even then is not written and its entry is listed in the state's
  `too_large_entry_ids`. Neither fails the poll.

So a poll holds at most one batch plus the pages in flight, whatever the feed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from schemas import FeedState, FeedSubscription, RawArticle, topic_for
from schemas.articles import FeedEntry
from services.fetcher.http import Fetcher
from services.fetcher.poll import PollResult, download_article
from services.fetcher.robots import RobotsCache

RECORD_HEADROOM_BYTES = 16 * 1024
"""Room for the key and the CloudEvents headers beside the encoded value."""

Writer = Callable[[Sequence[RawArticle], FeedState], Awaitable[None]]
"""Writes pages together with the state that records them (one transaction)."""


def record_limit() -> int:
    """The largest encoded RawArticle `news.raw` accepts, headers left aside."""
    return topic_for(RawArticle).max_message_bytes - RECORD_HEADROOM_BYTES


def fit(page: RawArticle, limit: int) -> RawArticle | None:
    """`page` if its record fits; else without its page body; None when even that is too big."""
    size = len(msgspec.json.encode(page))
    if size <= limit:
        return page
    reason = f"too-large: the record of {size} bytes is over the {limit}-byte limit of news.raw"
    lighter = msgspec.structs.replace(page, body=None, page_error=reason)
    return lighter if len(msgspec.json.encode(lighter)) <= limit else None


@dataclass
class _Batch:
    pages: list[RawArticle] = field(default_factory=list)
    bytes: int = 0


@dataclass
class Harvest:
    """One poll's downloads; `run` writes every batch and finally the poll's state."""

    result: PollResult
    feed: FeedSubscription
    client: Fetcher
    robots: RobotsCache
    now: datetime
    write: Writer
    recorded: list[str] = field(default_factory=list)
    too_large: list[str] = field(default_factory=list)
    state: FeedState | None = None
    """The last state written."""

    async def run(self) -> FeedState:
        settings = self.client.settings
        limit = record_limit()
        waiting = iter(self.result.entries)
        running: set[asyncio.Task[tuple[FeedEntry, RawArticle]]] = set()
        batch = _Batch()
        arrived = 0
        try:
            while True:
                while len(running) < max(settings.fetch_feed_page_concurrency, 1) and (
                    arrived < settings.fetch_poll_max_bytes
                ):
                    entry = next(waiting, None)
                    if entry is None:
                        break
                    running.add(asyncio.create_task(self._download(entry)))
                if not running:
                    break
                finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    entry, page = task.result()
                    arrived += len(page.body or b"")
                    fitted = fit(page, limit)
                    if fitted is None:
                        self.too_large.append(entry.entry_id)
                        self.recorded.append(entry.entry_id)
                        continue
                    batch.pages.append(fitted)
                    batch.bytes += len(fitted.body or b"")
                    self.recorded.append(entry.entry_id)
                if batch.bytes >= settings.fetch_batch_max_bytes:
                    await self._write(batch)
                    batch = _Batch()
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
        return await self._write(batch)

    async def _download(self, entry: FeedEntry) -> tuple[FeedEntry, RawArticle]:
        page = await download_article(
            entry, self.feed, client=self.client, now=self.now, robots=self.robots
        )
        return entry, page

    async def _write(self, batch: _Batch) -> FeedState:
        state = self.result.state_after(self.recorded, self.too_large)
        await self.write(batch.pages, state)
        self.state = state
        return state
