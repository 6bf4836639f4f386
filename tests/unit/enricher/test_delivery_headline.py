"""The alert's headline reads as a sentence: the state, the system and the sources in words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from schemas import LaunchEvent, MissileType, Place, RangeClass
from schemas.ids import stable_id
from services.enricher.correlation.alerts import country_name, headline
from services.enricher.gazetteer import default_gazetteer

NOW = datetime(2025, 10, 28, 22, 0, tzinfo=UTC)


def event(**facts: Any) -> LaunchEvent:
    return LaunchEvent(
        event_id=stable_id("event"), first_reported_at=NOW, last_reported_at=NOW, **facts
    )


def test_the_example_of_the_alerting_guide() -> None:
    launch = event(
        country="KP",
        missile_type=MissileType.BALLISTIC,
        range_class=RangeClass.ICBM,
        weapon_names=("Hwasong-18",),
        reported_by=("Yonhap", "Japan Ministry of Defense"),
    )
    assert headline(launch) == (
        "North Korea launched a Hwasong-18 ICBM, reported by Yonhap and Japan Ministry of Defense"
    )


def test_place_date_and_count_in_words() -> None:
    launch = event(
        country="YE",
        missile_type=MissileType.CRUISE,
        count=3,
        location=Place(name="Hodeidah"),
        launch_date=date(2025, 1, 5),
    )
    assert (
        headline(launch) == "Houthis launched three cruise missiles from Hodeidah on 5 January 2025"
    )


@pytest.mark.parametrize(
    ("facts", "what"),
    [
        ({}, "a missile"),
        ({"missile_type": MissileType.ARTILLERY_ROCKET}, "an artillery rocket"),
        ({"missile_type": MissileType.SPACE_LAUNCH}, "a space launch vehicle"),
        ({"missile_type": MissileType.BALLISTIC, "range_class": RangeClass.SRBM}, "an SRBM"),
        (
            {"missile_type": MissileType.HYPERSONIC, "range_class": RangeClass.IRBM},
            "a hypersonic IRBM",
        ),
        ({"weapon_names": ("Iskander",), "range_class": RangeClass.SRBM}, "an Iskander SRBM"),
        ({"weapon_names": ("M51",), "range_class": RangeClass.SLBM}, "an M51 SLBM"),
        (
            {"weapon_names": ("HIMARS",), "missile_type": MissileType.ARTILLERY_ROCKET},
            "a HIMARS artillery rocket",
        ),
        (
            {"weapon_names": ("Hwasong-11", "KN-25"), "range_class": RangeClass.SRBM},
            "Hwasong-11 and KN-25 SRBMs",
        ),
        ({"missile_type": MissileType.CRUISE, "count": 1}, "a cruise missile"),
        ({"missile_type": MissileType.CRUISE, "count": 12}, "12 cruise missiles"),
    ],
)
def test_what_was_launched(facts: dict[str, Any], what: str) -> None:
    assert headline(event(country="KP", **facts)) == f"North Korea launched {what}"


def test_many_sources_are_counted_past_the_third() -> None:
    launch = event(
        country="RU", reported_by=("TASS", "Interfax", "Reuters", "AFP", "Ukrainian Air Force")
    )
    assert headline(launch).endswith(", reported by TASS, Interfax, Reuters and 2 others")
    one_more = event(country="RU", reported_by=("TASS", "Interfax", "Reuters", "AFP"))
    assert headline(one_more).endswith(", reported by TASS, Interfax, Reuters and 1 other")


def test_an_unidentified_state_is_said_so() -> None:
    assert headline(event()) == "An unidentified state launched a missile"


def test_country_names_come_from_the_actors_gazetteer() -> None:
    for code, actor in default_gazetteer().actor_by_country.items():
        assert country_name(code) == actor.name
    assert country_name("KP") == "North Korea"
    assert country_name("ZW") == "ZW", "a code the gazetteer lacks is shown as it is"
