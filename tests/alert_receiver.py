"""An alert receiver on 127.0.0.1 for the delivery tests, and the alerts they deliver.

`AlertReceiver` is a stdlib HTTP server in a thread (so it answers while the
event loop under test is busy) whose behaviour a test switches between
accepting, failing, being slow and hanging. Like a careful real receiver, it
records each delivery once by its ``Idempotency-Key`` and counts the repeats.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import pytest

from schemas import AlertDelivery, AlertKind, LaunchAlert, MissileType, ReceiverKind
from schemas.ids import stable_id
from tests.served import ServedInThread

Mode = Literal["ok", "fail", "slow", "hang"]

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The receivers are local: a proxy from the machine's environment must not get in between."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@dataclass(frozen=True)
class Received:
    """One request as the receiver saw it, and what it answered."""

    sequence: int
    path: str
    headers: dict[str, str]
    body: Any
    status: int

    @property
    def key(self) -> str:
        return self.headers.get("idempotency-key", "")


class AlertReceiver(ServedInThread):
    """An alert receiver on 127.0.0.1 whose behaviour the test switches.

    | mode | answer |
    |---|---|
    | `ok` | 200; a delivery is recorded once by Idempotency-Key, repeats are counted |
    | `fail` | `fail_status` (503) with `Retry-After: retry_after` when that is set |
    | `slow` | waits `slow_s`, then 503: the client has given up by then |
    | `hang` | never answers, until `close()` |
    """

    def __init__(self) -> None:
        self.mode: Mode = "ok"
        self.fail_status = 503
        self.fail_body = "down for maintenance"
        self.retry_after: str | None = "1"
        self.slow_s = 2.0
        self.requests: list[Received] = []
        self.accepted: dict[str, Received] = {}
        self.repeats = 0
        self.in_progress = 0
        self._lock = threading.Lock()
        self._released = threading.Event()
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        super().__init__(server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _unblock(self) -> None:
        self._released.set()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.requests)

    def answered(self, status: int) -> int:
        return sum(1 for request in self.snapshot() if request.status == status)

    def _receive(self, handler: BaseHTTPRequestHandler) -> tuple[Received, Mode]:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length)
        with self._lock:
            mode = self.mode
            status = {"ok": 200, "fail": self.fail_status, "slow": 503, "hang": 0}[mode]
            received = Received(
                sequence=len(self.requests),
                path=handler.path,
                headers={name.lower(): value for name, value in handler.headers.items()},
                body=json.loads(raw) if raw else None,
                status=status,
            )
            self.requests.append(received)
            if mode == "ok":
                if received.key in self.accepted:
                    self.repeats += 1
                else:
                    self.accepted[received.key] = received
            self.in_progress += 1
        return received, mode

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received, mode = receiver._receive(self)
                try:
                    if mode == "hang":
                        receiver._released.wait()
                        return
                    if mode == "slow":
                        receiver._released.wait(receiver.slow_s)
                    self._answer(received.status, mode)
                except OSError:
                    pass  # the client gave up first
                finally:
                    with receiver._lock:
                        receiver.in_progress -= 1

            def _answer(self, status: int, mode: Mode) -> None:
                body = b"ok" if status == 200 else receiver.fail_body.encode()
                self.send_response(status)
                if mode == "fail" and receiver.retry_after is not None:
                    self.send_header("Retry-After", receiver.retry_after)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler


RAISED = datetime(2025, 10, 29, 12, 0, tzinfo=UTC)


def alert(event: str = "a", revision: int = 1, raised_at: datetime = RAISED) -> LaunchAlert:
    """An alert of event `event`; revisions above 1 are updates."""
    event_id = stable_id(f"event {event}")
    kind = AlertKind.NEW if revision == 1 else AlertKind.UPDATE
    return LaunchAlert(
        alert_id=stable_id(f"{event_id}:{kind}:{revision}"),
        kind=kind,
        event_id=event_id,
        revision=revision,
        country="KP",
        missile_type=MissileType.BALLISTIC,
        headline=f"North Korea fires a ballistic missile ({event}, revision {revision})",
        article_urls=(f"https://news.example/{event}/{revision}",),
        raised_at=raised_at,
    )


def delivery(
    receiver: ReceiverKind = ReceiverKind.WEBHOOK,
    event: str = "a",
    revision: int = 1,
    raised_at: datetime = RAISED,
) -> AlertDelivery:
    launch = alert(event, revision, raised_at)
    return AlertDelivery(
        delivery_id=stable_id(f"{launch.alert_id}:{receiver}"),
        receiver=receiver,
        alert=launch,
        next_attempt_at=raised_at,
        created_at=raised_at,
    )
