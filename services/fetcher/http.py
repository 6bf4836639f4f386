"""One HTTP GET, done so that no server can hurt the fetcher or be hurt by it.

`Fetcher.fetch` never raises for anything a server or the network can do: it
returns a `FetchResult` whose `status` is the feed vocabulary
(`schemas.FeedStatus`: ok, dns, connect, tls, timeout, http, too-large,
parse, blocked), so a caller records what happened and moves on.

What it guarantees:

- Only addresses the `NetworkPolicy` permits are contacted, checked on the
  initial URL and on every redirect hop *before* connecting. The connection
  itself is dialled by `dialer.CheckedBackend`, which resolves once, checks
  every address and connects to a checked IP, so a DNS answer that changes
  between check and connect (rebinding) never reaches a private address and
  no request is sent to one. The peer of the response is checked again, as
  defence in depth.
- Proxies: the decision is httpx's own (its mounts from HTTP_PROXY,
  HTTPS_PROXY, ALL_PROXY and NO_PROXY). A request a proxy would carry is
  refused (status `blocked`) unless ``LAUNCHWATCH_FETCH_TRUST_PROXY`` is set;
  behind a trusted proxy the name check still refuses private targets, and
  the proxy's own resolver is trusted.
- Redirects are followed by hand, up to a limit, with loop detection, and
  reported hop by hop (permanent 301/308 versus temporary), because the
  fetcher moves a feed's stored URL only after permanent redirects.
- Every hop waits for a politeness slot of its site (registrable domain) and
  of the address it resolved to (see `services.fetcher.politeness`).
- Connect and read timeouts, plus a total deadline over all hops. Time spent
  waiting for a politeness slot does not count against it: that queue is the
  fetcher's own, not the server's slowness.
- The body is capped *after* content decoding, with a bounded decompressor:
  the raw stream is inflated at most up to the cap, so a gzip or deflate bomb
  is cut at the cap instead of being expanded in memory. Only encodings that
  can be bounded this way are advertised (gzip, deflate).
- Conditional GET with If-None-Match / If-Modified-Since; a 304 is success.
- `Retry-After` (seconds or an HTTP date) is parsed and capped.
- Pages can be restricted to HTML by content type, without reading the body
  of anything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import ssl
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx
from httpx._utils import get_environment_proxies

from schemas.vocabulary import FeedStatus
from services.fetcher.dialer import CheckedTransport
from services.fetcher.guard import Blocked, NetworkPolicy, ResolutionFailed
from services.fetcher.politeness import Politeness
from services.fetcher.settings import FetcherSettings
from services.retry_after import retry_after_s

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECT_CODES = frozenset({301, 308})
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Redirect:
    """One hop: `status` sent the client from `source` to `target`."""

    status: int
    source: str
    target: str

    @property
    def permanent(self) -> bool:
        return self.status in PERMANENT_REDIRECT_CODES


@dataclass(frozen=True)
class FetchResult:
    """What one GET came to. `status` is `ok` for a 2xx with a body within the cap, or a 304."""

    url: str
    final_url: str
    status: FeedStatus
    http_status: int | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes | None = None
    redirects: tuple[Redirect, ...] = ()
    error: str | None = None
    retry_after_s: float | None = None
    """The server's Retry-After, in seconds from now, capped; None when absent or unreadable."""

    @property
    def ok(self) -> bool:
        return self.status is FeedStatus.OK

    @property
    def not_modified(self) -> bool:
        return self.http_status == 304

    @property
    def content_type(self) -> str | None:
        value = self.headers.get("content-type")
        return str(value) if value is not None else None

    def permanent_target(self) -> str | None:
        """Where the leading run of permanent redirects led, or None if the first hop was not one.

        A temporary hop ends the run: what lies behind it may change, so only the
        permanent part says where the resource now lives.
        """
        target: str | None = None
        for hop in self.redirects:
            if not hop.permanent:
                break
            target = hop.target
        return target


