"""Counts come only from quantities of the objects launched."""

from __future__ import annotations

import pytest

from tests.unit.enricher.test_fact_country import launch_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Another launch's missiles, of another class, are not this launch's count.
        (
            "North Korea fired an intercontinental ballistic missile on Wednesday, Seoul's "
            "military said. Earlier this month it fired as many as 23 short-range ballistic "
            "missiles in a single day.",
            1,
        ),
        # "An ICBM" that flew is one missile.
        (
            "North Korea carried out a missile test on Wednesday, Seoul's military said. The "
            "ICBM flew for over an hour before it landed in the sea.",
            1,
        ),
        # A model number is a name, not a count.
        ("North Korea test-fired two Hwasong-18 missiles on Wednesday.", 2),
    ],
)
def test_the_count_is_of_the_launched_missiles(text: str, expected: int) -> None:
    assert launch_of(text).count == expected
