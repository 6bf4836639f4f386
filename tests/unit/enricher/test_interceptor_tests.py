"""Interceptor tests are launch reports of a surface-to-air interceptor.

A state testing its missile defence fires an interceptor at a target: the report is of
that launch, typed surface-to-air whatever target it names, and never civil space, even
beside a sentence on the state's space programme. An interception of incoming fire
stays typed by the attacker's missile.
"""

from __future__ import annotations

import pytest

from schemas import MissileType
from tests.unit.enricher.test_classification import tag

INTERCEPTOR_TESTS = {
    "midcourse-test-beside-space-programme": (
        "China says midcourse missile interception test a success",
        "BEIJING (Wire) - China says it has successfully conducted a midcourse missile "
        "interception test, a move that could advance its ability to withstand foreign "
        "intervention.\nThe Defense Ministry gave no details except to say the test was "
        "purely defensive.\nMissiles are also the backbone of a space program that has "
        "launched astronauts to the nation's orbiting space station.",
    ),
    "land-based-system-with-ballistic-background": (
        "China tests land-based missile interception system",
        "China's defence ministry said it carried out a land-based missile interception "
        "test late on Sunday.\nThe test achieved its expected purpose, the ministry said.\n"
        "China is developing all kinds of missiles, from satellite killers to nuclear-tipped "
        "ballistic missiles.",
    ),
    "named-interceptor-at-a-ballistic-target": (
        "Israel successfully tests Arrow interceptor against ballistic missile target",
        "Israel on Tuesday successfully tested its Arrow missile interceptor, which "
        "destroyed a ballistic missile target over the Mediterranean, the defence ministry "
        "said.\nThe test was carried out with the US Missile Defense Agency.",
    ),
    "failed-intercept-in-a-flight-test": (
        "Missile Defense Agency test fails to intercept target",
        "The US Navy fired two interceptors at a medium-range ballistic missile target "
        "northwest of Hawaii on Saturday in a missile defence test, the Missile Defense "
        "Agency said.\nAn intercept was not achieved during the test.",
    ),
}


@pytest.mark.parametrize("name", sorted(INTERCEPTOR_TESTS))
def test_an_interceptor_test_is_a_surface_to_air_launch(name: str) -> None:
    title, text = INTERCEPTOR_TESTS[name]
    report = tag(text, title)
    assert report.is_launch_report, report.rejected_as
    assert report.launch is not None
    assert report.launch.missile_type is MissileType.SURFACE_TO_AIR


def test_an_interception_of_incoming_fire_keeps_the_attackers_type() -> None:
    report = tag(
        "The UAE's air defences intercepted and destroyed two ballistic missiles fired by "
        "Yemen's Houthi rebels at Abu Dhabi on Monday, the defence ministry said.\nDebris "
        "fell in the city.",
        "UAE intercepts two Houthi ballistic missiles",
    )
    assert report.is_launch_report
    assert report.launch is not None
    assert report.launch.missile_type is MissileType.BALLISTIC


def test_a_missed_intercept_in_a_test_is_not_a_denied_launch() -> None:
    report = tag(
        "An intercept was not achieved during Saturday's flight test of the Navy's Aegis "
        "missile defence system off Hawaii, the US Missile Defense Agency said.\nOfficials "
        "began a review of the results.",
        "US missile defence flight test misses target",
    )
    assert report.rejected_as is None or str(report.rejected_as) != "negated"
    assert report.is_launch_report
