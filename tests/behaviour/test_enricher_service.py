"""The enricher on the runtime: articles in; tagged articles, events and one alert per launch out.

Runs on both transports. The five reference articles report three launches
(one of them three times) and mention a fourth only in passing; three
non-launch stories ride along. A restarted enricher that sees every article
again must raise no alert twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import date

import pytest
import pytest_asyncio

from schemas import (
    MESSAGE_TYPES,
    AlertDelivery,
    AlertKind,
    EnrichedArticle,
    LaunchAlert,
    LaunchEvent,
    MissileType,
)
from services.enricher.service import ENRICHER, EnricherSettings
from services.runtime import Transport
from services.runtime.service import open_runners
from services.runtime.settings import RuntimeSettings
from tests.alert_receiver import AlertReceiver
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
    await stream.create(*MESSAGE_TYPES)
    yield stream
    for task in stream.tasks:
        task.cancel()


async def run_enricher(
    stream: Stream, stack: AsyncExitStack, own: EnricherSettings | None = None
) -> list[asyncio.Event]:
    """Starts every stage of the enricher as `launchwatch run enricher` does."""
    settings = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    runners = await open_runners(
        ENRICHER, settings, own or EnricherSettings(), stream.transport, stack
    )
    return [stream.start(runner) for runner in runners]


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


async def test_every_new_alert_reaches_the_webhook_once(enricher_stream: Stream) -> None:
    stream = enricher_stream
    await stream.write([bundled_article(file) for file in SEEDS])
    with AlertReceiver() as receiver:
        async with AsyncExitStack() as stack:
            stops = await run_enricher(
                stream, stack, EnricherSettings(alert_webhook_url=receiver.url + "/hooks/launch")
            )
            await eventually(
                lambda: asyncio.sleep(0, receiver.accepted),
                lambda accepted: len(accepted) == 3,
                "three alerts delivered",
            )
            rows = await eventually(
                lambda: stream.messages(AlertDelivery),
                lambda found: sum(row.status == "delivered" for row in found) == 3,
                "the outbox says so",
            )
            await stream.stop_all(*stops)
    alerts = await stream.messages(LaunchAlert)
    delivered = {row.alert.alert_id for row in rows if row.status == "delivered"}
    assert delivered == {alert.alert_id for alert in alerts}
    assert {request.body["event_id"] for request in receiver.accepted.values()} == {
        alert.event_id for alert in alerts
    }
    assert receiver.repeats == 0


async def test_a_failing_receiver_holds_up_nothing_and_gets_its_alerts_when_back(
    enricher_stream: Stream,
) -> None:
    stream = enricher_stream
    await stream.write([bundled_article(file) for file in SEEDS])
    with AlertReceiver() as receiver:
        receiver.mode = "fail"  # 503 with Retry-After
        own = EnricherSettings(
            alert_webhook_url=receiver.url,
            alert_delivery_backoff_s=0.2,
            alert_delivery_max_backoff_s=1.0,
        )
        async with AsyncExitStack() as stack:
            stops = await run_enricher(stream, stack, own)
            await eventually(
                lambda: stream.messages(EnrichedArticle),
                lambda found: len(found) == len(SEEDS),
                "every report correlated while the receiver fails",
            )
            alerts = await eventually(
                lambda: stream.messages(LaunchAlert),
                lambda found: len(found) == 3,
                "the three alerts raised while the receiver fails",
            )
            await eventually(
                lambda: asyncio.sleep(0, receiver.answered(503)),
                lambda failures: failures >= 3,
                "the receiver refused deliveries",
            )
            assert receiver.accepted == {}
            receiver.mode = "ok"
            await eventually(
                lambda: asyncio.sleep(0, receiver.accepted),
                lambda accepted: len(accepted) == 3,
                "the three alerts delivered once the receiver is back",
            )
            await stream.stop_all(*stops)
    assert {request.body["alert_id"] for request in receiver.accepted.values()} == {
        alert.alert_id for alert in alerts
    }
    assert receiver.repeats == 0
