"""Rules for history, other senses, launcher, type, range, date, outcome and officials."""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec
import pytest

from schemas import EnrichedArticle, LaunchFacts, MissileType, Modality, Outcome, Place, RangeClass
from services.enricher import EventBook, tag_article
from tests.unit.enricher.articles import article

PUBLISHED = "2025-06-12T09:00:00+00:00"  # a Thursday


def tag(text: str, title: str | None = None) -> EnrichedArticle:
    return tag_article(article(text, PUBLISHED, title=title))


def facts(text: str, title: str | None = None) -> LaunchFacts:
    report = tag(text, title)
    assert report.launch is not None, report.rejected_as
    return report.launch


@pytest.mark.parametrize(
    "text",
    [
        "Ten years ago this week, North Korea fired a Hwasong-12 missile over Japan. Officials "
        "marked the anniversary with a ceremony.",
        "Iran's Revolutionary Guards fired two surface-to-air missiles at a Ukrainian airliner "
        "in 2020, a hearing was told.",
    ],
)
def test_an_undated_launch_in_an_article_about_the_past_is_history(text: str) -> None:
    report = tag(text)
    assert not report.is_launch_report
    assert report.rejected_as is Modality.HISTORICAL


def test_a_recently_dated_launch_stays_news_despite_an_old_year() -> None:
    report = tag(
        "North Korea fired a ballistic missile on Wednesday, Japan said. It was the first such "
        "launch since 2017."
    )
    assert report.is_launch_report


@pytest.mark.parametrize(
    "text",
    [
        "Shaheen fired in a 145 kph missile that shattered the stumps as Pakistan beat India.",
        "The trailer shows a Soviet missile fired at a U-2 spy plane, starring a famous actor.",
    ],
)
def test_sports_and_screen_missiles_are_not_launches(text: str) -> None:
    assert not tag(text).is_launch_report


def test_earlier_failed_attempts_do_not_make_a_failure() -> None:
    launch = facts(
        "Iran's Revolutionary Guards launched a rocket on Wednesday that placed a military "
        "satellite in its planned orbit. The Guards have failed in several previous attempts."
    )
    assert launch.outcome is Outcome.SUCCESS
    assert launch.missile_type is MissileType.SPACE_LAUNCH


def test_a_failure_of_this_launch_is_still_a_failure() -> None:
    assert facts("North Korea fired a Hwasong-18 on Wednesday that exploded.").outcome is (
        Outcome.FAILURE
    )


def test_states_reacting_to_a_launch_did_not_launch() -> None:
    launch = facts(
        "Britain, France and Germany condemned on Thursday Iran's launch of a ballistic missile."
    )
    assert launch.country == "IR"


def test_a_state_launching_its_own_reported_strike_keeps_it() -> None:
    launch = facts(
        "Russia's defence ministry said on Monday its warships struck Odesa with Kalibr "
        "cruise missiles."
    )
    assert launch.country == "RU"


def test_the_british_submarine_launches_an_american_built_missile() -> None:
    launch = facts("A Trident missile fired by a British submarine off Florida failed on Tuesday.")
    assert launch.country == "GB"
    assert launch.outcome is Outcome.FAILURE


def test_a_state_named_as_the_target_is_not_the_launcher() -> None:
    launch = facts("A Kinzhal missile was fired at Kyiv, Ukraine, on Wednesday, officials said.")
    assert launch.country == "RU"


@pytest.mark.parametrize(
    ("text", "range_class"),
    [
        (
            "North Korea fired a ballistic missile with a range of about 5,000 km on Wednesday.",
            "IRBM",
        ),
        ("North Korea fired an intercontinental-class missile on Wednesday.", "ICBM"),
        ("North Korea fired a long-range ballistic missile on Wednesday.", "ICBM"),
    ],
)
def test_range_class_from_stated_range(text: str, range_class: str) -> None:
    assert facts(text).range_class is RangeClass(range_class)


