"""Launch-report recognition: hard negatives with the reason, and reports beyond Korea."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import MissileType, Modality, Outcome, RangeClass
from services.enricher import tag_article
from tests.unit.enricher.articles import article, bundled_article

PUBLISHED = "2025-06-12T09:00:00+00:00"  # a Thursday

NEGATIVES = {
    "history": (
        "North Korea has launched missiles for decades in defiance of UN resolutions. Analysts "
        "said the country's nuclear programme remains a concern for the region.",
        Modality.HISTORICAL,
    ),
    "last-test-in-may-last-year": (
        "Japan and South Korea held talks on Thursday about regional security. North Korea last "
        "tested an intercontinental ballistic missile in October 2024, officials noted.",
        Modality.HISTORICAL,
    ),
    "expected": (
        "North Korea could launch a reconnaissance satellite as early as next week, South "
        "Korea's military warned on Thursday, citing signs of preparations at Sohae.",
        Modality.PLANNED,
    ),
    "threat": (
        "Iran threatened to fire ballistic missiles at US bases if attacked, a senior IRGC "
        "commander said on Wednesday.",
        Modality.PLANNED,
    ),
    "denial": (
        "Pakistan's military denied reports that it had test-fired a Shaheen-III missile on "
        "Tuesday, calling them false.",
        Modality.NEGATED,
    ),
    "never-flown": (
        "The new Hwasong-20 has not yet been flight-tested, according to South Korean officials.",
        Modality.NEGATED,
    ),
    "parade": (
        "North Korea staged a military parade on Wednesday, showing off Hwasong-19 "
        "intercontinental ballistic missiles on mobile launchers as Kim Jong Un watched.",
        Modality.NOT_A_LAUNCH,
    ),
    "purchase": (
        "Poland signed a deal on Tuesday to buy Patriot missile defence systems worth $2 billion, "
        "the defence ministry said.",
        Modality.NOT_A_LAUNCH,
    ),
    "sanctions": (
        "The United States imposed sanctions on Tuesday on five companies it accused of supplying "
        "parts for Iran's ballistic missile programme.",
        Modality.NOT_A_LAUNCH,
    ),
    "engine-test": (
        "North Korea conducted a ground test of a high-thrust solid-fuel engine for a new "
        "intercontinental ballistic missile on Tuesday, state media said.",
        Modality.GROUND_TEST,
    ),
    "commercial-space": (
        "SpaceX launched 24 Starlink satellites on a Falcon 9 rocket from Cape Canaveral on "
        "Wednesday evening, the company said.",
        Modality.CIVIL_SPACE,
    ),
    "product": (
        "Harbour Electronics launched a new smartwatch on Tuesday, and rivals are expected to "
        "follow with their own models this autumn.",
        Modality.NOT_A_LAUNCH,
    ),
    "investigation": (
        "Police launched an investigation on Wednesday after fireworks were fired into a crowd "
        "during a football match.",
        Modality.NOT_A_LAUNCH,
    ),
    "ship": (
        "The navy launched its newest destroyer at a shipyard on Tuesday; the warship will carry "
        "vertical launch tubes for cruise missiles.",
        Modality.NOT_A_LAUNCH,
    ),
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_hard_negatives_are_rejected_with_their_reason(name: str) -> None:
    text, modality = NEGATIVES[name]
    report = tag_article(article(text, PUBLISHED))
    assert not report.is_launch_report
    assert report.launch is None
    assert report.rejected_as is modality


@pytest.mark.parametrize(
    ("file", "modality"),
    [
        ("parade.txt", Modality.NOT_A_LAUNCH),
        ("phone.txt", Modality.NOT_A_LAUNCH),
        ("starlink.txt", Modality.CIVIL_SPACE),
    ],
)
def test_bundled_non_launch_stories_are_rejected(file: str, modality: Modality) -> None:
    report = tag_article(bundled_article(file))
    assert not report.is_launch_report
    assert report.rejected_as is modality


def test_an_article_without_launch_language_has_no_rejection_reason() -> None:
    report = tag_article(article("The central bank raised interest rates on Tuesday.", PUBLISHED))
    assert not report.is_launch_report
    assert report.rejected_as is None


def test_houthi_launch_is_yemen_with_named_weapon() -> None:
    text = (
        "Yemen's Houthis fired a Palestine-2 hypersonic ballistic missile at Israel early "
        "Wednesday, the group's military spokesman said. The Israeli military said the missile "
        "was intercepted."
    )
    report = tag_article(article(text, PUBLISHED))
    assert report.launch is not None
    assert report.launch.country == "YE"
    assert report.launch.launch_date == date(2025, 6, 11)
    assert report.launch.weapon_names == ("Toufan",)


def test_launch_from_a_named_site_with_range_class_and_count() -> None:
    text = (
        "India successfully test-fired two Agni-V intercontinental ballistic missiles from Abdul "
        "Kalam Island off the Odisha coast on Monday, the DRDO said. The missiles flew more than "
        "5,000 km."
    )
    report = tag_article(article(text, PUBLISHED))
    launch = report.launch
    assert launch is not None
    assert (launch.country, launch.launch_date) == ("IN", date(2025, 6, 9))
    assert (launch.missile_type, launch.range_class, launch.count) == (
        MissileType.BALLISTIC,
        RangeClass.ICBM,
        2,
    )
    assert launch.location is not None
    assert launch.location.name == "Abdul Kalam Island"
    assert launch.reported_by == ("DRDO",)
    assert launch.outcome is Outcome.SUCCESS
    assert any(c.quantity == "range_km" and c.value == 5000 for c in launch.claims)


def test_failure_is_reported_as_failure() -> None:
    text = (
        "A Russian Sarmat intercontinental ballistic missile exploded shortly after launch from "
        "Plesetsk on Saturday, satellite images showed."
    )
    launch = tag_article(article(text, PUBLISHED)).launch
    assert launch is not None
    assert (launch.country, launch.outcome) == ("RU", Outcome.FAILURE)
    assert launch.launch_date == date(2025, 6, 7)
    assert launch.location is not None
    assert launch.location.timezone == "Europe/Moscow"


def test_space_launch_by_a_state_is_a_report() -> None:
    text = (
        "Iran launched a Simorgh rocket carrying a satellite from the Imam Khomeini Spaceport "
        "on Tuesday, state media reported."
    )
    launch = tag_article(article(text, PUBLISHED)).launch
    assert launch is not None
    assert (launch.country, launch.missile_type) == ("IR", MissileType.SPACE_LAUNCH)


def test_a_lead_that_states_its_launch_before_an_earlier_one_keeps_its_day() -> None:
    tagged = tag_article(
        article(
            "North Korea fired a short-range ballistic missile into the sea on Tuesday, less "
            "than a week after it launched a cruise missile, South Korea's military said.\n"
            "The missile flew about 600 km, the Joint Chiefs of Staff said.",
            PUBLISHED,
            title="North Korea fires ballistic missile",
        )
    )
    assert tagged.launch is not None
    assert tagged.launch.launch_date == date(2025, 6, 10)


def test_an_earlier_launch_dated_in_a_later_sentence_stays_a_mention() -> None:
    tagged = tag_article(
        article(
            "Iran fired three ballistic missiles into the Gulf on Wednesday, state media said, "
            "two days after its attempt to launch a satellite ended in a mid-air explosion.\n"
            "Iran's failed satellite launch on Monday was its first attempt since it put a "
            "satellite into orbit in March.",
            PUBLISHED,
            title="Iran fires ballistic missiles, days after failed satellite launch",
        )
    )
    assert tagged.launch is not None
    assert tagged.launch.launch_date == date(2025, 6, 11)
    assert tagged.launch.outcome is not Outcome.FAILURE
