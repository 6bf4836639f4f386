"""Sources, counts, weapon classes and grouping read from general phrasing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec

from schemas import EnrichedArticle, LaunchFactFields, MissileType, RangeClass
from services.enricher import tag_article
from services.enricher.correlation import EventBook
from services.enricher.quantities import singular_before
from tests.unit.enricher.articles import article

PUBLISHED = "2024-03-07T09:00:00+00:00"
NOW = datetime(2024, 3, 7, 12, tzinfo=UTC)


def tag(text: str, url: str = "https://news.example/story") -> EnrichedArticle:
    return tag_article(article(text, PUBLISHED, url=url))


def facts(text: str) -> LaunchFactFields:
    enriched = tag(text)
    assert enriched.launch is not None
    return enriched.launch


def test_an_armed_group_that_claims_the_attack_is_a_source() -> None:
    launch = facts(
        "Hezbollah fired rockets at northern Israel on Wednesday, the Israeli military said. "
        "Hezbollah said in a statement that it had targeted an army base."
    )
    assert "Hezbollah" in launch.reported_by
    assert "IDF" in launch.reported_by


def test_an_armed_group_that_only_launches_is_not_a_source() -> None:
    launch = facts("Hezbollah fired rockets at northern Israel on Wednesday, the IDF said.")
    assert "Hezbollah" not in launch.reported_by


def test_a_spokesman_stands_for_his_group() -> None:
    launch = facts(
        "A ballistic missile fired from Yemen struck a tanker in the Red Sea on Wednesday, "
        "U.S. Central Command said. Yahya Saree said the group had targeted the ship."
    )
    assert "Houthis" in launch.reported_by
    assert "CENTCOM" in launch.reported_by


def test_an_attributed_agency_outside_the_launch_sentences_is_a_source() -> None:
    launch = facts(
        "Russia test-fired a Sarmat intercontinental ballistic missile on Wednesday. "
        "Arms control is at a low ebb, according to Interfax."
    )
    assert "Interfax" in launch.reported_by


def test_the_defence_ministry_is_the_launching_states_own() -> None:
    launch = facts(
        "India flight-tested an Agni-Prime ballistic missile on Wednesday, "
        "the defence ministry said."
    )
    assert launch.reported_by == ("Indian Defence Ministry",)


def test_an_unattributed_ministry_elsewhere_is_not_a_source() -> None:
    launch = facts(
        "India flight-tested an Agni-Prime ballistic missile on Wednesday. "
        "Officials at the defence ministry have long wanted a road-mobile missile."
    )
    assert launch.reported_by == ()


def test_a_missile_named_after_of_a_is_one() -> None:
    assert singular_before("North Korea's launch of a ", "submarine-launched ballistic missile")
    assert not singular_before("a barrage of ", "rocket")
    assert not singular_before("drones and ", "missile")


def test_a_follow_up_about_the_missile_counts_one() -> None:
    launch = facts(
        "Yemen's Houthis struck a bulk carrier in the Gulf of Aden on Wednesday. "
        "Central Command said the missile was launched from Houthi-controlled territory."
    )
    assert launch.count == 1


def test_a_plural_leaves_the_count_open() -> None:
    launch = facts(
        "Yemen's Houthis struck a bulk carrier in the Gulf of Aden on Wednesday. "
        "Central Command said the missiles were launched from Houthi-controlled territory."
    )
    assert launch.count is None


def test_avangard_is_a_hypersonic_icbm() -> None:
    launch = facts("Russia launched an Avangard from Dombarovsky on Wednesday.")
    assert launch.missile_type is MissileType.HYPERSONIC
    assert launch.range_class is RangeClass.ICBM


def _report(
    url: str, missile_type: MissileType, day: date, range_class: RangeClass | None = None
) -> EnrichedArticle:
    enriched = tag("North Korea fired missiles into the sea on Wednesday, the JCS said.", url=url)
    assert enriched.launch is not None
    launch = msgspec.structs.replace(
        enriched.launch, missile_type=missile_type, launch_date=day, range_class=range_class
    )
    return msgspec.structs.replace(enriched, launch=launch)


def test_a_rocket_salvo_and_ballistic_missiles_on_one_day_are_one_launch() -> None:
    book = EventBook()
    day = date(2024, 3, 6)
    book.add(_report("https://a.example/1", MissileType.ARTILLERY_ROCKET, day), NOW)
    book.add(_report("https://b.example/2", MissileType.BALLISTIC, day, RangeClass.SRBM), NOW)
    assert len(book.events) == 1


def test_a_rocket_salvo_and_a_cruise_missile_stay_apart() -> None:
    book = EventBook()
    day = date(2024, 3, 6)
    book.add(_report("https://a.example/1", MissileType.ARTILLERY_ROCKET, day), NOW)
    book.add(_report("https://b.example/2", MissileType.CRUISE, day), NOW)
    assert len(book.events) == 2


def test_a_test_of_a_kind_of_missile_is_not_a_count() -> None:
    assert not singular_before("North Korea declared a successful test of a ", "cruise missile")
    assert singular_before("North Korea fired a ", "cruise missile")


def test_a_quality_of_the_missile_is_not_a_count() -> None:
    launch = facts(
        "North Korea test-fired cruise missiles on Tuesday, state media said. "
        "Analysts said the missile was nuclear-capable."
    )
    assert launch.count is None
