"""Feeds and pages on loopback that attack the fetcher's bounds, and ordinary web oddities.

| path | behaviour |
|---|---|
| `/many?n=<n>&mib=<m>&tag=<t>` | an RSS feed of `n` items, each linking to a page of `m` MiB |
| `/big/<name>?mib=<m>` | an HTML page of `m` MiB |
| `/padded-entity` | an entity declaration after a 70 KB leading comment, expanded to megabytes |
| `/utf16-entity` | an entity declaration in a UTF-16 feed |
| `/json-feed` | a JSON Feed 1.1 with relative item URLs and a 1.0-style author |
| `/content-location` | `Content-Location: /feed/x` and relative item links |
| `/atom-relative?base=<url>` | Atom entries with relative ids; `Content-Location: <url>` if given |
| `/slow/<name>?s=<seconds>` | a page answered after `s` seconds on any Host (a wildcard site) |
| `/wildcard?n=<n>&s=<seconds>&domain=<d>` | `n` slow pages, each on a subdomain of `d` |
| `/crashing?tag=<t>` | innocent pages, one server crash mid-body, one page labelled `hex` |
| `/abort/<name>` | a page whose server dies after a tenth of the body it announced |
| `/hex-charset/<name>` | a page that declares `<meta charset="hex">` |
| `/admin/delete` | an "internal" endpoint that counts its hits |
| `/page/<name>` | an ordinary HTML page |
"""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fetcher_site import Item, html_page, rss
from tests.served import ServedInThread

MIB = 1024 * 1024


@functools.cache
def big_page(mib: int) -> bytes:
    """An HTML page of `mib` MiB: an article, then paragraphs of filler."""
    head = html_page("A large page")[: -len("</body></html>")]
    filler = b"<p>" + b"Filler text of a very long page. " * 30 + b"</p>\n"
    count = max(mib * MIB - len(head), 0) // len(filler) + 1
    return head + filler * count + b"</body></html>"


def padded_entity_feed(padding_bytes: int = 70_000, repeats: int = 10_000) -> bytes:
    """A comment longer than any fixed window, then entities that expand a hundredfold each."""
    expansion = "&a;" * 100
    return (
        '<?xml version="1.0"?>\n<!-- '
        + "x" * padding_bytes
        + ' -->\n<!DOCTYPE rss [<!ENTITY a "'
        + "A" * 100
        + f'"><!ENTITY b "{expansion}">]>\n'
        + '<rss version="2.0"><channel><title>padded</title>'
        + "<item><guid>p-1</guid><title>t</title><description>"
        + "&b;" * repeats
        + "</description></item></channel></rss>"
    ).encode()


UTF16_ENTITY = (
    '<?xml version="1.0" encoding="utf-16"?>\n'
    '<!DOCTYPE rss [<!ENTITY e "expanded">]>\n'
    '<rss version="2.0"><channel><title>u</title>'
    "<item><guid>u-1</guid><title>&e;</title></item></channel></rss>"
).encode("utf-16")

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON news",
        "author": {"name": "Desk"},
        "items": [
            {
                "id": "j-2",
                "url": "/news/2",
                "title": "Second",
                "content_html": "<p>Second story.</p>",
                "date_published": "2025-10-28T12:05:00Z",
                "tags": ["world"],
            },
            {
                "id": 1,
                "url": "https://example.invalid/news/1",
                "title": "First",
                "content_text": "First story.",
                "date_published": "2025-10-28T12:00:00+09:00",
                "authors": [{"name": "Reporter"}],
            },
        ],
    }
).encode()

