"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read with a msgspec schema.

feedparser reads only XML, so a JSON Feed would fail every poll with an XML
error. The schema below names the fields launchwatch uses; others are ignored,
as the spec asks readers to do. Version 1.0's single ``author`` and 1.1's
``authors`` are both read, and the top-level author stands in for items
without one. Relative item URLs resolve against the feed's base URL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

import msgspec

from schemas.articles import FeedEntry
from services.fetcher.feeds import FeedParseError, ParsedFeed, entry_identity, unique_entries

MEDIA_TYPES = frozenset({"application/feed+json", "application/json"})
VERSION_PREFIX = "https://jsonfeed.org/version/1"


class Author(msgspec.Struct, kw_only=True):
    name: str | None = None


class Item(msgspec.Struct, kw_only=True):
    id: str | int | float | None = None
    """A string by the spec; some feeds write numbers, which are read as their text."""
    url: str | None = None
    external_url: str | None = None
    title: str | None = None
    content_html: str | None = None
    content_text: str | None = None
    summary: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    author: Author | None = None
    authors: list[Author] | None = None
    tags: list[str] | None = None


class Hub(msgspec.Struct, kw_only=True):
    type: str | None = None
    url: str | None = None


class JsonFeed(msgspec.Struct, kw_only=True):
    version: str
    title: str | None = None
    feed_url: str | None = None
    hubs: list[Hub] | None = None
    author: Author | None = None
    authors: list[Author] | None = None
    items: list[Item] = []


_decoder = msgspec.json.Decoder(JsonFeed)


def looks_like_json_feed(body: bytes, content_type: str | None) -> bool:
    """Served as JSON, or a body that opens with ``{`` (after a BOM and whitespace)."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in MEDIA_TYPES or body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return (when if when.tzinfo is not None else when.replace(tzinfo=UTC)).astimezone(UTC)


def _clean(text: str | None) -> str | None:
    return text.strip() or None if isinstance(text, str) else None


def _names(*groups: list[Author] | Author | None) -> tuple[str, ...]:
    names: list[str] = []
    for group in groups:
        for author in group if isinstance(group, list) else [group] if group else []:
            name = _clean(author.name)
            if name and name not in names:
                names.append(name)
        if names:
            break
    return tuple(names)


def _entry(item: Item, feed: JsonFeed, base: str) -> FeedEntry | None:
    link = _clean(item.url) or _clean(item.external_url)
    if link is not None:
        link = urljoin(base, link)
    title = _clean(item.title)
    summary = _clean(item.summary)
    guid = _clean(str(item.id)) if item.id is not None else None
    if not (guid or link or title or summary):
        return None
    published, updated = _instant(item.date_published), _instant(item.date_modified)
    return FeedEntry(
        entry_id=entry_identity(guid, link, title, summary),
        title=title,
        link=link,
        summary=summary,
        content=_clean(item.content_html) or _clean(item.content_text),
        published_at=published or updated,
        updated_at=updated or published,
        authors=_names(item.authors, item.author, feed.authors, feed.author),
        categories=tuple(dict.fromkeys(t.strip() for t in item.tags or [] if t.strip())),
    )


def parse_json_feed(body: bytes, *, base: str) -> ParsedFeed:
    """A JSON Feed body as a ParsedFeed; raises `FeedParseError` when it is not one."""
    try:
        feed = _decoder.decode(body.removeprefix(b"\xef\xbb\xbf"))
    except msgspec.DecodeError as error:
        raise FeedParseError(f"not a usable JSON Feed: {error}") from None
    if not feed.version.startswith(VERSION_PREFIX):
        raise FeedParseError(f"not a JSON Feed version 1: {feed.version[:80]!r}")
    entries = unique_entries(_entry(item, feed, base) for item in feed.items)
    hubs = tuple(
        urljoin(base, hub.url)
        for hub in feed.hubs or []
        if hub.url and (hub.type or "").lower() in ("websub", "pubsubhubbub", "")
    )
    self_url = urljoin(base, feed.feed_url) if feed.feed_url else None
    return ParsedFeed(
        title=_clean(feed.title), ttl_s=None, entries=entries, hubs=hubs, self_url=self_url
    )
