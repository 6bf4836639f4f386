"""The v1 contract only grows: fields, vocabularies and tolerance of fields added later.

A field or member of the v1 baseline that disappears, or a field that becomes required,
is a breaking change and needs a v2 (schemas/README.md).
"""

from __future__ import annotations

import json
import typing
from typing import Any

import msgspec

from schemas import COUNTRY_CODES, MESSAGE_TYPES, Message, decode
from schemas.articles import PublishedSource
from schemas.launches import ClaimQuantity, FactName
from tests.contract_files import (
    by_type,
    checked_in_schema,
    sample_json,
    sample_value,
    schema_errors,
)

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


@by_type
def test_consumers_tolerate_fields_added_later(value_type: type[Message]) -> None:
    """Old readers must accept new optional fields, or adding one would be breaking."""
    sample = sample_json(value_type) | {"added_in_a_later_minor": {"any": ["value"]}}
    assert decode(value_type, json.dumps(sample).encode()) == sample_value(value_type)
    assert schema_errors(checked_in_schema(value_type), sample) == []


@by_type
def test_structs_stay_evolvable(value_type: type[Message]) -> None:
    info = msgspec.inspect.type_info(value_type)
    assert isinstance(info, msgspec.inspect.StructType)
    assert not info.forbid_unknown_fields, "unknown fields must be ignored"
    assert not info.array_like, "fields are matched by name, never by position"


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