ATOM_RELATIVE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Relative</title><id>/feed</id>
<updated>2025-10-28T12:00:00Z</updated>
<entry><id>/entries/1</id><title>One</title><link href="/posts/1"/>
<updated>2025-10-28T12:00:00Z</updated></entry>
<entry><id>/entries/2</id><title>Two</title><link href="/posts/2"/>
<updated>2025-10-28T11:00:00Z</updated></entry>
</feed>"""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            self._route()

    def _send(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with self.server.lock:
            self.server.hits[path] = self.server.hits.get(path, 0) + 1
        segments = path.strip("/").split("/")
        base = f"http://{self.server.address}:{self.server.server_port}"
        rss_type = "application/rss+xml; charset=utf-8"
        if path == "/many":
            count, mib = int(query["n"][0]), int(query.get("mib", ["1"])[0])
            tag = query.get("tag", ["m"])[0]
            items = [
                Item(f"{tag}-{i}", f"Story {i}", f"{base}/big/{tag}-{i}?mib={mib}")
                for i in range(count)
            ]
            self._send(rss(items), rss_type)
        elif segments[0] == "big" and len(segments) == 2:
            self._send(big_page(int(query.get("mib", ["1"])[0])), "text/html; charset=utf-8")
        elif path == "/padded-entity":
            self._send(padded_entity_feed(), rss_type)
        elif path == "/utf16-entity":
            self._send(UTF16_ENTITY, "application/rss+xml")
        elif path == "/json-feed":
            self._send(JSON_FEED, "application/feed+json")
        elif path == "/content-location":
            body = rss([Item("c-1", "Relative", "/2024/01/post.html")])
            self._send(body, rss_type, {"Content-Location": "/feed/x"})
        elif path == "/atom-relative":
            headers = {"Content-Location": query["base"][0]} if "base" in query else {}
            self._send(ATOM_RELATIVE, "application/atom+xml", headers)
        elif path == "/wildcard":
            count, delay = int(query["n"][0]), query.get("s", ["1"])[0]
            domain, port = query["domain"][0], self.server.server_port
            items = [
                Item(f"w-{i}", f"Slow {i}", f"http://s{i}.{domain}:{port}/slow/{i}?s={delay}")
                for i in range(count)
            ]
            self._send(rss(items), rss_type)
        elif path == "/crashing":
            tag = query.get("tag", ["c"])[0]
            links = [f"/page/{tag}-{i}" for i in range(4)]
            links[1:1] = [f"/abort/{tag}-crash", f"/hex-charset/{tag}-hex"]
            items = [Item(link, f"Story {link}", base + link) for link in links]
            self._send(rss(items), rss_type)
        elif segments[0] == "abort" and len(segments) == 2:
            body = html_page(f"Crashing {segments[1]}")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) * 10))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)  # the server process died mid-body
        elif segments[0] == "hex-charset" and len(segments) == 2:
            page = html_page(f"Mislabelled {segments[1]}").replace(b"'utf-8'", b"'hex'")
            self._send(page, "text/html")
        elif segments[0] == "slow" and len(segments) == 2:
            self.server.slowly(float(query.get("s", ["1"])[0]))
            self._send(html_page(f"Slow {segments[1]}"), "text/html; charset=utf-8")
        elif segments[0] == "page" and len(segments) == 2:
            self._send(html_page(f"Article {segments[1]}"), "text/html; charset=utf-8")
        else:  # /admin/delete among others: counted, and answered
            self._send(b"done", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str) -> None:
        super().__init__((address, 0), _Handler)
        self.address = address
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.in_flight = 0
        self.in_flight_peak = 0
        self.released = threading.Event()

    def slowly(self, seconds: float) -> None:
        with self.lock:
            self.in_flight += 1
            self.in_flight_peak = max(self.in_flight_peak, self.in_flight)
        try:
            self.released.wait(seconds)
        finally:
            with self.lock:
                self.in_flight -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class HostileSite(ServedInThread):
    """``with HostileSite() as site: site.url("/many?n=120&mib=4")``.

    `address` is any loopback address (127.0.0.2 ...), so that two sites can
    stand for two servers when a test resolves names to them.
    """

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.address = address
        self._hostile = _Server(address)
        super().__init__(self._hostile)

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.address}:{self.port}{path}"

    @property
    def in_flight_peak(self) -> int:
        """The most slow pages answered at once."""
        with self._hostile.lock:
            return self._hostile.in_flight_peak

    def _unblock(self) -> None:
        self._hostile.released.set()

    def hits(self, path: str) -> int:
        with self._hostile.lock:
            return self._hostile.hits.get(path, 0)


def resolve_test_names(address: str) -> None:
    """Make every name under ``.test`` resolve to `address` in this process.

    The fetcher resolves through the operating system (`guard.system_resolver`
    calls `socket.getaddrinfo`); replacing that one function is how a fetcher
    *process* is shown a wildcard site, as the unit tests do with the policy's
    resolver. Every other name resolves as before.
    """
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.rstrip(".").endswith(".test"):
            host = address
        return real(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


if __name__ == "__main__":
    # python -m tests.hostile_site run fetcher: launchwatch, with *.test resolved to
    # $HOSTILE_NAMES_ADDRESS (default 127.0.0.2).
    import os
    import sys

    from services.cli import main

    resolve_test_names(os.environ.get("HOSTILE_NAMES_ADDRESS", "127.0.0.2"))
    sys.exit(main(sys.argv[1:]))
