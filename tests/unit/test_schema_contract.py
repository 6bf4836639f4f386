"""The published contract of `schemas/`: exported documents, samples, wire format, registry.

Consumers outside this repository depend on the checked-in JSON Schema and
AsyncAPI files, on the samples, on the CloudEvents headers and on the topic
table. These tests make any accidental change to those fail CI: the exported
files must be current, the hand-written v1 samples must still decode and
validate, and the v1 baseline below may only grow (see schemas/README.md).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from jsonschema import Draft202012Validator, FormatChecker

import schemas
from schemas import (
    COUNTRY_CODES,
    MESSAGE_TYPES,
    TOPICS,
    AlertDelivery,
    Article,
    EnrichedArticle,
    FeedState,
    FeedSubscription,
    InvalidMessage,
    LaunchAlert,
    LaunchEvent,
    LaunchReport,
    Message,
    RawArticle,
    Topic,
    UndecodableMessage,
    WireError,
    WrongMessageType,
    decode,
    encode,
    header,
    topic_for,
    topic_named,
)
from schemas.articles import PublishedSource
from schemas.export import export, exported_documents, normalise_descriptions
from schemas.feeds import ArticleClaim, ArticleLead, WebSubEvent, WebSubSubscription
from schemas.launches import ClaimQuantity, FactName
from services.runtime.deadletter import dead_letter
from services.runtime.records import ConsumedRecord

SCHEMAS_DIR = Path(schemas.__file__).parent
SAMPLES_DIR = SCHEMAS_DIR / "samples"
REGENERATE = "run `launchwatch schemas export schemas` and commit the result"
EXPORTED = exported_documents()
PRODUCED_AT = datetime(2025, 10, 28, 22, 6, 13, 204000, tzinfo=UTC)

# The v1 contract as first published. It may only grow: a field or member
# listed here that disappears, or a field that becomes required ("*" marks the
# required ones), is a breaking change and needs a v2 (schemas/README.md).
V1_FIELDS = {
    "AlertDelivery": "delivery_id* receiver* alert* status attempts next_attempt_at* "
    "created_at* finished_at last_error",
    "Article": "article_id* url* feed_id* canonical_url title text* authors published_at "
    "published_source language site_name word_count extraction quality_flags fetched_at "
    "parsed_at*",
    "Claim": "quantity* value* claimed_by span",
    "EnrichedArticle": "article_id* url* title published_at entities is_launch_report "
    "rejected_as launch mentions_other_launches enriched_at*",
    "Entity": "kind* span* canonical* country confidence",
    "FeedEntry": "entry_id* title link summary content published_at updated_at authors categories",
    "FeedState": "feed_id* url* status http_status error etag last_modified body_sha256 "
    "interval_s next_poll_at consecutive_failures last_polled_at last_success_at "
    "last_new_entry_at seen_entry_ids redirect_target redirect_since gone_since updated_at*",
    "FeedSubscription": "feed_id* url* tags poll_interval_s title added_at*",
    "LaunchAlert": "country launch_date missile_type range_class weapon_names count location "
    "impact_area outcome officials reported_by claims alert_id* kind* event_id* revision "
    "changed headline* article_urls raised_at*",
    "LaunchEvent": "country launch_date missile_type range_class weapon_names count location "
    "impact_area outcome officials reported_by claims event_id* revision article_ids "
    "article_urls sources report_count first_reported_at* last_reported_at*",
    "LaunchReport": "country_key* report*",
    "LaunchFacts": "country launch_date missile_type range_class weapon_names count location "
    "impact_area outcome officials reported_by claims event_id evidence",
    "MentionedLaunch": "launch_date missile_type range_class span",
    "Place": "name* latitude longitude timezone",
    "RawArticle": "article_id* url* feed_id* feed_url* entry* fetched_at* final_url "
    "http_status content_type body page_error",
    "Span": "start* end* text*",
}
V1_ENUMS = {
    "AlertKind": "new update",
    "DeliveryStatus": "delivered expired pending",
    "EntityKind": "actor agency official site weapon",
    "ExtractionPath": "feed-content feed-summary none page page-fallback",
    "FeedStatus": "blocked connect dns gone http new ok parse timeout tls too-large",
    "MissileType": "artillery-rocket ballistic cruise hypersonic space-launch "
    "surface-to-air unknown",
    "Modality": "historical negated not-a-launch planned",
    "Outcome": "failure success unknown",
    "RangeClass": "ICBM IRBM MRBM SLBM SRBM",
    "ReceiverKind": "alertmanager slack webhook",
}
V1_LITERALS: dict[str, tuple[Any, str]] = {
    "ClaimQuantity": (ClaimQuantity, "range_km apogee_km flight_time_s speed_mach"),
    "PublishedSource": (PublishedSource, "page feed none"),
    "FactName": (
        FactName,
        "country launch_date missile_type range_class weapon_names count location "
        "impact_area outcome officials reported_by",
    ),
}
DLQ_HEADERS = (
    "dlq_reason",
    "dlq_error",
    "dlq_topic",
    "dlq_partition",
    "dlq_offset",
    "dlq_timestamp",
    "dlq_consumer_group",
    "dlq_service",
    "dlq_attempts",
    "dlq_failed_at",
)
CE_HEADERS = (
    "ce_specversion",
    "ce_id",
    "ce_source",
    "ce_type",
    "ce_time",
    "ce_subject",
    "content-type",
)

by_type = pytest.mark.parametrize("value_type", MESSAGE_TYPES, ids=lambda t: t.__name__)
by_topic = pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.name)


# --- helpers -------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)


def _is_rfc3339(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _RFC3339.match(instance):
        return False
    datetime.fromisoformat(instance.upper().replace("Z", "+00:00"))  # ranges; ValueError
    return True


def _format_checker() -> FormatChecker:
    """jsonschema's checks, plus RFC 3339 date-time when its optional dependency is absent."""
    checker = FormatChecker()
    if "date-time" not in checker.checkers:
        checker.checks("date-time", raises=ValueError)(_is_rfc3339)
    return checker


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=_format_checker())


