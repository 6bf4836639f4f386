"""The guards of the HTTP client that the misbehaving site alone cannot show.

- Compression bombs in every encoding the fetcher advertises (gzip, zlib
  deflate, raw deflate), with the memory the fetch took measured, so "cut at
  the cap" means the bomb was never expanded, not merely refused afterwards.
- Proxies from the standard environment variables (HTTP_PROXY, HTTPS_PROXY,
  NO_PROXY), seen from a recording proxy on 127.0.0.1, and the address guard
  still applying to requests that go through one.
- A feed that redirects to a private address where a server really listens:
  refused, and that server never sees a connection.
- A slow site behind the fetcher's own politeness queue: the total deadline
  is the server's time, not the time spent waiting for a slot.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import gzip
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import pytest

from schemas.feeds import FeedSubscription
from schemas.ids import feed_id
from schemas.vocabulary import FeedStatus
from services.fetcher.http import Fetcher
from services.fetcher.politeness import Politeness
from services.fetcher.poll import initial_state, poll_feed
from tests.fetcher_site import FetcherSite, Item, rss
from tests.unit.fetcher.conftest import TEST_SETTINGS

pytestmark = pytest.mark.asyncio

CAP = 1024 * 1024
DECODED = 64 * 1024 * 1024
PROXIED_FEED = rss([Item("p-1", "Through the proxy", "http://127.0.0.1:9/page/1")])
METADATA = "http://169.254.169.254/latest/meta-data/"
T0 = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)

S = TypeVar("S", bound=ThreadingHTTPServer)


@functools.cache
def compressed(encoding: str, size: int = DECODED) -> bytes:
    """`size` zero bytes in `encoding`: about a thousand to one, a bomb at 64 MiB."""
    zeros = b"\0" * size
    if encoding == "gzip":
        return gzip.compress(zeros, compresslevel=6)
    wbits = zlib.MAX_WBITS if encoding == "deflate" else -zlib.MAX_WBITS  # raw deflate
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return packer.compress(zeros) + packer.flush()


class _Recorder(ThreadingHTTPServer):
    """A server that notes every connection made to it and every request line."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), handler)
        self.connections = 0
        self.request_lines: list[str] = []
        self.lock = threading.Lock()

    def verify_request(self, request: Any, client_address: Any) -> bool:
        with self.lock:
            self.connections += 1
        return True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up on a bomb is what it should do

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def note(self, line: str) -> None:
        with self.lock:
            self.request_lines.append(line)