@pytest.mark.parametrize(
    "text",
    [
        "North Korea fired a ballistic missile on Wednesday that flew 450 km.",
        "North Korea fired two ballistic missiles on Wednesday, which flew for up to 400 "
        "kilometres before falling into the sea.",
        "North Korea fired a ballistic missile over Japan on Wednesday that travelled a "
        "distance of about 4,600 km before landing in the Pacific, officials said.",
    ],
)
def test_a_flight_distance_alone_gives_no_class(text: str) -> None:
    """Test flights are often lofted short of their range: only a named system, a stated
    class or a stated range capability gives one."""
    assert facts(text).range_class is None


def test_a_flight_distance_does_not_override_a_named_missile() -> None:
    launch = facts("North Korea fired a Hwasong-18 on Wednesday that flew 1,000 km.")
    assert launch.range_class is RangeClass.ICBM


def test_submarines_named_later_do_not_retype_a_cruise_missile() -> None:
    launch = facts(
        "Russia fired a Kalibr cruise missile from the Barents Sea on Wednesday. Russia operates "
        "several ballistic-missile submarines in the north."
    )
    assert launch.missile_type is MissileType.CRUISE
    assert launch.range_class is None


def test_rockets_intercepted_by_iron_dome_are_artillery_rockets() -> None:
    launch = facts(
        "Iron Dome intercepted rockets fired by Hezbollah at northern Israel on Wednesday."
    )
    assert launch.missile_type is MissileType.ARTILLERY_ROCKET


def test_an_interceptor_test_stays_surface_to_air() -> None:
    launch = facts("Israel tested Arrow 3 on Wednesday, which intercepted a target missile.")
    assert launch.missile_type is MissileType.SURFACE_TO_AIR


def test_a_day_owning_the_attack_dates_it() -> None:
    launch = facts(
        "Israel said on Wednesday it would respond to Tuesday's attack. Iran fired some 180 "
        "ballistic missiles at Israel, the IDF said."
    )
    assert launch.launch_date == date(2025, 6, 10)


def test_objectives_met_is_success() -> None:
    launch = facts(
        "North Korea launched a Hwasong-18 on Wednesday and the test met its mission objectives."
    )
    assert launch.outcome is Outcome.SUCCESS


def test_officials_aboard_count_and_congratulators_do_not() -> None:
    aboard = facts(
        "North Korea fired cruise missiles on Tuesday, with Kim Jong Un aboard a warship."
    )
    assert aboard.officials == ("Kim Jong Un",)
    remote = facts(
        "Russia test-fired a Sarmat ICBM on Tuesday and Vladimir Putin congratulated the crews."
    )
    assert remote.officials == ()


NOW = datetime(2025, 6, 12, 9, tzinfo=UTC)


def _report(url: str, **fields: object) -> EnrichedArticle:
    base = tag_article(
        article("North Korea fired a ballistic missile on Wednesday.", PUBLISHED, url=url)
    )
    assert base.launch is not None

    return msgspec.structs.replace(base, launch=msgspec.structs.replace(base.launch, **fields))


def test_reports_with_nearby_places_and_a_satellite_or_missile_type_join() -> None:
    book = EventBook()
    pyongyang = Place(name="Pyongyang", latitude=39.03, longitude=125.75)
    sunan = Place(name="Sunan", latitude=39.2, longitude=125.67)
    first = _report("https://a.example/1", location=pyongyang, count=2)
    second = _report(
        "https://b.example/2", location=sunan, missile_type=MissileType.SPACE_LAUNCH, count=3
    )
    book.add(first, NOW)
    book.add(second, NOW)
    assert len(book.events) == 1


def test_far_apart_places_stay_apart() -> None:
    book = EventBook()
    west = Place(name="Nampo", latitude=38.7, longitude=125.4)
    east = Place(name="Sinpo", latitude=40.03, longitude=128.18)
    book.add(_report("https://a.example/1", location=west), NOW)
    book.add(_report("https://b.example/2", location=east), NOW)
    assert len(book.events) == 2
