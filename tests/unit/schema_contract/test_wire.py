"""The wire format: encoding with CloudEvents headers, event ids, and the WireError tree."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from schemas import (
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
    UndecodableMessage,
    WireError,
    WrongMessageType,
    decode,
    encode,
    header,
    topic_for,
)
from schemas.feeds import ArticleClaim, ArticleLead, WebSubEvent, WebSubSubscription
from tests.contract_files import (
    CE_HEADERS,
    asyncapi,
    by_type,
    sample_json,
    sample_path,
    sample_value,
    schema_errors,
)

PRODUCED_AT = datetime(2025, 10, 28, 22, 6, 13, 204000, tzinfo=UTC)

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
    value = sample_value(value_type)
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
    message = asyncapi()["components"]["messages"][value_type.__name__]
    assert schema_errors(message["headers"], headers) == []


@by_type
def test_event_id_follows_content(value_type: type[Message]) -> None:
    value = sample_value(value_type)
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
    data = sample_path(FeedSubscription).read_bytes()
    with pytest.raises(WrongMessageType, match=re.escape(declared)):
        decode(FeedSubscription, data, (("ce_type", declared.encode()),))


def test_record_without_headers_or_with_its_own_type_is_accepted() -> None:
    data = sample_path(FeedSubscription).read_bytes()
    expected = sample_value(FeedSubscription)
    assert decode(FeedSubscription, data) == expected
    assert decode(FeedSubscription, data, (("ce_type", b"launchwatch.FeedSubscription.v1"),)) == (
        expected
    )


@pytest.mark.parametrize("instant", ["2025-10-28T06:00:00", "2025-10-28 06:00:00"])
def test_naive_datetime_is_refused(instant: str) -> None:
    sample = sample_json(FeedSubscription) | {"added_at": instant}
    with pytest.raises(InvalidMessage, match=r"timezone|datetime"):
        decode(FeedSubscription, json.dumps(sample).encode())


def test_offset_datetime_is_the_same_instant() -> None:
    sample = sample_json(FeedSubscription) | {"added_at": "2025-09-02T17:15:00+09:00"}
    decoded = decode(FeedSubscription, json.dumps(sample).encode())
    assert decoded.added_at == datetime(2025, 9, 2, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize("country", ["XX", "UK", "EU", "kp", "PRK", ""])
def test_country_outside_iso_3166_1_is_refused(country: str) -> None:
    sample = sample_json(LaunchEvent) | {"country": country}
    with pytest.raises(InvalidMessage):
        decode(LaunchEvent, json.dumps(sample).encode())
