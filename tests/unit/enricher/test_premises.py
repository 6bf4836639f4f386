"""Stories in which a launch is a premise, not the news, and reports that only look alike.

Each kind of story is written in two or more wire phrasings; beside them, launch
reports that share their words (a drill, shells, a ceasefire) must stay reports.
"""

from __future__ import annotations

import pytest

from schemas import Modality
from tests.unit.enricher.test_classification import tag

PREMISES = {
    "evacuation-drill-scenario": (
        "Coastal town holds first evacuation drill for a missile launch",
        "Residents of a coastal town in northern Japan took part on Thursday in an "
        "evacuation drill for a missile launch, the first of its kind.\nThe exercise was "
        "organised by the central and prefectural governments.\nThe drill began in the "
        "morning under the scenario that a ballistic missile had been launched from a "
        "foreign country.\nSirens sounded and about 100 people walked to a school gym.",
        Modality.NOT_A_LAUNCH,
    ),
    "drill-assuming-a-landing": (
        "Missile evacuation drill held in western prefecture",
        "TOWN, Japan - The government conducted an evacuation drill on Thursday assuming "
        "the landing of a ballistic missile, following a series of missile launches by "
        "North Korea.\nAbout 300 residents joined the drill.\nThe drill assumed a scenario "
        "in which a ballistic missile was launched and then landed in the mountains.",
        Modality.NOT_A_LAUNCH,
    ),
    "air-raid-siren-test": (
        "City tests air raid sirens amid missile fears",
        "The city tested its air raid sirens on Thursday in a civil defence exercise, "
        "officials said.\nThe civil defence exercise simulated the launch of a missile toward "
        "the capital.\nResidents were asked to stay calm.",
        Modality.NOT_A_LAUNCH,
    ),
    "artillery-shells-at-sea-border": (
        "North Korea fires artillery shells near sea border",
        "North Korea fired about 130 artillery shells into the sea near its border with the "
        "South late on Wednesday, Seoul's military said.\nThe shells landed in a buffer "
        "zone.\nIn recent weeks the North has conducted an array of missile and artillery "
        "launches.",
        Modality.NOT_A_LAUNCH,
    ),
    "rounds-off-the-coast": (
        "Pyongyang fires hundreds of rounds off both coasts",
        "North Korea fired hundreds of rounds off its east and west coasts on Wednesday, "
        "South Korea's Joint Chiefs of Staff said.\nSeoul urged the North to stop the "
        "firing.\nThe North has tested missiles on several occasions this year.",
        Modality.NOT_A_LAUNCH,
    ),
    "toll-after-ceasefire": (
        "More civilians killed by misfired rockets than by air strikes, army says",
        "Twelve people in the enclave were killed by errant rockets.\nMore civilian lives "
        "were lost during the recent operation to militants' rockets that fell short than "
        "to air strikes, the army said on Thursday, hours after a ceasefire came into "
        "effect.\nAbout 900 rockets were launched by the group over three days.",
        Modality.REACTION,
    ),
    "damage-review-after-truce": (
        "Damage from rocket fire assessed as truce holds",
        "Officials began counting the damage from last week's rocket fire on Thursday, "
        "after the truce took effect.\nMilitants fired more than 600 rockets at southern "
        "towns during the fighting, the army said.\nSchools will reopen on Sunday.",
        Modality.REACTION,
    ),
    "campaign-summary": (
        "Militants and army exchange fire",
        "On May 29, militants began launching rocket salvos at southern towns after clashes "
        "in the city.\nMilitants launched 2,500 rockets, about half of which fell in open "
        "areas.\nThe army struck hundreds of targets in response.\nThe fighting, which killed "
        "dozens, ended in a June 8 ceasefire.",
        Modality.HISTORICAL,
    ),
    "campaign-summary-recent-weeks": (
        "How the rocket war unfolded",
        "During the 11-day war, the group fired about 4,000 rockets, the army said.\nMost "
        "were intercepted.\nThe war ended in a ceasefire brokered by neighbours on May 28.",
        Modality.HISTORICAL,
    ),
    "rocket-body-lands-in-ocean": (
        "Rocket debris set for re-entry in coming hours",
        "BEIJING (Wire) - Remnants of the country's biggest\nrocket landed in the Indian "
        "Ocean on Sunday, with most of\nits parts burnt up on re-entry into the Earth's "
        "atmosphere,\nstate media said.\nThe Long March 5B blasted off from Hainan island "
        "on April 29.",
        Modality.NOT_A_LAUNCH,
    ),
    "space-junk-to-fall": (
        "Spent rocket stage expected to fall back to Earth this weekend",
        "A spent Chinese rocket body weighing about 21 tonnes is expected to make an "
        "uncontrolled re-entry on Saturday, space trackers said on Thursday.\nIt is not "
        "known where the debris will come down.\nThe stage was launched last week.",
        Modality.NOT_A_LAUNCH,
    ),
    "debris-re-entered": (
        "Space debris lights up night sky",
        "Debris from a Chinese rocket launched last month re-entered the atmosphere over Utah "
        "late on Tuesday, astronomers said.\nResidents filmed bright streaks across the sky."
        "\nNo damage was reported.",
        Modality.NOT_A_LAUNCH,
    ),
}


@pytest.mark.parametrize("name", sorted(PREMISES))
def test_a_launch_that_is_a_premise_is_no_report(name: str) -> None:
    title, text, modality = PREMISES[name]
    report = tag(text, title)
    assert not report.is_launch_report
    assert report.rejected_as is modality


LOOKALIKE_REPORTS = {
    "launch-during-a-drill": (
        "North Korea fires missile as Japan holds evacuation drill",
        "North Korea fired a ballistic missile into the sea on Thursday, Japan's defence "
        "ministry said, as residents of a northern town took part in an evacuation drill.\n"
        "The missile flew about 400 km.",
    ),
    "missiles-and-shells": (
        "North Korea fires missiles and artillery shells",
        "North Korea fired two short-range ballistic missiles and about 100 artillery shells "
        "on Thursday, South Korea's military said.\nThe missiles flew about 300 km.",
    ),
    "barrage-despite-truce": (
        "Rockets fired from Gaza despite truce",
        "Militants in Gaza fired three rockets at southern Israel on Thursday, the army said, "
        "hours after a ceasefire took effect.\nTwo were intercepted.",
    ),
    "ongoing-barrage-with-total": (
        "Militants fire 300 rockets as fighting rages",
        "Militants in Gaza fired more than 300 rockets at Israel on Thursday, the army said, "
        "during the second day of fighting.\nAir raid sirens sounded across the south.",
    ),
    "icbm-re-enters-off-japan": (
        "North Korea fires ICBM that re-entered the atmosphere off Japan",
        "North Korea fired an intercontinental ballistic missile on Friday that flew for 70 "
        "minutes before re-entering the atmosphere inside Japan's economic zone, Tokyo "
        "said.\nThe missile's re-entry vehicle appeared to survive.",
    ),
    "intercept-debris-falls": (
        "Missile intercepted over city, debris falls on homes",
        "Houthi rebels fired a ballistic missile at Jazan on Thursday, and air defences "
        "intercepted it, the coalition said.\nDebris from the missile fell on homes.",
    ),
}


@pytest.mark.parametrize("name", sorted(LOOKALIKE_REPORTS))
def test_a_report_that_shares_their_words_stays_a_report(name: str) -> None:
    title, text = LOOKALIKE_REPORTS[name]
    report = tag(text, title)
    assert report.is_launch_report, report.rejected_as
