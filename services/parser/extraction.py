"""Main text and metadata of one HTML page, with trafilatura.

Settings, chosen by measurement on the article-extraction benchmark (181
pages, trafilatura 2.3.1, one core; `bench/extraction_quality.py`):

    settings                          precision  recall  F1     pages/s
    defaults                          0.928      0.978   0.953   70
    fast                              0.932      0.979   0.955  107
    fast, no comments                 0.946      0.979   0.962  112
    fast, no comments, favor_precision 0.947     0.946   0.946  125
    fast, no comments, favor_recall   0.948      0.979   0.963  136

``fast`` skips the fallback extractors (better here, and faster); reader
comments are not the article; ``favor_recall`` keeps borderline paragraphs,
which matters more for recognising launch reports than a stray line of
boilerplate; tables are kept (launch and test tables are content). The page is parsed once; the
same tree gives the text, the metadata and the `lang` attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypedDict

import trafilatura

from services.parser.decoding import decode_page


class ExtractorSettings(TypedDict):
    fast: bool
    favor_recall: bool
    include_comments: bool
    include_tables: bool


SETTINGS: ExtractorSettings = {
    "fast": True,
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
}
"""Passed to trafilatura as they are; the benchmark runs bare trafilatura with the same."""


@dataclass(frozen=True)
class PageText:
    """What extraction found on the page; any part may be missing."""

    text: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    """Publication date as the page states it, YYYY-MM-DD."""
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    flags: tuple[str, ...] = field(default=())


def extract_page(html: str, url: str | None) -> PageText:
    """Extract from `html`; never raises for bad HTML, returns what it could find."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return PageText(flags=("unparsable-html",))
    language = (tree.get("lang") or "").split("-")[0].strip().lower() or None
    document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **SETTINGS)
    if document is None or isinstance(document, dict):
        return PageText(language=language, flags=("no-main-text",))
    authors = tuple(name.strip() for name in (document.author or "").split(";") if name.strip())
    return PageText(
        text=(document.text or "").strip(),
        title=document.title or None,
        authors=authors,
        date=document.date or None,
        site_name=document.sitename or None,
        canonical_url=document.url or None,
        language=language or (document.language or None),
    )


def page_text(body: bytes, content_type: str | None, url: str | None) -> PageText:
    """Decode and extract: the whole CPU-bound step, run in a worker process."""
    decoded = decode_page(body, content_type)
    page = extract_page(decoded.html, url)
    return replace(page, flags=decoded.flags + page.flags)
