"""From a news site's feeds to clean articles: the fetcher and the parser together.

The bundled sample site serves an RSS and an Atom feed listing the same eight
stories. Subscribed to both, the fetcher must emit each story once, with its
page, and the parser must turn every page into an article with its text.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from schemas import Article, ExtractionPath, FeedState, FeedSubscription, RawArticle
from services.cli.feeds_command import subscriptions
from services.fetcher.service import FETCHER, FetcherSource, open_fetcher
from services.fetcher.settings import FetcherSettings
from services.parser.service import ParserSettings, parser_spec
from services.runtime import Transport
from services.runtime.service import processor_for, source_runner_for
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import SourceSpec, StageContext, StageSpec
from services.sample_site import SampleSite, load_catalog
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio


async def test_the_sample_site_becomes_one_article_per_story(transport: Transport) -> None:
    stream = Stream(transport)
    await stream.create(FeedSubscription, FeedState, RawArticle, Article, partitions=3)
    catalog = load_catalog()
    fetcher_settings = FetcherSettings(
        fetch_allow_networks="127.0.0.1/32", fetch_host_interval_s=0.0
    )
    context = StageContext(stream.transport, stream.routing)
    parser = parser_spec(workers=1)
    (fetch_stage,), (parse_stage,) = FETCHER.stages, parser.stages
    assert isinstance(fetch_stage, SourceSpec)
    assert isinstance(parse_stage, StageSpec)

    with SampleSite() as site:
        await stream.write(subscriptions(site.feed_urls))
        async with (
            open_fetcher(fetcher_settings, context) as source,
            parse_stage.open(ParserSettings(parser_workers=1), context) as opened,
        ):
            assert isinstance(source, FetcherSource)
            fetcher = source_runner_for(
                FETCHER, fetch_stage, source, settings(stream, "fetcher"), stream.transport
            )
            parsing = processor_for(
                parser, parse_stage, opened, settings(stream, "parser"), stream.transport
            )
            stop = asyncio.Event()
            running = [
                asyncio.create_task(fetcher.run(stop)),
                asyncio.create_task(parsing.run(stop)),
            ]
            articles = await eventually(
                lambda: stream.messages(Article),
                lambda found: len({a.article_id for a in found}) == len(catalog),
                "an article per story",
            )
            stop.set()
            await asyncio.gather(*running)

    raws = await stream.messages(RawArticle)
    assert Counter(Counter(r.article_id for r in raws).values()) == {1: len(catalog)}, (
        "a story in both feeds is emitted once"
    )
    assert all(raw.body for raw in raws), "every page was downloaded"
    by_title = {article.title: article for article in articles}
    for story in catalog:
        article = by_title[story.title]
        assert article.extraction is ExtractionPath.PAGE
        assert story.paragraphs[-1][:60] in article.text
        assert "Readers' comments" not in article.text
    states = await stream.messages(FeedState)
    assert {state.url for state in states} == set(site.feed_urls)
    assert all(state.status.value == "ok" for state in states)


def settings(stream: Stream, stage: str) -> RuntimeSettings:
    return RuntimeSettings(topic_prefix=stream.prefix, group_id=f"{stream.group_id}-{stage}")
