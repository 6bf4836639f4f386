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


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # A lower bound yields to the exact figure the report gives later.
        (
            "North Korea fired more than 20 missiles on Wednesday, Seoul said. The North "
            "fired a total of 25 missiles of several types, the military added.",
            None,
            25,
        ),
        # The missiles an interception report says were destroyed are the ones launched.
        (
            "The United Arab Emirates said it intercepted and destroyed two ballistic missiles "
            "over Abu Dhabi on Monday. The ministry said the missiles were fired by the Houthis.",
            None,
            2,
        ),
        # "A dozen" missiles that struck are twelve.
        (
            "Iran fired ballistic missiles at Erbil on Sunday. The Revolutionary Guards claimed "
            "responsibility for a dozen ballistic missiles that struck near the consulate.",
            None,
            12,
        ),
        # Of the nine launched, five landed in the zone: the count is nine.
        (
            "China fired ballistic missiles into the waters around Taiwan on Thursday. Five of "
            "the nine ballistic missiles launched by China landed in Japan's waters, Tokyo said.",
            None,
            9,
        ),
        # Those that landed in a zone are a part of the salvo, not its count.
        (
            "Japan said five ballistic missiles launched by China on Thursday landed inside "
            "its exclusive economic zone.",
            None,
            None,
        ),
        # Strikes, increments and running totals are not the number launched.
        (
            "Russia launched more than 84 missile and air strikes on Monday, Kyiv said.",
            None,
            None,
        ),
        (
            "North Korea fired a barrage of missiles on Wednesday. Later it fired six more "
            "missiles and artillery shells, Seoul said.",
            None,
            None,
        ),
        (
            "North Korea fired a ballistic missile on Wednesday, its 40th missile this year, "
            "Seoul said. It has fired 60 missiles so far this year.",
            None,
            1,
        ),
        # The warheads of one missile are not missiles.
        (
            "Russia test-fired a Sarmat ICBM carrying 10 warheads on Wednesday.",
            None,
            1,
        ),
        # A missile barrage is many, and two named systems are not one.
        (
            "Iran claimed responsibility on Sunday for a missile barrage that struck near "
            "the consulate in Erbil.",
            None,
            None,
        ),
        (
            "A Yars intercontinental ballistic missile and a Sineva ballistic missile were "
            "launched on Wednesday, the Kremlin said.",
            None,
            None,
        ),
        # The subject of a passive launch, "another" missile and a quoted "projectile".
        (
            "An unarmed Minuteman III intercontinental ballistic missile launched from "
            "Vandenberg Space Force Base on Tuesday, the Air Force said.",
            None,
            1,
        ),
        (
            "North Korea fired another missile over Japan on Friday, Tokyo said.",
            None,
            1,
        ),
        (
            'Pakistan said on Thursday that India launched a "projectile" that landed near '
            "Mian Channu on Wednesday.",
            None,
            1,
        ),
        # "Missile tests" qualifies tests: the missile that flew is counted after it.
        (
            "North Korea has recently conducted numerous missile tests. On Friday North Korea "
            "launched a missile that is likely an ICBM, Japan's defence ministry said.",
            None,
            1,
        ),
        # A headline's plural does not overrule the body's singular.
        (
            "North Korea fired a short-range ballistic missile on Sunday, the JCS said.",
            "North Korea launches ballistic missiles as carrier arrives",
            1,
        ),
        # A space launch is one rocket.
        (
            "Iran said on Thursday its Simorgh rocket delivered three research payloads into "
            "orbit.",
            None,
            1,
        ),
        # The interceptor of an interceptor test is what flew.
        (
            "Israel successfully tested its Arrow 3 interceptor against a target missile on "
            "Wednesday, the Defense Ministry said.",
            "Israel tests Arrow 3 interceptor",
            1,
        ),
    ],
)
def test_counts_from_general_phrasing(text: str, title: str | None, expected: int | None) -> None:
    assert launch_of(text, title=title).count == expected
