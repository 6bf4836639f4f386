"""The HTTP server of a service that has pages of its own (a view), beside its probes.

Services without pages answer `/healthz`, `/readyz` and `/metrics` from the
threaded `HealthServer`. A view's pages are an ASGI app, served by uvicorn in
the service's event loop, next to the data they show; the probes are then
routes of the same server, on the same port (`LAUNCHWATCH_HTTP_PORT`):

* `/healthz` answers from the event loop, so an answer at all shows the loop
  is turning; a wedged loop times the probe out, which an orchestrator treats
  as a failure;
* `/readyz` says whether the view has read its topics up to their ends;
* `/metrics` is prometheus-client's exposition of the process's registry.

Signals stay the runtime's: uvicorn's own handlers are not installed, and
`stop` closes the server, giving open streams (server-sent events) a few
seconds before they are cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterator

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

log = logging.getLogger(__name__)


def with_probes(app: ASGIApp, ready: Callable[[], bool]) -> Starlette:
    """`app` under `/`, with the probes and the metrics every service serves."""

    async def healthz(request: Request) -> PlainTextResponse:
        return PlainTextResponse("event loop answering\n")

    async def readyz(request: Request) -> PlainTextResponse:
        ok = ready()
        return PlainTextResponse("ready\n" if ok else "not ready\n", 200 if ok else 503)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Mount("/", app),
        ]
    )


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """The runtime owns SIGTERM and SIGINT; uvicorn must not take them over."""
        yield


class AppServer:
    """Serves an ASGI app with uvicorn in the running event loop, between `start` and `stop`."""

    def __init__(self, app: ASGIApp, host: str, port: int, *, stop_timeout_s: float = 3.0) -> None:
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=max(1, round(stop_timeout_s)),
        )
        self._server = _Server(config)
        self._address = (host, port)
        self._socket: socket.socket | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """The bound port (the chosen one when started on port 0)."""
        assert self._socket is not None, "not started"
        port: int = self._socket.getsockname()[1]
        return port

    async def start(self) -> int:
        """Listen; returns the port. Raises `OSError` when the port cannot be bound.

        The socket is bound here rather than by uvicorn, which would exit the
        process on a port in use instead of raising.
        """
        family = socket.AF_INET6 if ":" in self._address[0] else socket.AF_INET
        self._socket = socket.create_server(self._address, family=family)
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise OSError(f"cannot serve on port {self.port}")
            await asyncio.sleep(0.01)
        log.info("pages, health and metrics on http://%s:%d", self._server.config.host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(SystemExit):
            await self._task
