"""A service process on the real broker: SIGKILL and SIGTERM lose nothing.

The process under test is `tests.integration.tagger_process`, which runs the
shared runtime as every service does. Records are counted by article id on the
output topic, read with read_committed.
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager

import httpx
import pytest
import pytest_asyncio

from schemas import Article, EnrichedArticle
from services.runtime import KafkaTransport
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.integration.processes import kafka_environment, running
from tests.kafka_broker import free_port
from tests.streams import Stream, article, eventually, number_of

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]

ARTICLES = 300


@pytest_asyncio.fixture
async def kafka_stream(kafka_bootstrap: str) -> AsyncIterator[Stream]:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(Article, EnrichedArticle)
    yield stream


def tagger(
    stream: Stream, bootstrap: str, **settings: str
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """The tagger process on the stream's topics; killed if a test leaves it running."""
    environment = kafka_environment(
        bootstrap, stream.prefix, stream.group_id, max_poll_records="20", **settings
    )
    return running(["-m", "tests.integration.tagger_process"], environment)


async def output_ids(stream: Stream) -> Counter[int]:
    return Counter(number_of(o.article_id) for o in await stream.messages(EnrichedArticle))


async def written_at_least(stream: Stream, records: int) -> None:
    await eventually(
        lambda: output_ids(stream), lambda ids: sum(ids.values()) >= records, f"{records} outputs"
    )


@pytest.mark.parametrize("exactly_once", ["false", "true"])
async def test_sigkill_mid_stream_loses_nothing(
    kafka_stream: Stream, kafka_bootstrap: str, exactly_once: str
) -> None:
    stream = kafka_stream
    await stream.write([article(n) for n in range(ARTICLES)])
    kills = 0
    for _ in range(3):
        before = sum((await output_ids(stream)).values())
        with tagger(stream, kafka_bootstrap, exactly_once=exactly_once) as process:
            await written_at_least(stream, before + 20)
            await asyncio.sleep(random.uniform(0.0, 0.5))
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
    with tagger(stream, kafka_bootstrap, exactly_once=exactly_once):
        ids = await eventually(
            lambda: output_ids(stream), lambda ids: len(ids) == ARTICLES, "every article"
        )
    assert kills == 3
    assert sorted(ids) == list(range(ARTICLES)), "no article is lost"
    if exactly_once == "true":
        repeated = {n: count for n, count in ids.items() if count > 1}
        assert repeated == {}, "transactions leave no duplicate for read_committed readers"
    assert await stream.dead_letters(Article) == []


async def test_sigterm_finishes_commits_and_exits_zero(
    kafka_stream: Stream, kafka_bootstrap: str
) -> None:
    stream = kafka_stream
    await stream.write([article(n) for n in range(ARTICLES)])
    port = free_port()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        with tagger(stream, kafka_bootstrap, http_port=str(port)) as process:
            ready = await eventually(
                lambda: _status(http, "/readyz"), lambda status: status == 200, "readiness"
            )
            assert ready == 200
            assert (await http.get("/healthz")).status_code == 200
            await eventually(
                lambda: output_ids(stream), lambda ids: len(ids) >= 50, "some progress"
            )
            metrics = (await http.get("/metrics")).text
            assert 'launchwatch_messages_consumed_total{service="tagger"' in metrics
            assert "launchwatch_consumer_lag" in metrics
            process.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(process.wait, 30)
    assert code == 0
    first_run = await output_ids(stream)
    assert 0 < len(first_run) < ARTICLES, "the stop came mid-stream"

    with tagger(stream, kafka_bootstrap):
        ids = await eventually(
            lambda: output_ids(stream), lambda ids: len(ids) == ARTICLES, "every article"
        )
    assert sorted(ids) == list(range(ARTICLES))
    assert max(ids.values()) == 1, "a clean stop commits everything it wrote: no repeats"


async def _status(http: httpx.AsyncClient, path: str) -> int:
    try:
        return (await http.get(path)).status_code
    except httpx.TransportError:
        return 0
