"""The gazetteers load, validate loudly, and match names as the news writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import EntityKind
from services.enricher.gazetteer import DATA, GazetteerError, default_gazetteer, load_gazetteer


def test_bundled_gazetteers_load() -> None:
    gazetteer = default_gazetteer()
    assert {actor.country for actor in gazetteer.actors} >= {"KP", "IR", "RU", "CN", "YE", "US"}
    assert gazetteer.timezone_of("KP") == "Asia/Pyongyang"


def _copy_data(tmp_path: Path) -> Path:
    for source in DATA.glob("*.toml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_a_malformed_entry_names_its_file_and_entry(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    with (directory / "weapons.toml").open("a", encoding="utf-8") as weapons:
        weapons.write('\n[[weapon]]\nname = "Broken"\nmissile_type = "laser"\naliases = ["X"]\n')
    with pytest.raises(GazetteerError, match=r"weapons\.toml: \[\[weapon\]\] #\d+ \(Broken\)"):
        load_gazetteer(directory)


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    with (directory / "sites.toml").open("a", encoding="utf-8") as sites:
        sites.write(
            '\n[[site]]\nname = "Nowhere"\ncountry = "KP"\nkind = "site"\nlatitude = 1.0\n'
            'longitude = 1.0\ntimezone = "Mars/Olympus"\naliases = ["Nowhere"]\n'
        )
    with pytest.raises(GazetteerError, match=r"Nowhere.*Mars/Olympus"):
        load_gazetteer(directory)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("a KN-23 missile", "Hwasong-11"),
        ("a KN 23 missile", "Hwasong-11"),
        ("two Hwasong-18s", "Hwasong-18"),
        ("Japan\u2019s defence ministry said", "Japan Ministry of Defense"),
        ("the DPRK said", "North Korea"),
        ("Ansar Allah said", "Houthis"),
    ],
)
def test_names_match_their_variants(text: str, canonical: str) -> None:
    assert canonical in {found.entry.name for found in default_gazetteer().find(text)}


def test_longest_name_wins_and_lowercase_words_are_not_acronyms() -> None:
    found = default_gazetteer().find("the North Korean short-range ballistic missile, us and them")
    assert [(f.text, f.kind) for f in found] == [
        ("North Korean", EntityKind.ACTOR),
        ("short-range ballistic missile", EntityKind.WEAPON),
    ]


def test_proper_names_do_not_match_common_words() -> None:
    found = default_gazetteer().find("great heroes and great patriots")
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "NORTH Korea fired a missile",
        "north korea launches missile toward east sea",
        "NORTH KOREA FIRES MISSILE",
        "Tokyo/Seoul, March 24 (Agency)--North Korea fired a missile",
    ],
)
def test_a_state_named_in_capitals_lower_case_or_after_a_dateline_dash_is_found(text: str) -> None:
    assert "North Korea" in {found.entry.name for found in default_gazetteer().find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "troops moved to the north and the south of the city",
        "the strikes hurt us military planners said",
        "an anti-Iran rally",
        "the israeli military said",
    ],
)
def test_lower_case_words_and_hyphenated_compounds_name_no_state(text: str) -> None:
    assert default_gazetteer().find(text) == []
