"""The checked-in contract of `schemas/`: samples, JSON Schema and AsyncAPI files, read.

Consumers outside this repository depend on these files, so the contract tests read
them from disk (not from the generator) and validate instances against them with the
formats checked.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

import schemas
from schemas import MESSAGE_TYPES, TOPICS, Message, decode

SCHEMAS_DIR = Path(schemas.__file__).parent
SAMPLES_DIR = SCHEMAS_DIR / "samples"
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


def schema_errors(schema: dict[str, Any], instance: object) -> list[str]:
    return [
        f"{error.json_path}: {error.message}" for error in _validator(schema).iter_errors(instance)
    ]


def sample_path(value_type: type[Message]) -> Path:
    return SAMPLES_DIR / f"{value_type.__name__}.v{value_type.major_version}.json"


def sample_json(value_type: type[Message]) -> dict[str, Any]:
    loaded = json.loads(sample_path(value_type).read_bytes())
    assert isinstance(loaded, dict)
    return loaded


def sample_value(value_type: type[Message]) -> Message:
    return decode(value_type, sample_path(value_type).read_bytes())


def checked_in_schema(value_type: type[Message]) -> dict[str, Any]:
    path = SCHEMAS_DIR / "jsonschema" / f"{value_type.__name__}.v1.schema.json"
    loaded = json.loads(path.read_bytes())
    assert isinstance(loaded, dict)
    return loaded


def asyncapi() -> dict[str, Any]:
    loaded = json.loads((SCHEMAS_DIR / "asyncapi.json").read_bytes())
    assert isinstance(loaded, dict)
    return loaded
