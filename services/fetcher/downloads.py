"""Article pages downloaded once: a source over the claims of ``fetcher.articles``.

Each replica owns a share of the partitions of ``fetcher.articles``. For
every `pending` claim it owns it downloads the page (`download_article`) and
writes the RawArticle to `news.raw` and the claim, now `done`, in one Kafka
transaction on the claim's partition. A crash before the commit leaves the
claim pending, so the next owner downloads it again; a crash after it leaves
it done, so nobody does. A replica that lost the partition is fenced, and a
download begun under an earlier assignment of the partition is dropped
unwritten, because another replica may have written it meanwhile.

When partitions are assigned the table is read anew from its start, so for a
moment a claim may show as pending although a later record says it is done.
The claims done at the moment of the assignment are therefore read first, to
the end of the topic (`prepare`), and a pending claim is downloaded only when
it is not among them. The decision (`services.fetcher.claims`) writes each
article's claim once, so any pending claim that appears later is new work.

Bounds: at most ``fetch_download_concurrency`` pages in flight in the process
(and so in memory), at most ``fetch_feed_page_concurrency`` of one feed, each
page within ``fetch_page_max_bytes``; the politeness limits per site and per
address apply to every request. A RawArticle over `news.raw`'s record limit is
written without its page (``page_error`` ``too-large: …``); one too large even
then is not written, and its done claim says so in `note`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import msgspec

from schemas import Message, RawArticle, topic_for
from schemas.feeds import ArticleClaim
from schemas.topics import CLAIM_RETENTION_MS
from services.fetcher.http import Fetcher
from services.fetcher.poll import download_article, robots_for
from services.fetcher.settings import FetcherSettings
from services.runtime import PartitionLost
from services.runtime.records import TopicPartition
from services.runtime.source import SourceView, first_of
from services.runtime.spec import StageContext

log = logging.getLogger(__name__)

RECORD_HEADROOM_BYTES = 16 * 1024
"""Room for the key and the CloudEvents headers beside the encoded value."""
IDLE_WAKE_S = 1.0
RETRY_S = 5.0
"""Wait before a claim whose write failed (not for a site's reasons) is tried again."""


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


@dataclass(frozen=True)
class _Feed:
    feed_id: str
    url: str


@dataclass(frozen=True)
class _Work:
    partition: TopicPartition
    claim: ArticleClaim
    assignment: int


class DownloadSource:
    """Downloads the pending claims of the partitions this replica owns, each once."""

    def __init__(self, settings: FetcherSettings, context: StageContext, client: Fetcher) -> None:
        self._settings = settings
        self._context = context
        self._client = client
        self._done: dict[str, datetime] = {}
        """Article id to the `claimed_at` of its claim known to be done."""
        self._running: dict[str, asyncio.Task[None]] = {}
        self._per_feed: Counter[str] = Counter()
        self._retry_at: dict[str, float] = {}
        self._assignments: dict[TopicPartition, int] = {}
        self._finished = asyncio.Event()

    async def prepare(self, partitions: frozenset[TopicPartition]) -> None:
        for partition in partitions:
            self._assignments[partition] = self._assignments.get(partition, 0) + 1
        table = await self._context.latest(ArticleClaim)
        horizon = datetime.now(UTC) - timedelta(milliseconds=CLAIM_RETENTION_MS)
        done = {c.article_id: c.claimed_at for c in table.values() if c.status == "done"}
        kept = {key: at for key, at in self._done.items() if at >= horizon}
        self._done = kept | done

    async def run(self, view: SourceView[ArticleClaim], stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                view.changed.clear()
                self._finished.clear()
                self._start(view)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        first_of(view.changed, self._finished, stop), IDLE_WAKE_S
                    )
        finally:
            for task in self._running.values():
                task.cancel()  # an unwritten download is redone by the next owner
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    def _start(self, view: SourceView[ArticleClaim]) -> None:
        limit = max(self._settings.fetch_download_concurrency, 1)
        per_feed = max(self._settings.fetch_feed_page_concurrency, 1)
        now = asyncio.get_running_loop().time()
        for partition, rows in view.owned().items():
            for claim in rows.values():
                if len(self._running) >= limit:
                    return
                key = claim.article_id
                if (
                    claim.status != "pending"
                    or key in self._running
                    or self._done.get(key) == claim.claimed_at
                    or self._per_feed[claim.feed_id] >= per_feed
                    or self._retry_at.get(key, 0.0) > now
                ):
                    continue
                work = _Work(partition, claim, self._assignments.get(partition, 0))
                task = asyncio.create_task(self._download(view, work))
                self._running[key] = task
                self._per_feed[claim.feed_id] += 1
                task.add_done_callback(functools.partial(self._forget, claim))

    def _forget(self, claim: ArticleClaim, finished: asyncio.Task[None]) -> None:
        if self._running.get(claim.article_id) is finished:
            del self._running[claim.article_id]
        self._per_feed[claim.feed_id] -= 1
        if self._per_feed[claim.feed_id] <= 0:
            del self._per_feed[claim.feed_id]
        self._finished.set()

    async def _download(self, view: SourceView[ArticleClaim], work: _Work) -> None:
        claim = work.claim
        try:
            outputs = await self._outputs(claim)
            if self._assignments.get(work.partition) != work.assignment:
                return  # the partition moved meanwhile: its state is to be read anew
            await view.write(work.partition, outputs)
        except PartitionLost:
            return  # the new owner downloads it from the claim
        except Exception:
            log.exception("downloading %s failed; trying again", claim.article_id)
            self._retry_at[claim.article_id] = asyncio.get_running_loop().time() + RETRY_S
            return
        self._retry_at.pop(claim.article_id, None)
        self._done[claim.article_id] = claim.claimed_at

    async def _outputs(self, claim: ArticleClaim) -> Sequence[Message]:
        done = msgspec.structs.replace(claim, status="done", feed_url=None, entry=None)
        if claim.entry is None:
            return [msgspec.structs.replace(done, note="a pending claim without its entry")]
        page = await download_article(
            claim.entry,
            _Feed(claim.feed_id, claim.feed_url or ""),
            client=self._client,
            now=datetime.now(UTC),
            robots=robots_for(self._client),
        )
        fitted = fit(page, record_limit())
        if fitted is None:
            note = f"too-large: the record of article {claim.article_id} is over news.raw's limit"
            return [msgspec.structs.replace(done, note=note)]
        return [fitted, done]
