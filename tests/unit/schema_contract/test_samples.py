"""The hand-written samples decode strictly, validate, tell one story, and are refused alike.

Each message type has one sample in `schemas/samples/`; the decoder and the checked-in
JSON Schema must refuse the same broken variants of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest

from schemas import (
    MESSAGE_TYPES,
    AlertDelivery,
    Article,
    EnrichedArticle,
    FeedState,
    FeedSubscription,
    InvalidMessage,
    LaunchAlert,
    LaunchEvent,
    Message,
    RawArticle,
    WrongMessageType,
    decode,
)
from tests.contract_files import (
    SAMPLES_DIR,
    by_type,
    checked_in_schema,
    sample_json,
    sample_path,
    schema_errors,
)


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


def _spans(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if set(node) == {"start", "end", "text"}:
            yield node
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for item in node:
            yield from _spans(item)


def test_every_message_type_has_exactly_one_sample() -> None:
    present = {path.name for path in SAMPLES_DIR.glob("*.json")}
    assert present == {sample_path(value_type).name for value_type in MESSAGE_TYPES}


@by_type
def test_sample_decodes_strictly(value_type: type[Message]) -> None:
    value = decode(value_type, sample_path(value_type).read_bytes())
    assert type(value) is value_type
    # msgspec ignores unknown keys; a sample key the message lacks means a removed,
    # renamed or misspelt field, which must not pass silently.
    assert list(_unknown_keys(sample_json(value_type), msgspec.to_builtins(value))) == []


@by_type
def test_sample_validates_against_checked_in_json_schema(value_type: type[Message]) -> None:
    assert schema_errors(checked_in_schema(value_type), sample_json(value_type)) == []


def test_samples_tell_one_coherent_story() -> None:
    """The samples follow one launch through the pipeline, so their ids and spans agree."""
    raw, article, enriched = (
        sample_json(RawArticle),
        sample_json(Article),
        sample_json(EnrichedArticle),
    )
    event, alert = sample_json(LaunchEvent), sample_json(LaunchAlert)
    assert sample_json(AlertDelivery)["alert"] == alert
    assert raw["article_id"] == article["article_id"] == enriched["article_id"]
    assert raw["feed_id"] == article["feed_id"] == sample_json(FeedSubscription)["feed_id"]
    assert enriched["launch"]["event_id"] == event["event_id"] == alert["event_id"]
    assert article["article_id"] in event["article_ids"]
    page = decode(RawArticle, json.dumps(raw).encode()).body
    assert page is not None
    assert f"<title>{article['title']} | {article['site_name']}</title>" in page.decode()
    spans = list(_spans(enriched))
    assert len(spans) > 10
    for span in spans:
        assert article["text"][span["start"] : span["end"]] == span["text"], span


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
    sample = sample_json(value_type)
    mutate(sample)
    with pytest.raises(InvalidMessage) as raised:
        decode(value_type, json.dumps(sample).encode())
    assert not isinstance(raised.value, WrongMessageType)
    assert schema_errors(checked_in_schema(value_type), sample) != []
