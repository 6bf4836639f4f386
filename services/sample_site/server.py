"""Serving the sample site on 127.0.0.1, with the validators real news sites send.

Feeds answer conditional requests (ETag, Last-Modified, 304), so a poller's
politeness can be seen working. Which articles are published can be changed
while the site runs (`publish`), for demos and benchmarks where news appears
over time.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import zlib
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from services.sample_site.catalog import SampleArticle, load_catalog
from services.sample_site.render import article_page, article_url, atom_feed, rss_feed

log = logging.getLogger(__name__)

RSS_TYPE = "application/rss+xml; charset=utf-8"


class SampleSite:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        articles: list[SampleArticle] | None = None,
        feeds: int = 1,
    ) -> None:
        self._catalog = articles if articles is not None else load_catalog()
        self._pages = {f"/{a.section}/{a.slug}.html": a for a in self._catalog}
        self._published = list(self._catalog)
        self._feeds = feeds
        """With more than one, articles are spread over RSS feeds `/feeds/<n>.xml`.

        Those feeds carry no `<ttl>`, so a poller may come as often as its own
        floor allows: they serve benchmarks where news appears second by second.
        """
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("sample site: " + format, *args)

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def feed_urls(self) -> list[str]:
        if self._feeds > 1:
            return [f"{self.base_url}/feeds/{n}.xml" for n in range(self._feeds)]
        return [f"{self.base_url}/rss.xml", f"{self.base_url}/atom.xml"]

    def feed_of(self, article: SampleArticle) -> int:
        """Which of the `/feeds/<n>.xml` feeds lists `article`."""
        return zlib.crc32(article.slug.encode()) % self._feeds

    @property
    def articles(self) -> list[SampleArticle]:
        """The articles the feeds list now."""
        with self._lock:
            return list(self._published)

    def url_of(self, article: SampleArticle) -> str:
        return article_url(self.base_url, article)

    def publish(self, articles: list[SampleArticle]) -> None:
        """Make exactly `articles` appear in the feeds (pages stay reachable)."""
        with self._lock:
            self._published = sorted(articles, key=lambda a: a.published, reverse=True)

    def start(self) -> SampleSite:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sample-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?")[0]
        # Links name the site as the client reached it: behind a container's service
        # name or a port mapping, the address it listens on would be wrong.
        host = request.headers.get("Host")
        base_url = f"http://{host}" if host else self.base_url
        with self._lock:
            published = list(self._published)
        if path.startswith("/feeds/") and path.endswith(".xml"):
            number = path.removeprefix("/feeds/").removesuffix(".xml")
            if number.isdigit() and int(number) < self._feeds:
                listed = [a for a in published if self.feed_of(a) == int(number)]
                self._send(request, rss_feed(listed, base_url, ttl_minutes=None), RSS_TYPE, None)
                return
        if path in ("/rss.xml", "/atom.xml"):
            body = (rss_feed if path == "/rss.xml" else atom_feed)(published, base_url)
            kind = "application/rss+xml" if path == "/rss.xml" else "application/atom+xml"
            newest = max((a.published for a in published), default=None)
            modified = format_datetime(newest, usegmt=True) if newest else None
            self._send(request, body, f"{kind}; charset=utf-8", modified)
            return
        article = self._pages.get(path)
        if article is not None:
            page = article_page(article, base_url).encode("utf-8")
            self._send(request, page, "text/html; charset=utf-8", None)
            return
        request.send_error(HTTPStatus.NOT_FOUND)

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler, body: bytes, content_type: str, modified: str | None
    ) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            request.send_response(HTTPStatus.NOT_MODIFIED)
            request.send_header("ETag", etag)
            request.end_headers()
            return
        request.send_response(HTTPStatus.OK)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.send_header("ETag", etag)
        if modified:
            request.send_header("Last-Modified", modified)
        request.end_headers()
        request.wfile.write(body)
