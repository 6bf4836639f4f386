"""Sentences keep their offsets, and abbreviations do not end them, unless one closes it."""

from __future__ import annotations

import pytest

from services.enricher.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The window runs from midnight to 6 a.m. The test was announced on Tuesday.",
            ["The window runs from midnight to 6 a.m.", "The test was announced on Tuesday."],
        ),
        (
            "Missiles were fired at 11 p.m. It was the third launch this month.",
            ["Missiles were fired at 11 p.m.", "It was the third launch this month."],
        ),
        (
            "The missile was fired at 7 a.m. Tuesday from the coast.",
            ["The missile was fired at 7 a.m. Tuesday from the coast."],
        ),
        (
            "Lt. Col. Smith said the U.S. Navy tracked it.",
            ["Lt. Col. Smith said the U.S. Navy tracked it."],
        ),
    ],
)
def test_an_abbreviation_ends_a_sentence_only_before_a_sentence_opening(
    text: str, expected: list[str]
) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)
