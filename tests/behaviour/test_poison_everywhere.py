"""Poison on every consumed topic lands in its DLQ with the reason, and the stream flows on.

Every topic a service consumes (`feeds`, `news.raw`, `news.articles`,
`launch.reports`, `alerts.deliveries`) receives three poison records before
any real news: bytes that are not JSON, JSON of the wrong shape, and a value
of nearly the topic's size limit. Then the whole pipeline runs over the sample
site: every article must still come out, the three launches must still be
alerted and delivered, and each DLQ must hold exactly its three poison records,
unchanged, with the reason and where they came from.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from schemas import (
    MESSAGE_TYPES,
    AlertDelivery,
    Article,
    EnrichedArticle,
    FeedSubscription,
    LaunchReport,
    Message,
    RawArticle,
    topic_for,
)
from schemas.ids import canonical_url, feed_id
from services.enricher.service import ENRICHER, EnricherSettings
from services.fetcher.service import FETCHER
from services.fetcher.settings import FetcherSettings
from services.parser import PARSER
from services.parser.service import ParserSettings
from services.runtime import OutgoingRecord, Transport
from services.runtime.service import open_runners
from services.runtime.settings import RuntimeSettings
from services.sample_site import SampleSite
from tests.alert_receiver import AlertReceiver
from tests.streams import Stream, eventually

pytestmark = pytest.mark.asyncio

CONSUMED: list[type[Message]] = [FeedSubscription, RawArticle, Article, LaunchReport, AlertDelivery]
HUGE_HEADROOM = 4096
"""Room left under a topic's limit for the key and headers of the huge poison value."""


def poison(topic: str, limit: int) -> list[OutgoingRecord]:
    huge = b"\x00\x01" * ((limit - HUGE_HEADROOM) // 2)
    return [
        OutgoingRecord(topic, b"poison-bytes", b"\xff\xfe this is not JSON"),
        OutgoingRecord(topic, b"poison-shape", b'{"article_id": 42, "url": ["not", "a", "url"]}'),
        OutgoingRecord(topic, b"poison-huge", huge),
    ]


@pytest_asyncio.fixture
async def pipeline_stream(transport: Transport) -> AsyncIterator[Stream]:
    stream = Stream(transport)
    await stream.create(*MESSAGE_TYPES)
    yield stream
    for task in stream.tasks:
        task.cancel()


async def test_poison_on_every_topic_is_dead_lettered_and_the_news_flows_on(
    pipeline_stream: Stream,
) -> None:
    stream = pipeline_stream
    for message_type in CONSUMED:
        limit = topic_for(message_type).max_message_bytes
        await stream.write_raw(poison(stream.name(message_type), limit))

    with SampleSite() as site, AlertReceiver() as receiver:
        own = {
            FETCHER: FetcherSettings(fetch_allow_networks="127.0.0.0/8", fetch_host_interval_s=0),
            PARSER: ParserSettings(parser_workers=1),
            ENRICHER: EnricherSettings(alert_webhook_url=receiver.url),
        }
        async with AsyncExitStack() as stack:
            stops = [
                stream.start(runner)
                for spec, service_settings in own.items()
                for runner in await open_runners(
                    spec,
                    RuntimeSettings(
                        topic_prefix=stream.prefix, group_id=f"{stream.group_id}-{spec.name}"
                    ),
                    service_settings,
                    stream.transport,
                    stack,
                )
            ]
            await stream.write(
                [
                    FeedSubscription(
                        feed_id=feed_id(url), url=canonical_url(url), added_at=datetime.now(UTC)
                    )
                    for url in site.feed_urls
                ]
            )
            enriched = await eventually(
                lambda: stream.messages(EnrichedArticle),
                lambda found: len({item.article_id for item in found}) == len(site.articles),
                "every sample article enriched",
            )
            await eventually(
                lambda: asyncio.sleep(0, receiver.accepted),
                lambda accepted: len(accepted) == 3,
                "the three launches delivered",
            )
            await stream.stop_all(*stops)

    assert sum(item.is_launch_report for item in {i.article_id: i for i in enriched}.values()) == 5
    for message_type in CONSUMED:
        name = stream.name(message_type)
        letters = await stream.dead_letters(message_type)
        by_key = {letter.key: letter for letter in letters}
        assert set(by_key) == {b"poison-bytes", b"poison-shape", b"poison-huge"}, name
        assert len(letters) == 3, name
        originals = {record.key: record.value for record in poison(name, 10**6)}
        for key, letter in by_key.items():
            headers = {name: value.decode() for name, value in letter.headers}
            assert headers["dlq_topic"] == name
            expected = "invalid" if key == b"poison-shape" else "undecodable"
            assert headers["dlq_reason"] == expected, (name, key, headers["dlq_error"])
            assert headers["dlq_error"]
            if key != b"poison-huge":
                assert letter.value == originals[key]
        assert len(by_key[b"poison-huge"].value or b"") > 10**6 - HUGE_HEADROOM
