"""WebSub's pieces one by one: discovery, signatures, the subscription's rules, the callback,
and how the owner tells a removed feed from one that moved to another replica."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import msgspec
import pytest
import pytest_asyncio

from schemas import FeedState, decode
from schemas.feeds import WebSubEvent, WebSubSubscription
from schemas.topics import topic_for
from schemas.vocabulary import FeedStatus
from services.fetcher.feeds import parse_feed
from services.fetcher.settings import FetcherSettings
from services.fetcher.websub import rules
from services.fetcher.websub.callback import Callback, open_callback
from services.fetcher.websub.discovery import Discovered, discover, link_header
from services.fetcher.websub.owner import Removals
from services.fetcher.websub.signatures import check, sign
from services.runtime import InMemoryTransport, Routing
from services.runtime.records import TopicPartition
from services.runtime.spec import StageContext

T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
FEED = "https://news.example/feed.xml"
FEED_ID = "ab" * 16

# --- discovery --------------------------------------------------------------------------


def test_the_link_header_names_hub_and_self_and_wins_over_the_document() -> None:
    header = '<https://hub.example/>; rel="hub", </feed.atom>; rel="self alternate"'
    assert link_header(header, FEED) == {
        "hub": ["https://hub.example/"],
        "self": ["https://news.example/feed.atom"],
        "alternate": ["https://news.example/feed.atom"],
    }
    found = discover(header, FEED, hubs=("https://other.example/",), self_url="https://x/")
    assert found == Discovered(hub="https://hub.example/", topic="https://news.example/feed.atom")


def test_atom_rss_and_json_feed_documents_name_their_hub() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>'
        b'<link rel="hub" href="/hub"/><link rel="self" href="https://news.example/atom"/>'
        b"</feed>"
    )
    rss = (
        b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>'
        b'<atom:link rel="hub" href="https://hub.example/"/><item><title>a</title></item>'
        b"</channel></rss>"
    )
    json_feed = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [],'
        b' "feed_url": "https://news.example/feed.json",'
        b' "hubs": [{"type": "WebSub", "url": "https://hub.example/j"}]}'
    )
    parsed = parse_feed(atom, headers={}, url=FEED)
    assert discover(None, FEED, parsed.hubs, parsed.self_url) == Discovered(
        "https://news.example/hub", "https://news.example/atom"
    )
    parsed = parse_feed(rss, headers={}, url=FEED)
    # No self link: the URL the feed was fetched from is the topic.
    assert discover(None, FEED, parsed.hubs, parsed.self_url) == Discovered(
        "https://hub.example/", FEED
    )
    parsed = parse_feed(json_feed, headers={"content-type": "application/feed+json"}, url=FEED)
    assert discover(None, FEED, parsed.hubs, parsed.self_url) == Discovered(
        "https://hub.example/j", "https://news.example/feed.json"
    )


def test_no_hub_or_an_unusable_one_is_no_subscription() -> None:
    assert discover(None, FEED) is None
    assert discover('<ftp://hub.example/>; rel="hub"', FEED) is None
    assert discover("garbage, <>; rel=hub", FEED) is None


# --- signatures -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_every_method_of_the_spec_is_checked(method: str) -> None:
    body = b"<feed/>"
    assert check("s3cret", body, sign("s3cret", body, method)) == "valid"
    assert check("s3cret", body + b" ", sign("s3cret", body, method)) == "mismatch"
    assert check("other", body, sign("s3cret", body, method)) == "mismatch"


def test_missing_or_unreadable_signatures_are_told_apart_from_wrong_ones() -> None:
    assert check("s", b"x", None) == "unsigned"
    assert check("s", b"x", "  ") == "unsigned"
    assert check("s", b"x", "md5=abcd") == "malformed"
    assert check("s", b"x", "sha256") == "malformed"
    assert check("s", b"x", "sha256=zz\u00e9") == "mismatch"


# --- the subscription's rules -----------------------------------------------------------


def subscription(**fields: object) -> WebSubSubscription:
    base = WebSubSubscription(
        feed_id=FEED_ID,
        hub="https://hub.example/",
        topic=FEED,
        callback=f"https://cb.example/websub/{FEED_ID}",
        secret="s" * 64,
        status="requested",
        requested_at=T0,
        attempts=1,
        updated_at=T0,
    )
    return msgspec.structs.replace(base, **fields)


FOUND = Discovered(hub="https://hub.example/", topic=FEED)
CALLBACK = f"https://cb.example/websub/{FEED_ID}"


def test_a_new_hub_is_asked_with_a_fresh_secret_and_a_renewal_keeps_it() -> None:
    first = rules.request_for(None, FOUND, feed_id=FEED_ID, callback=CALLBACK, now=T0)
    assert first is not None
    assert first.status == "requested"
    assert len(first.secret) == 64
    verified = WebSubEvent(
        feed_id=FEED_ID, kind="verified", topic=FEED, received_at=T0, lease_s=100
    )
    live = rules.applied(first, verified, 7, T0, lease_s=1000)
    assert (live.status, live.lease_s, live.attempts, live.applied_offset) == ("live", 100, 0, 7)
    assert live.expires_at == T0 + timedelta(seconds=100)
    assert rules.request_for(live, FOUND, feed_id=FEED_ID, callback=CALLBACK, now=T0) is None
    renewal = rules.request_for(
        live, FOUND, feed_id=FEED_ID, callback=CALLBACK, now=T0 + timedelta(seconds=80)
    )
    assert renewal is not None
    assert renewal.secret == first.secret
    assert renewal.status == "live", "still delivering while the renewal is verified"
    moved = rules.request_for(
        live, Discovered("https://hub2.example/", FEED), feed_id=FEED_ID, callback=CALLBACK, now=T0
    )
    assert moved is not None
    assert moved.secret != first.secret


def test_refusals_back_off_and_denials_wait_a_day() -> None:
    failed = rules.refused(subscription(attempts=3), "HTTP 500", T0)
    assert failed.status == "failed"
    assert rules.due_at(failed) == T0 + timedelta(seconds=4 * rules.RETRY_S)
    denial = WebSubEvent(feed_id=FEED_ID, kind="denied", topic=FEED, received_at=T0)
    denied = rules.applied(subscription(), denial, 3, T0, lease_s=10)
    assert denied.status == "denied"
    assert rules.due_at(denied) == T0 + timedelta(days=1)
    assert rules.due_at(rules.ended(subscription(), T0)) is None


def test_polls_slow_down_only_while_the_lease_runs() -> None:
    settings = FetcherSettings(websub_poll_interval_s=1800)
    soon = T0 + timedelta(seconds=60)
    state = FeedState(
        feed_id=FEED_ID, url=FEED, status=FeedStatus.OK, next_poll_at=soon, updated_at=T0
    )
    expires = T0 + timedelta(hours=1)
    live = subscription(status="live", verified_at=T0, lease_s=3600, expires_at=expires)
    rng = random.Random(1)
    slowed = rules.slower(state, live, settings, T0, rng)
    assert slowed.next_poll_at is not None
    assert slowed.next_poll_at >= T0 + timedelta(seconds=1600)
    lapsed = msgspec.structs.replace(live, expires_at=T0 - timedelta(seconds=1))
    assert rules.slower(state, lapsed, settings, T0, rng) is state


# --- the callback -----------------------------------------------------------------------


@pytest_asyncio.fixture
async def callback() -> AsyncIterator[tuple[Callback, InMemoryTransport]]:
    transport = InMemoryTransport()
    routing = Routing(source="/launchwatch/test")
    await transport.create_topics([topic_for(WebSubSubscription), topic_for(WebSubEvent)])
    settings = FetcherSettings(websub_callback_url="https://cb.example/websub/")
    async with open_callback(settings, StageContext(transport, routing)) as opened:
        opened.verify_wait_s = opened.delivery_wait_s = 0.3
        await write(transport, routing, subscription())
        yield opened, transport


async def write(transport: InMemoryTransport, routing: Routing, sub: WebSubSubscription) -> None:
    publisher = await transport.publisher(client_id="test")
    await publisher.publish([routing.record_for(sub)])


async def events(transport: InMemoryTransport) -> list[WebSubEvent]:
    found = transport.read(topic_for(WebSubEvent).name, from_beginning=True, follow=False)
    return [decode(WebSubEvent, r.value, r.headers) async for r in found if r.value is not None]


def client(opened: Callback) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=opened.app), base_url="https://cb.example"
    )


@pytest.mark.asyncio
async def test_only_the_asked_for_intent_is_confirmed(
    callback: tuple[Callback, InMemoryTransport],
) -> None:
    opened, transport = callback
    async with client(opened) as http:
        query = {"hub.mode": "subscribe", "hub.topic": FEED, "hub.challenge": "c-123"}
        ok = await http.get(f"/websub/{FEED_ID}", params=query | {"hub.lease_seconds": "60"})
        other = await http.get(f"/websub/{FEED_ID}", params=query | {"hub.topic": "https://x/"})
        unsubscribe = await http.get(
            f"/websub/{FEED_ID}", params=query | {"hub.mode": "unsubscribe"}
        )
        unknown = await http.get(f"/websub/{'cd' * 16}", params=query)
        missing = await http.get(f"/websub/{FEED_ID}", params={"hub.mode": "subscribe"})
    assert (ok.status_code, ok.text) == (200, "c-123")
    assert other.status_code == 404, "a topic never asked for"
    assert unsubscribe.status_code == 404, "a third party cannot unsubscribe the fetcher"
    assert unknown.status_code == 404
    assert missing.status_code == 400
    (verified,) = await events(transport)
    assert (verified.kind, verified.feed_id, verified.lease_s) == ("verified", FEED_ID, 60)


@pytest.mark.asyncio
async def test_a_lease_that_is_not_a_plain_number_is_no_lease(
    callback: tuple[Callback, InMemoryTransport],
) -> None:
    opened, transport = callback
    async with client(opened) as http:
        query = {"hub.mode": "subscribe", "hub.topic": FEED, "hub.challenge": "c-9"}
        answer = await http.get(f"/websub/{FEED_ID}", params=query | {"hub.lease_seconds": "²"})
    assert (answer.status_code, answer.text) == (200, "c-9")
    (verified,) = await events(transport)
    assert verified.lease_s is None


@pytest.mark.asyncio
async def test_deliveries_must_be_signed_with_the_subscriptions_secret(
    callback: tuple[Callback, InMemoryTransport],
) -> None:
    opened, transport = callback
    body = b"<rss/>"
    secret = subscription().secret
    async with client(opened) as http:
        path = f"/websub/{FEED_ID}"
        unsigned = await http.post(path, content=body)
        malformed = await http.post(path, content=body, headers={"x-hub-signature": "md5=00"})
        wrong = await http.post(path, content=body, headers={"x-hub-signature": sign("x", body)})
        good = await http.post(
            path,
            content=body,
            headers={"x-hub-signature": sign(secret, body, "sha512"), "content-type": "text/xml"},
        )
        gone = await http.post(f"/websub/{'cd' * 16}", content=body)
        coded = await http.post(
            path,
            content=body,
            headers={"x-hub-signature": sign(secret, body), "content-encoding": "gzip"},
        )
    assert [r.status_code for r in (unsigned, malformed, wrong, good, gone, coded)] == [
        403,
        403,
        202,
        202,
        410,
        415,
    ]
    (delivered,) = await events(transport)
    assert (delivered.kind, delivered.body, delivered.content_type) == ("content", body, "text/xml")


@pytest.mark.asyncio
async def test_a_verification_waits_for_the_subscription_to_arrive(
    callback: tuple[Callback, InMemoryTransport],
) -> None:
    opened, transport = callback
    later = subscription(feed_id="cd" * 16, callback=f"https://cb.example/websub/{'cd' * 16}")
    query = {"hub.mode": "subscribe", "hub.topic": FEED, "hub.challenge": "late"}
    async with client(opened) as http:
        answer = asyncio.create_task(http.get(f"/websub/{'cd' * 16}", params=query))
        await asyncio.sleep(0.1)
        assert not answer.done()
        await write(transport, Routing(source="/launchwatch/test"), later)
        response = await answer
    assert (response.status_code, response.text) == (200, "late")


@pytest.mark.asyncio
async def test_an_ended_subscription_is_let_go_and_its_deliveries_are_gone(
    callback: tuple[Callback, InMemoryTransport],
) -> None:
    opened, transport = callback
    await write(transport, Routing(source="/launchwatch/test"), subscription(status="ended"))
    body = b"<rss/>"
    query = {"hub.topic": FEED, "hub.challenge": "bye"}
    async with client(opened) as http:
        path = f"/websub/{FEED_ID}"
        unsubscribe = await http.get(path, params=query | {"hub.mode": "unsubscribe"})
        subscribe = await http.get(path, params=query | {"hub.mode": "subscribe"})
        signed = {"x-hub-signature": sign(subscription().secret, body)}
        delivery = await http.post(path, content=body, headers=signed)
    assert (unsubscribe.status_code, unsubscribe.text) == (200, "bye")
    assert subscribe.status_code == 404, "an ended subscription is not wanted any more"
    assert delivery.status_code == 410, "the hub is told to drop it"
    assert await events(transport) == []


@pytest.mark.asyncio
async def test_an_unsubscription_waits_for_the_end_to_arrive(
    callback: tuple[Callback, InMemoryTransport],
) -> None:
    opened, transport = callback
    query = {"hub.mode": "unsubscribe", "hub.topic": FEED, "hub.challenge": "later"}
    async with client(opened) as http:
        answer = asyncio.create_task(http.get(f"/websub/{FEED_ID}", params=query))
        await asyncio.sleep(0.1)
        assert not answer.done(), "the subscription is still wanted here"
        ended = rules.ended(subscription(status="live"), T0, rules.REMOVED)
        await write(transport, Routing(source="/launchwatch/test"), ended)
        response = await answer
    assert (response.status_code, response.text) == (200, "later")


def test_a_removed_feed_is_told_from_one_that_moved_away() -> None:
    first, second = TopicPartition("feeds", 0), TopicPartition("feeds", 1)
    removals = Removals()
    assert removals.gone({first: {b"a": 1, b"b": 1}}, {first: 1}) == []
    removals.seen("c", second, 1)  # written by a poll before a look at the rows
    owned = {first: {b"a": 1}, second: {}}
    assert removals.gone(owned, {first: 1, second: 1}) == [(first, "b"), (second, "c")]
    assert removals.gone(owned, {first: 1, second: 1}) == [], "each removal is told once"
    assert removals.gone({second: {}}, {second: 1}) == [], "the first partition was revoked"
    assert removals.gone({first: {b"a": 1}}, {first: 2}) == []
    assert removals.gone({first: {}}, {first: 3}) == [], "assigned again: its rows are reread"
    removals.seen("d", first, None)
    assert removals.gone({first: {}}, {first: 3}) == [], "not owned when it was written"
