"""The three services as separate processes on one broker, kept running like an orchestrator would.

`Pipeline` starts `launchwatch run fetcher|parser|enricher` with the settings a
test or benchmark needs, restarts any process that exits or is killed (as a
container runtime restarts a failed container) and stops them all at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("fetcher", "parser", "enricher")


def service_environment(bootstrap: str, prefix: str, **settings: str) -> dict[str, str]:
    """What every service process of one pipeline shares: broker, prefix, quick test timings."""
    return {
        **os.environ,
        "LAUNCHWATCH_KAFKA_BOOTSTRAP": bootstrap,
        "LAUNCHWATCH_TOPIC_PREFIX": prefix,
        "LAUNCHWATCH_GROUP_ID": f"{prefix}group",
        "LAUNCHWATCH_SESSION_TIMEOUT_S": "6",
        "LAUNCHWATCH_HTTP_HOST": "127.0.0.1",
        "LAUNCHWATCH_HTTP_PORT": "0",
        "LAUNCHWATCH_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
        "LAUNCHWATCH_FETCH_HOST_INTERVAL_S": "0",
        "LAUNCHWATCH_FETCH_ROBOTS": "false",
        "LAUNCHWATCH_POLL_MIN_S": "1",
        "LAUNCHWATCH_POLL_MAX_S": "2",
        "LAUNCHWATCH_POLL_FAILURE_MAX_S": "2",
        "LAUNCHWATCH_PARSER_WORKERS": "1",
        **{f"LAUNCHWATCH_{name.upper()}": value for name, value in settings.items()},
    }


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
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run", service],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=self._log or subprocess.DEVNULL,
        )
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