def _schema_errors(schema: dict[str, Any], instance: object) -> list[str]:
    return [
        f"{error.json_path}: {error.message}" for error in _validator(schema).iter_errors(instance)
    ]


def _sample_path(value_type: type[Message]) -> Path:
    return SAMPLES_DIR / f"{value_type.__name__}.v{value_type.major_version}.json"


def _sample(value_type: type[Message]) -> dict[str, Any]:
    loaded = json.loads(_sample_path(value_type).read_bytes())
    assert isinstance(loaded, dict)
    return loaded


def _value(value_type: type[Message]) -> Message:
    return decode(value_type, _sample_path(value_type).read_bytes())


def _checked_in_schema(value_type: type[Message]) -> dict[str, Any]:
    path = SCHEMAS_DIR / "jsonschema" / f"{value_type.__name__}.v1.schema.json"
    loaded = json.loads(path.read_bytes())
    assert isinstance(loaded, dict)
    return loaded


def _asyncapi() -> dict[str, Any]:
    loaded = json.loads((SCHEMAS_DIR / "asyncapi.json").read_bytes())
    assert isinstance(loaded, dict)
    return loaded


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


def _unknown_keys(sample: object, known: object, path: str = "$") -> Iterator[str]:
    """Keys of `sample` that the decoded message does not have: misspelt or removed fields."""
    if isinstance(sample, dict) and isinstance(known, dict):
        for key, value in sample.items():
            if key not in known:
                yield f"{path}.{key}"
            else:
                yield from _unknown_keys(value, known[key], f"{path}.{key}")
    elif isinstance(sample, list) and isinstance(known, list):
        for index, (item, known_item) in enumerate(zip(sample, known, strict=True)):
            yield from _unknown_keys(item, known_item, f"{path}[{index}]")


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


