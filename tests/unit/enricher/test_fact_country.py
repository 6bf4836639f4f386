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


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Rockets hit desert air base",
            "Three rockets hit the desert air base on Wednesday afternoon, the US-led "
            "coalition has confirmed.\nThe rockets landed inside the perimeter, a coalition "
            "spokesman said, and there were no casualties among US troops.\nThe base in "
            "western Iraq hosts American and coalition personnel.",
        ),
        (
            "Rockets hit Iraqi base housing U.S. troops",
            "At least two rockets hit an Iraqi base housing U.S. forces on Wednesday, "
            "but caused no casualties, a coalition spokesman said.\nU.S. officials said the "
            "damage was being assessed.\nThere was no immediate claim of responsibility.",
        ),
    ],
)
def test_an_unclaimed_attack_is_the_theatres_not_the_targets(title: str, text: str) -> None:
    """The troops hit, and the coalition that speaks, are named most; the launch is left
    to the state where it happened."""
    assert country(text, title) == "IQ"


def test_a_launch_whose_only_state_is_a_speakers_name_has_no_launcher() -> None:
    """A civil rocket whose only "state" is a person's surname ("Adam London said") is
    not given to that state, and without a launcher it is no report."""
    report = tag_article(
        article(
            "A private startup launched its orbital rocket from Kodiak on Wednesday.\nAbout "
            "30 seconds into the flight the rocket drifted from its path, co-founder Adam "
            "London said.\nThe rocket broke apart and fell back to Earth.\nThe team is happy "
            "with the data, Kemp and London said.",
            PUBLISHED,
            title="Family watches rocket explode over island",
        )
    )
    assert not report.is_launch_report


@pytest.mark.parametrize(
    "text",
    [
        "In its largest-ever military drills around Taiwan on March 5, China fired ballistic "
        "missiles into the waters off the island, the defence ministry said.",
        "Fighter jets flew drills around Taiwan on Thursday as China launched 11 ballistic "
        "missiles, Taipei said.",
    ],
)
def test_the_state_the_drills_surround_is_not_the_launcher(text: str) -> None:
    assert country(text) == "CN"
