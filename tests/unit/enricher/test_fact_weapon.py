"""What flew: the type and class of the launched missile, not the interceptor's or the claim's."""

from __future__ import annotations

from schemas import MissileType, RangeClass
from services.enricher import tag_article
from tests.unit.enricher.articles import article
from tests.unit.enricher.test_fact_country import launch_of


def test_an_interception_report_types_the_attacking_missile() -> None:
    launch = launch_of(
        "The United Arab Emirates said it intercepted and destroyed two ballistic missiles "
        "over Abu Dhabi early on Monday. The ministry said the missiles were fired by the "
        "Houthis."
    )
    assert launch.missile_type is MissileType.BALLISTIC
    assert launch.count == 2


def test_an_air_defence_that_stops_rockets_is_not_what_was_launched() -> None:
    launch = launch_of(
        "Militants in Gaza fired a barrage of rockets at southern Israel on Wednesday night. "
        "Israel's Iron Dome stops most of the rockets over Sderot, the army said. Several "
        "Iron Dome interceptor missiles were seen engaging incoming rockets.",
    )
    assert launch.missile_type is MissileType.ARTILLERY_ROCKET
    assert launch.weapon_names == ()


def test_an_interceptor_test_with_no_attacker_is_surface_to_air() -> None:
    launch = launch_of(
        "Israel successfully tested its Arrow 3 interceptor against a target missile on "
        "Wednesday, the Defense Ministry said."
    )
    assert launch.missile_type is MissileType.SURFACE_TO_AIR
    assert launch.range_class is None


def test_a_satellite_test_reported_as_missiles_is_what_was_detected() -> None:
    launch = launch_of(
        "North Korea said on Monday it conducted an important final-stage test for the "
        "development of a reconnaissance satellite on Sunday, state media said. South Korea's "
        "military said it detected the launch of two medium-range ballistic missiles from "
        "Tongchang-ri on Sunday.",
        published="2024-03-04T03:00:00+00:00",
    )
    assert launch.missile_type is MissileType.BALLISTIC
    assert launch.range_class is RangeClass.MRBM
    assert launch.count == 2


def test_a_satellite_put_in_orbit_stays_a_space_launch() -> None:
    launch = launch_of(
        "Iran said on Thursday it put a reconnaissance satellite into orbit. Separately, "
        "Iran test-fired a ballistic missile on Thursday, state media said.",
    )
    assert launch.missile_type is MissileType.SPACE_LAUNCH
    assert launch.count == 1


def test_the_day_before_s_launch_gives_no_class_to_the_news() -> None:
    """A launch the article dates a named day apart from the news is another launch."""
    tagged = tag_article(
        article(
            "North Korea fired a ballistic missile on Thursday morning, prompting evacuation "
            "warnings in Japan. On Wednesday, North Korea launched at least 20 short-range "
            "missiles to the east and west of the peninsula, Seoul said.",
            "2024-03-07T09:00:00+00:00",
        )
    )
    assert tagged.launch is not None
    assert tagged.launch.range_class is None
    assert tagged.launch.count == 1
    assert [m.range_class for m in tagged.mentions_other_launches] == [RangeClass.SRBM]


def test_a_day_given_in_gmt_beside_the_local_day_is_the_same_launch() -> None:
    launch = launch_of(
        "North Korea fired a long-range ballistic missile on Thursday morning, Seoul said. "
        "The missile was launched from near Pyongyang at 7:10 a.m. (2210 GMT on Wednesday) "
        "and flew for 80 minutes, reaching an altitude of 6,000 km.",
    )
    assert launch.location is not None
    assert launch.location.name == "Pyongyang"


def test_a_lofted_flight_s_range_gives_no_class() -> None:
    launch = launch_of(
        "North Korea fired a ballistic missile on Thursday morning, Seoul said. The missile "
        "flew to an altitude of about 2,000 km and a range of 750 km, Japan said.",
    )
    assert launch.range_class is None


def test_the_day_before_s_missile_in_a_later_sentence_gives_no_class() -> None:
    launch = launch_of(
        "North Korea fired several ballistic missiles on Thursday, Seoul said. Residents of "
        "an island were warned on Wednesday to take shelter after one of Pyongyang's "
        "short-range ballistic missiles crossed the maritime border.",
    )
    assert launch.range_class is None


def test_a_drill_of_ballistic_and_cruise_missiles_is_typed_by_its_ballistic_launch() -> None:
    launch = launch_of(
        "Russia held a drill of its strategic nuclear forces on Wednesday, the Kremlin said, "
        "explaining that ballistic and cruise missiles were launched. Cruise missiles were "
        "then launched by strategic bombers.",
    )
    assert launch.missile_type is MissileType.BALLISTIC
