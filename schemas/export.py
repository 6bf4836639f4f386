"""The contract as documents: one JSON Schema per message type and one AsyncAPI file.

Consumers in other languages generate code from, or validate against, these
files instead of reading Python. They are derived from the Structs and the topic
registry, never edited by hand, and checked in under ``schemas/`` so that a
change to the contract shows up as a diff in review; a test fails when the
checked-in copies fall behind the code. Regenerate them with::

    launchwatch schemas export schemas

Layout of an export into ``DIR``::

    DIR/asyncapi.json                      every topic, message and header
    DIR/jsonschema/<Name>.v<major>.schema.json   also the web API's documents (`schemas.web`)

The output is byte-for-byte deterministic (sorted keys, two-space indent,
trailing newline), so the same code always yields the same files. Prose does not
depend on the library either: msgspec has copied struct docstrings into schemas
with and without their indentation from one release to the next, so every
`description` is cleaned here (`inspect.cleandoc`) before it is written, and the
currency test compares the documents' meaning, not their bytes.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
from msgspec import inspect as mi

from schemas.message import Message
from schemas.topics import MESSAGE_TYPES, TOPICS, Topic
from schemas.web import API_DOCUMENTS, ApiDocument
from schemas.wire import CONTENT_TYPE, SPECVERSION

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE_URL = "https://launchwatch.dev/schemas/"
ASYNCAPI_FILE = "asyncapi.json"
JSON_SCHEMA_DIR = "jsonschema"

CONTRACT_VERSION = "1.0.0"
"""`info.version` of the AsyncAPI document: the major follows the messages' major versions."""

LOCAL_KAFKA = "127.0.0.1:9092"
KAFKA_BINDING_VERSION = "0.5.0"
DEAD_LETTER_CONTENT_TYPE = "application/octet-stream"

DLQ_REASONS: tuple[str, ...] = ("undecodable", "invalid", "handler-failed", "too-large")
"""Values of the `dlq_reason` header, as the runtime writes them."""

_DECIMAL = "^-?[0-9]+$"

DEAD_LETTER_HEADERS: dict[str, dict[str, Any]] = {
    "dlq_reason": {
        "enum": list(DLQ_REASONS),
        "description": (
            "Why the record was dead-lettered: `undecodable` (not JSON), `invalid` (JSON "
            "that breaks the schema or carries another ce_type), `handler-failed` (the "
            "service failed on it after its retries), `too-large` (an output it produced "
            "exceeds its topic's max.message.bytes)."
        ),
    },
    "dlq_error": {"type": "string", "description": "The error, as text (truncated)."},
    "dlq_topic": {"type": "string", "description": "Topic the record was consumed from."},
    "dlq_partition": {"type": "string", "pattern": _DECIMAL, "description": "Its partition."},
    "dlq_offset": {"type": "string", "pattern": _DECIMAL, "description": "Its offset."},
    "dlq_timestamp": {
        "type": "string",
        "pattern": _DECIMAL,
        "description": "The original record's timestamp, milliseconds since the epoch.",
    },
    "dlq_consumer_group": {"type": "string", "description": "Consumer group that gave up."},
    "dlq_service": {"type": "string", "description": "Service that gave up, e.g. `parser`."},
    "dlq_attempts": {
        "type": "string",
        "pattern": "^[1-9][0-9]*$",
        "description": "How many times the service tried the record.",
    },
    "dlq_failed_at": {
        "type": "string",
        "format": "date-time",
        "description": "When it was dead-lettered, RFC 3339 in UTC.",
    },
}
"""The headers the runtime adds to a dead-lettered record, as JSON Schemas of their text."""


def dump(document: Any) -> bytes:
    """The one serialisation of every exported file, so copies compare byte for byte."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def schema_file_name(value_type: type[Message] | type[ApiDocument]) -> str:
    """``RawArticle.v1.schema.json``: the name carries the major version, as `ce_type` does."""
    return f"{value_type.__name__}.v{value_type.major_version}.schema.json"


def _doc(value_type: type[msgspec.Struct]) -> str:
    return inspect.getdoc(value_type) or value_type.__name__


def json_schema(value_type: type[Message] | type[ApiDocument]) -> dict[str, Any]:
    """A standalone draft 2020-12 JSON Schema of one message type."""
    generated = msgspec.json.schema(value_type)
    _constrain_dict_keys(generated["$defs"], [value_type])
    return normalise_descriptions(
        {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": SCHEMA_BASE_URL + schema_file_name(value_type),
            "title": value_type.__name__,
            "description": _doc(value_type),
            **generated,
        }
    )


def normalise_descriptions(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with every ``description`` string cleaned as `inspect.getdoc` cleans.

    Descriptions come from docstrings, whose indentation is an accident of the
    source; whether the schema generator keeps it is an accident of its version.
    """
    cleaned: dict[str, Any] = _cleaned(document)
    return cleaned


