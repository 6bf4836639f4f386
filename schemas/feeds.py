"""Feed subscriptions, the fetcher's per-feed state, and its one decision per article.

Subscriptions and states live in compacted topics keyed by ``feed_id``: the
latest record per feed is the truth, and a tombstone (a null value) on
``feeds`` unsubscribes. A feed whose publisher announces a WebSub hub also has a
`WebSubSubscription` (compacted, keyed by ``feed_id``), and what the hub sends
to the callback travels as `WebSubEvent` records keyed by ``feed_id``, so the
one replica that owns the feed applies them. Leads and claims are keyed by ``article_id``, so that
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


WebSubStatus = Literal["requested", "live", "failed", "denied", "ended"]
"""``requested``: asked of the hub, not yet verified; ``live``: verified, the lease
running; ``failed``: the hub refused the request or never verified it (asked again
later); ``denied``: the hub denied or cancelled it (asked again much later);
``ended``: the feed no longer names the hub, so the lease is left to run out and
deliveries are answered 410 Gone."""


class WebSubSubscription(Message, frozen=True, kw_only=True):
    """A feed's WebSub subscription (W3C WebSub), as the fetcher asked for it and the hub answered.

    Written only by the replica that owns the feed, in the same transaction as
    the feed's state when both change; every replica reads the whole table to
    answer the hub's verification and check each delivery's signature.
    """

    feed_id: StableId
    hub: str
    """The hub's URL, discovered from the feed (``Link`` header or ``<link rel="hub">``)."""
    topic: str
    """The topic URL (the feed's ``rel="self"``, else the URL it was fetched from)."""
    callback: str
    secret: str
    """The HMAC secret given to the hub (``hub.secret``); deliveries are signed with it."""
    status: WebSubStatus
    requested_at: UtcDateTime
    attempts: int = 0
    """Requests since the subscription was last verified; sets the back-off of retries."""
    lease_s: int | None = None
    """The lease the hub granted in its verification (``hub.lease_seconds``)."""
    verified_at: UtcDateTime | None = None
    expires_at: UtcDateTime | None = None
    error: str | None = None
    applied_offset: int = -1
    """Offset in ``fetcher.pushes`` of the last event applied to this feed: one applied once."""
    last_push_at: UtcDateTime | None = None
    updated_at: UtcDateTime


WebSubEventKind = Literal["content", "verified", "denied"]


class WebSubEvent(Message, frozen=True, kw_only=True):
    """What a hub told the callback about one feed, on its way to the feed's owner.

    ``content``: a delivery whose signature was checked (its body is the
    pushed feed document); ``verified``: the hub verified the subscription,
    with its lease; ``denied``: the hub denied or cancelled it.
    """

    feed_id: StableId
    kind: WebSubEventKind
    topic: str
    received_at: UtcDateTime
    body: bytes | None = None
    content_type: str | None = None
    link: str | None = None
    """The delivery's ``Link`` header (its ``rel="hub"`` and ``rel="self"``)."""
    lease_s: int | None = None
    reason: str | None = None
