"""The cheap word tests before the dear searches never hide a match.

Reading a sentence tries a few case-free patterns only when the sentence holds
one of their stems; every phrase a pattern matches must hold one.
"""

from __future__ import annotations

import re

import pytest

from services.enricher import cues

PHRASES: dict[str, tuple[re.Pattern[str], tuple[str, ...], list[str]]] = {
    "trigger": (
        cues.TRIGGER,
        cues.TRIGGER_STEMS,
        [
            "Pyongyang test-fired two missiles",
            "the LAUNCH came at dawn",
            "a salvo of rockets",
            "troops were firing",
            "a missile was tested",
            "they shot one",
            "the rebels shoot rockets",
            "artillery lobbed shells",
            "a barrage of rockets",
            "a volley of missiles",
            "the rocket lifted off",
            "after liftoff",
            "the rocket blasted off",
            "the missile was flight-tested",
            "a test-launch of the system",
            "Russia unleashed missiles",
        ],
    ),
    "strike": (
        cues.STRIKE,
        cues.STRIKE_STEMS,
        [
            "Russia struck the city with cruise missiles",
            "the ship was hit by a Houthi missile",
            "projectiles also hit the base",
            "it put a satellite into orbit",
            "missile strikes on the capital killed four",
            "a flying object that crashed near the border",
            "the port was hit with ICBMs",
            "rockets reached their targets",
            "the ship was struck with IRBMs",
            "the town was attacked with SRBMs",
        ],
    ),
    "missile": (
        cues.MISSILE,
        cues.MISSILE_STEMS,
        [
            "a missile",
            "two Rockets",
            "a projectile",
            "the warheads",
            "an interceptor",
            "a satellite",
            "ICBMs",
            "an SLBM",
            "SRBMs",
            "an IRBM",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(PHRASES))
def test_every_match_holds_a_stem(name: str) -> None:
    pattern, stems, phrases = PHRASES[name]
    for phrase in phrases:
        assert pattern.search(phrase), phrase
        assert cues.has_any(phrase.lower(), stems), phrase


@pytest.mark.parametrize("name", sorted(PHRASES))
def test_every_stem_is_needed_by_some_phrase(name: str) -> None:
    _, stems, phrases = PHRASES[name]
    for stem in stems:
        fewer = tuple(s for s in stems if s != stem)
        assert any(not cues.has_any(p.lower(), fewer) for p in phrases), stem


def test_a_sentence_without_stems_is_not_searched() -> None:
    assert not cues.has_any("the talks resumed in geneva on monday", cues.TRIGGER_STEMS)
