"""Page bytes to text, with the charset precedence browsers use.

The HTTP Content-Type charset wins, then the document's own declaration,
then detection. A declared charset that does not decode cleanly is treated as
mislabelled (common on old news sites) and detection takes over; the article
carries a flag saying so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from trafilatura.utils import decode_file

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
MISLABELLED_RATIO = 0.001
"""Share of undecodable bytes above which a declared charset is not believed."""


@dataclass(frozen=True)
class DecodedPage:
    html: str
    flags: tuple[str, ...] = ()


def charset_of(content_type: str | None, body: bytes) -> str | None:
    """The declared charset: HTTP header first, then a <meta> in the first 4 KiB."""
    for found in (
        _HTTP_CHARSET.search(content_type or ""),
        _META_CHARSET.search(body[:4096]),
    ):
        if found:
            name = found.group(1)
            label = name.decode("ascii", "replace") if isinstance(name, bytes) else name
            try:
                return codecs.lookup(label).name
            except LookupError:
                continue
    return None


def decode_page(body: bytes, content_type: str | None) -> DecodedPage:
    declared = charset_of(content_type, body)
    if declared is not None:
        text = body.decode(declared, errors="replace")
        if text.count("\ufffd") <= max(1, len(body) * MISLABELLED_RATIO):
            return DecodedPage(text)
        return DecodedPage(decode_file(body), ("encoding-mislabelled",))
    return DecodedPage(decode_file(body), ("encoding-guessed",))