def proxy_mounts() -> dict[str, httpx.AsyncBaseTransport | None]:
    """The proxies HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY ask for, as httpx reads them."""
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    for pattern, proxy in get_environment_proxies().items():
        try:
            mounts[pattern] = None if proxy is None else httpx.AsyncHTTPTransport(proxy=proxy)
        except (ImportError, ValueError):
            continue  # a proxy httpx cannot use (socks without socksio): left out
    return mounts


def parse_retry_after(value: str | None, now: datetime, cap_s: float) -> float | None:
    """Seconds to wait from `now` for a Retry-After, at most `cap_s`; None when there is none."""
    seconds = retry_after_s(value, now)
    return None if seconds is None else min(seconds, cap_s)


def media_type(content_type: str | None) -> str | None:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


class _BodyTooLarge(Exception):
    pass


class _UnsupportedEncoding(Exception):
    pass


class _BoundedDecoder:
    """Undo a Content-Encoding without ever producing more than the caller has room for.

    zlib's `max_length` stops inflation at the limit, so a compression bomb costs
    at most the cap in memory, whatever its ratio.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._first = True
        self._zlib: zlib._Decompress | None
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise _UnsupportedEncoding(encoding)

    def decode(self, data: bytes, room: int) -> bytes:
        """Decoded bytes for `data`; more than `room` of them means the body is over the cap."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error:
            if not (self._first and self.encoding == "deflate"):
                raise
            # Many servers send raw deflate without the zlib wrapper the RFC asks for.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, room + 1)
        self._first = False
        return out

    def flush(self, room: int) -> bytes:
        if self._zlib is None:
            return b""
        return self._zlib.flush(room + 1)


