"""launchwatch on a secured cluster: SASL_SSL (SCRAM-SHA-512 over TLS) with ACLs enforced.

As an ops team runs it: the admin creates the topics with `launchwatch topics
create`, the CLI user subscribes the sample site's feed, and the three
services run as separate processes, each as its own user holding only the ACLs
of `deploy/access.py` and reading its password from a file (as a mounted
Kubernetes secret gives it). The seed news must end as three `new` alerts.
A user without ACLs is refused with an error that says so.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from deploy.access import SERVICES, USERS, grants
from schemas import LaunchAlert, decode
from schemas.topics import topic_for
from services.runtime import KafkaOptions, KafkaTransport
from services.sample_site import SampleSite
from tests.integration.pipeline import Pipeline, service_environment
from tests.integration.processes import ROOT
from tests.kafka_broker import SecuredBroker, grant, unique_name

pytestmark = [pytest.mark.kafka]

ALERTS_WITHIN_S = 120.0


def cli(
    broker: SecuredBroker, user: str, *arguments: str, prefix: str = ""
) -> subprocess.CompletedProcess[str]:
    """`launchwatch ARGUMENTS` as `user`, password given as a setting (a local run)."""
    environment = {
        **os.environ,
        **broker.settings(user, password_file=False),
        "LAUNCHWATCH_TOPIC_PREFIX": prefix,
    }
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def site() -> Iterator[SampleSite]:
    with SampleSite("127.0.0.1", 0) as served:
        yield served


async def new_alerts(broker: SecuredBroker, prefix: str) -> list[LaunchAlert]:
    transport = KafkaTransport(broker.bootstrap, KafkaOptions(security=broker.security("admin")))
    topic = prefix + topic_for(LaunchAlert).name
    alerts = [
        decode(LaunchAlert, record.value, record.headers)
        async for record in transport.read(topic, from_beginning=True, follow=False)
        if record.value is not None
    ]
    return [alert for alert in alerts if alert.kind == "new"]


@pytest.mark.asyncio
async def test_seed_news_become_three_alerts_through_sasl_ssl_with_acls(
    secured_kafka: SecuredBroker, site: SampleSite
) -> None:
    prefix = unique_name("secured") + "."
    created = cli(secured_kafka, "admin", "topics", "create", prefix=prefix)
    assert created.returncode == 0, created.stderr
    for user in USERS:
        group = f"{prefix}{user}" if user in SERVICES else None
        await grant(secured_kafka, user, grants(user, topic_prefix=prefix, group_prefix=group))
    added = cli(secured_kafka, "cli", "feeds", "add", *site.feed_urls, prefix=prefix)
    assert added.returncode == 0, added.stderr

    environment = service_environment(secured_kafka.bootstrap, prefix)
    per_service = {
        service: {
            **secured_kafka.settings(service),
            "LAUNCHWATCH_GROUP_ID": f"{prefix}{service}",
        }
        for service in SERVICES
    }
    pipeline = Pipeline(environment, per_service=per_service)
    try:
        pipeline.keep_running()
        alerts: list[LaunchAlert] = []
        for _ in range(int(ALERTS_WITHIN_S)):
            await asyncio.sleep(1)
            exited = {
                s: p.returncode for s, p in pipeline.processes.items() if p.poll() is not None
            }
            assert not exited, f"services exited: {exited}"
            alerts = await new_alerts(secured_kafka, prefix)
            if len(alerts) >= 3:
                break
        assert len({alert.event_id for alert in alerts}) == 3, alerts
        assert len(alerts) == 3
    finally:
        codes = pipeline.stop()
    assert set(codes.values()) == {0}, codes


def test_a_user_without_acls_is_refused_with_a_clear_error(secured_kafka: SecuredBroker) -> None:
    prefix = unique_name("refused") + "."
    assert cli(secured_kafka, "admin", "topics", "create", prefix=prefix).returncode == 0
    refused = cli(
        secured_kafka, "outsider", "tail", "alerts.launch", "--from-beginning", prefix=prefix
    )
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert f"not authorized to read topic '{prefix}alerts.launch'" in line
    assert "as outsider" in line
    assert "lacks an ACL" in line


def test_a_wrong_password_is_refused_with_a_clear_error(secured_kafka: SecuredBroker) -> None:
    environment = {
        **os.environ,
        **secured_kafka.settings("cli", password_file=False),
        "LAUNCHWATCH_KAFKA_SASL_PASSWORD": "not-the-password",
    }
    refused = subprocess.run(
        [sys.executable, "-m", "services.cli", "feeds", "list"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert "SaslAuthenticationFailed" in refused.stderr
    assert "not-the-password" not in refused.stderr
