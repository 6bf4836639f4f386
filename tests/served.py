"""A stdlib HTTP server on 127.0.0.1, served from a thread for the length of a `with` block.

The test sites and receivers are threaded stdlib servers, so they keep
answering while the event loop under test is busy; this is their one way to
start and stop.
"""

from __future__ import annotations

import threading
from http.server import HTTPServer
from types import TracebackType
from typing import Self


class ServedInThread:
    """Serves `server` between ``__enter__`` and ``__exit__`` (or `close`)."""

    def __init__(self, server: HTTPServer) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_port

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._unblock()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _unblock(self) -> None:
        """Release requests held on purpose, so that stopping does not wait for them."""
