"""Rules of launch language: verb forms, strikes, headline and lede, counts, datelines."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import EnrichedArticle, MissileType, Modality
from services.enricher import tag_article
from services.enricher.quantities import count_before, singular_before
from tests.unit.enricher.articles import article

PUBLISHED = "2025-06-12T09:00:00+00:00"  # a Thursday


def tag(text: str, title: str | None = None, published: str = PUBLISHED) -> EnrichedArticle:
    return tag_article(article(text, published, title=title))


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        (
            "U.S. officials said they expected Iran and its allies to launch missiles at Israel "
            "within days.",
            Modality.PLANNED,
        ),
        ("Solid-fuel missiles of North Korea are quicker to launch than liquid-fuel ones.", None),
    ],
)
def test_a_launch_word_after_to_is_not_an_event(text: str, modality: Modality | None) -> None:
    report = tag(text)
    assert not report.is_launch_report
    if modality is not None:
        assert report.rejected_as is modality


def test_headline_future_is_a_plan() -> None:
    report = tag(
        "Poland's defence ministry said on Monday that soldiers would fire interceptors at "
        "target drones during an exercise at the Ustka range.",
        title="Poland to test-fire Patriot missiles at Baltic range next month",
    )
    assert not report.is_launch_report
    assert report.rejected_as is Modality.PLANNED


def test_plural_noun_after_a_modifier_is_not_a_headline_verb() -> None:
    report = tag(
        "Russia will hold drills of its strategic forces next week, the Kremlin said.",
        title="Russia plans drills including practice launches",
    )
    assert not report.is_launch_report


@pytest.mark.parametrize(
    ("text", "country"),
    [
        (
            "President Vladimir Putin said on Thursday that Russia had struck a plant in Dnipro "
            "with a new intermediate-range ballistic missile.",
            "RU",
        ),
        (
            "A bulk carrier was struck by a Houthi missile in the Gulf of Aden on Wednesday, "
            "CENTCOM said.",
            "YE",
        ),
    ],
)
def test_a_strike_without_a_launch_word_is_a_launch(text: str, country: str) -> None:
    report = tag(text)
    assert report.is_launch_report
    assert report.launch is not None
    assert report.launch.country == country


def test_a_satellite_put_into_orbit_is_a_launch() -> None:
    report = tag(
        "Iran's Revolutionary Guards said on Wednesday they had put an imaging satellite into "
        "orbit with a Qaem-100 rocket launched from Shahroud."
    )
    assert report.is_launch_report
    assert report.launch is not None
    assert report.launch.country == "IR"
    assert report.launch.launch_date == date(2025, 6, 11)


def test_a_denial_in_headline_and_lede_overrules_a_launch_further_down() -> None:
    report = tag(
        "Russia's defence ministry on Wednesday denied that Russian missiles had struck Polish "
        "territory.\n\nNATO ambassadors met in Brussels.\n\nPoland's president said the missile "
        "had been fired by Ukrainian air defences on Tuesday.",
        title="Russia denies firing missile that landed in Poland",
    )
    assert not report.is_launch_report
    assert report.rejected_as is Modality.NEGATED


def test_a_rumour_of_a_launch_is_negated() -> None:
    report = tag(
        "Taiwan's defence ministry said on Monday it had detected no missile launches and urged "
        "the public not to believe rumours that China had fired missiles near the island."
    )
    assert not report.is_launch_report
    assert report.rejected_as is Modality.NEGATED


def test_an_old_date_in_a_side_clause_does_not_make_a_launch_history() -> None:
    report = tag(
        "A missile fired by Yemen's Houthis struck a bulk carrier on Wednesday, killing three "
        "crew, the first deaths since the group began attacking shipping in November."
    )
    assert report.is_launch_report


def test_a_civil_space_agency_at_the_top_makes_space_news() -> None:
    report = tag(
        "Japan's H3 rocket lifted off from the Tanegashima Space Center on Saturday.\n\n"
        "The Japan Aerospace Exploration Agency confirmed the satellite separated.",
        title="Japan's H3 rocket reaches orbit",
    )
    assert not report.is_launch_report
    assert report.rejected_as is Modality.CIVIL_SPACE


def test_a_launch_with_no_launching_state_is_not_a_report() -> None:
    report = tag(
        "A team of students launched a homemade rocket to an altitude of 13,000 metres on "
        "Saturday, to the delight of dozens of spectators."
    )
    assert not report.is_launch_report
    assert report.rejected_as is Modality.NOT_A_LAUNCH


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("North Korea fired a long-range ballistic missile into the sea on Wednesday.", 1),
        ("North Korea fired ballistic missiles into the sea on Wednesday.", None),
        ("North Korea fired a barrage of short-range missiles on Wednesday.", None),
        ("North Korea fired a Hwasong-18 intercontinental ballistic missile on Wednesday.", 1),
    ],
)
def test_a_singular_missile_counts_one(text: str, count: int | None) -> None:
    report = tag(text)
    assert report.launch is not None
    assert report.launch.count == count


def test_a_number_inside_a_name_is_not_a_count() -> None:
    assert count_before("fired a Hwasong-18 ") is None
    assert count_before("tested the Arrow 3 ") is None
    assert count_before("fired six U.S.-made ATACMS ") == 6
    assert singular_before("fired a new ", "missile")
    assert not singular_before("fired a volley of ", "missile")


def test_a_dateline_date_is_when_the_story_was_filed() -> None:
    report = tag(
        "SEOUL, May 28 (Wire) - A North Korean rocket carrying a satellite exploded shortly "
        "after lift-off late Monday, South Korea's military said.",
        published="2024-05-27T15:10:00+00:00",
    )
    assert report.launch is not None
    assert report.launch.launch_date == date(2024, 5, 27)
    assert report.launch.missile_type in (MissileType.SPACE_LAUNCH, MissileType.UNKNOWN)


def test_the_first_of_a_joint_subject_is_the_launching_state() -> None:
    report = tag(
        "Israel and the United States successfully tested the Arrow 3 missile defence system "
        "on Tuesday, firing an interceptor over the Mediterranean."
    )
    assert report.launch is not None
    assert report.launch.country == "IL"
