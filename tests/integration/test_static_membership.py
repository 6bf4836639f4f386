"""Static group membership on the real broker: restarts without rebalances, and fencing.

Enricher processes (three consumer groups each: tagging, correlation in Kafka
transactions, alert delivery) run with a group instance id. A member
SIGKILLed and started again under its id takes its partitions straight back:
the other member sees no rebalance. A second process started under an id that
a live one holds takes the id over: the older process is fenced and stops with
exit code 0, and the newer one keeps it. Either way, read with read_committed,
every article comes through and every launch has exactly one `new` alert and
no record of launch.events or alerts.launch is written twice.
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
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
from tests.integration.processes import kafka_environment, start
from tests.kafka_broker import free_port
from tests.newsroom import as_article, launch_news
from tests.streams import Stream, eventually

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

LAUNCHES = 8
SESSION_TIMEOUT_S = "10"
"""Longer than a restart takes, so the restarted member comes back inside its session."""


@pytest_asyncio.fixture
async def kafka_stream(kafka_bootstrap: str) -> AsyncIterator[Stream]:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(*MESSAGE_TYPES)
    yield stream


def news() -> tuple[list[Article], set[tuple[str, date]]]:
    stories = launch_news(LAUNCHES, reports=2, others=8)
    random.shuffle(stories)
    launches = {story.launch for story in stories if story.launch is not None}
    return [as_article(story) for story in stories], launches


@contextmanager
def enricher(
    stream: Stream, bootstrap: str, instance: str, port: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`launchwatch run enricher` as replica `instance`; killed if the block leaves it running."""
    environment = kafka_environment(
        bootstrap,
        stream.prefix,
        stream.group_id,
        group_instance_id=instance,
        session_timeout_s=SESSION_TIMEOUT_S,
        http_port=str(port),
        max_poll_records="5",
    )
    with log.open("ab") as sink:
        process = start(["run", "enricher"], environment, log=sink)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


async def metric(port: int, name: str) -> dict[str, float]:
    """Samples of metric `name` from the process on `port`, by label set; {} if unreachable."""
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    except httpx.HTTPError:
        return {}
    samples = {}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            labels, value = line.rsplit(" ", 1)
            samples[labels.removeprefix(name)] = float(value)
    return samples


async def settled(port: int) -> dict[str, float]:
    """The partitions each stage of the process on `port` owns, once every stage owns some."""
    return await eventually(
        lambda: metric(port, "launchwatch_assigned_partitions"),
        lambda owned: len(owned) == 3 and all(owned.values()),
        "every stage owning partitions",
    )


async def shared(ports: list[int]) -> list[dict[str, float]]:
    """What each process owns, once the group has settled: every partition owned, by both."""

    async def owned() -> list[dict[str, float]]:
        return [await metric(port, "launchwatch_assigned_partitions") for port in ports]

    def split(owned: list[dict[str, float]]) -> bool:
        stages = set().union(*owned)
        return len(stages) == 3 and all(
            all(each.get(stage) for each in owned) and sum(each[stage] for each in owned) == 3
            for stage in stages
        )

    return await eventually(owned, split, "the partitions shared by the members")


async def enriched(stream: Stream) -> Counter[str]:
    return Counter(item.article_id for item in await stream.messages(EnrichedArticle))


async def all_through(stream: Stream, articles: list[Article]) -> None:
    wanted = {article.article_id for article in articles}
    await eventually(
        lambda: enriched(stream), lambda done: wanted <= set(done), "every article enriched"
    )


async def check_nothing_lost_or_repeated(
    stream: Stream, articles: list[Article], launches: set[tuple[str, date]]
) -> None:
    events = await stream.messages(LaunchEvent)
    revisions = Counter((event.event_id, event.revision) for event in events)
    assert max(revisions.values()) == 1, "no revision of an event written twice"
    latest = {event.event_id: event for event in sorted(events, key=lambda e: e.revision)}
    assert {(event.country, event.launch_date) for event in latest.values()} == launches
    alerts = Counter((a.event_id, a.kind, a.revision) for a in await stream.messages(LaunchAlert))
    assert max(alerts.values()) == 1, "no alert written twice"
    new = Counter(event_id for event_id, kind, _ in alerts if kind is AlertKind.NEW)
    assert set(new) == set(latest), "every launch has its `new` alert"
    reports = {a.article_id for a in articles if a.url.split("/")[-1].startswith("launch-")}
    counts = await enriched(stream)
    assert {counts[report] for report in reports} == {1}, "reports correlated exactly once"
    assert set(counts) == {article.article_id for article in articles}
    for name in (Article, LaunchReport):
        assert await stream.dead_letters(name) == []


async def test_a_sigkilled_member_rejoins_without_a_rebalance(
    kafka_stream: Stream, kafka_bootstrap: str, tmp_path: Path
) -> None:
    stream = kafka_stream
    articles, launches = news()
    half = len(articles) // 2
    ports = {"a": free_port(), "b": free_port()}
    log = tmp_path / "enricher.log"
    with enricher(stream, kafka_bootstrap, "enricher-b", ports["b"], log):
        with enricher(stream, kafka_bootstrap, "enricher-a", ports["a"], log) as first:
            owned = dict(zip(ports, await shared(list(ports.values())), strict=True))
            await stream.write(articles[:half])
            await all_through(stream, articles[:half])
            rebalances = await metric(ports["b"], "launchwatch_rebalances_total")
            first.send_signal(signal.SIGKILL)
            first.wait()
        with enricher(stream, kafka_bootstrap, "enricher-a", ports["a"], log) as second:
            assert await settled(ports["a"]) == owned["a"], "the same partitions, straight back"
            await stream.write(articles[half:])
            await all_through(stream, articles)
            assert second.poll() is None
        assert await metric(ports["b"], "launchwatch_rebalances_total") == rebalances, (
            "the other member saw no rebalance"
        )
        assert await metric(ports["b"], "launchwatch_assigned_partitions") == owned["b"]
    await check_nothing_lost_or_repeated(stream, articles, launches)


async def test_the_older_of_two_processes_with_one_instance_id_is_fenced(
    kafka_stream: Stream, kafka_bootstrap: str, tmp_path: Path
) -> None:
    stream = kafka_stream
    articles, launches = news()
    half = len(articles) // 2
    older_port, newer_port = free_port(), free_port()
    older_log, newer_log = tmp_path / "older.log", tmp_path / "newer.log"
    with enricher(stream, kafka_bootstrap, "enricher-x", older_port, older_log) as older:
        await settled(older_port)
        await stream.write(articles[:half])
        await eventually(lambda: enriched(stream), lambda done: len(done) >= 4, "progress")
        with enricher(stream, kafka_bootstrap, "enricher-x", newer_port, newer_log) as newer:
            assert await asyncio.to_thread(older.wait, 60) == 0, "the older stops cleanly"
            assert "group instance id was taken over" in older_log.read_text()
            await stream.write(articles[half:])
            await all_through(stream, articles)
            await asyncio.sleep(2 * float(SESSION_TIMEOUT_S) / 3)  # a few more heartbeats
            assert newer.poll() is None, "the newer keeps the id"
            assert "taken over" not in newer_log.read_text()
    await check_nothing_lost_or_repeated(stream, articles, launches)
