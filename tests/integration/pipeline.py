"""The three services as separate processes on one broker, kept running like an orchestrator would.

`Pipeline` starts `launchwatch run fetcher|parser|enricher` with the settings a
test or benchmark needs, restarts any process that exits or is killed (as a
container runtime restarts a failed container) and stops them all at the end.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Mapping
from typing import IO

from tests.integration.processes import kafka_environment, start

SERVICES = ("fetcher", "parser", "enricher")


def service_environment(bootstrap: str, prefix: str, **settings: str) -> dict[str, str]:
    """What every service process of one pipeline shares, loopback news sites allowed."""
    return kafka_environment(
        bootstrap,
        prefix,
        f"{prefix}group",
        fetch_allow_networks="127.0.0.0/8",
        fetch_host_interval_s="0",
        fetch_robots="false",
        poll_min_s="1",
        poll_max_s="2",
        poll_failure_max_s="2",
        parser_workers="1",
        **settings,
    )


class Pipeline:
    """One process per service; `keep_running` brings back whatever has died."""

    def __init__(
        self,
        environment: Mapping[str, str],
        *,
        per_service: Mapping[str, Mapping[str, str]] | None = None,
        log: IO[bytes] | None = None,
    ) -> None:
        self._environment = dict(environment)
        self._per_service = per_service or {}
        self._log = log
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.starts: dict[str, int] = dict.fromkeys(SERVICES, 0)

    def start(self, service: str) -> None:
        environment = {**self._environment, **self._per_service.get(service, {})}
        self.processes[service] = start(["run", service], environment, log=self._log)
        self.starts[service] += 1

    def keep_running(self) -> list[str]:
        """Restart every service that is not running; returns the ones restarted."""
        restarted = []
        for service in SERVICES:
            process = self.processes.get(service)
            if process is None or process.poll() is not None:
                self.start(service)
                restarted.append(service)
        return restarted

    def kill(self, service: str) -> None:
        process = self.processes[service]
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self) -> dict[str, int]:
        """SIGTERM every process and wait; returns their exit codes."""
        codes = {}
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for service, process in self.processes.items():
            try:
                codes[service] = process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[service] = process.wait()
        return codes
