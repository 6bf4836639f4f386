"""A WebSub publisher and hub on 127.0.0.1, written from the W3C WebSub recommendation, for tests.

`Publisher` serves one RSS feed (`/feed.xml`) that names the hub
(``<atom:link rel="hub">``) and itself (``rel="self"``), and an HTML page per
entry (`/a/<n>`). `Hub` is the hub side of the protocol:

- a subscription request (§5.1) is a form POST; the hub answers 202 Accepted
  at once and then verifies the intent (§5.3) from another thread: a GET to the
  callback with ``hub.mode``, ``hub.topic``, ``hub.challenge`` and
  ``hub.lease_seconds``; the subscription holds only when the callback echoes
  the challenge with a 2xx. The lease granted is `lease_s`, whatever was asked.
  An unsubscription (``hub.mode=unsubscribe``) is verified the same way, and
  the subscription ends only when the callback confirms it.
- `publish` delivers content (§7) to every verified subscriber of a topic: a
  POST of the body with ``X-Hub-Signature`` (§8, HMAC of the body with the
  subscriber's secret) and the ``Link`` headers naming hub and topic.
- `deliver` sends what a forger would: any body, any signature or none.

Both run on threaded stdlib servers (`tests.served`), so they answer while the
event loop under test is busy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode
from xml.sax.saxutils import escape

import httpx

from tests.served import ServedInThread


@dataclass
class Subscription:
    callback: str
    topic: str
    secret: str
    lease_s: int
    verified_at: float
    mode: str = "subscribe"
    """``unsubscribe`` for a verified unsubscription: the callback's subscription ended."""


@dataclass
class HubState:
    lease_s: int
    requests: list[dict[str, str]] = field(default_factory=list)
    """Every subscription request, in order, as its form fields."""
    verified: list[Subscription] = field(default_factory=list)
    """Every verification the callback passed, in order (renewals and unsubscriptions included)."""
    refused: list[tuple[str, int]] = field(default_factory=list)
    """Verifications the callback did not pass: the callback and the status it answered."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self, topic: str) -> list[Subscription]:
        """The latest verified subscription of each callback to `topic`, unless it unsubscribed."""
        with self.lock:
            latest = {sub.callback: sub for sub in self.verified if sub.topic == topic}
        return [sub for sub in latest.values() if sub.mode == "subscribe"]


def _verify(state: HubState, form: dict[str, str]) -> None:
    challenge = secrets.token_urlsafe(16)
    query = {
        "hub.mode": form["hub.mode"],
        "hub.topic": form["hub.topic"],
        "hub.challenge": challenge,
    }
    if form["hub.mode"] == "subscribe":
        query["hub.lease_seconds"] = str(state.lease_s)
    callback = form["hub.callback"]
    joiner = "&" if "?" in callback else "?"
    try:
        response = httpx.get(callback + joiner + urlencode(query), timeout=10)
    except httpx.HTTPError:
        with state.lock:
            state.refused.append((callback, 0))
        return
    with state.lock:
        if response.is_success and response.text == challenge:
            state.verified.append(
                Subscription(
                    callback=callback,
                    topic=form["hub.topic"],
                    secret=form.get("hub.secret", ""),
                    lease_s=state.lease_s,
                    verified_at=time.monotonic(),
                    mode=form["hub.mode"],
                )
            )
        else:
            state.refused.append((callback, response.status_code))


class _HubHandler(BaseHTTPRequestHandler):
    server: _HubServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        fields = parse_qs(self.rfile.read(length).decode())
        form = {name: values[0] for name, values in fields.items()}
        state = self.server.state
        with state.lock:
            state.requests.append(form)
        if form.get("hub.mode") not in ("subscribe", "unsubscribe") or not form.get("hub.callback"):
            self.send_response(400)
            self.end_headers()
            return
        self.send_response(202)
        self.send_header("content-length", "0")
        self.end_headers()
        threading.Thread(target=_verify, args=(state, form), daemon=True).start()


class _HubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: HubState) -> None:
        super().__init__(("127.0.0.1", 0), _HubHandler)
        self.state = state


class Hub(ServedInThread):
    """The hub: ``with Hub(lease_s=...) as hub:``; its URL is `url`."""

    def __init__(self, lease_s: int = 3600) -> None:
        self.state = HubState(lease_s=lease_s)
        super().__init__(_HubServer(self.state))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def publish(
        self, topic: str, body: bytes, content_type: str, method: str = "sha256"
    ) -> list[int]:
        """Deliver `body` to every verified subscriber of `topic`; their answers' status codes."""
        codes = []
        for sub in self.state.current(topic):
            signature = f"{method}={hmac.new(sub.secret.encode(), body, method).hexdigest()}"
            codes.append(self.deliver(sub.callback, topic, body, content_type, signature))
        return codes

    def deliver(
        self, callback: str, topic: str, body: bytes, content_type: str, signature: str | None
    ) -> int:
        """POST `body` to `callback` as a delivery signed `signature` (X-Hub-Signature), or not."""
        headers = {
            "content-type": content_type,
            "link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
        }
        if signature is not None:
            headers["x-hub-signature"] = signature
        return httpx.post(callback, content=body, headers=headers, timeout=10).status_code


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now, for a callback whose URL must be known first."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def signature(secret: str, body: bytes, method: str = "sha256") -> str:
    return f"{method}={hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()}"


# -- the publisher --------------------------------------------------------------------


@dataclass
class PublisherState:
    hub_url: str
    entries: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""


def feed_document(state: PublisherState, numbers: list[int]) -> bytes:
    """The RSS feed with the entries `numbers` (newest last), naming its hub and itself."""
    items = "".join(
        f"<item><guid>{state.base}/a/{n}</guid><title>Story {n}</title>"
        f"<link>{state.base}/a/{n}</link><description>Story {n} summary.</description></item>"
        for n in reversed(numbers)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        "<title>Pushed news</title>"
        f'<atom:link rel="hub" href="{escape(state.hub_url)}"/>'
        f'<atom:link rel="self" href="{state.base}/feed.xml"/>'
        f"{items}</channel></rss>"
    ).encode()


class _PublisherHandler(BaseHTTPRequestHandler):
    server: _PublisherServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server.state
        if self.path == "/feed.xml":
            with state.lock:
                body = feed_document(state, list(state.entries))
            kind = "application/rss+xml; charset=utf-8"
        elif self.path.startswith("/a/"):
            number = escape(self.path.removeprefix("/a/"))
            body = (
                f"<html><head><title>Story {number}</title></head><body><article>"
                f"<h1>Story {number}</h1><p>The text of story {number}.</p></article></body></html>"
            ).encode()
            kind = "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _PublisherServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: PublisherState) -> None:
        super().__init__(("127.0.0.1", 0), _PublisherHandler)
        self.state = state
        state.base = f"http://127.0.0.1:{self.server_port}"


class Publisher(ServedInThread):
    """A site whose feed names `hub_url` as its hub."""

    def __init__(self, hub_url: str) -> None:
        self.state = PublisherState(hub_url=hub_url)
        super().__init__(_PublisherServer(self.state))

    @property
    def feed_url(self) -> str:
        return f"{self.state.base}/feed.xml"

    def page_url(self, number: int) -> str:
        return f"{self.state.base}/a/{number}"

    def add(self, number: int) -> bytes:
        """Publish entry `number`; returns the feed document a hub would deliver (that entry)."""
        with self.state.lock:
            self.state.entries.append(number)
        return feed_document(self.state, [number])