@contextmanager
def serving(server: S) -> Iterator[S]:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Handler(BaseHTTPRequestHandler):
    server: _Recorder
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send(self, code: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(code)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if body:
            self.wfile.write(body)


class _BombHandler(_Handler):
    """`/<encoding>/<size>`: `size` zeros in that Content-Encoding."""

    def do_GET(self) -> None:
        _, encoding, size = self.path.split("/")
        body = compressed(encoding, int(size))
        self.send(
            200,
            body,
            Content_Type="application/rss+xml",
            Content_Encoding="deflate" if encoding == "raw-deflate" else encoding,
        )


class _ProxyHandler(_Handler):
    """A forward proxy that answers by itself: a feed, or a redirect when the path says so."""

    def do_GET(self) -> None:
        self.server.note(self.requestline)
        if self.path.endswith("/redirect"):
            self.send(302, Location=METADATA)
        else:
            self.send(200, PROXIED_FEED, Content_Type="application/rss+xml", Via="1.1 recorder")

    def do_CONNECT(self) -> None:
        self.server.note(self.requestline)
        self.send(403)  # no tunnels here: that the request came is what the test needs


class _PrivateHandler(_Handler):
    def do_GET(self) -> None:
        self.server.note(self.requestline)
        self.send(200, PROXIED_FEED, Content_Type="application/rss+xml")


@pytest.fixture
def bombs() -> Iterator[_Recorder]:
    with serving(_Recorder(_BombHandler)) as server:
        yield server


@pytest.fixture
def proxy() -> Iterator[_Recorder]:
    with serving(_Recorder(_ProxyHandler)) as server:
        yield server


# Compression bombs.


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_compression_bomb_is_cut_at_the_cap_without_being_expanded(
    bombs: _Recorder, encoding: str
) -> None:
    wire = compressed(encoding, DECODED)  # made now, not while memory is traced
    assert len(wire) < CAP < DECODED  # small on the wire, 64 times the cap decoded
    async with Fetcher(TEST_SETTINGS) as client:
        tracemalloc.start()
        try:
            result = await client.fetch(bombs.url(f"/{encoding}/{DECODED}"), max_bytes=CAP)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.status is FeedStatus.TOO_LARGE, result.error
    assert result.error is not None
    assert "after decoding" in result.error
    assert result.body is None
    assert peak < 8 * CAP, f"the fetch held {peak} bytes at its peak: the bomb was expanded"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_compressed_body_within_the_cap_is_decoded_exactly(
    bombs: _Recorder, encoding: str
) -> None:
    async with Fetcher(TEST_SETTINGS) as client:
        result = await client.fetch(bombs.url(f"/{encoding}/{CAP}"), max_bytes=CAP)
    assert result.status is FeedStatus.OK, result.error
    assert result.body == b"\0" * CAP


@pytest.mark.parametrize("encoding", ["br", "gzip, gzip"])
async def test_encodings_that_cannot_be_bounded_are_refused(encoding: str) -> None:
    class Handler(_Handler):
        def do_GET(self) -> None:
            self.send(200, b"\x1f\x8b whatever", Content_Encoding=encoding)

    with serving(_Recorder(Handler)) as server:
        async with Fetcher(TEST_SETTINGS) as client:
            result = await client.fetch(server.url("/feed"))
    assert result.status is FeedStatus.HTTP
    assert result.error == f"unsupported content-encoding {encoding}"
    assert result.body is None


# Proxies from the environment.

TRUSTED_PROXY = dataclasses.replace(TEST_SETTINGS, fetch_trust_proxy=True)


async def test_http_proxy_from_the_environment_is_used(
    proxy: _Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
    target = "http://127.0.0.1:9/feed.xml"  # nothing listens there: only the proxy can answer
    async with Fetcher(TRUSTED_PROXY) as client:
        result = await client.fetch(target)
    assert result.status is FeedStatus.OK, result.error
    assert result.body == PROXIED_FEED
    assert result.headers["via"] == "1.1 recorder"
    assert proxy.request_lines == [f"GET {target} HTTP/1.1"]


async def test_https_proxy_from_the_environment_is_asked_for_a_tunnel(
    proxy: _Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url(""))
    async with Fetcher(TRUSTED_PROXY) as client:
        result = await client.fetch("https://127.0.0.1:9/feed.xml")
    assert proxy.request_lines == ["CONNECT 127.0.0.1:9 HTTP/1.1"]
    assert result.status is FeedStatus.CONNECT  # the proxy refused the tunnel
    assert result.error is not None
    assert "403" in result.error


async def test_no_proxy_goes_direct(
    proxy: _Recorder, site: FetcherSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with Fetcher(TEST_SETTINGS) as client:
        result = await client.fetch(site.url("/feed/validators"))
    assert result.status is FeedStatus.OK, result.error
    assert site.state.hits("/feed/validators") == 1
    assert proxy.connections == 0


async def test_the_address_guard_applies_through_a_proxy(
    proxy: _Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy would reach anything; the guard decides before the proxy is asked."""
    monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
    async with Fetcher(TRUSTED_PROXY) as client:
        private = await client.fetch("http://10.0.0.1/feed.xml")
        assert private.status is FeedStatus.BLOCKED
        assert proxy.connections == 0
        redirected = await client.fetch("http://127.0.0.1:9/redirect")
    assert redirected.status is FeedStatus.BLOCKED, redirected.error
    assert redirected.error is not None
    assert "metadata" in redirected.error
    assert redirected.final_url == METADATA
    assert proxy.request_lines == ["GET http://127.0.0.1:9/redirect HTTP/1.1"]


# Redirects to private addresses.


async def test_feed_redirecting_to_a_private_server_is_refused_before_connecting(
    site: FetcherSite,
) -> None:
    """127.0.0.2 is loopback too, but only 127.0.0.1 is allowed: its server is never reached."""
    with serving(_Recorder(_PrivateHandler, host="127.0.0.2")) as private:
        url = site.url(f"/redirect-to/302?u={private.url('/feed.xml')}")
        subscription = FeedSubscription(feed_id=feed_id(url), url=url, added_at=T0)
        async with Fetcher(TEST_SETTINGS) as client:
            result = await poll_feed(
                subscription, initial_state(subscription, T0), client=client, now=T0
            )
        assert private.connections == 0
    assert result.state.status is FeedStatus.BLOCKED, result.state.error
    assert result.state.error is not None
    assert "loopback address 127.0.0.2" in result.state.error
    assert result.entries == ()
    assert result.state.consecutive_failures == 1
    assert result.state.url == url  # a refused redirect never moves the feed


# The fetcher's own queue.


async def test_waiting_for_a_politeness_slot_does_not_use_up_the_deadline() -> None:
    """One request at a time; each answer takes 0.6 s, and the deadline is 1.5 s.

    Three fetches started together wait 0, 0.6 and 1.2 s for their turn. Had the
    wait counted, the third would time out without its request being slow.
    """

    class Slow(_Handler):
        def do_GET(self) -> None:
            time.sleep(0.6)
            self.send(200, PROXIED_FEED, Content_Type="application/rss+xml")

    settings = dataclasses.replace(TEST_SETTINGS, fetch_total_timeout_s=1.5)
    politeness = Politeness(concurrency=1, host_concurrency=1, host_interval_s=0.0)
    with serving(_Recorder(Slow)) as server:
        async with Fetcher(settings, politeness=politeness) as client:
            results = await asyncio.gather(
                *(client.fetch(server.url(f"/feed/{n}")) for n in range(3))
            )
    assert [r.status for r in results] == [FeedStatus.OK] * 3, [r.error for r in results]
