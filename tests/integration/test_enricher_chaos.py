"""The enricher process SIGKILLed at random moments: every launch is one event and one `new` alert.

Thirty launches by six states, three reports each from different outlets,
arrive in waves while `launchwatch run enricher` is killed mid-stream again
and again. Afterwards, read with read_committed: every article was tagged,
`launch.events` holds every launch with all three reports, and
`alerts.launch` holds exactly one `new` alert per launch.
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from datetime import date

import pytest
import pytest_asyncio

from schemas import (
    MESSAGE_TYPES,
    AlertKind,
    Article,
    EnrichedArticle,
    LaunchAlert,
    LaunchEvent,
    LaunchReport,
)
from services.runtime import KafkaTransport
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.integration.processes import kafka_environment, running
from tests.newsroom import as_article, launch_news
from tests.streams import Stream, eventually

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

LAUNCHES = 30
REPORTS = 3


def launch_reports() -> tuple[list[Article], set[tuple[str, date]]]:
    """Three reports of each launch, published hours apart; and the (country, date) of each."""
    stories = launch_news(LAUNCHES, reports=REPORTS)
    launches = {story.launch for story in stories if story.launch is not None}
    return [as_article(story) for story in stories], launches


@pytest_asyncio.fixture
async def kafka_stream(kafka_bootstrap: str) -> AsyncIterator[Stream]:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(*MESSAGE_TYPES)
    yield stream


def enricher(stream: Stream, bootstrap: str) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """`launchwatch run enricher` on the stream's topics, a few records per poll."""
    environment = kafka_environment(bootstrap, stream.prefix, stream.group_id, max_poll_records="5")
    return running(["run", "enricher"], environment)


async def tagged(stream: Stream) -> set[str]:
    """Articles that came all the way through: reports only once correlated."""
    return {item.article_id for item in await stream.messages(EnrichedArticle)}


async def test_sigkill_never_doubles_an_alert_nor_loses_a_launch(
    kafka_stream: Stream, kafka_bootstrap: str
) -> None:
    stream = kafka_stream
    articles, launches = launch_reports()
    random.shuffle(articles)
    waves = [articles[start : start + 30] for start in range(0, len(articles), 30)]
    kills = 0
    for wave in waves:
        await stream.write(wave)
        before = len(await tagged(stream))

        def progressed(done: set[str], before: int = before) -> bool:
            return len(done) >= before + 8

        with enricher(stream, kafka_bootstrap) as process:
            await eventually(lambda: tagged(stream), progressed, "progress")
            await asyncio.sleep(random.uniform(0.0, 0.6))
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
    with enricher(stream, kafka_bootstrap):
        await eventually(
            lambda: tagged(stream), lambda done: len(done) == len(articles), "every article"
        )

    assert kills == len(waves) == 3
    events: dict[str, LaunchEvent] = {}
    for event in await stream.messages(LaunchEvent):
        if event.event_id not in events or events[event.event_id].revision < event.revision:
            events[event.event_id] = event
    assert {(event.country, event.launch_date) for event in events.values()} == launches
    assert len(events) == LAUNCHES
    assert all(event.report_count == REPORTS for event in events.values())

    alerts = await stream.messages(LaunchAlert)
    new = Counter(alert.event_id for alert in alerts if alert.kind is AlertKind.NEW)
    assert set(new) == set(events), "every launch has its `new` alert"
    assert max(new.values()) == 1, "and only one"
    for name in (Article, LaunchReport):
        assert await stream.dead_letters(name) == []
