"""The WebSub callback: served by every replica, on the fetcher's HTTP port, for every feed.

A hub calls ``<LAUNCHWATCH_WEBSUB_CALLBACK_URL>/<feed id>`` on whichever
replica the load balancer picks, which need not own the feed. So every replica
reads the whole (small) ``fetcher.websub`` table, answers from it, and acts on
nothing itself: what it accepts goes to ``fetcher.pushes``, keyed by feed id,
for the feed's owner to apply (`inbox`). The answer is sent only once the
broker has acknowledged the record, so a hub whose request failed tries again.

- **Verification of intent** (GET, WebSub §5.3): ``hub.mode=subscribe`` is
  confirmed, echoing ``hub.challenge``, only for a subscription the fetcher
  asked for (its record names that topic and is requested or live). The owner
  writes the record before it sends the request; a replica that has not read
  it yet waits for it a few seconds. ``unsubscribe`` is confirmed only for a
  topic the fetcher does not want (the owner ends the subscription, or moves
  it to another topic, before it asks), waiting for that the same way;
  ``denied`` is recorded.
- **Deliveries** (POST, §7-8): the body, at most ``fetch_feed_max_bytes`` and
  without a content coding, must carry ``X-Hub-Signature`` made with the
  subscription's secret. An unsigned (or unreadably signed) delivery is
  refused with 403. A delivery whose signature does not match is answered
  202 as the specification requires (a hub must not learn that its forgery
  was noticed) and its content ignored. Both are counted
  (``launchwatch_websub_deliveries_total{outcome}``). A delivery for a feed
  without a subscription, or whose subscription ended, is answered 410 Gone,
  which tells the hub to drop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from prometheus_client import Counter
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from schemas import WireError, decode, topic_for
from schemas.feeds import WebSubEvent, WebSubSubscription
from services.fetcher.settings import FetcherSettings
from services.fetcher.websub.signatures import check
from services.runtime import TransportError
from services.runtime.records import TopicPartition
from services.runtime.spec import StageContext
from services.runtime.transport import Publisher

log = logging.getLogger(__name__)

VERIFY_WAIT_S = 5.0
"""How long a verification waits for the subscription record to reach this replica."""
DELIVERY_WAIT_S = 2.0
"""How long a delivery waits for the table (at start, or a record just written)."""
WANTED = ("requested", "live")
_FEED_ID = re.compile(r"^[0-9a-f]{16,64}$")

DELIVERIES = Counter(
    "launchwatch_websub_deliveries",
    "WebSub deliveries received, by outcome (accepted, unsigned, mismatch, gone, too-large, "
    "encoded, unavailable).",
    ["outcome"],
)


class Subscriptions:
    """Every feed's subscription, read from ``fetcher.websub`` and followed."""

    def __init__(self) -> None:
        self._rows: dict[str, WebSubSubscription] = {}
        self._changed = asyncio.Event()
        self.loaded = asyncio.Event()
        """Set once the table is read up to the end it had when the read began."""

    def get(self, feed_id: str) -> WebSubSubscription | None:
        return self._rows.get(feed_id)

    def apply(self, feed_id: str, sub: WebSubSubscription | None) -> None:
        if sub is None:
            self._rows.pop(feed_id, None)
        else:
            self._rows[feed_id] = sub
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_for(
        self,
        feed_id: str,
        wanted: Callable[[WebSubSubscription | None], bool],
        timeout_s: float,
    ) -> WebSubSubscription | None:
        """The feed's subscription once `wanted` holds for it, waiting up to `timeout_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            sub = self._rows.get(feed_id)
            if self.loaded.is_set() and wanted(sub):
                return sub
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def follow(self, context: StageContext) -> None:
        """Read the table to its end, say so, then follow it (runs until cancelled)."""
        topic = context.routing.name_of(topic_for(WebSubSubscription))
        read: dict[TopicPartition, int] = {}
        async for record in context.transport.read(topic, from_beginning=True, follow=False):
            self._apply_record(record.key, record.value, record.headers)
            read[record.topic_partition] = record.offset
        self.loaded.set()
        self.apply("", None)  # wake the waiters
        async for record in context.transport.read(topic, from_beginning=True, follow=True):
            if record.offset > read.get(record.topic_partition, -1):
                self._apply_record(record.key, record.value, record.headers)

    def _apply_record(
        self, key: bytes | None, value: bytes | None, headers: tuple[tuple[str, bytes], ...]
    ) -> None:
        if key is None:
            return
        try:
            sub = None if value is None else decode(WebSubSubscription, value, headers)
        except WireError as error:
            log.warning("skipping an unreadable WebSub subscription %r: %s", key, error)
            return
        self.apply(key.decode(), sub)


def callback_path(url: str) -> str:
    """The path the callback is served under: the setting's URL's path, without a final slash."""
    return urlsplit(url).path.rstrip("/")


@dataclass
class Callback:
    """The callback's pages and what they answer from."""

    settings: FetcherSettings
    subscriptions: Subscriptions
    publisher: Publisher
    context: StageContext
    follower: asyncio.Task[None] | None = None
    verify_wait_s: float = VERIFY_WAIT_S
    delivery_wait_s: float = DELIVERY_WAIT_S

    @property
    def app(self) -> Starlette:
        path = callback_path(self.settings.websub_callback_url)
        return Starlette(routes=[Route(path + "/{feed_id}", self._handle, methods=["GET", "POST"])])

    def raise_if_failed(self) -> None:
        """Raise the error that stopped the table's follower, if it stopped."""
        if self.follower is not None and self.follower.done() and not self.follower.cancelled():
            self.follower.result()

    async def _handle(self, request: Request) -> Response:
        feed_id = request.path_params["feed_id"]
        if not _FEED_ID.match(feed_id):
            return PlainTextResponse("no such feed\n", 404)
        if request.method == "GET":
            return await self._verify(request, feed_id)
        return await self._deliver(request, feed_id)

    async def _publish(self, event: WebSubEvent) -> bool:
        try:
            await self.publisher.publish([self.context.routing.record_for(event)])
        except TransportError as error:
            log.error("could not forward a WebSub %s for %s: %s", event.kind, event.feed_id, error)
            return False
        return True

    async def _verify(self, request: Request, feed_id: str) -> Response:
        query = request.query_params
        mode, topic = query.get("hub.mode"), query.get("hub.topic") or ""
        challenge = query.get("hub.challenge")
        now = datetime.now(UTC)
        if mode == "denied":
            sub = self.subscriptions.get(feed_id)
            if sub is None or sub.topic != topic:
                return PlainTextResponse("no such subscription\n", 404)
            event = WebSubEvent(
                feed_id=feed_id,
                kind="denied",
                topic=topic,
                received_at=now,
                reason=query.get("hub.reason"),
            )
            ok = await self._publish(event)
            return PlainTextResponse("noted\n" if ok else "try again\n", 200 if ok else 503)
        if mode not in ("subscribe", "unsubscribe") or not topic or not challenge:
            return PlainTextResponse("hub.mode, hub.topic and hub.challenge are required\n", 400)

        def asked(sub: WebSubSubscription | None) -> bool:
            return sub is not None and sub.topic == topic and sub.status in WANTED

        if mode == "unsubscribe":
            await self.subscriptions.wait_for(feed_id, lambda s: not asked(s), self.verify_wait_s)
            if not self.subscriptions.loaded.is_set():
                return PlainTextResponse("starting\n", 503)
            if asked(self.subscriptions.get(feed_id)):
                return PlainTextResponse("this subscription is wanted\n", 404)
            return PlainTextResponse(challenge)
        if await self.subscriptions.wait_for(feed_id, asked, self.verify_wait_s) is None:
            return PlainTextResponse("no such subscription was asked for\n", 404)
        lease = query.get("hub.lease_seconds", "")
        event = WebSubEvent(
            feed_id=feed_id,
            kind="verified",
            topic=topic,
            received_at=now,
            lease_s=int(lease) if lease.isascii() and lease.isdigit() and int(lease) > 0 else None,
        )
        if not await self._publish(event):
            return PlainTextResponse("try again\n", 503)
        return PlainTextResponse(challenge)

    async def _deliver(self, request: Request, feed_id: str) -> Response:
        sub = await self.subscriptions.wait_for(
            feed_id, lambda s: s is not None, self.delivery_wait_s
        )
        if not self.subscriptions.loaded.is_set():
            DELIVERIES.labels("unavailable").inc()
            return PlainTextResponse("starting\n", 503)
        if sub is None or sub.status == "ended":
            DELIVERIES.labels("gone").inc()
            return PlainTextResponse("no subscription\n", 410)
        if request.headers.get("content-encoding", "identity").strip().lower() != "identity":
            DELIVERIES.labels("encoded").inc()
            return PlainTextResponse("content codings are not accepted\n", 415)
        body = await _read_capped(request, self.settings.fetch_feed_max_bytes)
        if body is None:
            DELIVERIES.labels("too-large").inc()
            return PlainTextResponse("too large\n", 413)
        verdict = check(sub.secret, body, request.headers.get("x-hub-signature"))
        if verdict in ("unsigned", "malformed"):
            DELIVERIES.labels("unsigned").inc()
            log.warning("refused an unsigned WebSub delivery for %s", feed_id)
            return PlainTextResponse("a signed delivery (X-Hub-Signature) is required\n", 403)
        if verdict == "mismatch":
            DELIVERIES.labels("mismatch").inc()
            log.warning("ignored a WebSub delivery for %s: its signature does not match", feed_id)
            return PlainTextResponse("accepted\n", 202)
        event = WebSubEvent(
            feed_id=feed_id,
            kind="content",
            topic=sub.topic,
            received_at=datetime.now(UTC),
            body=body,
            content_type=request.headers.get("content-type"),
            link=request.headers.get("link"),
        )
        if not await self._publish(event):
            DELIVERIES.labels("unavailable").inc()
            return PlainTextResponse("try again\n", 503)
        DELIVERIES.labels("accepted").inc()
        return PlainTextResponse("accepted\n", 202)


async def _read_capped(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@asynccontextmanager
async def open_callback(
    settings: FetcherSettings, context: StageContext
) -> AsyncIterator[Callback]:
    """The callback, its table followed and its publisher open, until the block ends."""
    publisher = await context.transport.publisher(client_id=f"websub-{socket.gethostname()}")
    callback = Callback(settings, Subscriptions(), publisher, context)
    callback.follower = asyncio.create_task(callback.subscriptions.follow(context))
    try:
        yield callback
    finally:
        callback.follower.cancel()
        await asyncio.gather(callback.follower, return_exceptions=True)
        await publisher.close()
