"""Where a feed's WebSub hub is, and which topic URL to subscribe to (WebSub §4).

The publisher names them in the HTTP ``Link`` header of the feed's response
(``rel="hub"``, ``rel="self"``), which takes precedence, or inside the document:
``<link rel="hub">`` in Atom, ``<atom:link rel="hub">`` in RSS, ``hubs`` in JSON
Feed. The topic is the ``self`` URL; a feed that names a hub but no self URL is
subscribed under the URL it was fetched from, as feed readers do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

_LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*)*)")
_REL = re.compile(r"""\brel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class Discovered:
    hub: str
    topic: str


def link_header(value: str | None, base: str) -> dict[str, list[str]]:
    """RFC 8288 ``Link`` values by relation (lower-cased), targets resolved against `base`."""
    found: dict[str, list[str]] = {}
    for match in _LINK_VALUE.finditer(value or ""):
        target, params = match.group(1).strip(), match.group(2)
        rel = _REL.search(params)
        if not target or rel is None:
            continue
        for name in (rel.group(1) or rel.group(2) or "").lower().split():
            found.setdefault(name, []).append(urljoin(base, target))
    return found


def _web(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def discover(
    link: str | None,
    fetched_url: str,
    hubs: tuple[str, ...] = (),
    self_url: str | None = None,
) -> Discovered | None:
    """The hub and topic a feed announces, or None when it names no usable hub.

    `link` is the response's ``Link`` header; `hubs` and `self_url` what the
    document says (`feeds.ParsedFeed`). The header wins.
    """
    header = link_header(link, fetched_url)
    hubs = (*header.get("hub", []), *hubs)
    selves = [*header.get("self", []), self_url]
    hub = next((url for url in map(_web, hubs) if url), None)
    if hub is None:
        return None
    topic = next((url for url in map(_web, selves) if url), None) or fetched_url
    return Discovered(hub=hub, topic=topic)
