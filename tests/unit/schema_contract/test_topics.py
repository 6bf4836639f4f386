"""The topic registry, its dead-letter topics and headers, and the README that documents them."""

from __future__ import annotations

import re

import msgspec
import pytest

from schemas import MESSAGE_TYPES, TOPICS, Article, Message, topic_for, topic_named
from services.runtime.deadletter import dead_letter
from services.runtime.records import ConsumedRecord
from tests.contract_files import (
    CE_HEADERS,
    DLQ_HEADERS,
    SCHEMAS_DIR,
    asyncapi,
    by_type,
    sample_value,
    schema_errors,
)


def test_asyncapi_dead_letter_message_documents_the_runtime_headers() -> None:
    message = asyncapi()["components"]["messages"]["DeadLetter"]
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
    schema = asyncapi()["components"]["messages"]["DeadLetter"]["headers"]
    assert schema_errors(schema, headers) == []
    assert headers["ce_type"] == "launchwatch.RawArticle.v1"


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
    value = sample_value(value_type)
    assert topic.key_of(value) == getattr(value, topic.key_field)


def test_key_of_refuses_a_value_of_another_type() -> None:
    article = sample_value(Article)
    with pytest.raises(TypeError, match="Article"):
        topic_named("feeds").key_of(article)
    with pytest.raises(TypeError):
        topic_named("news.articles.dlq").key_of(article)


def test_key_of_refuses_an_empty_key() -> None:
    empty = msgspec.structs.replace(sample_value(Article), article_id="")
    with pytest.raises(ValueError, match="article_id"):
        topic_for(Article).key_of(empty)


def test_unknown_topic_and_type_are_named_in_the_error() -> None:
    with pytest.raises(KeyError, match=re.escape("news.raw")):
        topic_named("news.rawr")

    class Stray(Message, frozen=True, kw_only=True):
        """A message no topic carries."""

    with pytest.raises(KeyError, match="Stray"):
        topic_for(Stray)


def test_readme_lists_topics_and_headers() -> None:
    readme = (SCHEMAS_DIR / "README.md").read_text()
    for name in [topic.name for topic in TOPICS] + list(DLQ_HEADERS) + list(CE_HEADERS):
        assert f"`{name}`" in readme, name
    assert "launchwatch schemas export schemas" in readme
