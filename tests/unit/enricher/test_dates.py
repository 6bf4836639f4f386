"""Date phrases resolve to the local calendar date at the launch site."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.enricher import tag_article
from services.enricher.dates import DateResolver, Precision
from tests.unit.enricher.articles import article

# Wednesday 2025-10-29 06:00 UTC is 15:00 the same Wednesday in Pyongyang.
WEDNESDAY = datetime(2025, 10, 29, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("fired on Tuesday", date(2025, 10, 28)),
        ("fired early Sunday", date(2025, 10, 26)),
        ("fired on Wednesday", date(2025, 10, 29)),
        ("fired last Wednesday", date(2025, 10, 22)),
        ("fired on Oct. 22", date(2025, 10, 22)),
        ("fired on 22 October", date(2025, 10, 22)),
        ("fired on October 28, 2025", date(2025, 10, 28)),
        ("fired yesterday", date(2025, 10, 28)),
        ("fired two days ago", date(2025, 10, 27)),
        ("fired on Dec. 30", date(2024, 12, 30)),
    ],
)
def test_phrases_resolve_against_publication(phrase: str, expected: date) -> None:
    mentions = DateResolver(WEDNESDAY, "Asia/Pyongyang").mentions(phrase)
    assert [m.day for m in mentions] == [expected]


def test_hours_before_an_event_is_the_publication_day() -> None:
    [mention] = DateResolver(WEDNESDAY, "Asia/Pyongyang").mentions("hours before Trump landed")
    assert mention.day == date(2025, 10, 29)
    assert mention.precision is Precision.VAGUE


def test_publication_day_is_read_in_the_site_zone() -> None:
    late = datetime(2025, 10, 28, 20, tzinfo=UTC)  # already Wednesday in Pyongyang
    assert DateResolver(late, "Asia/Pyongyang").publication_day() == date(2025, 10, 29)
    assert DateResolver(late, "America/Los_Angeles").publication_day() == date(2025, 10, 28)
    [mention] = DateResolver(late, "Asia/Pyongyang").mentions("yesterday")
    assert mention.day == date(2025, 10, 28)


def test_a_utc_time_late_in_the_day_is_the_next_day_in_pyongyang() -> None:
    [mention] = DateResolver(WEDNESDAY, "Asia/Pyongyang").mentions("at 23:00 UTC on Monday")
    assert mention.day == date(2025, 10, 28)
    [local] = DateResolver(WEDNESDAY, "Asia/Pyongyang").mentions("at 11 a.m. KST on Monday")
    assert local.day == date(2025, 10, 27)


def test_the_saying_date_is_marked() -> None:
    resolver = DateResolver(WEDNESDAY, "Asia/Pyongyang")
    [said] = resolver.mentions("North Korea on Wednesday said")
    [reported] = resolver.mentions("state media reported Sunday")
    [happened] = resolver.mentions("the launches, which took place on Tuesday")
    assert said.is_report_date
    assert reported.is_report_date
    assert not happened.is_report_date


@pytest.mark.parametrize(
    "text",
    [
        '"The missile fired at the town was intercepted and destroyed" late Monday, said a '
        "coalition spokesman.",
        "Militants fired two rockets at the border town on Monday, said the army.",
        "Iran launched a satellite into orbit Monday, reported state television.",
    ],
)
def test_a_day_before_a_comma_and_the_saying_dates_what_was_said(text: str) -> None:
    [mention] = DateResolver(WEDNESDAY, "Asia/Riyadh").mentions(text)
    assert mention.day == date(2025, 10, 27)
    assert not mention.is_report_date


def test_the_saying_keeps_its_own_day() -> None:
    resolver = DateResolver(WEDNESDAY, "Asia/Riyadh")
    [before] = resolver.mentions("The coalition on Monday said it intercepted a missile.")
    [after] = resolver.mentions("The coalition said Monday it intercepted a missile.")
    assert before.is_report_date
    assert after.is_report_date


def test_the_launch_date_prefers_the_launch_over_the_saying() -> None:
    text = (
        "North Korea said on Friday it had test-fired strategic cruise missiles. State media said "
        "leader Kim Jong Un oversaw the missile tests on Wednesday."
    )
    launch = tag_article(article(text, "2025-02-28T02:00:00+00:00")).launch
    assert launch is not None
    assert launch.launch_date == date(2025, 2, 26)


def test_a_report_from_washington_dates_the_launch_in_korea() -> None:
    # 23:30 UTC Monday is Tuesday morning in Pyongyang; US evening news says "Monday".
    text = "North Korea fired a ballistic missile into the East Sea at 23:30 GMT on Monday."
    launch = tag_article(article(text, "2025-10-28T01:00:00+00:00")).launch
    assert launch is not None
    assert launch.launch_date == date(2025, 10, 28)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Tuesday 12:00 UTC: Tuesday morning in Washington, Tuesday evening in Pyongyang;
        # 1:17 p.m. that Tuesday in Washington is early Wednesday in Pyongyang.
        (
            "The Pentagon detected a North Korean missile launch today at about 1:17 p.m. EST, "
            "a spokesman said.",
            "2025-10-28T12:00:00+00:00",
            date(2025, 10, 29),
        ),
        # Tuesday 16:00 UTC: Tuesday noon in Washington, already Wednesday in Pyongyang;
        # 10:05 a.m. that Tuesday in Washington is still Tuesday evening there.
        (
            "North Korea launched an intercontinental ballistic missile today at 10:05 a.m. ET, "
            "US officials said.",
            "2025-10-28T16:00:00+00:00",
            date(2025, 10, 28),
        ),
        # The writer's yesterday is Monday in California; 9 p.m. then is Tuesday in Korea.
        (
            "North Korea fired a ballistic missile yesterday at 9 p.m. PT, the US military said.",
            "2025-10-28T16:00:00+00:00",
            date(2025, 10, 28),
        ),
    ],
)
def test_a_writers_relative_day_with_its_clock_is_dated_in_korea(
    text: str, published: str, expected: date
) -> None:
    # "Today" and "yesterday" are the writer's, counted where the clock is, not in Korea.
    launch = tag_article(article(text, published)).launch
    assert launch is not None
    assert launch.launch_date == expected


def test_a_relative_day_under_a_dateline_is_already_the_writers() -> None:
    resolver = DateResolver(
        datetime(2025, 10, 28, 20, tzinfo=UTC), "Asia/Pyongyang", reference=date(2025, 10, 28)
    )
    [mention] = resolver.mentions("on Tuesday at 8 a.m. EST")
    assert mention.day == date(2025, 10, 28)


def test_undated_report_takes_the_publication_day_at_the_site() -> None:
    text = "North Korea fired a short-range ballistic missile toward the East Sea, the JCS said."
    launch = tag_article(article(text, "2025-10-28T20:00:00+00:00")).launch
    assert launch is not None
    assert launch.launch_date == date(2025, 10, 29)
    assert launch.range_class == "SRBM"


def test_without_a_publication_time_relative_dates_stay_unknown() -> None:
    text = "North Korea fired a short-range ballistic missile on Tuesday, the JCS said."
    launch = tag_article(article(text, None)).launch
    assert launch is not None
    assert launch.launch_date is None
