"""The enricher on the runtime: articles in; tagged articles, events and one alert per launch out.

Runs on both transports. The five reference articles report three launches
(one of them three times) and mention a fourth only in passing; three
non-launch stories ride along. A restarted enricher that sees every article
again must raise no alert twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import date
from typing import Any

import pytest
import pytest_asyncio

from schemas import (
    AlertKind,
    Article,
    EnrichedArticle,
    LaunchAlert,
    LaunchEvent,
    LaunchReport,
    MissileType,
)
from services.enricher.service import ENRICHER, EnricherSettings
from services.runtime import Transport
from services.runtime.service import processor_for
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import StageContext, StageSpec
from tests.streams import Stream, eventually
from tests.unit.enricher.articles import bundled_article

pytestmark = pytest.mark.asyncio

SEEDS = [
    f"00{n}_{suffix}.txt"
    for n, suffix in enumerate(
        [
            "3bdbcfd70da3235f",
            "dd0038b7f2686e92",
            "f332bee4974d64ed",
            "a2bd2d2e159aa8bd",
            "5fe2e5f7dbfbb3ae",
        ]
    )
]
OTHERS = ["starlink.txt", "phone.txt", "parade.txt"]
LAUNCHES = {
    (date(2025, 10, 28), MissileType.CRUISE),
    (date(2025, 8, 23), MissileType.SURFACE_TO_AIR),
    (date(2025, 2, 26), MissileType.CRUISE),
}


@pytest_asyncio.fixture
async def enricher_stream(transport: Transport) -> AsyncIterator[Stream]:
    stream = Stream(transport)
    await stream.create(
        Article, EnrichedArticle, LaunchReport, LaunchEvent, LaunchAlert, partitions=3
    )
    yield stream
    for task in stream.tasks:
        task.cancel()


async def run_enricher(stream: Stream, stack: AsyncExitStack) -> list[Any]:
    """Starts the tagging and correlation stages as `launchwatch run enricher` does."""
    settings = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    context = StageContext(stream.transport, stream.routing)
    stops = []
    for stage in ENRICHER.stages:
        if not isinstance(stage, StageSpec):
            continue  # delivery is proven in test_alert_delivery
        opened = await stack.enter_async_context(stage.open(EnricherSettings(), context))
        processor = processor_for(ENRICHER, stage, opened, settings, stream.transport)
        stops.append(stream.start(processor))
    return stops


def latest(events: list[LaunchEvent]) -> dict[str, LaunchEvent]:
    current: dict[str, LaunchEvent] = {}
    for event in events:
        if event.event_id not in current or current[event.event_id].revision < event.revision:
            current[event.event_id] = event
    return current


async def test_seeds_give_three_launches_and_three_new_alerts(enricher_stream: Stream) -> None:
    stream = enricher_stream
    articles = [bundled_article(file) for file in SEEDS + OTHERS]
    await stream.write(articles)
    async with AsyncExitStack() as stack:
        stops = await run_enricher(stream, stack)
        enriched = await eventually(
            lambda: stream.messages(EnrichedArticle),
            lambda found: len(found) >= len(articles),
            "every article on news.enriched",
        )
        await stream.stop_all(*stops)

    assert sorted(item.article_id for item in enriched) == sorted(a.article_id for a in articles)
    events = latest(await stream.messages(LaunchEvent))
    assert {(e.launch_date, e.missile_type) for e in events.values()} == LAUNCHES
    assert {e.country for e in events.values()} == {"KP"}
    assert sorted(e.report_count for e in events.values()) == [1, 1, 3]
    alerts = await stream.messages(LaunchAlert)
    news = [alert for alert in alerts if alert.kind is AlertKind.NEW]
    assert sorted(alert.event_id for alert in news) == sorted(events)
    reports = {item.url: item for item in enriched if item.is_launch_report}
    assert len(reports) == len(SEEDS)
    for report in reports.values():
        assert report.launch is not None
        assert report.launch.event_id in events
        assert report.url in events[report.launch.event_id].article_urls
    assert not any(item.launch for item in enriched if not item.is_launch_report)


async def test_a_restarted_enricher_raises_no_alert_twice(enricher_stream: Stream) -> None:
    stream = enricher_stream
    first, second = [bundled_article(file) for file in SEEDS[:2]], bundled_article(SEEDS[3])
    await stream.write(first)
    async with AsyncExitStack() as stack:
        stops = await run_enricher(stream, stack)
        await eventually(
            lambda: stream.messages(LaunchEvent),
            lambda found: any(event.report_count == 2 for event in found),
            "the first launch with both reports",
        )
        await stream.stop_all(*stops)

    # The same reports again (a fetcher replica that emitted them twice), and a new launch.
    await stream.write([*first, second])
    async with AsyncExitStack() as stack:
        stops = await run_enricher(stream, stack)
        await eventually(
            lambda: stream.messages(LaunchAlert),
            lambda found: len({alert.event_id for alert in found}) == 2,
            "the second launch's alert",
        )
        await eventually(
            lambda: stream.messages(EnrichedArticle),
            lambda found: len(found) == 5,
            "every article tagged, the repeats too",
        )
        await stream.stop_all(*stops)

    alerts = await stream.messages(LaunchAlert)
    assert Counter(alert.kind for alert in alerts)[AlertKind.NEW] == 2
    events = latest(await stream.messages(LaunchEvent))
    assert sorted(event.report_count for event in events.values()) == [1, 2]
