"""The launch date comes from the launch's own phrase, read in the launch site's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.enricher.dates import DateResolver
from tests.unit.enricher.test_fact_country import launch_of

# Friday 2025-10-31 03:00 UTC is noon on Friday in Pyongyang.
FRIDAY = "2025-10-31T03:00:00+00:00"


def launch_date(text: str, published: str = FRIDAY) -> date | None:
    return launch_of(text, published).launch_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A dateline dates the filing, not the launch.
        (
            "Oct. 30 (Wire Example) -- North Korea fired a ballistic missile on Wednesday, "
            "the South Korean military said.",
            date(2025, 10, 29),
        ),
        # "The day before" is the day before the saying.
        (
            "State media said on Thursday that North Korea had test-fired a new cruise "
            "missile the day before.",
            date(2025, 10, 29),
        ),
        # A local time with its GMT equivalent stays on the local day.
        (
            "North Korea fired a ballistic missile at 7:10 a.m. (2210 GMT Wednesday) on "
            "Thursday, the South Korean military said.",
            date(2025, 10, 30),
        ),
        # A night that spans two days is the night's second day.
        ("North Korea fired a ballistic missile overnight Tuesday-Wednesday.", date(2025, 10, 29)),
        # A day the sentence measures from is not the launch's.
        (
            "North Korea fired a ballistic missile on Thursday, its first launch since Oct. 9, "
            "the South Korean military said.",
            date(2025, 10, 30),
        ),
        # The first sentence that dates the launch wins over a later, vaguer one.
        (
            "North Korea fired a short-range ballistic missile early this morning. The launch "
            "came hours after a summit on Sunday criticised its weapons tests.",
            date(2025, 10, 31),
        ),
        # Another launch's earlier day in a later sentence does not date this one.
        (
            "North Korea fired a ballistic missile into the sea, Seoul's military said. It has "
            "fired missiles at a record pace, conducting its ninth test on Oct. 21.",
            date(2025, 10, 31),
        ),
        # "In a statement on Thursday" dates the statement, a flight sentence the launch.
        (
            "India said in a statement on Thursday that a missile had been fired by "
            "accident. On Tuesday, the missile landed near a village across the border.",
            date(2025, 10, 28),
        ),
    ],
)
def test_the_launch_phrase_dates_the_launch(text: str, expected: date) -> None:
    assert launch_date(text) == expected


def test_relative_words_are_read_against_the_dateline_day() -> None:
    text = (
        "SEOUL, Oct. 30 (Wire Example) -- North Korea fired a ballistic missile yesterday, "
        "South Korea's military said."
    )
    assert launch_date(text, published="2025-10-31T09:00:00+00:00") == date(2025, 10, 29)


def test_a_dateline_day_stands_in_when_nothing_dates_the_launch() -> None:
    text = (
        "MOSCOW, Oct. 29 (Wire Example) -- A Yars intercontinental ballistic missile was "
        "launched from Plesetsk towards Kamchatka, the Kremlin said."
    )
    assert launch_date(text, published="2025-10-31T12:00:00+00:00") == date(2025, 10, 29)


def test_a_weekday_after_a_us_dated_copy_is_the_next_day_at_the_site() -> None:
    # 2025-10-29 20:00 UTC is still Wednesday in New York and already Thursday in Seoul at
    # 05:00; a copy dated the evening before names the launch's Korean weekday.
    resolver = DateResolver(datetime(2025, 10, 29, 11, tzinfo=UTC), "Asia/Pyongyang")
    [mention] = resolver.mentions("fired on Thursday local time")
    assert mention.day == date(2025, 10, 30)
    [last] = resolver.mentions("fired Last Thursday")
    assert last.day == date(2025, 10, 23)


def test_a_day_given_to_another_launch_in_passing_is_not_the_launch_s() -> None:
    """An undated launch in a report that recalls last Friday's launch, and then what
    "last Friday's missiles" did, is dated by publication, not by Friday."""
    text = (
        "South Korea's military says the North launched two projectiles that appear to be "
        "short-range ballistic missiles.\n"
        "The projectiles were fired eastward from near the capital, the Joint Chiefs of "
        "Staff said.\n"
        "It was the fourth launch this month, three days after the North fired the same type "
        "of missiles last Friday.\n"
        "Seoul's military said last Friday's missiles flew about 400 kilometers."
    )
    assert launch_date(text, "2025-11-03T03:00:00+00:00") == date(2025, 11, 3)


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan's military on Friday said that India fired a supersonic missile into its "
        "territory.\nThe incident took place on October 29, when an object was tracked near "
        "the border, a spokesman said.",
        "North Korea test-fired a new missile, state media said on Friday.\nThe test was "
        "conducted on Wednesday at a site near the capital, it said.",
        "Houthi rebels fired a missile at the port city, the coalition said on Friday.\nThe "
        "attack happened on Wednesday evening, it said.",
    ],
)
def test_a_sentence_that_only_dates_the_event_gives_the_launch_day(text: str) -> None:
    # The lead gives only the day of the saying; the day the event "took place" is the launch's.
    assert launch_date(text) == date(2025, 10, 29)


def test_an_old_day_the_event_sentence_gives_is_not_taken() -> None:
    text = (
        "North Korea fired a ballistic missile, the military said on Friday.\nA similar "
        "incident took place on September 1, officials said."
    )
    assert launch_date(text) == date(2025, 10, 31)


@pytest.mark.parametrize(
    "text",
    [
        "Iran's Revolutionary Guard said it fired ten missiles at the northern city.\nThe "
        "attack comes days after two of its members were killed in a missile attack near the "
        "capital on October 24.",
        "Houthi rebels fired a ballistic missile at the port, the coalition said.\nThe rebels "
        "called the missile strike revenge for an air raid on their stronghold on October 24.",
    ],
)
def test_the_day_of_the_event_avenged_does_not_date_the_launch(text: str) -> None:
    # Nothing dates the launch: it takes the publication day, not the day avenged.
    assert launch_date(text) == date(2025, 10, 31)


@pytest.mark.parametrize(
    "text",
    [
        "As the clock runs out on the Dec. 31 deadline, North Korea fired two short-range "
        "projectiles into the sea, Seoul said.",
        "North Korea fired a ballistic missile ahead of its December 31 year-end deadline for "
        "talks, the military said.",
    ],
)
def test_a_deadline_day_does_not_date_the_launch(text: str) -> None:
    # Nothing else dates the launch: it takes the publication day.
    assert launch_date(text) == date(2025, 10, 31)
