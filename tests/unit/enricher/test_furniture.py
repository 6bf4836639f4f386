"""Page furniture is set aside before the story is read; a dateline frames the report."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.enricher import tag_article
from services.enricher.furniture import Kind, lay_out
from tests.unit.enricher.articles import article

PUBLISHED = "2025-06-12T09:00:00+00:00"  # a Thursday
PUBLISHED_AT = datetime.fromisoformat(PUBLISHED)
LEAD = "North Korea fired two ballistic missiles into the sea on Wednesday, Seoul's military said."


@pytest.mark.parametrize(
    ("dateline", "place", "day", "agency"),
    [
        ("SEOUL, June 11 (Harbour Wire) -- ", "SEOUL", date(2025, 6, 11), "Harbour Wire"),
        ("WASHINGTON (Bay News) \u2014 ", "WASHINGTON", None, "Bay News"),
        ("TOKYO, June 12. /Port Agency/. ", "TOKYO", date(2025, 6, 12), "Port Agency"),
        ("Seoul, June 11 (Lake Press)--", "Seoul", date(2025, 6, 11), "Lake Press"),
        ("SEOUL, South Korea \u2014 ", "SEOUL", None, None),
        ("BAGHDAD \u2014 ", "BAGHDAD", None, None),
        ("Pyongyang, June 11, 2025: ", "Pyongyang", date(2025, 6, 11), None),
        ("Seoul: ", "Seoul", None, None),
    ],
)
def test_a_dateline_frames_the_report_and_leaves_the_lead(
    dateline: str, place: str, day: date | None, agency: str | None
) -> None:
    text = "Missiles fly into the sea off the east coast once more\n\n" + dateline + LEAD
    layout = lay_out(text, PUBLISHED_AT)
    assert layout.frame is not None
    assert (layout.frame.place, layout.frame.day, layout.frame.agency) == (place, day, agency)
    span = layout.frame.span
    assert text[span.start : span.end] == span.text
    assert span.text.startswith(place)
    lead = layout.body[1]
    assert lead.text == LEAD
    assert text[lead.start : lead.end] == LEAD


@pytest.mark.parametrize(
    "line",
    [
        "NORTH Korea fired two ballistic missiles into the sea on Wednesday, officials said.",
        "UPDATE - North Korea fires two ballistic missiles into the sea",
        "Japan: the missile fell outside its waters",
        "ALERT: The government is warning that a missile may have been launched toward the north.",
        "STORY: The navy fired live missiles into the sea near the island on Thursday morning.",
    ],
)
def test_prose_and_labels_are_not_datelines(line: str) -> None:
    layout = lay_out(line + "\n" + LEAD, PUBLISHED_AT)
    assert layout.frame is None
    assert layout.body[0].text == line


FURNITURE = {
    "By Jane Marlow": Kind.BYLINE,
    "Jane Marlow is a freelance reporter who covers East Asia for the magazine.": Kind.BYLINE,
    "Updated: June 12, 2025 09:41 KST": Kind.TIMESTAMP,
    "Thu, Jun 12, 2025 - 6:57 AM": Kind.TIMESTAMP,
    "12 June,2025 08:48 AM IST |  Seoul  |  Harbour Wire": Kind.TIMESTAMP,
    "(RIVER LANE/Getty Images)": Kind.CREDIT,
    "FILE - In this photo released by a state agency, a missile lifts off from a launcher.": (
        Kind.CREDIT
    ),
    "People watch a television screen showing a missile launch in Seoul, June 11, 2025.": (
        Kind.CAPTION
    ),
    "Related: Seven things to know about the missile programme": Kind.LINKS,
    "World": Kind.DESK,
    "You are here": Kind.DESK,
}


@pytest.mark.parametrize("line", sorted(FURNITURE))
def test_furniture_before_the_story_is_set_aside(line: str) -> None:
    text = "Missiles fly into the sea off the east coast once more\n" + line + "\n" + LEAD
    layout = lay_out(text, PUBLISHED_AT)
    kinds = {piece.kind for piece in layout.furniture}
    assert kinds == {FURNITURE[line]}
    assert [sentence.text for sentence in layout.body] == [
        "Missiles fly into the sea off the east coast once more",
        LEAD,
    ]


def test_subheads_and_repeated_lines_inside_the_story_are_set_aside() -> None:
    text = (
        LEAD + "\nReaction in Tokyo\nJapan lodged a protest through diplomatic channels, "
        "officials in Tokyo said on Thursday.\n" + LEAD
    )
    layout = lay_out(text, PUBLISHED_AT)
    assert [piece.kind for piece in layout.furniture] == [Kind.SUBHEAD, Kind.DUPLICATE]
    assert [sentence.index for sentence in layout.body] == [0, 1]


def test_a_lead_below_a_heap_of_page_furniture_is_still_the_lead() -> None:
    text = (
        "Bay Times\nWorld\nBy Jane Marlow\nJane Marlow\nSenior Correspondent\n"
        "Updated: June 12, 2025 09:41 KST\n(RIVER LANE/Getty Images)\nYou are here\n"
        "SEOUL, June 12 (Harbour Wire) -- " + LEAD + "\nThe missiles flew about 300 km, "
        "the Joint Chiefs of Staff said."
    )
    report = tag_article(article(text, PUBLISHED))
    assert report.launch is not None
    assert report.launch.country == "KP"
    assert report.launch.launch_date == date(2025, 6, 11)