def _cleaned(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: inspect.cleandoc(value)
            if key == "description" and isinstance(value, str)
            else _cleaned(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_cleaned(item) for item in node]
    return node


def _constrain_dict_keys(
    definitions: dict[str, Any], roots: Iterable[type[msgspec.Struct]]
) -> None:
    """Add ``propertyNames`` where a dict's keys are a closed vocabulary.

    msgspec's generator describes only a dict's values, while its decoder also
    refuses unknown keys (e.g. an `evidence` entry for a fact that does not
    exist); without this the JSON Schema would accept what launchwatch refuses.
    """
    for struct in _struct_types(roots):
        properties = definitions[struct.cls.__name__]["properties"]
        for field in struct.fields:
            field_type = field.type.type if isinstance(field.type, mi.Metadata) else field.type
            if not isinstance(field_type, mi.DictType):
                continue
            keys = field_type.key_type
            if isinstance(keys, mi.LiteralType):
                allowed = list(keys.values)
            elif isinstance(keys, mi.EnumType):
                allowed = [member.value for member in keys.cls]
            else:
                continue
            properties[field.encode_name]["propertyNames"] = {"enum": allowed}


def _struct_types(roots: Iterable[type[msgspec.Struct]]) -> list[mi.StructType]:
    """Every Struct reachable from `roots`, each once."""
    found: dict[type, mi.StructType] = {}
    pending: list[mi.Type] = list(mi.multi_type_info(list(roots)))
    while pending:
        info = pending.pop()
        if isinstance(info, mi.StructType):
            if info.cls not in found:
                found[info.cls] = info
                pending.extend(field.type for field in info.fields)
        elif isinstance(info, mi.Metadata):
            pending.append(info.type)
        elif isinstance(info, mi.UnionType):
            pending.extend(info.types)
        elif isinstance(info, mi.VarTupleType | mi.ListType | mi.SetType | mi.FrozenSetType):
            pending.append(info.item_type)
        elif isinstance(info, mi.TupleType):
            pending.extend(info.item_types)
        elif isinstance(info, mi.DictType):
            pending.extend((info.key_type, info.value_type))
    return list(found.values())


def _pointer(*tokens: str) -> str:
    """A JSON Pointer reference inside the AsyncAPI document (RFC 6901 escaping)."""
    return "#/" + "/".join(token.replace("~", "~0").replace("/", "~1") for token in tokens)


def cloudevents_headers(value_type: type[Message]) -> dict[str, Any]:
    """The headers schema of a message: CloudEvents 1.0, Kafka binding, binary mode."""
    return {
        "type": "object",
        "description": (
            "CloudEvents 1.0 attributes in the Kafka protocol binding's binary mode. "
            "launchwatch producers write all of them; a record written by hand (with "
            "kcat, say) may carry none and is still accepted when its JSON is valid."
        ),
        "properties": {
            "ce_specversion": {"type": "string", "const": SPECVERSION},
            "ce_id": {
                "type": "string",
                "pattern": "^[0-9a-f]{32}$",
                "description": (
                    "Digest of type, key and value: a redelivered record repeats it, so a "
                    "consumer can drop duplicates; different content gets a different id."
                ),
            },
            "ce_source": {
                "type": "string",
                "minLength": 1,
                "description": "The producing service, e.g. `/launchwatch/parser`.",
            },
            "ce_type": {
                "type": "string",
                "const": value_type.cloudevents_type(),
                "description": "Schema name and major version; route and decode on it.",
            },
            "ce_time": {
                "type": "string",
                "format": "date-time",
                "description": "When the record was produced, RFC 3339 in UTC.",
            },
            "ce_subject": {"type": "string", "description": "The record key, repeated."},
            "content-type": {"type": "string", "const": CONTENT_TYPE},
        },
        "required": ["ce_specversion", "ce_id", "ce_source", "ce_type"],
    }


def _key_schema(topic: Topic, components: dict[str, Any]) -> dict[str, Any]:
    assert topic.value_type is not None
    field = components[topic.value_type.__name__]["properties"][topic.key_field]
    key: dict[str, Any] = {
        "type": "string",
        "description": f"The value's `{topic.key_field}`, UTF-8.",
    }
    if "pattern" in field:
        key["pattern"] = field["pattern"]
    return key


def _message(topic: Topic, components: dict[str, Any]) -> dict[str, Any]:
    value_type = topic.value_type
    assert value_type is not None
    name = value_type.__name__
    return {
        "name": name,
        "title": name,
        "summary": _doc(value_type).splitlines()[0],
        "description": f"{_doc(value_type)}\n\n`ce_type`: `{value_type.cloudevents_type()}`.",
        "contentType": CONTENT_TYPE,
        "payload": {"$ref": _pointer("components", "schemas", name)},
        "headers": cloudevents_headers(value_type),
        "bindings": {
            "kafka": {
                "key": _key_schema(topic, components),
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


DEAD_LETTER_MESSAGE = "DeadLetter"


def _dead_letter_message() -> dict[str, Any]:
    return {
        "name": DEAD_LETTER_MESSAGE,
        "title": "Dead letter",
        "summary": "A record a service could not process, kept byte for byte.",
        "description": (
            "The original record's key, value and headers, unchanged, plus `dlq_*` headers "
            "saying why it failed and where it came from. Inspect it with any Kafka tool "
            "and replay it to `dlq_topic` once the cause is fixed."
        ),
        "contentType": DEAD_LETTER_CONTENT_TYPE,
        "payload": {
            "type": "string",
            "format": "binary",
            "description": "The original value: arbitrary bytes, not necessarily JSON or UTF-8.",
        },
        "headers": {
            "type": "object",
            "description": (
                "The dlq_* headers; the original record's headers (ce_*, content-type) "
                "follow as they were."
            ),
            "properties": DEAD_LETTER_HEADERS,
            "required": list(DEAD_LETTER_HEADERS),
            "additionalProperties": True,
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The original record's key, unchanged."},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _message_name(topic: Topic) -> str:
    return topic.value_type.__name__ if topic.value_type is not None else DEAD_LETTER_MESSAGE


def _channel(topic: Topic) -> dict[str, Any]:
    description = topic.description
    if topic.cleanup_policy == "compact":
        description += (
            " The latest record per key is the current value; a null value (tombstone) "
            "removes the key."
        )
    message = _message_name(topic)
    return {
        "address": topic.name,
        "title": topic.name,
        "description": description,
        "messages": {message: {"$ref": _pointer("components", "messages", message)}},
        "bindings": {
            "kafka": {
                "partitions": topic.partitions,
                "topicConfiguration": {
                    "cleanup.policy": [topic.cleanup_policy],
                    "retention.ms": topic.retention_ms,
                    "max.message.bytes": topic.max_message_bytes,
                },
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _operations(topic: Topic) -> dict[str, Any]:
    """``<service>.send.<topic>`` and ``<service>.receive.<topic>`` from the registry."""
    message = _message_name(topic)
    operations: dict[str, Any] = {}
    for action, services in (
        ("send", topic.producers),
        ("receive", topic.consumers + topic.readers),
    ):
        for service in services:
            verb = "writes" if action == "send" else "reads"
            operations[f"{service}.{action}.{topic.name}"] = {
                "action": action,
                "channel": {"$ref": _pointer("channels", topic.name)},
                "messages": [{"$ref": _pointer("channels", topic.name, "messages", message)}],
                "summary": f"{service} {verb} {message} records on {topic.name}.",
                "tags": [{"name": service}],
            }
    return operations


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0.0 description of every topic in the registry."""
    _, components = msgspec.json.schema_components(
        MESSAGE_TYPES, ref_template="#/components/schemas/{name}"
    )
    _constrain_dict_keys(components, MESSAGE_TYPES)
    messages = {
        _message_name(topic): _message(topic, components)
        for topic in TOPICS
        if topic.value_type is not None
    }
    messages[DEAD_LETTER_MESSAGE] = _dead_letter_message()
    operations: dict[str, Any] = {}
    for topic in TOPICS:
        operations.update(_operations(topic))
    return normalise_descriptions(
        {
            "asyncapi": "3.0.0",
            "info": {
                "title": "launchwatch",
                "version": CONTRACT_VERSION,
                "description": (
                    "News feeds in, missile and rocket launch alerts out: the Kafka topics "
                    "launchwatch writes, their JSON messages and CloudEvents headers. Topic "
                    "names may carry a deployment prefix (LAUNCHWATCH_TOPIC_PREFIX). A breaking "
                    "change to a message means a new major version on a new topic "
                    "(`<topic>.v2`); see schemas/README.md."
                ),
            },
            "defaultContentType": CONTENT_TYPE,
            "servers": {
                "local": {
                    "host": LOCAL_KAFKA,
                    "protocol": "kafka",
                    "title": "Local Kafka",
                    "description": (
                        "The single-node broker of local runs and tests; elsewhere the "
                        "brokers come from LAUNCHWATCH_KAFKA_BOOTSTRAP."
                    ),
                }
            },
            "channels": {topic.name: _channel(topic) for topic in TOPICS},
            "operations": operations,
            "components": {"schemas": components, "messages": messages},
        }
    )


def exported_documents() -> dict[str, bytes]:
    """Every exported file: path relative to the export directory -> exact content."""
    documents = {ASYNCAPI_FILE: dump(asyncapi_document())}
    documented: list[type[Message] | type[ApiDocument]] = [*MESSAGE_TYPES, *API_DOCUMENTS]
    for value_type in documented:
        path = f"{JSON_SCHEMA_DIR}/{schema_file_name(value_type)}"
        documents[path] = dump(json_schema(value_type))
    return dict(sorted(documents.items()))


def export(directory: Path) -> list[Path]:
    """Write the exported files under `directory` and return their paths.

    Only those files are written, each through a temporary sibling and a rename
    so that a reader never sees half a file, and only when its content changed;
    nothing else in `directory` is touched, so exporting into ``schemas/``
    beside the Python modules is safe.
    """
    paths: list[Path] = []
    for name, content in exported_documents().items():
        path = directory.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.is_file() and path.read_bytes() == content):
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(content)
            os.replace(partial, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m schemas.export DIR``, for environments without the CLI."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m schemas.export DIR", file=sys.stderr)
        return 2
    for path in export(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
