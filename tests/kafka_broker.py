"""The real Apache Kafka broker for tests marked `kafka`, and helpers to make topics on it.

The session fixture `kafka_bootstrap` uses ``LAUNCHWATCH_KAFKA_BOOTSTRAP`` when it is
set. Otherwise it starts a private single-node KRaft broker with
``deploy/kafka/kafka.sh``, on free ports and in a temporary data directory, so it never
collides with a developer's `make kafka-up` broker on 9092; the broker is stopped when
the session ends, whatever the tests did. It starts only when a test asks for it. A
broker that cannot start fails the tests that need it: they are never skipped, because
a skipped broker test hides exactly the failures these tests exist to catch.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code

KAFKA_SCRIPT = Path(__file__).resolve().parents[1] / "deploy" / "kafka" / "kafka.sh"

START_TIMEOUT_S = 600
"""Covers a first download of the broker jars as well as the start-up itself."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def unique_name(prefix: str) -> str:
    """A topic or group name no other test (or earlier run on the same broker) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def create_topics(
    bootstrap: str, *topics: tuple[str, int], config: Mapping[str, str] | None = None
) -> None:
    """Creates each (name, partitions) topic with one replica and the given topic config.

    aiokafka's admin client reports a refused topic in the response instead of raising,
    so each topic's error code is checked here.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        response = await admin.create_topics(
            [
                NewTopic(
                    name=name,
                    num_partitions=partitions,
                    replication_factor=1,
                    topic_configs=dict(config or {}),
                )
                for name, partitions in topics
            ]
        )
    finally:
        await admin.close()
    for name, code, *message in response.topic_errors:
        if code != 0:
            raise RuntimeError(f"topic {name} not created: {for_code(code).__name__} {message}")


def start_broker(workdir: Path) -> tuple[dict[str, str], subprocess.CompletedProcess[str]]:
    """Runs `kafka.sh start` on two free ports; returns its environment and outcome."""
    environ = {
        **os.environ,
        "LAUNCHWATCH_KAFKA_PORT": str(free_port()),
        "LAUNCHWATCH_KAFKA_CONTROLLER_PORT": str(free_port()),
        "LAUNCHWATCH_KAFKA_DATA_DIR": str(workdir / "data"),
        "LAUNCHWATCH_KAFKA_RUN_FILE": str(workdir / "run"),
    }
    try:
        started = subprocess.run(
            [str(KAFKA_SCRIPT), "start"],
            env=environ,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        stop_broker(environ)
        pytest.fail(f"the test broker did not start in {START_TIMEOUT_S}s: {timeout}")
    return environ, started


def stop_broker(environ: Mapping[str, str]) -> None:
    subprocess.run([str(KAFKA_SCRIPT), "stop"], env=environ, capture_output=True, check=False)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap address (host:port) of a running broker, for the whole test session."""
    given = os.environ.get("LAUNCHWATCH_KAFKA_BOOTSTRAP")
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="launchwatch-test-kafka-") as workdir:
        # Free ports come from the ephemeral range, where any outgoing connection (another
        # broker's, say) can take one before this broker binds it: then try other ports.
        for attempt in range(3):
            environ, started = start_broker(Path(workdir) / f"attempt-{attempt}")
            if started.returncode == 0 or "in use" not in started.stderr:
                break
        if started.returncode != 0:
            pytest.fail(
                f"the test broker did not start (kafka.sh start exited with"
                f" {started.returncode}):\n{started.stderr}",
                pytrace=False,
            )
        try:
            yield started.stdout.strip().splitlines()[-1]
        finally:
            stop_broker(environ)
