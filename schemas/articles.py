"""Articles as downloaded (`news.raw`) and as extracted (`news.articles`).

Both are keyed by ``article_id``, a stable hash of the canonical article URL
(scheme and host normalised, fragment and tracking parameters removed), so the
same story seen in two feeds is one article.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from schemas.message import Message, Part
from schemas.vocabulary import ExtractionPath, StableId, UtcDateTime


class FeedEntry(Part, frozen=True, kw_only=True):
    """What the feed said about the article, kept as the fallback text and metadata."""

    entry_id: str
    """GUID, else canonical link, else a hash of title and summary."""
    title: str | None = None
    link: str | None = None
    summary: str | None = None
    content: str | None = None
    published_at: UtcDateTime | None = None
    updated_at: UtcDateTime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class RawArticle(Message, frozen=True, kw_only=True):
    """A feed entry and the bytes of its page, exactly as the server sent them."""

    article_id: StableId
    url: str
    """Canonical article URL."""
    feed_id: StableId
    feed_url: str
    entry: FeedEntry
    fetched_at: UtcDateTime
    final_url: str | None = None
    """Where the page download ended after redirects."""
    http_status: int | None = None
    content_type: str | None = None
    """The Content-Type header, charset parameter included: the first charset hint."""
    body: bytes | None = None
    """The page, decoded from its transfer encoding but not from its charset."""
    page_error: str | None = None
    """Why the page is missing; the entry's own content then stands in for it."""


PublishedSource = Literal["page", "feed", "none"]

QualityFlag = Annotated[
    str,
    msgspec.Meta(
        pattern="^[a-z][a-z0-9-]*$",
        description=(
            "A problem found while extracting: e.g. short-text, feed-fallback, "
            "encoding-guessed, not-html, extraction-timeout, empty-page."
        ),
    ),
]


class Article(Message, frozen=True, kw_only=True):
    """Clean main text and metadata of one article."""

    article_id: StableId
    url: str
    feed_id: StableId
    canonical_url: str | None = None
    """The page's own canonical link, when it declares one."""
    title: str | None = None
    text: str
    authors: tuple[str, ...] = ()
    published_at: UtcDateTime | None = None
    published_source: PublishedSource = "none"
    """Which source the publication time came from after reconciling page and feed."""
    language: str | None = None
    """BCP 47 primary language subtag, e.g. `en`."""
    site_name: str | None = None
    word_count: int = 0
    extraction: ExtractionPath = ExtractionPath.NONE
    quality_flags: tuple[QualityFlag, ...] = ()
    fetched_at: UtcDateTime | None = None
    parsed_at: UtcDateTime
