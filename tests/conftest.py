"""Shared fixtures: a transport of each kind, and a stream of unique topics on it.

The real Kafka broker comes from the `tests.kafka_broker` plugin. A test that
takes the `transport` fixture runs twice: on the in-memory transport and on
Kafka (that run carries the `kafka` marker).
"""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from schemas import Article, EnrichedArticle
from services.runtime import InMemoryTransport, KafkaOptions, KafkaTransport, Transport
from tests.streams import Stream

pytest_plugins = ["tests.kafka_broker"]

TEST_KAFKA_OPTIONS = KafkaOptions(
    session_timeout_s=6.0,  # the broker's minimum: a killed member is noticed quickly
    heartbeat_interval_s=1.0,
    request_timeout_s=15.0,
)


@pytest.fixture(params=["memory", pytest.param("kafka", marks=pytest.mark.kafka)])
def transport(request: pytest.FixtureRequest) -> Transport:
    if request.param == "memory":
        return InMemoryTransport()
    bootstrap: str = request.getfixturevalue("kafka_bootstrap")
    return KafkaTransport(bootstrap, TEST_KAFKA_OPTIONS)


@pytest_asyncio.fixture
async def stream(transport: Transport) -> AsyncIterator[Stream]:
    """Input `news.articles` and output `news.enriched`, with DLQs, under a unique prefix."""
    stream = Stream(transport)
    await stream.create(Article, EnrichedArticle)
    yield stream
    for task in stream.tasks:
        task.cancel()
