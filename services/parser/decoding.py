"""Page bytes to text, with the charset precedence browsers use.

The HTTP Content-Type charset wins, then the document's own declaration,
then detection. Only WHATWG encoding labels count (`webencodings`, the table
browsers use: ``latin1`` means windows-1252): a label that is not one
(``hex``, ``rot13``, any other Python codec name), or names the
``replacement`` encoding, is mislabelled, as is a declared charset that does
not decode cleanly (common on old news sites); detection then takes over and
the article carries the flag ``encoding-mislabelled``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import webencodings  # type: ignore[import-untyped]
from trafilatura.utils import decode_file

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
MISLABELLED = "mislabelled"
"""What `charset_of` returns for a declared label that is no usable WHATWG encoding."""
MISLABELLED_RATIO = 0.001
"""Share of undecodable bytes above which a declared charset is not believed."""


@dataclass(frozen=True)
class DecodedPage:
    html: str
    flags: tuple[str, ...] = ()


def charset_of(content_type: str | None, body: bytes) -> str | None:
    """The declared charset's Python codec: HTTP header first, then a <meta> in the first 4 KiB.

    `MISLABELLED` when the first label found is not a WHATWG label of a real encoding.
    """
    for found in (
        _HTTP_CHARSET.search(content_type or ""),
        _META_CHARSET.search(body[:4096]),
    ):
        if found:
            name = found.group(1)
            label = name.decode("ascii", "replace") if isinstance(name, bytes) else name
            encoding = webencodings.lookup(label)
            if encoding is None or encoding.name in ("replacement", "x-user-defined"):
                return MISLABELLED
            return str(encoding.codec_info.name)
    return None


def decode_page(body: bytes, content_type: str | None) -> DecodedPage:
    declared = charset_of(content_type, body)
    if declared == MISLABELLED:
        return DecodedPage(decode_file(body), ("encoding-mislabelled",))
    if declared is not None:
        text = body.decode(declared, errors="replace")
        if text.count("\ufffd") <= max(1, len(body) * MISLABELLED_RATIO):
            return DecodedPage(text)
        return DecodedPage(decode_file(body), ("encoding-mislabelled",))
    return DecodedPage(decode_file(body), ("encoding-guessed",))
