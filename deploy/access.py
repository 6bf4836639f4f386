"""Least-privilege Kafka access for each launchwatch user, derived from the topic registry.

Each service runs as its own Kafka user and may touch only what it needs:

* the topics it consumes: Read and Describe;
* the topics it produces: Write, Describe, and Read (a service reads back its
  own state tables, such as ``fetcher.state``, when it takes over partitions);
* the topics it follows whole outside any group (the web view): Read and Describe;
* its consumer groups and transactional ids, by the prefix of its group id
  (``launchwatch-<service>``, to which a stage name and a partition are added),
  for services that consume in groups.

The CLI user may write and read ``feeds`` (``feeds add|remove|list``). Creating
topics is the cluster admin's job (``launchwatch topics create`` as that user,
or Strimzi's topic operator). The same grants become Strimzi ``KafkaUser``
resources (`deploy/generate.py`) and the ACLs of the secured test broker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemas.topics import TOPICS
from services.catalog import SERVICES as CATALOG

ResourceType = Literal["topic", "group", "transactionalId"]
PatternType = Literal["literal", "prefix"]

SERVICES = tuple(CATALOG)
USERS = (*SERVICES, "cli")


@dataclass(frozen=True)
class Grant:
    """Operations allowed on one resource (or every resource with a name prefix)."""

    resource_type: ResourceType
    name: str
    pattern: PatternType
    operations: tuple[str, ...]


def grants(user: str, *, topic_prefix: str = "", group_prefix: str | None = None) -> list[Grant]:
    """What `user` (a service name, or ``cli``) may do; groups default to launchwatch-<user>."""
    if user not in USERS:
        raise ValueError(f"unknown user {user!r}; known: {', '.join(USERS)}")
    allowed: list[Grant] = []
    for topic in TOPICS:
        producer = user in topic.producers
        if producer:
            operations: tuple[str, ...] = ("Read", "Write", "Describe")
        elif user in topic.consumers or user in topic.readers:
            operations = ("Read", "Describe")
        else:
            continue
        allowed.append(Grant("topic", topic_prefix + topic.name, "literal", operations))
    if any(user in topic.consumers for topic in TOPICS):
        group = group_prefix if group_prefix is not None else f"launchwatch-{user}"
        allowed.append(Grant("group", group, "prefix", ("Read", "Describe")))
        allowed.append(Grant("transactionalId", group, "prefix", ("Write", "Describe")))
    return allowed
