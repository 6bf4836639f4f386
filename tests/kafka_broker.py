"""The real Apache Kafka broker for tests marked `kafka`, and helpers to make topics on it.

The session fixture `secured_kafka` starts a second broker, whose only client
listener is SASL_SSL (SCRAM-SHA-512 over TLS) with ACLs enforced, for the tests
of secured clusters (`tests.kafka_acls` grants each service its ACLs there).

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
import secrets
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest

from deploy import access
from deploy.access import Grant
from services.runtime.kafka_security import KafkaSecurity

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


def start_broker(
    workdir: Path, **settings: str
) -> tuple[dict[str, str], subprocess.CompletedProcess[str]]:
    """Runs `kafka.sh start` on two free ports; returns its environment and outcome.

    `settings` are further variables of kafka.sh (``LAUNCHWATCH_KAFKA_SCRAM_USERS``).
    """
    environ = {
        **os.environ,
        **settings,
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


SECURED_USERS = ("admin", *access.USERS, "outsider")
"""The users of the secured broker: its admin, one per service and the CLI (as
`deploy/access.py` knows them), and a user with no ACL at all."""


@dataclass(frozen=True)
class SecuredBroker:
    """A broker whose only client listener is SASL_SSL (SCRAM-SHA-512) with ACLs enforced."""

    bootstrap: str
    ca_file: Path
    passwords: Mapping[str, str]
    password_files: Mapping[str, Path]

    def settings(self, user: str, *, password_file: bool = True) -> dict[str, str]:
        """The `LAUNCHWATCH_KAFKA_*` variables with which `user` reaches this broker."""
        secret = (
            {"LAUNCHWATCH_KAFKA_SASL_PASSWORD_FILE": str(self.password_files[user])}
            if password_file
            else {"LAUNCHWATCH_KAFKA_SASL_PASSWORD": self.passwords[user]}
        )
        return {
            "LAUNCHWATCH_KAFKA_BOOTSTRAP": self.bootstrap,
            "LAUNCHWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "LAUNCHWATCH_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "LAUNCHWATCH_KAFKA_SASL_USERNAME": user,
            "LAUNCHWATCH_KAFKA_SSL_CAFILE": str(self.ca_file),
            **secret,
        }

    def security(self, user: str) -> KafkaSecurity:
        return KafkaSecurity(
            protocol="SASL_SSL",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username=user,
            sasl_password=self.passwords[user],
            ssl_cafile=str(self.ca_file),
        )


@pytest.fixture(scope="session")
def secured_kafka() -> Iterator[SecuredBroker]:
    """A second broker, secured, started only for the tests that ask for it."""
    with tempfile.TemporaryDirectory(prefix="launchwatch-secured-kafka-") as workdir:
        passwords = {user: secrets.token_urlsafe(18) for user in SECURED_USERS}
        users = ",".join(f"{user}={password}" for user, password in passwords.items())
        for attempt in range(3):
            environ, started = start_broker(
                Path(workdir) / f"attempt-{attempt}", LAUNCHWATCH_KAFKA_SCRAM_USERS=users
            )
            if started.returncode == 0 or "in use" not in started.stderr:
                break
        if started.returncode != 0:
            pytest.fail(f"the secured broker did not start:\n{started.stderr}", pytrace=False)
        files = {}
        for user, password in passwords.items():
            files[user] = Path(workdir) / f"{user}.password"
            files[user].write_text(password + "\n")
        try:
            yield SecuredBroker(
                bootstrap=started.stdout.strip().splitlines()[-1],
                ca_file=Path(environ["LAUNCHWATCH_KAFKA_DATA_DIR"]) / "tls" / "ca.pem",
                passwords=passwords,
                password_files=files,
            )
        finally:
            stop_broker(environ)


_RESOURCE_TYPES = {"topic": 2, "group": 3, "transactionalId": 5}
_PATTERN_TYPES = {"literal": 3, "prefix": 4}
_OPERATIONS = {"Read": 3, "Write": 4, "Describe": 8}
_ALLOW = 3


async def grant(broker: SecuredBroker, user: str, allowed: list[Grant]) -> None:
    """Create `user`'s ACLs on `broker`, as its admin (CreateAcls, one binding a request)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=broker.bootstrap, **broker.security("admin").client_options()
    )
    await admin.start()
    try:
        for rule in allowed:
            for operation in rule.operations:
                request = CreateAclsRequest(
                    _RESOURCE_TYPES[rule.resource_type],
                    rule.name,
                    _PATTERN_TYPES[rule.pattern],
                    f"User:{user}",
                    "*",
                    _OPERATIONS[operation],
                    _ALLOW,
                )
                response = await admin._send_request(request)
                for code, message in response.creation_responses:
                    if code != 0:
                        raise RuntimeError(f"ACL {rule} {operation} for {user}: {message}")
    finally:
        await admin.close()
