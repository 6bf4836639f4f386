"""The parser on the runtime: RawArticle records in, Article records out, on both transports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from schemas import Article, ExtractionPath, FeedEntry, RawArticle
from schemas.ids import article_id, feed_id
from services.parser.service import ParserSettings, parser_spec
from services.runtime import Processor, Transport
from services.runtime.service import processor_for
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import StageContext, StageSpec
from tests.news_pages import CLUTTER_MARKERS, news_page, seed_paragraphs
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio


def raw(number: int, body: bytes | None) -> RawArticle:
    url = f"https://daily.example.com/story/{number}"
    return RawArticle(
        article_id=article_id(url),
        url=url,
        feed_id=feed_id("https://daily.example.com/rss"),
        feed_url="https://daily.example.com/rss",
        entry=FeedEntry(entry_id=url, title=f"Story {number}", summary="Feed summary."),
        fetched_at=datetime(2025, 10, 29, tzinfo=UTC),
        content_type="text/html; charset=utf-8",
        body=body,
    )


@pytest_asyncio.fixture
async def parser_stream(transport: Transport) -> AsyncIterator[Stream]:
    stream = Stream(transport)
    await stream.create(RawArticle, Article)
    yield stream
    for task in stream.tasks:
        task.cancel()


async def test_pages_become_articles_in_order_with_the_clutter_gone(
    parser_stream: Stream,
) -> None:
    stream = parser_stream
    page = news_page("Launch", seed_paragraphs("004_5fe2e5f7dbfbb3ae.txt")).encode()
    inputs = [raw(n, page if n % 3 else None) for n in range(9)]
    await stream.write(inputs)

    spec = parser_spec(workers=2)
    (stage,) = spec.stages
    assert isinstance(stage, StageSpec)
    settings = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    context = StageContext(stream.transport, stream.routing)
    async with stage.open(ParserSettings(parser_workers=2), context) as opened:
        processor: Processor[RawArticle] = processor_for(
            spec, stage, opened, settings, stream.transport
        )
        stop = stream.start(processor)
        articles = await eventually(
            lambda: stream.messages(Article), lambda found: len(found) == 9, "9 articles"
        )
        await stream.stop_all(stop)

    by_id = {article.article_id: article for article in articles}
    for number, item in enumerate(inputs):
        article = by_id[item.article_id]
        if number % 3:
            assert article.extraction is ExtractionPath.PAGE
            assert "strategic cruise missiles" in article.text
            assert not any(marker in article.text for marker in CLUTTER_MARKERS)
        else:
            assert article.extraction is ExtractionPath.FEED_SUMMARY
            assert "empty-page" in article.quality_flags