def _spans(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if set(node) == {"start", "end", "text"}:
            yield node
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for item in node:
            yield from _spans(item)


# --- the exported files are current --------------------------------------------------


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
    schema = _checked_in_schema(value_type)
    name = value_type.__name__
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://launchwatch.dev/schemas/{name}.v1.schema.json"
    assert schema["title"] == name
    assert schema["description"] == inspect.getdoc(value_type)
    assert schema["$ref"] == f"#/$defs/{name}"


@by_type
def test_json_schema_agrees_with_asyncapi_components(value_type: type[Message]) -> None:
    components = _asyncapi()["components"]["schemas"]
    for name, definition in _checked_in_schema(value_type)["$defs"].items():
        as_component = json.loads(
            json.dumps(components[name]).replace("#/components/schemas/", "#/$defs/")
        )
        assert as_component == definition, name


# --- samples -------------------------------------------------------------------------


def test_every_message_type_has_exactly_one_sample() -> None:
    present = {path.name for path in SAMPLES_DIR.glob("*.json")}
    assert present == {_sample_path(value_type).name for value_type in MESSAGE_TYPES}


@by_type
def test_sample_decodes_strictly(value_type: type[Message]) -> None:
    value = decode(value_type, _sample_path(value_type).read_bytes())
    assert type(value) is value_type
    # msgspec ignores unknown keys; a sample key the message lacks means a removed,
    # renamed or misspelt field, which must not pass silently.
    assert list(_unknown_keys(_sample(value_type), msgspec.to_builtins(value))) == []


@by_type
def test_sample_validates_against_checked_in_json_schema(value_type: type[Message]) -> None:
    assert _schema_errors(_checked_in_schema(value_type), _sample(value_type)) == []


@by_type
def test_consumers_tolerate_fields_added_later(value_type: type[Message]) -> None:
    """Old readers must accept new optional fields, or adding one would be breaking."""
    sample = _sample(value_type) | {"added_in_a_later_minor": {"any": ["value"]}}
    assert decode(value_type, json.dumps(sample).encode()) == _value(value_type)
    assert _schema_errors(_checked_in_schema(value_type), sample) == []


@by_type
def test_structs_stay_evolvable(value_type: type[Message]) -> None:
    info = msgspec.inspect.type_info(value_type)
    assert isinstance(info, msgspec.inspect.StructType)
    assert not info.forbid_unknown_fields, "unknown fields must be ignored"
    assert not info.array_like, "fields are matched by name, never by position"


def test_samples_tell_one_coherent_story() -> None:
    """The samples follow one launch through the pipeline, so their ids and spans agree."""
    raw, article, enriched = _sample(RawArticle), _sample(Article), _sample(EnrichedArticle)
    event, alert = _sample(LaunchEvent), _sample(LaunchAlert)
    assert _sample(AlertDelivery)["alert"] == alert
    assert raw["article_id"] == article["article_id"] == enriched["article_id"]
    assert raw["feed_id"] == article["feed_id"] == _sample(FeedSubscription)["feed_id"]
    assert enriched["launch"]["event_id"] == event["event_id"] == alert["event_id"]
    assert article["article_id"] in event["article_ids"]
    page = decode(RawArticle, json.dumps(raw).encode()).body
    assert page is not None
    assert f"<title>{article['title']} | {article['site_name']}</title>" in page.decode()
    spans = list(_spans(enriched))
    assert len(spans) > 10
    for span in spans:
        assert article["text"][span["start"] : span["end"]] == span["text"], span


# --- the JSON Schema refuses what the decoder refuses ---------------------------------


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def mutate(sample: dict[str, Any]) -> None:
        node: Any = sample
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return mutate


def _drop(field: str) -> Callable[[dict[str, Any]], None]:
    def mutate(sample: dict[str, Any]) -> None:
        del sample[field]

    return mutate


REFUSALS: list[tuple[type[Message], str, Callable[[dict[str, Any]], None]]] = [
    (FeedSubscription, "naive datetime", _set(("added_at",), "2025-09-02T08:15:00")),
    (EnrichedArticle, "country outside ISO 3166-1", _set(("launch", "country"), "XX")),
    (LaunchEvent, "lower-case country", _set(("country",), "kp")),
    (EnrichedArticle, "unknown evidence fact", _set(("launch", "evidence", "speed"), [])),
    (EnrichedArticle, "negative span offset", _set(("entities", 0, "span", "start"), -1)),
    (EnrichedArticle, "confidence above 1", _set(("entities", 0, "confidence"), 1.5)),
    (RawArticle, "id not a hex digest", _set(("article_id",), "North-Korea-1")),
    (LaunchAlert, "unknown alert kind", _set(("kind",), "retracted")),
    (LaunchEvent, "missing required field", _drop("first_reported_at")),
    (LaunchEvent, "latitude beyond the pole", _set(("location", "latitude"), 91.0)),
    (FeedState, "non-positive interval", _set(("interval_s",), 0)),
    (Article, "wrong type", _set(("word_count",), "many")),
]


@pytest.mark.parametrize(
    ("value_type", "mutate"),
    [(value_type, mutate) for value_type, _, mutate in REFUSALS],
    ids=[reason for _, reason, _ in REFUSALS],
)
def test_schema_and_decoder_refuse_alike(
    value_type: type[Message], mutate: Callable[[dict[str, Any]], None]
) -> None:
    sample = _sample(value_type)
    mutate(sample)
    with pytest.raises(InvalidMessage) as raised:
        decode(value_type, json.dumps(sample).encode())
    assert not isinstance(raised.value, WrongMessageType)
    assert _schema_errors(_checked_in_schema(value_type), sample) != []


# --- the v1 baseline only grows ------------------------------------------------------


def test_v1_fields_are_kept_and_none_became_required() -> None:
    _, current = msgspec.json.schema_components(MESSAGE_TYPES)
    for name, listed in V1_FIELDS.items():
        fields = {field.rstrip("*"): field.endswith("*") for field in listed.split()}
        assert name in current, f"{name} was removed"
        properties = set(current[name]["properties"])
        assert set(fields) <= properties, f"{name} lost {set(fields) - properties}"
        for field in current[name].get("required", []):
            assert fields.get(field, False), f"{name}.{field} is required but was not in v1"


def test_v1_vocabularies_are_kept() -> None:
    _, current = msgspec.json.schema_components(MESSAGE_TYPES)
    for name, members in V1_ENUMS.items():
        assert set(members.split()) <= set(current[name]["enum"]), name
    for name, (literal, values) in V1_LITERALS.items():
        assert set(values.split()) <= set(typing.get_args(literal)), name
    assert len(COUNTRY_CODES) == 249  # every officially assigned ISO 3166-1 alpha-2 code
    assert {"KP", "KR", "CN", "RU", "IR", "YE", "US", "IL", "UA"} <= COUNTRY_CODES


# --- AsyncAPI -------------------------------------------------------------------------


def test_asyncapi_shape() -> None:
    document = _asyncapi()
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
    document = _asyncapi()
    refs = set(_refs(document))
    assert len(refs) > len(TOPICS)
    for ref in refs:
        _resolve(document, ref)


@by_topic
def test_asyncapi_channel_matches_registry(topic: Topic) -> None:
    channel = _asyncapi()["channels"][topic.name]
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
    document = _asyncapi()
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
    message = _asyncapi()["components"]["messages"][name]
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
    assert re.fullmatch(key["pattern"], topic_for(value_type).key_of(_value(value_type)))


def test_asyncapi_dead_letter_message_documents_the_runtime_headers() -> None:
    message = _asyncapi()["components"]["messages"]["DeadLetter"]
    assert message["contentType"] != "application/json"  # original bytes, maybe not JSON
    headers = message["headers"]
    assert set(headers["properties"]) == set(DLQ_HEADERS)
    assert headers["properties"]["dlq_reason"]["enum"] == [
        "undecodable",
        "invalid",
        "handler-failed",
        "too-large",
    ]
    assert headers["additionalProperties"] is True  # the original headers ride along


def test_runtime_dead_letters_match_the_documented_headers() -> None:
    consumed = ConsumedRecord(
        topic="news.raw",
        partition=3,
        offset=1234,
        key=b"a69e5ef51b9f3a803b64ae3757029bae",
        value=b"\x1f\x8b not json",
        headers=(("ce_type", b"launchwatch.RawArticle.v1"), ("content-type", b"application/json")),
        timestamp_ms=1761689172418,
    )
    record = dead_letter(
        consumed,
        reason="undecodable",
        error="not JSON: malformed data",
        consumer_group="launchwatch-parser",
        service="parser",
        attempts=1,
    )
    assert record.topic == topic_named("news.raw").dlq_name
    assert (record.key, record.value) == (consumed.key, consumed.value)
    names = [name for name, _ in record.headers]
    assert len(names) == len(set(names))
    headers = {name: value.decode() for name, value in record.headers}
    schema = _asyncapi()["components"]["messages"]["DeadLetter"]["headers"]
    assert _schema_errors(schema, headers) == []
    assert headers["ce_type"] == "launchwatch.RawArticle.v1"


# --- encode / decode with CloudEvents headers -----------------------------------------

CHANGED: dict[type[Message], dict[str, Any]] = {
    FeedSubscription: {"title": "Example News — Asia & Pacific"},
    FeedState: {"consecutive_failures": 1},
    ArticleLead: {"feed_url": "https://news.example.com/rss/other.xml"},
    ArticleClaim: {"status": "done"},
    RawArticle: {"http_status": 203},
    Article: {"word_count": 124},
    EnrichedArticle: {"is_launch_report": False},
    LaunchEvent: {"revision": 3},
    LaunchAlert: {"revision": 2},
    LaunchReport: {"country_key": "unknown"},
    AlertDelivery: {"attempts": 3},
    WebSubSubscription: {"status": "failed"},
    WebSubEvent: {"kind": "verified"},
}


@by_type
def test_round_trip_with_cloudevents_headers(value_type: type[Message]) -> None:
    value = _value(value_type)
    key = topic_for(value_type).key_of(value)
    record = encode(value, key=key, source="/launchwatch/test", time=PRODUCED_AT)
    assert record.key == key.encode()
    assert decode(value_type, record.value, record.headers) == value
    names = [name for name, _ in record.headers]
    assert sorted(names) == sorted(CE_HEADERS)
    headers = {name: value.decode() for name, value in record.headers}
    assert (
        headers["ce_type"]
        == value_type.cloudevents_type()
        == f"launchwatch.{value_type.__name__}.v1"
    )
    assert headers["ce_subject"] == key
    assert headers["ce_time"] == "2025-10-28T22:06:13.204Z"
    message = _asyncapi()["components"]["messages"][value_type.__name__]
    assert _schema_errors(message["headers"], headers) == []


@by_type
def test_event_id_follows_content(value_type: type[Message]) -> None:
    value = _value(value_type)
    key = topic_for(value_type).key_of(value)

    def event_id(message: Message, record_key: str = key, **options: Any) -> str | None:
        record = encode(message, key=record_key, source="/launchwatch/test", **options)
        return header(record.headers, "ce_id")

    first = event_id(value, time=PRODUCED_AT)
    assert first is not None
    assert re.fullmatch("[0-9a-f]{32}", first)
    assert event_id(value) == first  # a redelivery later repeats the id
    changed = msgspec.structs.replace(value, **CHANGED[value_type])
    assert changed != value
    assert event_id(changed) != first
    assert event_id(value, record_key=key[::-1]) != first


# --- the WireError tree ---------------------------------------------------------------


def test_wire_errors_form_one_tree() -> None:
    assert issubclass(UndecodableMessage, WireError)
    assert issubclass(InvalidMessage, WireError)
    assert issubclass(WrongMessageType, InvalidMessage)
    assert not issubclass(UndecodableMessage, InvalidMessage)


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe", b'{"feed_id": "ab', b"<html></html>"])
def test_bytes_that_are_not_json_are_undecodable(data: bytes) -> None:
    with pytest.raises(UndecodableMessage):
        decode(FeedSubscription, data)


@pytest.mark.parametrize("data", [b"[]", b'"feeds"', b"null", b'{"feed_id": 3}'])
def test_json_that_breaks_the_schema_is_invalid(data: bytes) -> None:
    with pytest.raises(InvalidMessage, match="FeedSubscription") as raised:
        decode(FeedSubscription, data)
    assert not isinstance(raised.value, UndecodableMessage | WrongMessageType)


@pytest.mark.parametrize(
    "declared", ["launchwatch.Article.v1", "launchwatch.FeedSubscription.v2", "FeedSubscription"]
)
def test_record_declaring_another_type_is_refused(declared: str) -> None:
    data = _sample_path(FeedSubscription).read_bytes()
    with pytest.raises(WrongMessageType, match=re.escape(declared)):
        decode(FeedSubscription, data, (("ce_type", declared.encode()),))


def test_record_without_headers_or_with_its_own_type_is_accepted() -> None:
    data = _sample_path(FeedSubscription).read_bytes()
    expected = _value(FeedSubscription)
    assert decode(FeedSubscription, data) == expected
    assert decode(FeedSubscription, data, (("ce_type", b"launchwatch.FeedSubscription.v1"),)) == (
        expected
    )


@pytest.mark.parametrize("instant", ["2025-10-28T06:00:00", "2025-10-28 06:00:00"])
def test_naive_datetime_is_refused(instant: str) -> None:
    sample = _sample(FeedSubscription) | {"added_at": instant}
    with pytest.raises(InvalidMessage, match=r"timezone|datetime"):
        decode(FeedSubscription, json.dumps(sample).encode())


def test_offset_datetime_is_the_same_instant() -> None:
    sample = _sample(FeedSubscription) | {"added_at": "2025-09-02T17:15:00+09:00"}
    decoded = decode(FeedSubscription, json.dumps(sample).encode())
    assert decoded.added_at == datetime(2025, 9, 2, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize("country", ["XX", "UK", "EU", "kp", "PRK", ""])
def test_country_outside_iso_3166_1_is_refused(country: str) -> None:
    sample = _sample(LaunchEvent) | {"country": country}
    with pytest.raises(InvalidMessage):
        decode(LaunchEvent, json.dumps(sample).encode())


# --- the topic registry --------------------------------------------------------------


def test_topic_names_are_unique_and_legal() -> None:
    names = [topic.name for topic in TOPICS]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,200}", name), name


def test_every_consumed_topic_has_a_dead_letter_topic() -> None:
    for topic in TOPICS:
        if not topic.consumers:
            continue
        dlq = topic_named(topic.dlq_name)
        assert dlq.name == f"{topic.name}.dlq"
        assert dlq.value_type is None
        assert dlq.key_field == topic.key_field
        assert dlq.producers == topic.consumers  # the consumer that gave up writes it
        assert dlq.max_message_bytes >= topic.max_message_bytes


def test_dead_letter_topics_belong_to_consumed_topics() -> None:
    for topic in TOPICS:
        if topic.value_type is None:
            origin = topic_named(topic.name.removesuffix(".dlq"))
            assert origin.consumers, f"{topic.name} has no consumer to fill it"


def test_message_types_have_exactly_one_topic() -> None:
    assert len(set(MESSAGE_TYPES)) == len(MESSAGE_TYPES)
    for value_type in MESSAGE_TYPES:
        carriers = [topic for topic in TOPICS if topic.value_type is value_type]
        assert carriers == [topic_for(value_type)]


def test_compacted_topics_keep_records_forever() -> None:
    compacted = [topic for topic in TOPICS if topic.cleanup_policy == "compact"]
    assert {topic.name for topic in compacted} >= {"feeds", "fetcher.state", "launch.events"}
    for topic in compacted:
        assert topic.retention_ms == -1, topic.name
        assert topic.kafka_configs()["retention.ms"] == "-1"


@by_type
def test_key_of_reads_the_key_field(value_type: type[Message]) -> None:
    topic = topic_for(value_type)
    value = _value(value_type)
    assert topic.key_of(value) == getattr(value, topic.key_field)


def test_key_of_refuses_a_value_of_another_type() -> None:
    article = _value(Article)
    with pytest.raises(TypeError, match="Article"):
        topic_named("feeds").key_of(article)
    with pytest.raises(TypeError):
        topic_named("news.articles.dlq").key_of(article)


def test_key_of_refuses_an_empty_key() -> None:
    empty = msgspec.structs.replace(_value(Article), article_id="")
    with pytest.raises(ValueError, match="article_id"):
        topic_for(Article).key_of(empty)


def test_unknown_topic_and_type_are_named_in_the_error() -> None:
    with pytest.raises(KeyError, match=re.escape("news.raw")):
        topic_named("news.rawr")

    class Stray(Message, frozen=True, kw_only=True):
        """A message no topic carries."""

    with pytest.raises(KeyError, match="Stray"):
        topic_for(Stray)


# --- the README documents the same contract ------------------------------------------


def test_readme_lists_topics_and_headers() -> None:
    readme = (SCHEMAS_DIR / "README.md").read_text()
    for name in [topic.name for topic in TOPICS] + list(DLQ_HEADERS) + list(CE_HEADERS):
        assert f"`{name}`" in readme, name
    assert "launchwatch schemas export schemas" in readme
