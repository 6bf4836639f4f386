"""From a news site's feeds to clean articles: the fetcher and the parser together.

The bundled sample site serves an RSS and an Atom feed listing the same eight
stories. Subscribed to both, the fetcher must emit each story once, with its
page, and the parser must turn every page into an article with its text.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

import pytest

from schemas import Article, ExtractionPath, FeedState, FeedSubscription, RawArticle
from schemas.feeds import ArticleClaim, ArticleLead
from services.cli.feeds_command import subscriptions
from services.fetcher.service import FETCHER
from services.fetcher.settings import FetcherSettings
from services.parser.service import ParserSettings, parser_spec
from services.runtime import Transport
from services.runtime.service import Runner, processor_for, source_runner_for
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import SourceSpec, StageContext, StageSpec
from services.sample_site import SampleSite, load_catalog
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio


async def test_the_sample_site_becomes_one_article_per_story(transport: Transport) -> None:
    stream = Stream(transport)
    await stream.create(
        FeedSubscription, FeedState, ArticleLead, ArticleClaim, RawArticle, Article, partitions=3
    )
    catalog = load_catalog()
    fetcher_settings = FetcherSettings(
        fetch_allow_networks="127.0.0.1/32", fetch_host_interval_s=0.0
    )
    context = StageContext(stream.transport, stream.routing)
    parser = parser_spec(workers=1)
    (parse_stage,) = parser.stages
    assert isinstance(parse_stage, StageSpec)

    with SampleSite() as site:
        await stream.write(subscriptions(site.feed_urls))
        async with contextlib.AsyncExitStack() as stack:
            runners: list[Runner] = []
            for stage in FETCHER.stages:
                own = settings(stream, "fetcher")
                if isinstance(stage, SourceSpec):
                    source = await stack.enter_async_context(stage.open(fetcher_settings, context))
                    runners.append(source_runner_for(FETCHER, stage, source, own, stream.transport))
                else:
                    assert isinstance(stage, StageSpec)
                    handler = await stack.enter_async_context(stage.open(fetcher_settings, context))
                    runners.append(processor_for(FETCHER, stage, handler, own, stream.transport))
            parsing = await stack.enter_async_context(
                parse_stage.open(ParserSettings(parser_workers=1), context)
            )
            runners.append(
                processor_for(
                    parser, parse_stage, parsing, settings(stream, "parser"), stream.transport
                )
            )
            stop = asyncio.Event()
            running = [asyncio.create_task(runner.run(stop)) for runner in runners]
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
