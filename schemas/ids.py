"""Canonical URLs and the stable identifiers derived from them.

Article id is the same for every copy of a story however it was linked:
scheme and host lower-cased, default port dropped, fragment removed, tracking
parameters (``utm_*``, ``fbclid``, ``gclid`` and the like) removed, the
remaining query parameters sorted. A consumer in another language computes the
same id with the same steps and SHA-256.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "smtyp",
        "mkt_tok",
        "spm",
        "sr_share",
        "at_medium",
        "at_campaign",
    }
)
"""Query parameters that identify a campaign or a click, never the page."""

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "vero_")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The form of `url` that identifies its page; raises ValueError if it is not http(s)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.rstrip(".").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode(
        sorted(
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(name)
        )
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def stable_id(text: str) -> str:
    """32 hex digits of SHA-256: short enough for keys, long enough never to collide."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def article_id(url: str) -> str:
    """The article id of the page at `url`."""
    return stable_id(canonical_url(url))


def feed_id(url: str) -> str:
    """The feed id of the feed at `url`, as first subscribed."""
    return stable_id(canonical_url(url))
