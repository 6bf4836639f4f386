"""The health server answers probes and serves Prometheus metrics."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from services.runtime import ConfigurationError, health, metrics
from services.runtime.health import HealthServer, check_bindable


@pytest.fixture
def readiness() -> list[bool]:
    return [False]


@pytest.fixture
def server(readiness: list[bool]) -> Iterator[HealthServer]:
    health = HealthServer("127.0.0.1", 0, ready=lambda: readiness[0], stall_after_s=0.5)
    health.start()
    yield health
    health.stop()


def url(server: HealthServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def test_readiness_follows_the_service(server: HealthServer, readiness: list[bool]) -> None:
    assert httpx.get(url(server, "/readyz")).status_code == 503
    readiness[0] = True
    assert httpx.get(url(server, "/readyz")).status_code == 200


def test_liveness_fails_when_the_event_loop_stops_ticking(server: HealthServer) -> None:
    server.tick()
    assert httpx.get(url(server, "/healthz")).status_code == 200
    server._last_tick -= 10  # as if the loop had been stuck for ten seconds
    assert httpx.get(url(server, "/healthz")).status_code == 503


def test_metrics_are_served_in_the_prometheus_format(server: HealthServer) -> None:
    metrics.DEAD_LETTERS.labels("parser", "news.raw").inc()
    response = httpx.get(url(server, "/metrics"))
    assert response.status_code == 200
    assert 'launchwatch_dead_letters_total{service="parser",topic="news.raw"}' in response.text


def test_unknown_paths_are_404(server: HealthServer) -> None:
    assert httpx.get(url(server, "/")).status_code == 404


def test_an_idle_connection_does_not_block_the_probes(server: HealthServer) -> None:
    """A client that connects and sends nothing must not keep the kubelet's probe waiting."""
    with socket.create_connection(("127.0.0.1", server.port)) as idle:
        idle.send(b"GET /heal")  # half a request, then silence
        response = httpx.get(url(server, "/healthz"), timeout=2)
        assert response.status_code == 200


def test_an_idle_connection_is_closed_after_the_socket_timeout(
    server: HealthServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health._QuietHandler, "timeout", 0.2)
    with socket.create_connection(("127.0.0.1", server.port)) as idle:
        idle.settimeout(3)
        assert idle.recv(100) == b"", "the server hangs up on a silent client"


def test_a_port_in_use_is_a_configuration_error(server: HealthServer) -> None:
    with pytest.raises(ConfigurationError, match=rf"127.0.0.1:{server.port} is in use"):
        check_bindable("127.0.0.1", server.port)
    check_bindable("127.0.0.1", 0)
