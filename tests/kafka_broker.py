"""The real Apache Kafka broker for tests marked `kafka`.

The session fixture `kafka_bootstrap` uses ``LAUNCHWATCH_KAFKA_BOOTSTRAP`` when
it is set; otherwise it starts a private single-node KRaft broker with
``deploy/kafka/kafka.sh`` on free ports and a temporary data directory (so it
never collides with a developer's `make kafka-up`), and stops it when the
session ends. It starts only if a collected test needs it, and when the broker
cannot start the tests that need it fail: they are never skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

KAFKA_SCRIPT = Path(__file__).resolve().parents[1] / "deploy" / "kafka" / "kafka.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap address of a running broker, for the whole test session."""
    given = os.environ.get("LAUNCHWATCH_KAFKA_BOOTSTRAP")
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="launchwatch-test-kafka-") as workdir:
        environ = {
            **os.environ,
            "LAUNCHWATCH_KAFKA_PORT": str(free_port()),
            "LAUNCHWATCH_KAFKA_CONTROLLER_PORT": str(free_port()),
            "LAUNCHWATCH_KAFKA_DATA_DIR": str(Path(workdir) / "data"),
            "LAUNCHWATCH_KAFKA_RUN_FILE": str(Path(workdir) / "run"),
        }
        started = subprocess.run(
            [str(KAFKA_SCRIPT), "start"], env=environ, capture_output=True, text=True
        )
        if started.returncode != 0:
            pytest.fail(
                f"the Kafka broker for the tests did not start:\n{started.stderr}", pytrace=False
            )
        try:
            yield started.stdout.strip().splitlines()[-1]
        finally:
            subprocess.run([str(KAFKA_SCRIPT), "stop"], env=environ, capture_output=True)
