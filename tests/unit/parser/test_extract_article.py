"""The parser keeps the article and drops the page around it; it never emits nothing silently."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ExtractionPath, FeedEntry, RawArticle
from schemas.ids import article_id, feed_id
from services.parser.article import extract_article, reconcile_published
from services.parser.extraction import page_text
from tests.news_pages import CLUTTER_MARKERS, news_page, seed_paragraphs

SEED_FILES = [
    "000_3bdbcfd70da3235f.txt",
    "001_dd0038b7f2686e92.txt",
    "002_f332bee4974d64ed.txt",
    "003_a2bd2d2e159aa8bd.txt",
    "004_5fe2e5f7dbfbb3ae.txt",
]
PARSED_AT = datetime(2025, 10, 30, 12, tzinfo=UTC)
URL = "https://daily.example.com/world/story"


def raw_article(
    body: bytes | None,
    *,
    content_type: str | None = "text/html; charset=utf-8",
    summary: str | None = None,
    content: str | None = None,
    published_at: datetime | None = None,
    page_error: str | None = None,
) -> RawArticle:
    return RawArticle(
        article_id=article_id(URL),
        url=URL,
        feed_id=feed_id("https://daily.example.com/rss"),
        feed_url="https://daily.example.com/rss",
        entry=FeedEntry(
            entry_id=URL,
            title="Feed title",
            link=URL,
            summary=summary,
            content=content,
            published_at=published_at,
        ),
        fetched_at=PARSED_AT,
        content_type=content_type,
        body=body,
        page_error=page_error,
    )


def parse(raw: RawArticle) -> tuple[str, ExtractionPath, tuple[str, ...]]:
    page = page_text(raw.body, raw.content_type, raw.url) if raw.body else None
    article = extract_article(raw, page, parsed_at=PARSED_AT)
    return article.text, article.extraction, article.quality_flags


@pytest.mark.parametrize("seed", SEED_FILES)
def test_a_seed_article_is_kept_and_the_clutter_dropped(seed: str) -> None:
    paragraphs = seed_paragraphs(seed)
    html = news_page("North Korea test", paragraphs)
    raw = raw_article(html.encode("utf-8"))
    page = page_text(raw.body or b"", raw.content_type, raw.url)
    article = extract_article(raw, page, parsed_at=PARSED_AT)

    assert article.extraction is ExtractionPath.PAGE
    for paragraph in paragraphs:
        assert " ".join(paragraph.split()) in " ".join(article.text.split()), paragraph[:60]
    for marker in CLUTTER_MARKERS:
        assert marker not in article.text, marker
    assert article.title == "North Korea test"
    assert article.site_name == "The Daily Example"
    assert article.language == "en"
    assert article.authors == ("Jane Reporter",)
    assert article.word_count == len(article.text.split())


def test_a_missing_page_falls_back_to_the_feed_content_and_says_so() -> None:
    content = "<p>" + "North Korea fired a missile into the sea on Tuesday. " * 10 + "</p>"
    raw = raw_article(None, content=content, summary="Short summary.", page_error="http 403")
    text, path, flags = parse(raw)
    assert path is ExtractionPath.FEED_CONTENT
    assert text.startswith("North Korea fired a missile")
    assert "<p>" not in text
    assert {"page-missing", "feed-fallback"} <= set(flags)


def test_a_consent_wall_is_not_taken_for_the_article() -> None:
    wall = b"<html><body><p>Please accept cookies to continue reading.</p></body></html>"
    raw = raw_article(wall, summary="Iran launched a satellite carrier rocket from Semnan.")
    text, path, flags = parse(raw)
    assert path is ExtractionPath.FEED_SUMMARY
    assert "Semnan" in text
    assert "feed-fallback" in flags


def test_nothing_usable_is_flagged_never_silent() -> None:
    text, path, flags = parse(raw_article(None, page_error="timeout"))
    assert (text, path) == ("", ExtractionPath.NONE)
    assert "no-text" in flags


def test_a_mislabelled_charset_is_detected_and_flagged() -> None:
    paragraphs = ["Северная Корея запустила баллистическую ракету в сторону Японского моря."] * 8
    body = news_page("Запуск ракеты", paragraphs).replace('charset="utf-8"', "").encode("cp1251")
    raw = raw_article(body, content_type="text/html; charset=utf-8")
    text, _, flags = parse(raw)
    assert "encoding-mislabelled" in flags
    assert "баллистическую" in text


@pytest.mark.parametrize(
    "body",
    [b"\x00\x01\x02\xff" * 5000, b"<html><body><div><div><div>" * 20000, b"", b"<<<>>>&&&"],
)
def test_broken_or_binary_pages_give_a_flagged_article_not_a_crash(body: bytes) -> None:
    raw = raw_article(body, summary="A summary that stands in for the page.")
    text, _, flags = parse(raw)
    assert text == "A summary that stands in for the page."
    assert "feed-fallback" in flags


def test_published_time_reconciles_page_date_and_feed_instant() -> None:
    feed = datetime(2025, 10, 29, 6, 30, tzinfo=UTC)
    assert reconcile_published("2025-10-29", feed) == (feed, "feed", ())
    assert reconcile_published("2025-10-28", feed) == (feed, "feed", ())
    assert reconcile_published("2025-10-20", feed) == (
        datetime(2025, 10, 20, tzinfo=UTC),
        "page",
        ("date-conflict",),
    )
    assert reconcile_published(None, None) == (None, "none", ())
    assert reconcile_published("not a date", None) == (None, "none", ())
