"""`launchwatch tail TOPIC`: print a topic's records as JSON lines.

Each line holds the record's position, key and headers, and its value decoded
with the topic's schema. A record that does not decode is printed too, with
the error and its bytes (as text, or base64 when not UTF-8): tail is the tool
for looking at poison, so it must never choke on it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
from collections.abc import Mapping
from typing import Any

import msgspec

from schemas import WireError, decode, topic_named
from services.runtime import ConsumedRecord, Transport
from services.runtime.service import kafka_transport
from services.runtime.settings import CLIENT_SETTINGS, RuntimeSettings, add_arguments, load


def register(commands: Any) -> None:
    tail = commands.add_parser("tail", help="print a topic's records as JSON lines")
    tail.add_argument("topic", help="topic name, without the prefix")
    tail.add_argument("--follow", "-f", action="store_true", help="keep printing new records")
    tail.add_argument(
        "--from-beginning", action="store_true", help="start at the oldest record, not the end"
    )
    add_arguments(tail, RuntimeSettings, CLIENT_SETTINGS)
    tail.set_defaults(run=run_tail)


def run_tail(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    try:
        topic_named(args.topic)
    except KeyError as error:
        print(f"launchwatch tail: {error.args[0]}", file=sys.stderr)
        return 2
    settings = load(RuntimeSettings, args, environ)
    transport = kafka_transport(settings)
    name = settings.topic_prefix + args.topic
    return asyncio.run(tail(transport, name, args.topic, args.from_beginning, args.follow))


async def tail(
    transport: Transport, name: str, registered: str, from_beginning: bool, follow: bool
) -> int:
    value_type = topic_named(registered).value_type
    async for record in transport.read(name, from_beginning=from_beginning, follow=follow):
        sys.stdout.write(render(record, value_type) + "\n")
        sys.stdout.flush()
    return 0


def render(record: ConsumedRecord, value_type: Any) -> str:
    """One JSON line for `record`; the value decoded when the schema allows."""
    line: dict[str, Any] = {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp_ms": record.timestamp_ms,
        "key": _text(record.key),
        "headers": {name: _text(value) for name, value in record.headers},
    }
    if record.value is None:
        line["value"] = None
    elif value_type is None:
        line["value"] = _text(record.value)
    else:
        try:
            line["value"] = decode(value_type, record.value, record.headers)
        except WireError as error:
            line["error"] = str(error)
            line["value"] = _text(record.value)
    return msgspec.json.encode(line).decode()


def _text(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(data).decode()
