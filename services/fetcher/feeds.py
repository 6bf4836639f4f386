"""A feed body (RSS, Atom, RDF, JSON Feed) to `schemas.FeedEntry` values.

feedparser does the parsing, given the HTTP response headers so that the
charset precedence is the one the specs ask for (HTTP Content-Type, then the
XML declaration). A feed that is malformed ("bozo") but still yields entries is
used, and its problem is reported alongside; one that yields nothing is a
parse failure.

Hostile XML: feedparser's strict parser runs on expat with external entities
disabled and rewrites the DOCTYPE so that declared entities are not expanded,
and its loose parser never expands custom entities, so neither billion-laughs
expansion nor external entities can reach it. As defence in depth, a body that
declares a DOCTYPE is first run through defusedxml with entity declarations and
external references forbidden; a feed that relies on them is refused with
status `parse` rather than trusted to a parser upgrade. Ordinary malformation
does not refuse a feed at that stage: feedparser's own recovery decides.

Entry identity: the GUID / Atom id, else the canonical link
(`schemas.ids.canonical_url`), else a hash of title and summary.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import defusedxml
import defusedxml.ElementTree
import feedparser

from schemas.articles import FeedEntry
from schemas.ids import canonical_url

_DOCTYPE_WINDOW = 64 * 1024
"""A DOCTYPE can only come before the root element, near the start of the body."""


class FeedParseError(Exception):
    """The body is not a usable feed (status `parse`)."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    ttl_s: float | None
    """The feed's own `<ttl>` (RSS, minutes), in seconds: poll no more often than this."""
    entries: tuple[FeedEntry, ...]
    """In document order, duplicates (same entry id) dropped after their first appearance."""
    problem: str | None = None
    """Why feedparser found the feed malformed, when it did and the feed was still usable."""


def refuse_hostile_xml(body: bytes) -> None:
    """Raise `FeedParseError` if the body declares entities or references external ones."""
    head = body[:_DOCTYPE_WINDOW]
    if b"<!DOCTYPE" not in head and b"<!doctype" not in head:
        return
    try:
        defusedxml.ElementTree.fromstring(
            body, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as error:
        raise FeedParseError(f"refused XML: {type(error).__name__} ({error})") from None
    except (ElementTree.ParseError, ValueError):
        return  # malformed in some ordinary way; feedparser's recovery decides


def _get(mapping: Any, key: str) -> Any:
    """A plain lookup: feedparser's own lookup warns when it falls back between date keys."""
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def _instant(parsed: Any) -> datetime | None:
    """feedparser's UTC struct_time to an aware datetime."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _canonical(link: str | None) -> str | None:
    if not link:
        return None
    try:
        return canonical_url(link)
    except ValueError:
        return None


def entry_identity(
    guid: str | None, link: str | None, title: str | None, summary: str | None
) -> str:
    """GUID, else canonical link, else a hash of title and summary (stable across polls)."""
    if guid:
        return guid
    canonical = _canonical(link)
    if canonical:
        return canonical
    digest = hashlib.sha256(f"{title or ''}\x00{summary or ''}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _content(entry: Any) -> str | None:
    parts = _get(entry, "content") or []
    html = [p for p in parts if isinstance(p, Mapping) and "html" in str(_get(p, "type") or "")]
    for part in html or parts:
        if isinstance(part, Mapping):
            text = _text(_get(part, "value"))
            if text:
                return text
    return None


def _authors(entry: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in _get(entry, "authors") or []:
        name = _text(_get(author, "name")) if isinstance(author, Mapping) else None
        if name and name not in names:
            names.append(name)
    if not names:
        single = _text(_get(entry, "author"))
        if single:
            names.append(single)
    return tuple(names)


def _categories(entry: Any) -> tuple[str, ...]:
    terms: list[str] = []
    for tag in _get(entry, "tags") or []:
        term = _text(_get(tag, "term")) if isinstance(tag, Mapping) else None
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def to_feed_entry(entry: Any) -> FeedEntry | None:
    """One feedparser entry as a FeedEntry; None when it carries nothing to identify it by."""
    title = _text(_get(entry, "title"))
    link = _text(_get(entry, "link"))
    summary = _text(_get(entry, "summary"))
    guid = _text(_get(entry, "id"))
    if not (guid or link or title or summary):
        return None
    published = _instant(_get(entry, "published_parsed"))
    updated = _instant(_get(entry, "updated_parsed"))
    return FeedEntry(
        entry_id=entry_identity(guid, link, title, summary),
        title=title,
        link=link,
        summary=summary,
        content=_content(entry),
        published_at=published or updated,
        updated_at=updated or published,
        authors=_authors(entry),
        categories=_categories(entry),
    )


def _ttl_seconds(feed: Any) -> float | None:
    raw = _text(_get(feed, "ttl"))
    if raw is None:
        return None
    try:
        minutes = float(raw)
    except ValueError:
        return None
    return minutes * 60.0 if minutes > 0 else None


def parse_feed(body: bytes, *, headers: Mapping[str, str], url: str) -> ParsedFeed:
    """Parse a feed body fetched from `url` with response `headers`; raise `FeedParseError`."""
    refuse_hostile_xml(body)
    response_headers = {str(k).lower(): str(v) for k, v in headers.items()}
    # Relative links resolve against where the feed was actually served from.
    response_headers.setdefault("content-location", url)
    # A stream, never bytes or str: feedparser would try to open a str as a URL or path.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    problem: str | None = None
    if _get(parsed, "bozo"):
        error = _get(parsed, "bozo_exception")
        problem = f"{type(error).__name__}: {error}" if error is not None else "malformed feed"
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in _get(parsed, "entries") or []:
        entry = to_feed_entry(raw)
        if entry is not None and entry.entry_id not in seen:
            seen.add(entry.entry_id)
            entries.append(entry)
    feed = _get(parsed, "feed") or {}
    title = _text(_get(feed, "title"))
    if problem is not None and not entries and not _get(parsed, "version"):
        raise FeedParseError(f"not a usable feed: {problem}")
    return ParsedFeed(
        title=title, ttl_s=_ttl_seconds(feed), entries=tuple(entries), problem=problem
    )
