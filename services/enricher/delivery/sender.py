"""One delivery attempt: a POST, and what its answer means for the delivery.

`Sender.send` never raises for anything a receiver or the network can do; it
returns an `AttemptResult` whose `verdict` decides what happens to the row:

| answer | verdict |
|---|---|
| 2xx | `DELIVERED` |
| 408, 429, 5xx, timeout, connection or protocol error | `RETRY`, with any Retry-After |
| any other 4xx, 3xx, 1xx | `PERMANENT`: repeating the same request cannot succeed |

Each receiver has its own `Sender` (its own connection pool): a receiver that
hangs fills only its own pool. The timeout bounds the whole attempt, connect to
last byte, so a receiver that trickles its answer cannot hold a slot longer.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx

from services.enricher.delivery.backoff import parse_retry_after
from services.enricher.delivery.receivers import DeliveryRequest

RETRYABLE_STATUS = frozenset({408, 429})
ERROR_BODY_BYTES = 4096
"""Read of a refusal's body, for the error message: enough for `invalid_payload`."""
ERROR_TEXT_CHARS = 200


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt came to."""

    verdict: Verdict
    status_code: int | None = None
    error: str | None = None
    """Why it failed, for operators: ``HTTP 503 Service Unavailable``, ``timed out after 10s``."""
    retry_after_s: float | None = None
    """The receiver's Retry-After in seconds from now, uncapped; None when it gave none."""


def classify(status_code: int) -> Verdict:
    """What an HTTP status says about repeating the same request later."""
    if 200 <= status_code < 300:
        return Verdict.DELIVERED
    if status_code in RETRYABLE_STATUS or status_code >= 500:
        return Verdict.RETRY
    return Verdict.PERMANENT


class Sender:
    """POSTs deliveries to one receiver, with a deadline per attempt."""

    def __init__(
        self,
        *,
        timeout_s: float,
        max_connections: int,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._timeout_s = timeout_s
        self._clock = clock or (lambda: datetime.now(UTC))
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, request: DeliveryRequest) -> AttemptResult:
        """POST `request` once; the result says whether to stop, retry or give up."""
        try:
            async with asyncio.timeout(self._timeout_s):
                return await self._post(request)
        except TimeoutError:
            return AttemptResult(Verdict.RETRY, error=f"timed out after {self._timeout_s:g}s")
        except httpx.TimeoutException as error:
            return AttemptResult(Verdict.RETRY, error=f"timed out ({type(error).__name__})")
        except httpx.HTTPError as error:
            return AttemptResult(Verdict.RETRY, error=_describe(error))

    async def _post(self, request: DeliveryRequest) -> AttemptResult:
        async with self._client.stream(
            "POST", request.url, content=request.body, headers=request.headers
        ) as response:
            verdict = classify(response.status_code)
            if verdict is Verdict.DELIVERED:
                return AttemptResult(verdict, status_code=response.status_code)
            snippet = await _read_some(response)
        error = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if snippet:
            error += f": {snippet}"
        retry_after = None
        if verdict is Verdict.RETRY:
            retry_after = parse_retry_after(response.headers.get("retry-after"), self._clock())
        return AttemptResult(
            verdict, status_code=response.status_code, error=error, retry_after_s=retry_after
        )


async def _read_some(response: httpx.Response) -> str:
    """The start of the body, on one line, for the error message."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) >= ERROR_BODY_BYTES:
            break
    text = " ".join(body[:ERROR_BODY_BYTES].decode("utf-8", "replace").split())
    if len(text) > ERROR_TEXT_CHARS:
        text = text[: ERROR_TEXT_CHARS - 1] + "…"
    return text


def _describe(error: httpx.HTTPError) -> str:
    detail = str(error).strip()
    kind = type(error).__name__
    return f"{kind}: {detail}" if detail else kind
