"""The launch's part of the day, on the launch site's clock."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import LaunchFactFields, MissileType
from services.enricher import tag_article
from services.enricher.correlation import agreement
from services.enricher.facts.time_of_day import part_of
from tests.unit.enricher.articles import article

CASES = {
    "clock-local": (
        "SEOUL, Dec. 4 (Yonhap) -- North Korea fired a ballistic missile toward the East Sea "
        "at around 7:15 a.m. Thursday, the Joint Chiefs of Staff said.",
        "2025-12-03T22:40:00+00:00",
        "morning",
    ),
    "clock-gmt": (
        "North Korea fired a ballistic missile toward the sea at 1240 GMT on Wednesday, "
        "South Korea's military said.",
        "2025-12-03T14:00:00+00:00",
        "evening",
    ),
    "words-late": (
        "SEOUL, Dec. 3 (Yonhap) -- North Korea fired two short-range ballistic missiles toward "
        "the East Sea late Wednesday, South Korea's Joint Chiefs of Staff said.",
        "2025-12-03T13:05:00+00:00",
        "evening",
    ),
    "words-overnight": (
        "Russia launched a barrage of cruise missiles at Kyiv overnight, Ukraine's air force "
        "said on Monday morning.",
        "2025-12-01T07:00:00+00:00",
        "night",
    ),
    "words-early": (
        "North Korea fired a ballistic missile early Thursday, South Korea's military said.",
        "2025-12-04T01:00:00+00:00",
        "night",
    ),
    "words-another-zone": (
        "WASHINGTON (Reuters) - North Korea fired a ballistic missile on Wednesday night, the "
        "U.S. Indo-Pacific Command said.",
        "2025-12-03T21:00:00-05:00",
        None,
    ),
    "saying-time-only": (
        "North Korea fired a ballistic missile on Thursday, Japan's Defense Ministry said on "
        "Friday morning.",
        "2025-12-05T03:00:00+00:00",
        None,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_report_gives_the_part_of_the_day_at_the_site(name: str) -> None:
    text, published, expected = CASES[name]
    launch = tag_article(article(text, published)).launch
    assert launch is not None
    assert launch.time_of_day == expected


def test_hours_fall_in_their_part_of_the_day() -> None:
    assert [part_of(h) for h in (0, 4, 5, 11, 12, 16, 17, 23)] == [
        "night",
        "night",
        "morning",
        "morning",
        "afternoon",
        "afternoon",
        "evening",
        "evening",
    ]


def _facts(
    day: str, part: str | None, kind: MissileType = MissileType.BALLISTIC
) -> LaunchFactFields:
    return LaunchFactFields(
        country="KP",
        launch_date=date.fromisoformat(day),
        missile_type=kind,
        time_of_day=part,  # type: ignore[arg-type]
    )


def test_an_evening_and_the_next_morning_are_two_launches() -> None:
    evening, morning = _facts("2025-12-03", "evening"), _facts("2025-12-04", "morning")
    without = _facts("2025-12-04", None)
    score = agreement(evening, morning)
    assert score is not None
    assert score < 4 <= (agreement(evening, without) or 0)


def test_night_and_the_next_morning_may_be_one_launch_told_loosely() -> None:
    score = agreement(_facts("2025-12-03", "morning"), _facts("2025-12-03", "night"))
    assert score is not None
    assert score >= 4


def test_a_rocket_barrage_runs_into_the_next_morning() -> None:
    rockets = MissileType.ARTILLERY_ROCKET
    score = agreement(
        _facts("2025-12-03", "evening", rockets), _facts("2025-12-04", "morning", rockets)
    )
    assert score is not None
    assert score >= 4
