"""Every launch fact field has one extractor, and each extractor keeps to one signature."""

from __future__ import annotations

import inspect
from typing import get_args

import msgspec

from schemas import LaunchFactFields, LaunchFacts
from schemas.launches import FactName
from services.enricher import tag_article
from services.enricher.facts import EXTRACTORS, FACT_FIELDS, FactContext
from tests.unit.enricher.articles import article


def test_every_fact_field_of_the_schema_has_an_extractor() -> None:
    fields = {field.name for field in msgspec.structs.fields(LaunchFactFields)}
    assert set(FACT_FIELDS) == fields
    missing = fields - set(EXTRACTORS)
    assert not missing, f"launch fact fields without an extractor: {sorted(missing)}"
    assert set(EXTRACTORS) <= fields


def test_every_fact_with_evidence_is_a_schema_field() -> None:
    assert set(get_args(FactName)) <= set(EXTRACTORS)


def test_every_extractor_reads_one_context() -> None:
    for name, extractor in EXTRACTORS.items():
        parameters = list(inspect.signature(extractor).parameters.values())
        assert len(parameters) == 1, name
        assert parameters[0].annotation in ("FactContext", FactContext), name


def test_facts_read_after_the_facts_they_depend_on() -> None:
    order = list(EXTRACTORS)
    assert order.index("country") < order.index("location") < order.index("launch_date")
    assert order.index("missile_type") < order.index("range_class") < order.index("launch_date")
    assert order.index("country") < order.index("officials")
    assert order.index("country") < order.index("reported_by")


def test_a_report_carries_the_value_and_evidence_of_each_extracted_fact() -> None:
    text = (
        "North Korea fired two short-range ballistic missiles from Sunan on Tuesday, "
        "South Korea's Joint Chiefs of Staff said."
    )
    launch = tag_article(article(text, "2025-10-29T06:00:00+00:00")).launch
    assert isinstance(launch, LaunchFacts)
    assert launch.country == "KP"
    assert launch.count == 2
    assert str(launch.range_class) == "SRBM"
    assert [span.text for span in launch.evidence["country"]] == ["North Korea"]
    assert [span.text for span in launch.evidence["launch_date"]] == ["Tuesday"]
    for spans in launch.evidence.values():
        for span in spans:
            assert text[span.start : span.end] == span.text
