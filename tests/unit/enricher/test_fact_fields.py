"""Every launch fact flows from a report to its event, alert, receivers and offline output.

The copies are derived from the schema's `LaunchFactFields`; `EXAMPLES` must name
every field, so a fact added to the schema fails here until it is shown to flow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import get_args

import msgspec
import pytest

from schemas import (
    Claim,
    EnrichedArticle,
    LaunchFactFields,
    LaunchFacts,
    MissileType,
    Outcome,
    Place,
    RangeClass,
)
from schemas.ids import article_id
from schemas.launches import FACT_FIELDS, FactName, launch_facts
from services.cli.enrich_command import launch_summary
from services.enricher import EventBook
from services.enricher.delivery.receivers import describe

NOW = datetime(2025, 10, 29, 12, tzinfo=UTC)

EXAMPLES: dict[str, object] = {
    "country": "KP",
    "launch_date": date(2025, 10, 28),
    "missile_type": MissileType.BALLISTIC,
    "range_class": RangeClass.IRBM,
    "weapon_names": ("Hwasong-12",),
    "count": 2,
    "location": Place(name="Sunan"),
    "impact_area": Place(name="Pacific Ocean"),
    "outcome": Outcome.SUCCESS,
    "officials": ("Kim Jong Un",),
    "reported_by": ("KCNA",),
    "claims": (Claim(quantity="range_km", value=4500.0, claimed_by="JCS"),),
    "time_of_day": "morning",
}
"""A value other than the default for every launch fact."""


def _report(url: str = "https://a.example/1") -> EnrichedArticle:
    facts = msgspec.convert(EXAMPLES, LaunchFacts, from_attributes=True)
    return EnrichedArticle(
        article_id=article_id(url), url=url, is_launch_report=True, launch=facts, enriched_at=NOW
    )


def test_the_examples_name_every_fact_and_differ_from_its_default() -> None:
    assert tuple(EXAMPLES) == FACT_FIELDS
    defaults = LaunchFactFields()
    for name, value in EXAMPLES.items():
        assert getattr(defaults, name) != value, name


def test_fact_names_are_the_fields_with_evidence() -> None:
    """Claims carry their own spans, so they have no entry in `evidence`; the time of day
    came after `FactName` was published, and a new member would be refused by old readers."""
    assert set(get_args(FactName)) == set(FACT_FIELDS) - {"claims", "time_of_day"}


def test_an_event_and_its_alert_carry_every_fact_of_the_report() -> None:
    outcome = EventBook().add(_report(), NOW)
    assert outcome.event is not None
    assert launch_facts(outcome.event) == EXAMPLES
    (alert,) = outcome.alerts
    assert launch_facts(alert) == EXAMPLES


def test_a_second_report_keeps_every_fact() -> None:
    book = EventBook()
    book.add(_report(), NOW)
    joined = book.add(_report("https://b.example/2"), NOW)
    assert joined.event is not None
    assert launch_facts(joined.event) == EXAMPLES


def test_the_offline_output_has_every_fact() -> None:
    facts = _report().launch
    assert facts is not None
    summary = launch_summary(facts, "e1")
    assert set(summary) == {"event_id", *FACT_FIELDS}
    assert all(summary[name] not in (None, [], "unknown") for name in FACT_FIELDS)


@pytest.mark.parametrize("name", FACT_FIELDS)
def test_receivers_show_every_fact(name: str) -> None:
    (alert,) = EventBook().add(_report(), NOW).alerts
    without = msgspec.structs.replace(alert, **{name: getattr(LaunchFactFields(), name)})
    assert describe(alert) != describe(without), f"{name} is not shown"
