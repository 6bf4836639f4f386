"""A feed body (RSS, Atom, RDF, JSON Feed) to `schemas.FeedEntry` values.

feedparser does the XML parsing, given the HTTP response headers so that the
charset precedence is the one the specs ask for (HTTP Content-Type, then the
XML declaration); JSON Feed 1.0 and 1.1 are read with a msgspec schema
(`jsonfeed`). A feed that is malformed ("bozo") but still yields entries is
used, and its problem is reported alongside; one that yields nothing is a
parse failure. Relative links resolve against the response's
``Content-Location``, itself joined onto the URL the feed was served from.

Hostile XML: feedparser keeps internal ``<!ENTITY>`` declarations, and when
expat's amplification limit stops its strict parser, its loose parser expands
the entity anyway. So a body that declares an entity *anywhere* (read as
bytes without NULs, and again decoded with every charset it or its headers
name, so UTF-16 or UTF-7 cannot hide one) is refused before any parser sees
it, with status `refused`; a DOCTYPE that references anything external is
refused the same way. That also refuses a few valid feeds that declare
entities of their own: safety first, and the feed's status says why. Parsing
runs in a worker process with time and memory limits (`poll.FeedParsers`),
never on the event loop.

Entry identity: the GUID / Atom id, else the canonical link
(`schemas.ids.canonical_url`), else a hash of title and summary.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import io
import re
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import defusedxml
import defusedxml.ElementTree
import feedparser

from schemas.articles import FeedEntry
from schemas.ids import canonical_url

_ENTITY_DECLARATION = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!\s*DOCTYPE", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
)


MAX_ID_CHARS = 512
"""Longer entry ids are replaced by their hash."""


class FeedParseError(Exception):
    """The body is not a usable feed (status `parse`)."""


class FeedRefused(FeedParseError):
    """The body uses a construct refused for safety (status `refused`)."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    ttl_s: float | None
    """The feed's own `<ttl>` (RSS, minutes), in seconds: poll no more often than this."""
    entries: tuple[FeedEntry, ...]
    """In document order, duplicates (same entry id) dropped after their first appearance."""
    problem: str | None = None
    """Why feedparser found the feed malformed, when it did and the feed was still usable."""
    hubs: tuple[str, ...] = ()
    """WebSub hubs the feed announces (``<link rel="hub">``, ``atom:link``, JSON Feed ``hubs``)."""
    self_url: str | None = None
    """The feed's own URL as it states it (``rel="self"``, JSON Feed ``feed_url``): the topic."""


def _readings(body: bytes, content_type: str | None) -> list[str]:
    """The body as text every way a feed parser might read it."""
    labels = [label for bom, label in _BOMS if body.startswith(bom)]
    for found in (_XML_ENCODING.search(body[:1024]), _HTTP_CHARSET.search(content_type or "")):
        if found:
            label = found.group(1)
            labels.append(label.decode("ascii") if isinstance(label, bytes) else label)
    texts = [body.replace(b"\x00", b"").decode("latin-1")]  # any ASCII-compatible or UTF-16/32
    for label in dict.fromkeys(labels):
        try:
            texts.append(body.decode(label, errors="replace"))
        except (LookupError, ValueError):
            continue
    return texts


def refuse_hostile_xml(body: bytes, content_type: str | None = None) -> None:
    """Raise `FeedRefused` if the body declares entities or references external ones."""
    readings = _readings(body, content_type)
    if any(_ENTITY_DECLARATION.search(text) for text in readings):
        raise FeedRefused(
            "refused: the feed declares XML entities (<!ENTITY>), which are never "
            "expanded, for safety; ask the publisher to use plain characters instead"
        )
    if not any(_DOCTYPE.search(text) for text in readings):
        return
    try:
        defusedxml.ElementTree.fromstring(
            body, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as error:
        raise FeedRefused(
            f"refused: the feed's DOCTYPE references external content ({type(error).__name__}), "
            "which is never fetched, for safety"
        ) from None
    except (ElementTree.ParseError, ValueError):
        return  # malformed in some ordinary way; feedparser's recovery decides


def unique_entries(entries: Iterable[FeedEntry | None]) -> tuple[FeedEntry, ...]:
    """In document order, an entry id's first appearance only."""
    kept: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry is not None and entry.entry_id not in kept:
            kept[entry.entry_id] = entry
    return tuple(kept.values())


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
    """GUID, else canonical link, else a hash of title and summary (stable across polls).

    An id longer than `MAX_ID_CHARS` is kept as its hash: ids are remembered in
    the feed's state, which has a size limit.
    """
    if guid:
        return guid if len(guid) <= MAX_ID_CHARS else _hashed(guid)
    canonical = _canonical(link)
    if canonical:
        return canonical if len(canonical) <= MAX_ID_CHARS else _hashed(canonical)
    return _hashed(f"{title or ''}\x00{summary or ''}")


def _hashed(text: str) -> str:
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


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
    """Parse a feed body fetched from `url` with response `headers`; raise `FeedParseError`.

    CPU-bound and fed by strangers: the fetcher runs it in a worker process.
    """
    response_headers = {str(k).lower(): str(v) for k, v in headers.items()}
    # Relative links resolve against where the feed was actually served from; a relative
    # Content-Location is itself relative to that.
    location = response_headers.get("content-location", "").strip()
    base = urljoin(url, location) if location else url
    response_headers["content-location"] = base
    from services.fetcher import jsonfeed  # it builds on this module's entries

    if jsonfeed.looks_like_json_feed(body, response_headers.get("content-type")):
        return jsonfeed.parse_json_feed(body, base=base)
    refuse_hostile_xml(body, response_headers.get("content-type"))
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
    entries = unique_entries(to_feed_entry(raw) for raw in _get(parsed, "entries") or [])
    feed = _get(parsed, "feed") or {}
    title = _text(_get(feed, "title"))
    if problem is not None and not entries and not _get(parsed, "version"):
        raise FeedParseError(f"not a usable feed: {problem}")
    links = [link for link in _get(feed, "links") or [] if _text(_get(link, "href"))]
    hubs = tuple(_get(link, "href") for link in links if _get(link, "rel") == "hub")
    selves = [_get(link, "href") for link in links if _get(link, "rel") == "self"]
    return ParsedFeed(
        title=title,
        ttl_s=_ttl_seconds(feed),
        entries=entries,
        problem=problem,
        hubs=tuple(dict.fromkeys(hubs)),
        self_url=selves[0] if selves else None,
    )
