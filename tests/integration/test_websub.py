"""The fetcher as a WebSub subscriber, end to end, in memory and on the real broker.

A publisher on 127.0.0.1 names a hub in its feed (`tests.websub_hub`); the
fetcher's three stages run with a callback served on their HTTP port. The
fetcher discovers the hub at its first poll, subscribes, answers the hub's
verification, and from then on the hub's deliveries bring new stories:

- a pushed story is on `news.raw` exactly once, within a second of its
  publication, while the poll floor stays at its 60 s default (the figure in
  docs/performance.md, printed here);
- an unsigned delivery is refused (403) and a mis-signed one ignored (202),
  and neither brings its story; a genuine push followed by polls of the same
  story leads to one lead and one article;
- a short lease is renewed before it ends, under the same secret;
- a feed removed from `feeds` is unsubscribed: the hub's verification of the
  unsubscription is confirmed, and a later delivery is answered 410 Gone.
"""

from __future__ import annotations

import asyncio
import functools
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from schemas import FeedState, FeedSubscription, RawArticle
from schemas.feeds import ArticleClaim, ArticleLead, WebSubEvent, WebSubSubscription
from schemas.ids import canonical_url, feed_id
from services.fetcher.service import FETCHER
from services.fetcher.settings import FetcherSettings
from services.runtime import Transport
from services.runtime.http import AppServer, with_probes
from services.runtime.service import open_runners
from services.runtime.settings import RuntimeSettings
from services.runtime.view import view_app
from tests.streams import Stream, eventually
from tests.websub_hub import Hub, Publisher, feed_document, free_port, signature

pytestmark = pytest.mark.asyncio

RSS = "application/rss+xml; charset=utf-8"
PUSHES = 6
SPACING_S = 1.5
"""Between publications: more than the 1 s spacing of requests to one site."""


@dataclass
class Rig:
    stream: Stream
    hub: Hub
    site: Publisher
    callback: str

    @property
    def topic(self) -> str:
        return self.site.feed_url

    async def subscribed(self) -> None:
        await eventually(
            lambda: asyncio.sleep(0, self.hub.state.current(self.topic)),
            bool,
            "the hub to verify the fetcher's subscription",
        )

    async def raw_of(self, number: int) -> list[RawArticle]:
        url = canonical_url(self.site.page_url(number))
        return [raw for raw in await self.stream.messages(RawArticle) if raw.url == url]

    async def leads_of(self, number: int) -> list[ArticleLead]:
        url = self.site.page_url(number)
        return [lead for lead in await self.stream.messages(ArticleLead) if lead.entry.link == url]

    async def state(self) -> FeedState:
        states = await self.stream.messages(FeedState)
        return states[-1]


FETCHER_TOPICS = (
    FeedSubscription,
    FeedState,
    ArticleLead,
    ArticleClaim,
    RawArticle,
    WebSubSubscription,
    WebSubEvent,
)
"""The message types of every topic the fetcher reads or writes with WebSub on."""


@asynccontextmanager
async def pushed(
    transport: Transport, *, lease_s: int = 3600, **fetcher: float
) -> AsyncIterator[Rig]:
    """The fetcher subscribed to one feed (story 1 published) through a local hub."""
    stream = Stream(transport)
    await stream.create(*FETCHER_TOPICS)
    port = free_port()
    base = f"http://127.0.0.1:{port}/websub"
    chosen: dict[str, float] = {"fetch_host_interval_s": 0.0} | fetcher
    settings = FetcherSettings(
        fetch_allow_networks="127.0.0.1/32",
        websub_callback_url=base,
        **chosen,  # type: ignore[arg-type]
    )
    runtime = RuntimeSettings(topic_prefix=stream.prefix, group_id=stream.group_id)
    with Hub(lease_s=lease_s) as hub, Publisher(hub.url) as site:
        site.add(1)
        async with AsyncExitStack() as stack:
            runners = await open_runners(FETCHER, runtime, settings, transport, stack)
            app = view_app(runners)
            assert app is not None, "the fetcher serves its callback"
            server = AppServer(with_probes(app, lambda: True), "127.0.0.1", port)
            await server.start()
            stack.push_async_callback(server.stop)
            stops = [stream.start(runner) for runner in runners]
            subscription = FeedSubscription(
                feed_id=feed_id(site.feed_url), url=site.feed_url, added_at=datetime.now(UTC)
            )
            await stream.write([subscription])
            rig = Rig(stream, hub, site, f"{base}/{subscription.feed_id}")
            await rig.subscribed()
            yield rig
            await stream.stop_all(*stops)


