"""Only the page that crashed or overran its worker is charged; pages beside it carry on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime

import pytest

from schemas import Article, Message, RawArticle
from schemas.articles import FeedEntry
from services.parser.pool import ExtractionFailed, ExtractionPool, ExtractionTimeout
from services.parser.service import handler_for
from tests.news_pages import news_page, seed_paragraphs
from tests.unit.parser.crashing_pages import crash_on_marker

pytestmark = pytest.mark.asyncio

PAGE = news_page("Test", seed_paragraphs("003_a2bd2d2e159aa8bd.txt"))
T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)


def raw(name: str, body: str) -> RawArticle:
    entry = FeedEntry(entry_id=name, title=f"Title {name}", summary="A summary of the report.")
    return RawArticle(
        article_id=f"{name:0>32}"[:32],
        url=f"https://a.example/{name}",
        feed_id="f" * 32,
        feed_url="https://a.example/feed",
        entry=entry,
        fetched_at=T0,
        content_type="text/html; charset=utf-8",
        body=body.encode(),
    )


async def test_a_crashing_page_is_flagged_and_its_neighbours_are_extracted() -> None:
    pool = ExtractionPool(2, timeout_s=60, extract=crash_on_marker)
    handler = handler_for(pool)

    async def parse(page: RawArticle) -> list[Message]:
        output = handler(page)
        assert isinstance(output, Awaitable)
        return list(await output)

    try:
        pages = [raw("a", PAGE), raw("b", PAGE.replace("</body>", "CRASH</body>")), raw("c", PAGE)]
        pages.append(raw("d", PAGE))
        outputs = await asyncio.gather(*(parse(page) for page in pages))
    finally:
        pool.close()
    articles = [output[0] for output in outputs]
    assert all(isinstance(article, Article) for article in articles)
    by_name = {
        article.url.rsplit("/", 1)[1]: article
        for article in articles
        if isinstance(article, Article)
    }
    assert "extraction-failed" in by_name["b"].quality_flags
    assert by_name["b"].text == "A summary of the report."  # the feed stands in
    for name in "acd":
        assert "antiair missiles" in by_name[name].text
        assert "extraction-failed" not in by_name[name].quality_flags


async def test_the_time_limit_runs_from_when_a_worker_starts_the_page() -> None:
    """One worker, three slow pages queued: each takes 1.5 s of a 2.5 s limit, none times out."""
    pool = ExtractionPool(1, timeout_s=2.5, extract=crash_on_marker)
    try:
        slow = PAGE.replace("</body>", "SLOW</body>").encode()
        await pool.page_text(PAGE.encode(), "text/html", None)  # the worker is up
        pages = await asyncio.gather(*(pool.page_text(slow, "text/html", None) for _ in range(3)))
        assert all("antiair missiles" in page.text for page in pages)
    finally:
        pool.close()


async def test_an_overrunning_page_alone_times_out() -> None:
    pool = ExtractionPool(2, timeout_s=3, extract=crash_on_marker)
    try:
        stall = PAGE.replace("</body>", "STALL</body>").encode()
        results = await asyncio.gather(
            pool.page_text(stall, "text/html", None),
            pool.page_text(PAGE.encode(), "text/html", None),
            pool.page_text(PAGE.encode(), "text/html", None),
            return_exceptions=True,
        )
        assert isinstance(results[0], ExtractionTimeout)
        assert all(not isinstance(result, BaseException) for result in results[1:])
        crashed = await asyncio.gather(
            pool.page_text(b"CRASH", "text/html", None), return_exceptions=True
        )
        assert isinstance(crashed[0], ExtractionFailed)
        page = await pool.page_text(PAGE.encode(), "text/html", None)
        assert "antiair missiles" in page.text
    finally:
        pool.close()
