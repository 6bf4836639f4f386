"""One decision per article: the first lead to reach an article's owner claims it, once.

Polls write every new entry as an `ArticleLead` to ``fetcher.leads``, keyed by
the article id it leads to, in the transaction that records it in the feed's
state. So every lead of one article, from any feed and any replica, lands in
one partition, and that partition has one owner at a time. The owner keeps
the set of claimed articles (the keys of the compacted ``fetcher.articles``)
and turns a lead into a `pending` `ArticleClaim` only when its article is not
claimed yet. It runs in Kafka transactions, one transactional producer per
input partition: the claim and the lead's offset are written together or not
at all, and a member that lost the partition is fenced. Whenever it is given
partitions (or its outputs were refused) it reloads the set from
``fetcher.articles``, so a restart or a rebalance never claims an article
twice. Nothing is downloaded here: a duplicate lead costs one small record
and no request (see `services.fetcher.downloads` for the download).

Claims expire with ``fetcher.articles``' retention (twice `news.raw`'s), so
memory holds the articles of that window, and a story seen again after it is
a new article, at a time when `news.raw` no longer holds the first one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas import Message
from schemas.feeds import ArticleClaim, ArticleLead
from schemas.topics import CLAIM_RETENTION_MS
from services.fetcher import metrics
from services.runtime.records import TopicPartition
from services.runtime.spec import Stage, StageContext

log = logging.getLogger(__name__)

PRUNE_EVERY = 10_000
"""New claims between two sweeps of claims older than the retention."""


class Claims:
    """The articles claimed so far, and the decision for each lead."""

    def __init__(self, context: StageContext) -> None:
        self._context = context
        self._claimed: dict[str, datetime] = {}
        self._since_prune = 0

    async def reload(self, partitions: frozenset[TopicPartition]) -> None:
        """Rebuild the set from ``fetcher.articles``, read up to its end."""
        table = await self._context.latest(ArticleClaim)
        self._claimed = {claim.article_id: claim.claimed_at for claim in table.values()}
        log.info("article claims: %d", len(self._claimed))

    def decide(self, lead: ArticleLead) -> list[Message]:
        """A `pending` claim for an article nobody claimed yet; nothing for a duplicate."""
        if lead.article_id in self._claimed:
            metrics.DUPLICATES.inc()
            return []
        now = datetime.now(UTC)
        self._claimed[lead.article_id] = now
        self._since_prune += 1
        if self._since_prune >= PRUNE_EVERY:
            self._prune(now)
        return [
            ArticleClaim(
                article_id=lead.article_id,
                status="pending",
                feed_id=lead.feed_id,
                feed_url=lead.feed_url,
                entry=lead.entry,
                claimed_at=now,
            )
        ]

    def _prune(self, now: datetime) -> None:
        """Forget claims the topic no longer keeps either."""
        self._since_prune = 0
        horizon = now - timedelta(milliseconds=CLAIM_RETENTION_MS)
        self._claimed = {key: at for key, at in self._claimed.items() if at >= horizon}


@asynccontextmanager
async def open_claims(settings: Any, context: StageContext) -> AsyncIterator[Stage[ArticleLead]]:
    claims = Claims(context)
    yield Stage(claims.decide, on_assigned=claims.reload)
