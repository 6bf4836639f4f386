"""A misbehaving web site on 127.0.0.1 for the fetcher's tests.

Every way a real server can hurt or confuse a feed poller, one path each:

| path | behaviour |
|---|---|
| `/feed/validators` | ETag + Last-Modified that change with the content; 304 when they match |
| `/feed/lying` | the same ETag and Last-Modified forever, always 200, while the body changes |
| `/feed/ttl` | an RSS feed with `<ttl>` and `Cache-Control: max-age` |
| `/r/<code>/<path>` | answers `<code>` with `Location: /<path>` (chains compose) |
| `/redirect-to/<code>?u=<url>` | answers `<code>` with `Location: <url>` (anywhere, private too) |
| `/loop/a`, `/loop/b` | redirect to each other |
| `/status/<code>?retry_after=<value>` | that status, with that Retry-After |
| `/drip` | headers at once, then a byte at a time, slowly, forever |
| `/hang` | accepts the request and never answers |
| `/huge` | an endless body without Content-Length |
| `/huge-declared` | Content-Length of 10 GB |
| `/bomb?type=<type>` | a gzip bomb: 64 KiB on the wire, 64 MiB decoded |
| `/billion-laughs`, `/xxe` | hostile XML feeds |
| `/bozo` | a malformed feed that still yields entries |
| `/not-a-feed` | HTML where a feed was expected |
| `/page/<name>`, `/private/<name>` | HTML article pages; robots.txt disallows `/private/` |
| `/doc.pdf` | a page that is not HTML |
| `/headers` | the request headers back, as JSON |

The server runs in a thread (stdlib `http.server`), so it keeps answering while
the event loop under test is busy. `close()` stops every slow handler at once.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.served import ServedInThread

FIXED_LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
BOMB_DECODED_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Item:
    guid: str | None
    title: str
    link: str | None = None
    summary: str = "A summary."


def rss(
    items: Iterable[Item], *, title: str = "Test feed", ttl_minutes: int | None = None
) -> bytes:
    """An RSS 2.0 document, newest item first as feeds usually list them."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>",
        "<description>test</description>",
    ]
    if ttl_minutes is not None:
        parts.append(f"<ttl>{ttl_minutes}</ttl>")
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.link is not None:
            parts.append(f"<link>{escape(item.link)}</link>")
        parts.append(f"<description>{escape(item.summary)}</description>")
        parts.append("<pubDate>Tue, 28 Oct 2025 22:05:00 +0900</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>laughs</title>
<item><title>&lol9;</title><guid>laugh-1</guid><description>&lol9;</description></item>
</channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>xxe</title>
<item><title>secret: &xxe;</title><guid>xxe-1</guid></item>
</channel></rss>"""

BOZO = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bozo feed</title>
<item><title>First &nbsp; broken</title><guid>bozo-1</guid><link>http://example.invalid/1</link></item>
<item><title>Second <b>unclosed</title><guid>bozo-2</guid></item>
</channel>"""

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def html_page(title: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"</head><body><article><h1>{escape(title)}</h1><p>Body text.</p></article>"
        "</body></html>"
    ).encode()


@dataclass
class SiteState:
    """What the tests change between polls, and what the site saw."""

    items: list[Item] = field(default_factory=lambda: [Item("a-1", "First", "/page/1")])
    version: int = 1
    ttl_minutes: int = 90
    max_age_s: int = 7200
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, item: Item) -> None:
        """Add an item at the top of every feed and change the validators."""
        with self.lock:
            self.items.insert(0, item)
            self.version += 1

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for seen, _ in self.requests if seen == path)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection; bodies end at close

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        # The client hanging up is what it should do on a hostile answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            self._route()

    # Helpers.

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", **(headers or {})}
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _absolute(self, items: list[Item]) -> list[Item]:
        base = f"http://127.0.0.1:{self.server.server_port}"
        return [
            Item(i.guid, i.title, base + i.link if i.link and i.link.startswith("/") else i.link)
            for i in items
        ]

    def _route(self) -> None:
        site = self.server.site
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with site.lock:
            site.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            items, version = list(site.items), site.version
        stop = self.server.stopping
        segments = path.strip("/").split("/")

        if path == "/feed/validators":
            etag = f'"v{version}"'
            modified = time.strftime(
                "%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1_700_000_000 + version)
            )
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={"ETag": etag, "Last-Modified": modified})
                return
            body = rss(self._absolute(items))
            self._send(200, body, {"ETag": etag, "Last-Modified": modified})
        elif path == "/feed/lying":
            # Ignores conditional requests and never changes its validators.
            body = rss(self._absolute(items))
            self._send(200, body, {"ETag": '"forever"', "Last-Modified": FIXED_LAST_MODIFIED})
        elif path == "/feed/ttl":
            body = rss(self._absolute(items), ttl_minutes=site.ttl_minutes)
            self._send(200, body, {"Cache-Control": f"public, max-age={site.max_age_s}"})
        elif segments[0] == "r" and len(segments) >= 3:
            self._send(int(segments[1]), headers={"Location": "/" + "/".join(segments[2:])})
        elif segments[0] == "redirect-to" and len(segments) == 2:
            self._send(int(segments[1]), headers={"Location": query["u"][0]})
        elif path == "/loop/a":
            self._send(301, headers={"Location": "/loop/b"})
        elif path == "/loop/b":
            self._send(302, headers={"Location": "/loop/a"})
        elif segments[0] == "status" and len(segments) == 2:
            headers = {}
            if "retry_after" in query:
                headers["Retry-After"] = query["retry_after"][0]
            self._send(int(segments[1]), b"nope", headers)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            while not stop.wait(0.2):
                self.wfile.write(b" ")
                self.wfile.flush()
        elif path == "/hang":
            stop.wait(60)
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            chunk = b"<!-- padding -->" * 4096
            for _ in range(4096):  # bounded at 256 MiB should the client not stop
                if stop.is_set():
                    break
                self.wfile.write(chunk)
        elif path == "/huge-declared":
            self._send(200, b"", {"Content-Length": str(10 * 1024**3)})
            self.wfile.write(b"<rss>")
        elif path == "/bomb":
            kind = query.get("type", ["application/rss+xml"])[0]
            self._send(200, self.server.bomb, {"Content-Encoding": "gzip", "Content-Type": kind})
        elif path == "/billion-laughs":
            self._send(200, BILLION_LAUGHS)
        elif path == "/xxe":
            self._send(200, XXE)
        elif path == "/bozo":
            self._send(200, BOZO)
        elif path == "/not-a-feed":
            self._send(200, html_page("Just a page"), {"Content-Type": "text/html"})
        elif segments[0] in ("page", "private") and len(segments) == 2:
            body = html_page(f"Article {segments[1]}")
            self._send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/doc.pdf":
            self._send(200, b"%PDF-1.4 not html", {"Content-Type": "application/pdf"})
        elif path == "/robots.txt":
            self._send(200, ROBOTS, {"Content-Type": "text/plain"})
        elif path == "/headers":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
            self._send(200, body, {"Content-Type": "application/json"})
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})


@functools.cache
def gzip_bomb() -> bytes:
    """Zeros compress about a thousand to one: tiny on the wire, huge once decoded."""
    return gzip.compress(b"\0" * BOMB_DECODED_BYTES, compresslevel=6)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True

    def __init__(self, site: SiteState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.stopping = threading.Event()
        self.bomb = gzip_bomb()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up on a hostile answer is expected here


class FetcherSite(ServedInThread):
    """``with FetcherSite() as site: site.url("/feed/validators")``."""

    def __init__(self) -> None:
        self.state = SiteState()
        self._site_server = _Server(self.state)
        super().__init__(self._site_server)

    @property
    def bomb(self) -> bytes:
        """What `/bomb` sends: small on the wire, `BOMB_DECODED_BYTES` decoded."""
        return self._site_server.bomb

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _unblock(self) -> None:
        self._site_server.stopping.set()
