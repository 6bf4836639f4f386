"""`launchwatch topics create|list`: the registry's topics, on a real cluster.

`create` is idempotent: it creates what is missing, with the partitions and
configuration of `schemas.topics`, and leaves existing topics alone.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from schemas import TOPICS
from services.runtime.service import kafka_transport
from services.runtime.settings import CLIENT_SETTINGS, RuntimeSettings, add_arguments, load


def register(commands: Any) -> None:
    topics = commands.add_parser("topics", help="create or list the topics")
    actions = topics.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create missing topics from the registry")
    add_arguments(create, RuntimeSettings, CLIENT_SETTINGS | {"replication_factor"})
    create.set_defaults(run=create_topics)
    listing = actions.add_parser("list", help="show the registry")
    listing.set_defaults(run=list_topics)


def create_topics(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    settings = load(RuntimeSettings, args, environ)
    transport = kafka_transport(settings)
    wanted = [
        dataclasses.replace(topic, name=settings.topic_prefix + topic.name) for topic in TOPICS
    ]
    created = set(asyncio.run(transport.create_topics(wanted)))
    for topic in wanted:
        print(f"{'created' if topic.name in created else 'exists '} {topic.name}")
    return 0


def list_topics(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    table = Table("topic", "key", "value", "partitions", "cleanup", "retention", "max bytes")
    for topic in TOPICS:
        days = "forever" if topic.retention_ms < 0 else f"{topic.retention_ms // 86_400_000} d"
        table.add_row(
            topic.name,
            topic.key_field,
            topic.value_type.__name__ if topic.value_type else "original bytes",
            str(topic.partitions),
            topic.cleanup_policy,
            days,
            str(topic.max_message_bytes),
        )
    Console().print(table)
    return 0
