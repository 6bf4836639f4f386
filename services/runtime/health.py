"""One small HTTP server per process: `/healthz`, `/readyz` and Prometheus `/metrics`.

It runs in a thread (the standard library's WSGI server, with
prometheus-client's WSGI app for `/metrics`), so it answers even while the
event loop is busy, and can therefore tell whether the loop is stuck:
`/healthz` fails when the loop has not ticked for `stall_after_s`, which lets
an orchestrator restart a wedged process. `/readyz` says whether the service
is doing its work (a member of its consumer group), for routing and rollouts.

Each connection is served in a thread of its own and every socket read or
write times out after `SOCKET_TIMEOUT_S`, so a client that connects and sends
nothing (or reads slowly) cannot hold the probes hostage and get a healthy pod
restarted. The bind address is ``LAUNCHWATCH_HTTP_HOST``: ``0.0.0.0`` by
default so that the kubelet and Prometheus reach it from outside the pod, or
``127.0.0.1`` to keep it on the host; a NetworkPolicy limits who may connect.
"""

from __future__ import annotations

import errno
import logging
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from services.runtime.errors import ConfigurationError

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


SOCKET_TIMEOUT_S = 5.0
"""Longest wait for a client's next bytes (or for it to take ours) before hanging up."""


class _QuietHandler(WSGIRequestHandler):
    timeout = SOCKET_TIMEOUT_S  # StreamRequestHandler applies it to the connection's socket

    def log_message(self, format: str, *args: Any) -> None:
        """Probes hit these endpoints every few seconds; they are not worth a log line."""


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per connection; threads never keep the process alive."""

    daemon_threads = True


def check_bindable(host: str, port: int) -> None:
    """Refuse an address the server could not listen on, before anything connects."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        cause = "is in use" if error.errno == errno.EADDRINUSE else f"cannot be bound ({error})"
        raise ConfigurationError(
            f"LAUNCHWATCH_HTTP_PORT / LAUNCHWATCH_HTTP_HOST: {host}:{port} {cause}; "
            "accepts a free port (0 picks one) on an address of this host"
        ) from None


class HealthServer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        ready: Callable[[], bool],
        stall_after_s: float = 30.0,
    ) -> None:
        self._host = host
        self._port = port
        self._ready = ready
        self._stall_after_s = stall_after_s
        self._last_tick = time.monotonic()
        self._metrics = make_wsgi_app()
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (the chosen one when started on port 0)."""
        assert self._server is not None, "not started"
        return self._server.server_port

    def tick(self) -> None:
        """Called from the event loop to show it is alive."""
        self._last_tick = time.monotonic()

    def start(self) -> int:
        self._server = make_server(
            self._host,
            self._port,
            self._app,
            server_class=_ThreadingServer,
            handler_class=_QuietHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health", daemon=True
        )
        self._thread.start()
        log.info("health and metrics on http://%s:%d", self._host, self.port)
        return self.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def _app(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            result: Iterable[bytes] = self._metrics(environ, start_response)
            return result
        if path == "/healthz":
            stalled = time.monotonic() - self._last_tick
            return _plain(
                start_response, stalled < self._stall_after_s, f"loop tick {stalled:.1f}s ago"
            )
        if path == "/readyz":
            ready = self._ready()
            return _plain(start_response, ready, "ready" if ready else "not ready")
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: try /healthz, /readyz or /metrics\n"]


def _plain(start_response: StartResponse, ok: bool, text: str) -> list[bytes]:
    status = "200 OK" if ok else "503 Service Unavailable"
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [(text + "\n").encode()]
