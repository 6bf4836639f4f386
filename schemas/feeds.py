"""Feed subscriptions, the fetcher's per-feed state, and its one decision per article.

Subscriptions and states live in compacted topics keyed by ``feed_id``: the
latest record per feed is the truth, and a tombstone (a null value) on
``feeds`` unsubscribes. Leads and claims are keyed by ``article_id``, so that
every feed entry leading to one article meets in one partition, where one
owner decides whether the article is new (see ``docs/fetcher.md``).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from schemas.articles import FeedEntry
from schemas.message import Message
from schemas.vocabulary import FeedStatus, Sha256Hex, StableId, UtcDateTime

PositiveSeconds = Annotated[float, msgspec.Meta(gt=0)]


class FeedSubscription(Message, frozen=True, kw_only=True):
    """One feed to poll (RSS, Atom or JSON Feed)."""

    feed_id: StableId
    """Stable hash of the canonical feed URL as first subscribed."""
    url: str
    tags: tuple[str, ...] = ()
    poll_interval_s: PositiveSeconds | None = None
    """Overrides the adaptive schedule; still bounded by what the server asks for."""
    title: str | None = None
    added_at: UtcDateTime


class FeedState(Message, frozen=True, kw_only=True):
    """Everything a fetcher replica needs to resume a feed exactly where another left it."""

    feed_id: StableId
    url: str
    """The feed's current URL: moves after a permanent redirect has held."""
    status: FeedStatus = FeedStatus.NEW
    http_status: int | None = None
    """The last HTTP status code, set whenever a response was received."""
    error: str | None = None
    """Human-readable reason for a non-ok status."""
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: Sha256Hex | None = None
    """Hash of the last body, for servers whose validators never change."""
    interval_s: PositiveSeconds = 60.0
    next_poll_at: UtcDateTime | None = None
    consecutive_failures: int = 0
    last_polled_at: UtcDateTime | None = None
    last_success_at: UtcDateTime | None = None
    last_new_entry_at: UtcDateTime | None = None
    seen_entry_ids: tuple[str, ...] = ()
    """Identities of recent entries, newest last, bounded in number and in bytes."""
    too_large_entry_ids: tuple[str, ...] = ()
    """Entries whose record was over `news.raw`'s size limit even without its page: recorded
    here, newest last and bounded, instead of failing the poll."""
    redirect_target: str | None = None
    """A permanent redirect seen but not yet trusted, and since when."""
    redirect_since: UtcDateTime | None = None
    gone_since: UtcDateTime | None = None
    updated_at: UtcDateTime


class ArticleLead(Message, frozen=True, kw_only=True):
    """A new entry of a feed, re-keyed by the article it leads to, waiting for its decision."""

    article_id: StableId
    """Stable hash of the canonical article URL (of the entry's id when it has no link)."""
    feed_id: StableId
    feed_url: str
    entry: FeedEntry
    found_at: UtcDateTime


ClaimStatus = Literal["pending", "done"]


class ArticleClaim(Message, frozen=True, kw_only=True):
    """The fetcher's one decision about an article: the first lead claims it, once.

    ``pending`` carries the lead's feed and entry until the page is downloaded;
    ``done`` is written in the same transaction as the article's RawArticle,
    and stays as the record that the article was emitted.
    """

    article_id: StableId
    status: ClaimStatus
    feed_id: StableId
    """The feed whose entry claimed the article."""
    feed_url: str | None = None
    entry: FeedEntry | None = None
    """Only while pending: what the RawArticle is made from."""
    claimed_at: UtcDateTime
    note: str | None = None
    """Why a done article is not on `news.raw` (its record was too large even without its page)."""
