"""The launching state is found by its role in the launch sentence, not by being named first."""

from __future__ import annotations

import pytest

from schemas import LaunchFacts
from services.enricher import tag_article
from tests.unit.enricher.articles import article

PUBLISHED = "2024-03-07T09:00:00+00:00"


def launch_of(text: str, published: str = PUBLISHED, title: str | None = None) -> LaunchFacts:
    """The facts of a report the enricher must recognise."""
    launch = tag_article(article(text, published, title=title)).launch
    assert launch is not None
    return launch


def country(text: str, title: str | None = None) -> str | None:
    return launch_of(text, title=title).country


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Japan and South Korea said North Korea fired a ballistic missile on Wednesday "
            "that came down in the sea.",
            "KP",
        ),
        (
            "The Emirates said they intercepted two ballistic missiles fired at Abu Dhabi by "
            "Iran-backed Houthi rebels on Wednesday.",
            "YE",
        ),
        (
            "Saudi air defences destroyed a Houthi ballistic missile launched towards Jizan "
            "on Wednesday, the coalition said.",
            "YE",
        ),
        (
            "South Korea's military confirmed it test-fired a solid-fuel rocket on Wednesday, "
            "after residents feared they had seen a North Korean missile.",
            "KR",
        ),
        (
            "Houthi rebels backed by Iran fired a ballistic missile towards Riyadh on "
            "Wednesday, the coalition said.",
            "YE",
        ),
        (
            "A ballistic missile was fired at Abu Dhabi by Iran-backed Houthi fighters on "
            "Wednesday, the Emirati defence ministry said.",
            "YE",
        ),
        # "Its test" belongs to the subject, not to the state it notified.
        (
            "The Pentagon said on Wednesday that Russia had notified the United States in "
            "advance of its test of a new intercontinental ballistic missile.",
            "RU",
        ),
        # A lead printed in capitals still names the launcher.
        ("NORTH Korea fired two ballistic missiles on Wednesday, prompting alerts in Japan.", "KP"),
        # A name glued to the dateline's dash is still the launcher.
        (
            "Tokyo, March 6 (Wire Example)--North Korea fired a ballistic missile into the sea "
            "on Wednesday, according to South Korean and Japanese officials.",
            "KP",
        ),
        # A state that speaks of its own test launched it; the agency that reports is a source.
        (
            "Pyongyang says its Sunday test was part of the development of a new satellite, "
            "South Korea's Yonhap news agency reports.",
            "KP",
        ),
        # "North and South Korea": the elided first name of a joint subject leads.
        (
            "North and South Korea fired missiles into the waters off each other's coasts "
            "on Wednesday in a sharp escalation.",
            "KP",
        ),
        # The defence launched at the rockets; the rockets' launch word names the attacker.
        (
            "Israel launched its Iron Dome interceptors on Wednesday night at rockets fired by "
            "Palestinian Islamic Jihad from the Gaza Strip.",
            "PS",
        ),
        # The state that took responsibility launched; the official "saying" is a witness.
        (
            "A missile barrage landed near an airbase outside Erbil, Iraq, with Iran later "
            "taking responsibility for the attack. At first an Iraqi official was saying that "
            "the base had been hit by several missiles fired on Wednesday.",
            "IR",
        ),
    ],
)
def test_the_state_that_fired(text: str, expected: str) -> None:
    assert country(text) == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # A headline about the response does not overrule the lead.
        (
            "South Korea fires missiles in response to North Korean ICBM",
            "North Korea fired an intercontinental ballistic missile on Wednesday, Seoul's "
            "military said. South Korea launched missiles of its own an hour later.",
            "KP",
        ),
        # A headline in lower case (a URL slug) names the launcher when the body does not.
        (
            "pakistan says india fired a missile that fell in its territory",
            "A supersonic missile was fired on Wednesday and crashed near a town in Punjab, "
            "the army spokesman said, calling it a violation of the airspace.",
            "IN",
        ),
    ],
)
def test_the_headline_and_the_lead(title: str, text: str, expected: str) -> None:
    assert country(text, title) == expected
