"""How a message becomes a Kafka record and back: JSON plus CloudEvents headers.

Records follow the CloudEvents 1.0 Kafka protocol binding in binary mode: the
value is the event data (JSON, produced by msgspec), the attributes travel as
headers (`ce_specversion`, `ce_id`, `ce_source`, `ce_type`, `ce_time`,
`ce_subject`) and `content-type` says ``application/json``. A consumer in any
language can read a record with a JSON parser and route it on `ce_type`.

Errors (one tree, so callers catch exactly what they mean):

    WireError                  anything wrong with a record's bytes or headers
    ├── UndecodableMessage     not JSON at all (truncated, binary, wrong encoding)
    └── InvalidMessage         JSON, but not a valid message of the expected type
        └── WrongMessageType   its `ce_type` names another schema or major version
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TypeVar

import msgspec

from schemas.message import Message

M = TypeVar("M", bound=Message)

Headers = tuple[tuple[str, bytes], ...]

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"


class WireError(Exception):
    """A record's bytes or headers cannot be turned into the expected message."""


class UndecodableMessage(WireError):
    """The value is not JSON."""


class InvalidMessage(WireError):
    """The value is JSON but breaks the message schema."""


class WrongMessageType(InvalidMessage):
    """The record declares (in `ce_type`) a different message type than the topic carries."""


@dataclass(frozen=True)
class EncodedRecord:
    """Key, value and headers, ready for any Kafka client."""

    key: bytes
    value: bytes
    headers: Headers


_encoder = msgspec.json.Encoder()


@cache
def _decoder(value_type: type[Message]) -> msgspec.json.Decoder[Message]:
    return msgspec.json.Decoder(value_type)


def encode(value: Message, *, key: str, source: str, time: datetime | None = None) -> EncodedRecord:
    """Serialise `value` with its CloudEvents headers.

    The event id is a digest of type, key and value, so re-sending the same
    message (a redelivery after a crash) repeats the same id and consumers can
    drop the duplicate; a message with different content gets a different id.
    """
    data = _encoder.encode(value)
    ce_type = value.cloudevents_type()
    event_id = hashlib.blake2b(
        b"\0".join((ce_type.encode(), key.encode(), data)), digest_size=16
    ).hexdigest()
    instant = (time or datetime.now(UTC)).astimezone(UTC)
    headers: Headers = (
        ("ce_specversion", SPECVERSION.encode()),
        ("ce_id", event_id.encode()),
        ("ce_source", source.encode()),
        ("ce_type", ce_type.encode()),
        ("ce_time", instant.isoformat(timespec="milliseconds").replace("+00:00", "Z").encode()),
        ("ce_subject", key.encode()),
        ("content-type", CONTENT_TYPE.encode()),
    )
    return EncodedRecord(key=key.encode(), value=data, headers=headers)


def header(headers: Sequence[tuple[str, bytes]], name: str) -> str | None:
    """The last value of header `name` as text, or None when absent."""
    found: str | None = None
    for key, raw in headers:
        if key == name:
            found = raw.decode("utf-8", errors="replace")
    return found


def decode(value_type: type[M], data: bytes, headers: Sequence[tuple[str, bytes]] = ()) -> M:
    """Parse and validate `data` as a `value_type`.

    A record without a `ce_type` header (written by hand, with kcat say) is
    accepted when its JSON is a valid `value_type`; one whose `ce_type` names
    another schema or major version is refused, since its meaning may differ.
    """
    declared = header(headers, "ce_type")
    expected = value_type.cloudevents_type()
    if declared is not None and declared != expected:
        raise WrongMessageType(f"record has ce_type {declared!r}, topic carries {expected!r}")
    try:
        message = _decoder(value_type).decode(data)
    except msgspec.ValidationError as error:
        raise InvalidMessage(f"not a valid {value_type.__name__}: {error}") from error
    except msgspec.DecodeError as error:
        raise UndecodableMessage(f"not JSON: {error}") from error
    assert isinstance(message, value_type)
    return message
