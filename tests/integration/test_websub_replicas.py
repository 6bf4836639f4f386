"""Pushes reach the replica that owns the feed, whichever replica the hub calls.

Two fetcher replicas share the feeds' partitions; the hub calls only the first
(as a load balancer might), also for feeds the second owns. The first checks
each delivery and forwards it through ``fetcher.pushes``; the owner applies it.
With the poll floor at its 60 s default, only the pushes can bring the stories:
every one must be on ``news.raw``, once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import UTC, datetime

import pytest

from schemas import FeedSubscription, RawArticle
from schemas.ids import feed_id
from services.fetcher.service import FETCHER
from services.fetcher.settings import FetcherSettings
from services.runtime import Transport
from services.runtime.http import AppServer, with_probes
from services.runtime.service import open_runners
from services.runtime.settings import RuntimeSettings
from services.runtime.source import SourceRunner
from services.runtime.view import view_app
from tests.integration.test_websub import FETCHER_TOPICS
from tests.streams import Stream, eventually
from tests.websub_hub import Hub, Publisher, free_port

pytestmark = pytest.mark.asyncio

FEEDS = 6
RSS = "application/rss+xml; charset=utf-8"


async def test_a_push_to_a_replica_that_does_not_own_the_feed_reaches_its_owner(
    transport: Transport,
) -> None:
    stream = Stream(transport)
    await stream.create(*FETCHER_TOPICS)
    port = free_port()
    settings = FetcherSettings(
        fetch_allow_networks="127.0.0.1/32",
        fetch_host_interval_s=0.0,
        websub_callback_url=f"http://127.0.0.1:{port}/websub",
    )
    runtime = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    with Hub() as hub, contextlib.ExitStack() as sites:
        publishers = [sites.enter_context(Publisher(hub.url)) for _ in range(FEEDS)]
        async with contextlib.AsyncExitStack() as stack:
            replicas = [
                await open_runners(FETCHER, runtime, settings, transport, stack) for _ in range(2)
            ]
            app = view_app(replicas[0])
            assert app is not None
            server = AppServer(with_probes(app, lambda: True), "127.0.0.1", port)
            await server.start()
            stack.push_async_callback(server.stop)
            stops = [stream.start(runner) for runners in replicas for runner in runners]
            polls = [
                runner
                for runners in replicas
                for runner in runners
                if isinstance(runner, SourceRunner) and runner.table_topic.endswith(".feeds")
            ]
            assert len(polls) == 2
            await stream.write(
                [
                    FeedSubscription(
                        feed_id=feed_id(site.feed_url),
                        url=site.feed_url,
                        added_at=datetime.now(UTC),
                    )
                    for site in publishers
                ]
            )
            await eventually(
                lambda: asyncio.sleep(0, [hub.state.current(s.feed_url) for s in publishers]),
                all,
                "every feed subscribed",
            )

            def owners() -> dict[str, int]:
                return {
                    key.decode(): index
                    for index, poll in enumerate(polls)
                    for rows in poll.view.owned().values()
                    for key in rows
                }

            owned = await eventually(
                lambda: asyncio.sleep(0, owners()),
                lambda found: len(found) == FEEDS and set(found.values()) == {0, 1},
                "both replicas owning feeds",
            )
            for number, site in enumerate(publishers):
                document = site.add(100 + number)
                assert await asyncio.to_thread(hub.publish, site.feed_url, document, RSS) == [202]
            await eventually(
                lambda: stream.messages(RawArticle),
                lambda found: len(found) >= FEEDS,
                "every pushed story",
            )
            await asyncio.sleep(1.0)  # room for a duplicate to show
            raws = await stream.messages(RawArticle)
            await stream.stop_all(*stops)

    assert set(owned.values()) == {0, 1}, "the second replica owns some feeds"
    assert Counter(Counter(raw.url for raw in raws).values()) == {1: FEEDS}
    stories = {site.page_url(100 + number) for number, site in enumerate(publishers)}
    assert {raw.url for raw in raws} == stories
