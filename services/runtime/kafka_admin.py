"""Topic administration on a real cluster: describe, create, delete.

aiokafka's admin client reports a refused topic in its response instead of
raising, so each result is checked here and turned into a `TransportError`
that names the topic and the broker's reason (an unknown topic, a missing
ACL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
    UnknownTopicOrPartitionError,
    for_code,
)

from schemas import Topic
from services.runtime.errors import TransportError

if TYPE_CHECKING:
    from services.runtime.kafka import KafkaTransport


async def admin_client(transport: KafkaTransport) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(**transport.connection, client_id="launchwatch-admin")
    await transport.start_client(admin)
    return admin


async def partitions_of(transport: KafkaTransport, topic: str) -> list[int]:
    admin = await admin_client(transport)
    try:
        (description,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    code = description["error_code"]
    if code == UnknownTopicOrPartitionError.errno:
        raise TransportError(f"topic {topic!r} does not exist on {transport.bootstrap}")
    if code == TopicAuthorizationFailedError.errno:
        raise TransportError(
            f"not authorized to read topic {topic!r} "
            f"({transport.options.security.describe()}): the user lacks an ACL for it"
        )
    if code != 0:
        raise TransportError(f"cannot read topic {topic!r}: {for_code(code).__name__}")
    return sorted(partition["partition"] for partition in description["partitions"])


async def create_topics(
    transport: KafkaTransport, topics: Sequence[Topic], replication_factor: int
) -> list[str]:
    """Create the missing `topics`; returns the names created."""
    admin = await admin_client(transport)
    try:
        replicas = replication_factor
        if replicas <= 0:
            cluster = await admin.describe_cluster()
            replicas = min(3, len(cluster["brokers"]))
        existing = set(await admin.list_topics())
        wanted = [topic for topic in topics if topic.name not in existing]
        if not wanted:
            return []
        response = await admin.create_topics(
            [
                NewTopic(
                    name=topic.name,
                    num_partitions=topic.partitions,
                    replication_factor=replicas,
                    topic_configs=topic.kafka_configs(),
                )
                for topic in wanted
            ]
        )
        created = []
        for name, code, *message in response.topic_errors:
            error = for_code(code)
            if code == 0:
                created.append(name)
            elif error is not TopicAlreadyExistsError:
                raise TransportError(f"cannot create topic {name}: {error.__name__} {message}")
        return created
    finally:
        await admin.close()


async def delete_topics(transport: KafkaTransport, names: Sequence[str]) -> None:
    """Delete those of `names` that exist."""
    admin = await admin_client(transport)
    try:
        existing = set(await admin.list_topics())
        doomed = [name for name in names if name in existing]
        if doomed:
            response = await admin.delete_topics(doomed)
            for name, code, *_ in response.topic_error_codes:
                if code not in (0, UnknownTopicOrPartitionError.errno):
                    raise TransportError(f"cannot delete topic {name}: {for_code(code).__name__}")
    finally:
        await admin.close()