def _error_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def classify(error: Exception) -> tuple[FeedStatus, str]:
    """The feed status and a short reason for an exception raised while sending a request."""
    text = str(error) or type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connect",
            httpx.ReadTimeout: "read",
            httpx.WriteTimeout: "write",
            httpx.PoolTimeout: "pool",
        }.get(type(error), "request")
        return FeedStatus.TIMEOUT, f"{phase} timeout"
    chain = _error_chain(error)
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain) or any(
        marker in text.upper() for marker in ("SSL", "CERTIFICATE", "TLS")
    ):
        return FeedStatus.TLS, f"TLS: {text}"
    if any(isinstance(e, OSError) and type(e).__name__ == "gaierror" for e in chain):
        return FeedStatus.DNS, f"DNS: {text}"
    if isinstance(error, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FeedStatus.BLOCKED, f"unusable URL: {text}"
    if isinstance(error, httpx.DecodingError):
        return FeedStatus.HTTP, f"undecodable body: {text}"
    return FeedStatus.CONNECT, f"{type(error).__name__}: {text}"


@dataclass
class _Progress:
    url: str
    redirects: list[Redirect] = field(default_factory=list)


class Fetcher:
    """The fetcher's one HTTP client. Use as ``async with Fetcher(settings) as client:``."""

    def __init__(
        self,
        settings: FetcherSettings | None = None,
        *,
        policy: NetworkPolicy | None = None,
        politeness: Politeness | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings or FetcherSettings()
        self.policy = policy or NetworkPolicy.from_setting(self.settings.fetch_allow_networks)
        self.politeness = politeness
        self._clock = clock or (lambda: datetime.now(UTC))
        s = self.settings
        self._direct: httpx.AsyncBaseTransport = transport or CheckedTransport(self.policy)
        # httpx reads the proxy variables only when it builds its own transport; the
        # mounts are built here by its own rules, so the decision stays httpx's.
        mounts = proxy_mounts() if transport is None else {}
        self._client = httpx.AsyncClient(
            follow_redirects=False,  # every hop goes through the guard
            trust_env=True,  # HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, SSL_CERT_FILE
            timeout=httpx.Timeout(
                connect=s.fetch_connect_timeout_s,
                read=s.fetch_read_timeout_s,
                write=s.fetch_read_timeout_s,
                pool=s.fetch_total_timeout_s,
            ),
            headers={"User-Agent": s.fetch_user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=self._direct,
            mounts=mounts,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        html_only: bool = False,
        accept: str | None = None,
        form: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """GET `url`, following redirects; never raises for what the server or network does.

        With `form`, POSTs it form-encoded instead (a WebSub subscription request)
        and follows no redirect: a redirect is answered as a failure.
        """
        limit = max_bytes if max_bytes is not None else self.settings.fetch_feed_max_bytes
        headers = {"Accept": accept or (PAGE_ACCEPT if html_only else FEED_ACCEPT)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        progress = _Progress(url)
        try:
            async with asyncio.timeout(self.settings.fetch_total_timeout_s) as deadline:
                return await self._follow(url, progress, headers, limit, html_only, deadline, form)
        except TimeoutError:
            return self._result(
                url,
                progress,
                FeedStatus.TIMEOUT,
                error=f"total timeout ({self.settings.fetch_total_timeout_s:g} s)",
            )

    def _result(
        self,
        url: str,
        progress: _Progress,
        status: FeedStatus,
        *,
        error: str | None = None,
        http_status: int | None = None,
        headers: httpx.Headers | None = None,
        body: bytes | None = None,
        retry_after_s: float | None = None,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=progress.url,
            status=status,
            http_status=http_status,
            headers=headers if headers is not None else httpx.Headers(),
            body=body,
            redirects=tuple(progress.redirects),
            error=error,
            retry_after_s=retry_after_s,
        )

    async def _follow(
        self,
        url: str,
        progress: _Progress,
        headers: dict[str, str],
        limit: int,
        html_only: bool,
        deadline: asyncio.Timeout,
        form: Mapping[str, str] | None = None,
    ) -> FetchResult:
        visited = {url.split("#", 1)[0]}
        for _hop in range(self.settings.fetch_max_redirects + 1):
            current = progress.url
            try:
                addresses = await self.policy.check_url(current)
            except Blocked as error:
                return self._result(url, progress, FeedStatus.BLOCKED, error=error.reason)
            except ResolutionFailed as error:
                return self._result(url, progress, FeedStatus.DNS, error=str(error))
            try:
                method = "GET" if form is None else "POST"
                request = self._client.build_request(method, current, headers=headers, data=form)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                return self._result(url, progress, FeedStatus.BLOCKED, error=str(error))
            proxied = self._client._transport_for_url(request.url) is not self._direct
            if proxied and not self.settings.fetch_trust_proxy:
                return self._result(
                    url,
                    progress,
                    FeedStatus.BLOCKED,
                    error="a proxy from the environment would carry this request, and "
                    "LAUNCHWATCH_FETCH_TRUST_PROXY does not trust it",
                )
            slot = (
                self.politeness.slot(request.url.host, str(addresses[0]))
                if self.politeness is not None
                else contextlib.nullcontext()
            )
            # The wait for a slot is not the server's time: the deadline pauses meanwhile.
            loop = asyncio.get_running_loop()
            queued, due = loop.time(), deadline.when()
            deadline.reschedule(None)
            async with slot:
                if due is not None:
                    deadline.reschedule(due + loop.time() - queued)
                try:
                    response = await self._client.send(request, stream=True)
                except Blocked as error:
                    return self._result(url, progress, FeedStatus.BLOCKED, error=error.reason)
                except ResolutionFailed as error:
                    return self._result(url, progress, FeedStatus.DNS, error=str(error))
                except httpx.HTTPError as error:
                    status, reason = classify(error)
                    return self._result(url, progress, status, error=reason)
                try:
                    try:
                        if not proxied:
                            self._check_peer(current, response)
                    except Blocked as error:
                        return self._result(url, progress, FeedStatus.BLOCKED, error=error.reason)
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_CODES and location and form is None:
                        try:
                            target = str(response.url.join(location.strip()))
                        except httpx.InvalidURL as error:
                            return self._result(
                                url,
                                progress,
                                FeedStatus.HTTP,
                                http_status=response.status_code,
                                headers=response.headers,
                                error=f"unusable redirect Location {location!r}: {error}",
                            )
                        progress.redirects.append(Redirect(response.status_code, current, target))
                        progress.url = target
                        key = target.split("#", 1)[0]
                        if key in visited:
                            return self._result(
                                url,
                                progress,
                                FeedStatus.HTTP,
                                http_status=response.status_code,
                                headers=response.headers,
                                error=f"redirect loop back to {target}",
                            )
                        visited.add(key)
                        continue
                    return await self._finish(url, progress, response, limit, html_only)
                finally:
                    await response.aclose()
        return self._result(
            url,
            progress,
            FeedStatus.HTTP,
            http_status=progress.redirects[-1].status if progress.redirects else None,
            error=f"more than {self.settings.fetch_max_redirects} redirects",
        )

    def _check_peer(self, url: str, response: httpx.Response) -> None:
        """Refuse a response from an address the policy forbids (defeats DNS rebinding)."""
        stream = response.extensions.get("network_stream")
        if stream is None:
            return
        peer = stream.get_extra_info("server_addr")
        if not peer:
            raise Blocked(url, "cannot tell which address was connected to")
        address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
        self.policy.check_address(url, address)

    async def _finish(
        self,
        url: str,
        progress: _Progress,
        response: httpx.Response,
        limit: int,
        html_only: bool,
    ) -> FetchResult:
        code = response.status_code
        headers = response.headers
        retry_after = parse_retry_after(
            headers.get("retry-after"), self._clock(), self.settings.fetch_retry_after_max_s
        )

        def result(
            status: FeedStatus, error: str | None = None, body: bytes | None = None
        ) -> FetchResult:
            return self._result(
                url,
                progress,
                status,
                error=error,
                http_status=code,
                headers=headers,
                body=body,
                retry_after_s=retry_after,
            )

        if code == 304:
            return result(FeedStatus.OK)
        if not 200 <= code < 300:
            return result(FeedStatus.HTTP, f"HTTP {code} {response.reason_phrase or ''}".strip())
        kind = media_type(headers.get("content-type"))
        if html_only and kind is not None and kind not in HTML_TYPES:
            return result(FeedStatus.PARSE, f"not-html: {kind}")
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and not headers.get("content-encoding") and int(declared) > limit:
            return result(
                FeedStatus.TOO_LARGE, f"body of {declared} bytes is over the {limit}-byte cap"
            )
        try:
            body = await self._read_capped(response, limit)
        except _BodyTooLarge:
            return result(FeedStatus.TOO_LARGE, f"body over the {limit}-byte cap (after decoding)")
        except _UnsupportedEncoding as error:
            return result(FeedStatus.HTTP, f"unsupported content-encoding {error}")
        except zlib.error as error:
            return result(FeedStatus.HTTP, f"undecodable body: {error}")
        except httpx.HTTPError as error:
            return result(*classify(error))
        return result(FeedStatus.OK, body=body)

    async def _read_capped(self, response: httpx.Response, limit: int) -> bytes:
        encodings = [
            e.strip().lower()
            for e in response.headers.get("content-encoding", "").split(",")
            if e.strip()
        ]
        if len(encodings) > 1:
            raise _UnsupportedEncoding(", ".join(encodings))
        decoder = _BoundedDecoder(encodings[0] if encodings else "identity")
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw(_READ_CHUNK):
            out = decoder.decode(raw, limit - size)
            size += len(out)
            if size > limit:
                raise _BodyTooLarge
            chunks.append(out)
        tail = decoder.flush(limit - size)
        size += len(tail)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(tail)
        return b"".join(chunks)
