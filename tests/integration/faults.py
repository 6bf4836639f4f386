"""One fault-injection run of the whole stack, for the test (short) and the benchmark (long).

News is published in waves over many feeds while the services run as separate
processes; during each wave random services are SIGKILLed and restarted, and
after the second wave the broker itself is stopped and started again. The run
ends when every article has reached `news.enriched`; `FaultReport` holds what
a reader with read_committed finds then.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from schemas import (
    MESSAGE_TYPES,
    AlertKind,
    Article,
    EnrichedArticle,
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
from tests.kafka_broker import KAFKA_SCRIPT, stop_broker
from tests.newsroom import launch_news
from tests.streams import Stream, eventually

CONSUMED = (FeedSubscription, RawArticle, Article, LaunchReport)


@dataclass
class FaultReport:
    articles: int
    launches: set[tuple[str, date]]
    kills: int = 0
    broker_restarts: int = 0
    process_starts: dict[str, int] = field(default_factory=dict)
    exit_codes: dict[str, int] = field(default_factory=dict)
    enriched: set[str] = field(default_factory=set)
    events: dict[str, LaunchEvent] = field(default_factory=dict)
    new_alerts: Counter[str] = field(default_factory=Counter)
    dead_letters: dict[str, int] = field(default_factory=dict)
    records_checked: int = 0

    @property
    def duplicate_new_alerts(self) -> int:
        return sum(count - 1 for count in self.new_alerts.values() if count > 1)


async def restart_broker(broker: Mapping[str, str]) -> None:
    """Stop the broker (clean shutdown), leave it down a moment, start it on the same data."""
    await asyncio.to_thread(stop_broker, broker)
    await asyncio.sleep(3)
    process = await asyncio.create_subprocess_exec(str(KAFKA_SCRIPT), "start", env=dict(broker))
    if await process.wait() != 0:
        raise RuntimeError("the broker did not come back")


async def fault_run(
    broker: Mapping[str, str],
    bootstrap: str,
    *,
    launches: int,
    reports: int,
    others: int,
    waves: int = 3,
    kills_per_wave: int = 3,
) -> FaultReport:
    """Publish, kill, restart, wait for everything; then read what the topics hold."""
    stream = Stream(KafkaTransport(bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(*MESSAGE_TYPES)
    stories = launch_news(launches, reports=reports, others=others)
    random.shuffle(stories)
    report = FaultReport(
        articles=len(stories),
        launches={story.launch for story in stories if story.launch is not None},
    )
    with SampleSite(articles=[story.article for story in stories], feeds=4) as site:
        site.publish([])
        added = launchwatch(
            "feeds", "add", *site.feed_urls, bootstrap=bootstrap, prefix=stream.prefix
        )
        if added.returncode != 0:
            raise RuntimeError(added.stderr)
        pipeline = Pipeline(service_environment(bootstrap, stream.prefix))
        pipeline.keep_running()
        published: list[SampleArticle] = []
        try:
            for number in range(waves):
                published += [story.article for story in stories[number::waves]]
                site.publish(published)
                for _ in range(kills_per_wave):
                    await asyncio.sleep(random.uniform(1.5, 3.0))
                    pipeline.kill(random.choice(SERVICES))
                    report.kills += 1
                    pipeline.keep_running()
                if number == 1:
                    await restart_broker(broker)
                    report.broker_restarts += 1
                    pipeline.keep_running()

            async def enriched() -> set[str]:
                pipeline.keep_running()
                return {item.url for item in await stream.messages(EnrichedArticle)}

            report.enriched = await eventually(
                enriched, lambda urls: len(urls) == len(stories), f"all {len(stories)} enriched"
            )
        finally:
            report.exit_codes = pipeline.stop()
            report.process_starts = dict(pipeline.starts)
    await _read_outcome(stream, report)
    return report


async def _read_outcome(stream: Stream, report: FaultReport) -> None:
    events = await stream.messages(LaunchEvent)
    for event in events:
        current = report.events.get(event.event_id)
        if current is None or current.revision < event.revision:
            report.events[event.event_id] = event
    alerts = await stream.messages(LaunchAlert)
    report.new_alerts = Counter(a.event_id for a in alerts if a.kind is AlertKind.NEW)
    enriched = await stream.messages(EnrichedArticle)
    report.records_checked = len(events) + len(alerts) + len(enriched)
    for consumed in CONSUMED:
        report.dead_letters[consumed.__name__] = len(await stream.dead_letters(consumed))