async def test_a_push_becomes_exactly_one_article(transport: Transport) -> None:
    # The poll floor (60 s) and the spacing of requests to one site (1 s) at their defaults;
    # the publisher publishes a story every SPACING_S.
    async with pushed(transport, fetch_host_interval_s=1.0) as rig:
        await eventually(lambda: rig.raw_of(1), bool, "the polled story")
        first_push = datetime.now(UTC)
        latencies: list[float] = []
        for number in range(2, 2 + PUSHES):
            await asyncio.sleep(max(0.0, SPACING_S - (latencies[-1] if latencies else SPACING_S)))
            published = time.monotonic()
            document = rig.site.add(number)
            codes = await asyncio.to_thread(rig.hub.publish, rig.topic, document, RSS)
            assert codes == [202]
            await eventually(functools.partial(rig.raw_of, number), bool, f"story {number}")
            latencies.append(time.monotonic() - published)
        await asyncio.sleep(1.0)  # room for a duplicate to show
        raws = await rig.stream.messages(RawArticle)
        state = await rig.state()

    assert Counter(Counter(raw.url for raw in raws).values()) == {1: 1 + PUSHES}, "each once"
    assert all(raw.body for raw in raws), "every page downloaded"
    assert state.last_polled_at is not None
    assert state.last_polled_at < first_push, "no poll since the first: every story was pushed"
    ordered = sorted(latencies)
    print(
        f"\nWebSub publication -> news.raw ({transport.__class__.__name__}, {PUSHES} pushes): "
        f"p50 {statistics.median(ordered):.3f} s, max {ordered[-1]:.3f} s"
    )
    assert ordered[-1] < 5.0


async def test_an_unsigned_push_is_refused_and_a_poll_after_a_push_repeats_nothing(
    transport: Transport,
) -> None:
    async with pushed(transport, poll_min_s=0.5, websub_poll_interval_s=0.5) as rig:
        forged = feed_document(rig.site.state, [99])  # never in the feed itself
        unsigned = await asyncio.to_thread(
            rig.hub.deliver, rig.callback, rig.topic, forged, RSS, None
        )
        wrong = signature("not-the-secret", forged)
        mis_signed = await asyncio.to_thread(
            rig.hub.deliver, rig.callback, rig.topic, forged, RSS, wrong
        )
        document = rig.site.add(3)
        pushed_at = datetime.now(UTC)
        assert await asyncio.to_thread(rig.hub.publish, rig.topic, document, RSS) == [202]
        await eventually(lambda: rig.raw_of(3), bool, "the genuine push")
        await eventually(
            rig.state,
            lambda state: state.last_polled_at is not None and state.last_polled_at > pushed_at,
            "a poll after the push",
        )
        await asyncio.sleep(1.0)
        forged_raws, forged_leads = await rig.raw_of(99), await rig.leads_of(99)
        raws, leads = await rig.raw_of(3), await rig.leads_of(3)

    assert unsigned == 403, "an unsigned delivery is refused"
    assert mis_signed == 202, "a mis-signed delivery is acknowledged, as the spec asks"
    assert forged_raws == [], "neither is taken"
    assert forged_leads == []
    assert len(leads) == 1, "the push and the polls after it: one lead"
    assert len(raws) == 1


async def test_a_lease_is_renewed_before_it_ends(transport: Transport) -> None:
    async with pushed(transport, lease_s=2) as rig:
        renewed = await eventually(
            lambda: asyncio.sleep(0, list(rig.hub.state.verified)),
            lambda verified: len(verified) >= 2,
            "a second verification: the renewal",
        )
        first, second = renewed[0], renewed[1]
        subs = await eventually(
            lambda: rig.stream.messages(WebSubSubscription),
            lambda found: any(s.status == "live" and s.attempts == 0 for s in found[1:]),
            "the renewal recorded",
        )

    requests = [form for form in rig.hub.state.requests if form["hub.mode"] == "subscribe"]
    assert len(requests) >= 2
    assert second.verified_at - first.verified_at < 2.0, "renewed before the lease ended"
    assert first.secret == second.secret, "a renewal keeps the secret"
    assert {form["hub.callback"] for form in requests} == {rig.callback}
    assert subs[-1].lease_s == 2


async def test_a_removed_feed_is_unsubscribed(transport: Transport) -> None:
    async with pushed(transport) as rig:
        removed = rig.stream.routing.tombstone(FeedSubscription, feed_id(rig.topic))
        await rig.stream.write_raw([removed])
        await eventually(
            lambda: asyncio.sleep(0, rig.hub.state.current(rig.topic)),
            lambda current: not current,
            "the hub to verify the unsubscription",
        )
        subs = await rig.stream.messages(WebSubSubscription)
        document = rig.site.add(2)
        late = signature(subs[-1].secret, document)
        answer = await asyncio.to_thread(
            rig.hub.deliver, rig.callback, rig.topic, document, RSS, late
        )
        await asyncio.sleep(1.0)
        raws = await rig.raw_of(2)

    asked = [form for form in rig.hub.state.requests if form["hub.mode"] == "unsubscribe"]
    assert asked == [
        {"hub.callback": rig.callback, "hub.mode": "unsubscribe", "hub.topic": rig.topic}
    ]
    assert [sub.mode for sub in rig.hub.state.verified] == ["subscribe", "unsubscribe"]
    assert rig.hub.state.refused == [], "the callback confirmed the unsubscription at once"
    assert (subs[-1].status, subs[-1].error) == ("ended", "the feed was removed")
    assert answer == 410, "a delivery after the end tells the hub to drop it"
    assert raws == []
