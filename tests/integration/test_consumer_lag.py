"""Consumer lag on the real broker reaches zero once a transactional input is read to its end.

Every Kafka transaction leaves a commit marker that takes an offset but is
never returned as a record; a lag computed from the last record seen would
stay above zero forever on such a topic, and an alert on "records wait but
nothing is consumed" would fire on an idle pipeline.
"""

from __future__ import annotations

import asyncio

import pytest

from schemas import Article, EnrichedArticle
from services.runtime import KafkaTransport
from services.runtime.transport import RebalanceHooks
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.streams import Stream, article, eventually, tag

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio]


async def test_lag_is_zero_after_reading_a_transactional_topic_to_its_end(
    kafka_bootstrap: str,
) -> None:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(Article, EnrichedArticle)
    await stream.write([article(n) for n in range(30)])
    stop = stream.start(stream.processor(tag, exactly_once=True, max_records=5))
    await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) == 30, "30 outputs"
    )
    await stream.stop_all(stop)

    reader = await stream.transport.subscribe(
        [stream.name(EnrichedArticle)],
        group_id=stream.group_id + "-reader",
        client_id="lag-reader",
        exactly_once=False,
        hooks=RebalanceHooks(),
    )
    try:
        seen = 0
        for _ in range(40):
            seen += len(await reader.poll(timeout_s=0.25, max_records=100))
            lags = reader.lag()
            if seen == 30 and len(lags) == 3 and not any(lags.values()):
                break
            await asyncio.sleep(0.05)
        assert seen == 30
        assert lags == dict.fromkeys(reader.assignment(), 0)
    finally:
        await reader.close()
