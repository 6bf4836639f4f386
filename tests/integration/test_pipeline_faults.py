"""The whole stack under fire: services SIGKILLed at random and the broker restarted mid-stream.

A news site publishes launch reports and other stories in waves over many
feeds; the fetcher, parser and enricher run as separate processes on a broker
of this test's own. While news flows, a random service is SIGKILLed every few
seconds and restarted (as an orchestrator would), and once the broker itself
is stopped and started again. Afterwards, read with read_committed: every
article reached `news.enriched`, every launch is one event in `launch.events`
with all its reports, and `alerts.launch` holds exactly one `new` alert per
launch. The same run with more launches and kills: `bench/pipeline_faults.py`.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemas import (
    AlertDelivery,
    AlertKind,
    Article,
    EnrichedArticle,
    FeedState,
    FeedSubscription,
    LaunchAlert,
    LaunchEvent,
    LaunchReport,
    RawArticle,
)
from services.runtime import KafkaTransport
from services.sample_site import SampleSite
from services.sample_site.catalog import SampleArticle
from tests.cli import launchwatch
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.integration.pipeline import SERVICES, Pipeline, service_environment
from tests.kafka_broker import KAFKA_SCRIPT, start_broker, stop_broker
from tests.newsroom import launch_news
from tests.streams import Stream, eventually

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

LAUNCHES = 9
REPORTS = 2
OTHERS = 6
WAVES = 3


@pytest.fixture
def own_broker() -> Iterator[dict[str, str]]:
    """A broker for this test alone, because the test stops and restarts it."""
    with tempfile.TemporaryDirectory(prefix="launchwatch-faults-") as workdir:
        environ, started = start_broker(Path(workdir))
        if started.returncode != 0:
            pytest.fail(f"the broker did not start:\n{started.stderr}", pytrace=False)
        environ["BOOTSTRAP"] = started.stdout.strip().splitlines()[-1]
        try:
            yield environ
        finally:
            stop_broker(environ)


async def restart_broker(environ: dict[str, str]) -> None:
    """Stop the broker (clean shutdown), leave it down a moment, start it on the same data."""
    await asyncio.to_thread(stop_broker, environ)
    await asyncio.sleep(3)
    process = await asyncio.create_subprocess_exec(str(KAFKA_SCRIPT), "start", env=environ)
    assert await process.wait() == 0, "the broker came back"


async def test_kills_and_a_broker_restart_lose_nothing_and_double_no_alert(
    own_broker: dict[str, str],
) -> None:
    bootstrap = own_broker["BOOTSTRAP"]
    stream = Stream(KafkaTransport(bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(
        FeedSubscription,
        FeedState,
        RawArticle,
        Article,
        EnrichedArticle,
        LaunchReport,
        LaunchEvent,
        LaunchAlert,
        AlertDelivery,
    )
    stories = launch_news(LAUNCHES, reports=REPORTS, others=OTHERS)
    random.shuffle(stories)
    launches = {story.launch for story in stories if story.launch is not None}
    waves = [stories[n::WAVES] for n in range(WAVES)]

    with SampleSite(articles=[], feeds=4) as site:
        added = launchwatch(
            "feeds", "add", *site.feed_urls, bootstrap=bootstrap, prefix=stream.prefix
        )
        assert added.returncode == 0, added.stderr
        pipeline = Pipeline(service_environment(bootstrap, stream.prefix))
        pipeline.keep_running()
        published: list[SampleArticle] = []
        kills = 0
        try:
            for number, wave in enumerate(waves):
                published += [story.article for story in wave]
                site.publish(published)
                for _ in range(3):
                    await asyncio.sleep(random.uniform(1.5, 3.0))
                    pipeline.kill(random.choice(SERVICES))
                    kills += 1
                    pipeline.keep_running()
                if number == 1:
                    await restart_broker(own_broker)
                    pipeline.keep_running()

            async def everything_enriched() -> set[str]:
                pipeline.keep_running()
                return {item.url for item in await stream.messages(EnrichedArticle)}

            await eventually(
                everything_enriched,
                lambda urls: len(urls) == len(stories),
                f"all {len(stories)} articles enriched",
            )
        finally:
            codes = pipeline.stop()
    assert kills == 3 * WAVES
    assert set(codes.values()) <= {0, 1}, codes

    events: dict[str, LaunchEvent] = {}
    for event in await stream.messages(LaunchEvent):
        if event.event_id not in events or events[event.event_id].revision < event.revision:
            events[event.event_id] = event
    assert {(event.country, event.launch_date) for event in events.values()} == launches
    assert all(event.report_count == REPORTS for event in events.values())
    alerts = await stream.messages(LaunchAlert)
    new = Counter(alert.event_id for alert in alerts if alert.kind is AlertKind.NEW)
    assert set(new) == set(events), "every launch has its `new` alert"
    assert max(new.values()) == 1, "and only one"
    for consumed in (FeedSubscription, RawArticle, Article, LaunchReport):
        assert await stream.dead_letters(consumed) == [], consumed.__name__
