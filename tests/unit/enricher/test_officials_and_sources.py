"""Who was present at a launch, and who a launch claim is attributed to."""

from __future__ import annotations

from schemas import LaunchFactFields
from services.enricher import tag_article
from tests.unit.enricher.articles import article

PUBLISHED = "2024-03-07T09:00:00+00:00"


def facts(text: str) -> LaunchFactFields:
    enriched = tag_article(article(text, PUBLISHED, url="https://news.example/story"))
    assert enriched.launch is not None
    return enriched.launch


def test_titled_people_who_accompany_the_leader_are_present() -> None:
    launch = facts(
        "North Korea test-fired a new cruise missile on Wednesday, KCNA reported. "
        "Kim Jong Un oversaw the test, accompanied by Lieutenant General Kim Jong Sik "
        "and Defence Minister Han Chol Min."
    )
    assert launch.officials == ("Kim Jong Un", "Kim Jong Sik", "Han Chol Min")


def test_presence_in_a_later_sentence_and_by_surname() -> None:
    launch = facts(
        "North Korea launched a Hwasong-18 ICBM on Tuesday, KCNA said. "
        "Kim watched the launch from an observation post with his daughter Kim Ju Ae."
        " Leader Kim Jong Un called the test a success."
    )
    assert "Kim Jong Un" in launch.officials


def test_in_the_presence_of_names_each_person() -> None:
    launch = facts(
        "Russia test-fired a Yars ICBM from Plesetsk on Wednesday in the presence of "
        "General Valery Gerasimov, the defence ministry said."
    )
    assert launch.officials == ("Valery Gerasimov",)


def test_speakers_spokesmen_and_open_presence_are_not_present() -> None:
    launch = facts(
        "North Korea fired a ballistic missile on Monday, South Korea's Joint Chiefs of Staff "
        "said. JCS spokesman Lee Sung Jun told reporters the launch was a provocation. "
        "It did not say whether leader Kim Jong Un attended. "
        "Prime Minister Fumio Kishida condemned the launch."
    )
    assert launch.officials == ()


def test_names_that_are_places_or_ships_are_not_people() -> None:
    launch = facts(
        "North Korea fired cruise missiles on Sunday from the destroyer Choe Hyon, "
        "accompanied by Hwasong Artillery Units, KCNA said."
    )
    assert launch.officials == ()


def test_wire_and_state_media_sources_are_attributed() -> None:
    launch = facts(
        "Yemen's Houthis fired a ballistic missile at Israel on Thursday, Al-Masirah "
        "reported, citing Yahya Saree. Jiji Press said Japan was not affected."
    )
    assert "Al-Masirah" in launch.reported_by
    assert "Houthis" in launch.reported_by
