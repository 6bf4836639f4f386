"""`/api/stream`: every new event revision and alert, as server-sent events, as it happens.

The library tells the `Broadcaster` of each change once; the broadcaster
encodes it once and hands it to every open stream. A client too slow to keep
up (its queue full) is cut off rather than holding memory: `EventSource`
reconnects by itself, and the page it shows is current on reload.

Messages:

* ``event: launch``: data ``{"event": LaunchEvent, "feature": EventFeature | null,
  "html": "<li>…</li>"}``, id ``<event_id>/<revision>``;
* ``event: alert``: data ``{"alert": LaunchAlert}``, id the alert id.

A comment line is sent every `KEEPALIVE_S` so proxies keep the stream open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping

import msgspec

from schemas import LaunchAlert, LaunchEvent, Message
from services.web.basemap import Basemap
from services.web.documents import feature_of

KEEPALIVE_S = 15.0
QUEUE_SIZE = 1000


class Broadcaster:
    def __init__(self, basemap: Basemap, render_item: Callable[[LaunchEvent], str]) -> None:
        self._basemap = basemap
        self._render_item = render_item
        self._queues: set[asyncio.Queue[str | None]] = set()
        self.closed = False

    @property
    def clients(self) -> int:
        return len(self._queues)

    def __call__(self, message: Message) -> None:
        """A library listener: encode the change once, queue it for every open stream."""
        if not self._queues:
            return
        if isinstance(message, LaunchEvent):
            if message.merged_into is not None:
                return
            data = {
                "event": message,
                "feature": feature_of(message, self._basemap),
                "html": self._render_item(message),
            }
            text = _frame("launch", f"{message.event_id}/{message.revision}", data)
        elif isinstance(message, LaunchAlert):
            text = _frame("alert", message.alert_id, {"alert": message})
        else:
            return
        for queue in list(self._queues):
            try:
                queue.put_nowait(text)
            except asyncio.QueueFull:
                self._queues.discard(queue)
                with contextlib.suppress(asyncio.QueueFull):
                    queue.get_nowait()
                    queue.put_nowait(None)

    def close(self) -> None:
        """End every open stream (the service is stopping)."""
        self.closed = True
        for queue in self._queues:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)
        self._queues.clear()

    async def frames(self) -> AsyncIterator[str]:
        """One client's stream, until it disconnects, falls behind or the service stops."""
        queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            yield "retry: 2000\n\n"
            while not self.closed:
                try:
                    # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the
                    # cancellation of a client that leaves just as a frame arrives.
                    async with asyncio.timeout(KEEPALIVE_S):
                        text = await queue.get()
                except TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                if text is None:
                    return
                yield text
        finally:
            self._queues.discard(queue)


def _frame(kind: str, frame_id: str, data: Mapping[str, object]) -> str:
    return f"event: {kind}\nid: {frame_id}\ndata: {msgspec.json.encode(data).decode()}\n\n"
