"""The exported JSON Schema and AsyncAPI files are current, canonical and agree with the registry.

Meaning is compared, not bytes, so a stale export is named by the JSON path that differs.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from jsonschema import Draft202012Validator

from schemas import TOPICS, Message, Topic, topic_for
from schemas.export import export, exported_documents, normalise_descriptions
from tests.contract_files import (
    CE_HEADERS,
    SCHEMAS_DIR,
    asyncapi,
    by_topic,
    by_type,
    checked_in_schema,
    sample_value,
)

REGENERATE = "run `launchwatch schemas export schemas` and commit the result"
EXPORTED = exported_documents()


def _first_difference(actual: object, expected: object, path: str = "$") -> str | None:
    """Where two parsed documents first differ, as a JSON path, or None when they agree."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        for key in sorted(set(actual) | set(expected)):
            if key not in actual or key not in expected:
                side = "generated only" if key not in actual else "checked in only"
                return f"{path}.{key}: {side}"
            found = _first_difference(actual[key], expected[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        for index, (old, new) in enumerate(zip(actual, expected, strict=True)):
            found = _first_difference(old, new, f"{path}[{index}]")
            if found:
                return found
        return None
    if actual != expected:
        return f"{path}: checked in {actual!r:.120}, generated {expected!r:.120}"
    return None


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> object:
    assert ref.startswith("#/"), f"{ref} leaves the document"
    node: object = document
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict), f"{ref} does not resolve"
        assert token in node, f"{ref} does not resolve"
        node = node[token]
    return node


@pytest.mark.parametrize("name", sorted(EXPORTED))
def test_checked_in_export_is_current(name: str) -> None:
    path = SCHEMAS_DIR / name
    assert path.is_file(), f"{path} is missing; {REGENERATE}"
    # Meaning, not bytes: key order and whitespace are the serialiser's business
    # (test_exported_documents_are_deterministic_and_canonical checks those).
    difference = _first_difference(json.loads(path.read_bytes()), json.loads(EXPORTED[name]))
    if difference:
        pytest.fail(f"{path} is stale ({difference}); {REGENERATE}")


class _IndentedDocstring(msgspec.Struct):
    """First line.

    An indented second paragraph, as every multi-line docstring in the source has.
    """

    value: int


def test_descriptions_do_not_depend_on_how_the_generator_keeps_indentation() -> None:
    raw = {"description": _IndentedDocstring.__doc__, "items": [{"description": "  x\n  y"}]}
    assert normalise_descriptions(raw) == {
        "description": (
            "First line.\n\nAn indented second paragraph, as every multi-line docstring "
            "in the source has."
        ),
        "items": [{"description": "x\ny"}],
    }
    generated = normalise_descriptions(msgspec.json.schema(_IndentedDocstring))
    described = generated["$defs"]["_IndentedDocstring"]["description"]
    assert described == inspect.getdoc(_IndentedDocstring)


def test_a_stale_export_is_named_by_the_path_that_differs() -> None:
    checked_in = {"a": {"b": [1, {"c": "old"}]}}
    assert _first_difference(checked_in, checked_in) is None
    assert _first_difference(checked_in, {"a": {"b": [1, {"c": "new"}]}}) == (
        "$.a.b[1].c: checked in 'old', generated 'new'"
    )
    assert _first_difference({"a": 1}, {"a": 1, "z": 2}) == "$.z: generated only"


def test_no_stale_json_schema_files() -> None:
    expected = {name.removeprefix("jsonschema/") for name in EXPORTED if "/" in name}
    present = {path.name for path in (SCHEMAS_DIR / "jsonschema").iterdir()}
    assert present == expected, f"jsonschema/ differs from the message types; {REGENERATE}"


def test_exported_documents_are_deterministic_and_canonical() -> None:
    assert exported_documents() == EXPORTED
    for name, content in EXPORTED.items():
        canonical = json.dumps(json.loads(content), indent=2, sort_keys=True, ensure_ascii=False)
        assert content == (canonical + "\n").encode(), name


def test_export_creates_the_directory_and_returns_every_path(tmp_path: Path) -> None:
    target = tmp_path / "out" / "contract"
    paths = export(target)
    assert sorted(paths) == sorted(target.joinpath(*name.split("/")) for name in EXPORTED)
    for name, content in EXPORTED.items():
        assert target.joinpath(*name.split("/")).read_bytes() == content


def test_export_leaves_everything_else_alone(tmp_path: Path) -> None:
    bystanders = {
        "__init__.py": b'"""the package"""\n',
        "samples/RawArticle.v1.json": b"{}\n",
        "jsonschema/notes.txt": b"kept\n",
    }
    for name, content in bystanders.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    export(tmp_path)
    files = {
        path.relative_to(tmp_path).as_posix(): path.read_bytes()
        for path in tmp_path.rglob("*")
        if path.is_file()
    }
    assert files == {**bystanders, **EXPORTED}


def test_export_rewrites_only_what_changed(tmp_path: Path) -> None:
    export(tmp_path)
    untouched = tmp_path / "asyncapi.json"
    damaged = tmp_path / "jsonschema" / "RawArticle.v1.schema.json"
    os.utime(untouched, ns=(1_000_000_000, 1_000_000_000))
    damaged.write_bytes(b"{}\n")
    export(tmp_path)
    assert untouched.stat().st_mtime_ns == 1_000_000_000
    assert damaged.read_bytes() == EXPORTED["jsonschema/RawArticle.v1.schema.json"]


@by_type
def test_json_schema_names_itself(value_type: type[Message]) -> None:
    schema = checked_in_schema(value_type)
    name = value_type.__name__
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://launchwatch.dev/schemas/{name}.v1.schema.json"
    assert schema["title"] == name
    assert schema["description"] == inspect.getdoc(value_type)
    assert schema["$ref"] == f"#/$defs/{name}"


@by_type
def test_json_schema_agrees_with_asyncapi_components(value_type: type[Message]) -> None:
    components = asyncapi()["components"]["schemas"]
    for name, definition in checked_in_schema(value_type)["$defs"].items():
        as_component = json.loads(
            json.dumps(components[name]).replace("#/components/schemas/", "#/$defs/")
        )
        assert as_component == definition, name


def test_asyncapi_shape() -> None:
    document = asyncapi()
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "launchwatch"
    assert document["info"]["version"]
    assert document["defaultContentType"] == "application/json"
    assert document["servers"]["local"] == document["servers"]["local"] | {
        "host": "127.0.0.1:9092",
        "protocol": "kafka",
    }
    assert set(document["channels"]) == {topic.name for topic in TOPICS}


def test_asyncapi_refs_all_resolve() -> None:
    document = asyncapi()
    refs = set(_refs(document))
    assert len(refs) > len(TOPICS)
    for ref in refs:
        _resolve(document, ref)


@by_topic
def test_asyncapi_channel_matches_registry(topic: Topic) -> None:
    channel = asyncapi()["channels"][topic.name]
    assert channel["address"] == topic.name
    kafka = channel["bindings"]["kafka"]
    assert kafka["bindingVersion"] == "0.5.0"
    assert kafka["partitions"] == topic.partitions
    assert kafka.get("replicas", 1) == 1
    assert kafka["topicConfiguration"] == {
        "cleanup.policy": [topic.cleanup_policy],
        "retention.ms": topic.retention_ms,
        "max.message.bytes": topic.max_message_bytes,
    }
    message = topic.value_type.__name__ if topic.value_type else "DeadLetter"
    assert channel["messages"] == {message: {"$ref": f"#/components/messages/{message}"}}


@by_topic
def test_asyncapi_operations_match_producers_and_consumers(topic: Topic) -> None:
    document = asyncapi()
    mine = {
        name: operation
        for name, operation in document["operations"].items()
        if operation["channel"] == {"$ref": f"#/channels/{topic.name}"}
    }
    expected = {f"{service}.send.{topic.name}": "send" for service in topic.producers} | {
        f"{service}.receive.{topic.name}": "receive" for service in topic.consumers + topic.readers
    }
    assert {name: operation["action"] for name, operation in mine.items()} == expected
    for operation in mine.values():
        for ref in operation["messages"]:
            assert ref["$ref"].startswith(f"#/channels/{topic.name}/messages/")


@by_type
def test_asyncapi_message_describes_payload_headers_and_key(value_type: type[Message]) -> None:
    name = value_type.__name__
    message = asyncapi()["components"]["messages"][name]
    assert message["name"] == name
    assert message["title"]
    assert message["contentType"] == "application/json"
    assert message["payload"] == {"$ref": f"#/components/schemas/{name}"}
    headers = message["headers"]
    assert headers["type"] == "object"
    assert set(headers["properties"]) == set(CE_HEADERS)
    assert headers["properties"]["ce_specversion"]["const"] == "1.0"
    assert headers["properties"]["ce_type"]["const"] == f"launchwatch.{name}.v1"
    assert headers["properties"]["ce_time"]["format"] == "date-time"
    assert headers["properties"]["content-type"]["const"] == "application/json"
    assert set(headers["required"]) >= {"ce_specversion", "ce_id", "ce_source", "ce_type"}
    key = message["bindings"]["kafka"]["key"]
    assert key["type"] == "string"
    assert re.fullmatch(key["pattern"], topic_for(value_type).key_of(sample_value(value_type)))
