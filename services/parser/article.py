"""From a downloaded page and its feed entry to one Article, never an empty one silently.

The page's main text is preferred. When the page is missing, is not HTML, or
yields too little text to be the article (a consent wall, a paywall teaser, an
error page), the feed entry's full content and then its summary stand in, and
the article's `quality_flags` say what happened. The publication time is
reconciled between the page (a date) and the feed (an instant).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import lxml.html

from schemas import Article, ExtractionPath, RawArticle
from schemas.articles import PublishedSource
from services.parser.extraction import PageText

MIN_WORDS = 40
"""Below this a page's text is not taken for the article."""

HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_html(content_type: str | None) -> bool:
    """Pages without a Content-Type are sniffed as HTML by the extractor."""
    return content_type is None or content_type.split(";")[0].strip().lower() in HTML_TYPES


def fragment_text(fragment: str | None) -> str:
    """Plain text of a feed's HTML fragment (entries carry markup, often escaped)."""
    if not fragment or not fragment.strip():
        return ""
    element = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(str(element.text_content()).split())


def reconcile_published(
    page_date: str | None, feed_time: datetime | None
) -> tuple[datetime | None, PublishedSource, tuple[str, ...]]:
    """(published_at, which source won, flags).

    The feed gives an instant; the page usually only a date. The feed's instant
    wins when it falls within a day of the page's date; otherwise the page,
    which states the article's own date, wins and the conflict is flagged.
    """
    day: date | None = None
    if page_date:
        try:
            day = date.fromisoformat(page_date[:10])
        except ValueError:
            day = None
    if feed_time is not None and (day is None or abs(feed_time.date() - day) <= timedelta(1)):
        return feed_time.astimezone(UTC), "feed", ()
    if day is not None:
        flags = ("date-conflict",) if feed_time is not None else ()
        return datetime.combine(day, time(), UTC), "page", flags
    return None, "none", ()


def extract_article(
    raw: RawArticle,
    page: PageText | None,
    *,
    parsed_at: datetime,
    flags: tuple[str, ...] = (),
) -> Article:
    """The Article for `raw`, given what extraction found on its page (None: no page)."""
    found_flags = list(flags)
    if raw.page_error:
        found_flags.append("page-missing")
    if page is not None:
        found_flags.extend(page.flags)
    page = page or PageText()

    text, path = page.text, ExtractionPath.PAGE
    if len(text.split()) < MIN_WORDS:
        if text:
            found_flags.append("short-text")
        for candidate, candidate_path in (
            (fragment_text(raw.entry.content), ExtractionPath.FEED_CONTENT),
            (fragment_text(raw.entry.summary), ExtractionPath.FEED_SUMMARY),
        ):
            if len(candidate.split()) > len(text.split()):
                text, path = candidate, candidate_path
        if path is not ExtractionPath.PAGE:
            found_flags.append("feed-fallback")
    if not text:
        path = ExtractionPath.NONE
        found_flags.append("no-text")

    published_at, published_source, date_flags = reconcile_published(
        page.date, raw.entry.published_at
    )
    found_flags.extend(date_flags)
    return Article(
        article_id=raw.article_id,
        url=raw.url,
        feed_id=raw.feed_id,
        canonical_url=page.canonical_url,
        title=page.title or raw.entry.title,
        text=text,
        authors=page.authors or raw.entry.authors,
        published_at=published_at,
        published_source=published_source,
        language=page.language,
        site_name=page.site_name,
        word_count=len(text.split()),
        extraction=path,
        quality_flags=tuple(dict.fromkeys(found_flags)),
        fetched_at=raw.fetched_at,
        parsed_at=parsed_at,
    )
