"""One missile: the launch named in the singular ("fired a missile", "the ICBM flew").

"Fired a long-range ballistic missile", "another missile", "an unarmed Minuteman III
launched" and "the missile's launch" are one; "fired ballistic missiles", "a barrage
of rockets", "a missile barrage", "a Yars and a Sineva" and "a test of a new cruise
missile" (a kind of weapon) are not counted.
"""

from __future__ import annotations

import re

from services.enricher import cues
from services.enricher.facts.context import (
    Fact,
    FactContext,
    launch_limit,
    span,
    states_launch,
)
from services.enricher.quantities import one_of_many_or_a_kind, singular_before
from services.enricher.recognition import Reading

_JOINED_AFTER = re.compile(
    r"(?:\s*\([^)]{0,40}\))?(?:\s*,)?\s+(?:and|as\s+well\s+as|plus)\s+(?:an?|one|two|three"
    r"|several|other|\d+)\b",
    re.IGNORECASE,
)
"""A noun joined to another ("a Yars and a Sineva"): more than one flew."""
_MODIFIER_AFTER = re.compile(
    r"\s+(?:barrages?|salvos?|volleys?|attacks?|strikes?|launches|tests|programm?e?s?)\b",
    re.IGNORECASE,
)
"""A noun that qualifies another ("a missile barrage", "missile tests"), not what flew."""

_PASSIVE_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:was\s+|is\s+|has\s+been\s+|had\s+been\s+)?$", re.IGNORECASE
)
"""Between a noun and the launch word after it: the noun is what was launched."""


def singular(context: FactContext) -> Fact[int] | None:
    """One missile when the sentence stating the launch names it in the singular.

    Headlines drop the article, so there a singular noun alone is enough, and a
    headline's plural does not overrule the body. The first launch sentence in the
    body that names what flew decides.
    """
    for reading in context.event:
        if not states_launch(context, reading) or reading.realis_at is None:
            continue
        nouns = _launched_nouns(reading)
        if not nouns:
            continue
        base, text = reading.sentence.start, reading.sentence.text
        start, end = nouns[0]
        noun = text[start - base : end - base]
        headline = not reading.in_text or reading.sentence.index < 0
        plural = noun.endswith(("s", "S")) and not noun.endswith(("ss", "SS"))
        if _MODIFIER_AFTER.match(text, end - base):
            continue
        if _JOINED_AFTER.match(text, end - base):
            return None
        if singular_before(text[: start - base], noun) or (headline and not plural):
            return Fact(1, span(reading, start, end, noun))
        if plural and not headline:
            return None
    return _definite_singular(context)


def _launched_nouns(reading: Reading) -> list[tuple[int, int]]:
    """The weapon nouns after the launch word, or the subject of a passive one just before
    it ("an unarmed Minuteman III ICBM launched"), in order."""
    assert reading.realis_at is not None
    base, text = reading.sentence.start, reading.sentence.text
    realis, limit = reading.realis_at, base + launch_limit(reading)
    nouns = [(f.start, f.end) for f in reading.weapons(before=limit)]
    nouns += [(base + m.start(), base + m.end()) for m in cues.MISSILE.finditer(text)]
    after = sorted((s, e) for s, e in nouns if realis <= s < limit)
    before = [
        (s, e)
        for s, e in nouns
        if e <= realis and _PASSIVE_AFTER.match(text[e - base : realis - base])
    ]
    return before[-1:] + after if before else after


_THE_MISSILE = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w\-]+\s+){0,2}?(?P<noun>missile|rocket|projectile|ICBM|SLBM|IRBM"
    r"|SRBM)\b(?!s\b|\s+(?:programme"
    r"|program|forces?|launchers?|units?|systems?|technology|development|arsenal|industry|tests|base"
    r"|sites?|attacks|strikes|fire|alerts?|sirens?|barrages?|salvos?)\b)",
    re.IGNORECASE,
)
_PLURAL_FIRED = re.compile(r"\b(?:missiles|rockets|projectiles)\b", re.IGNORECASE)
_FIRED_BEFORE = re.compile(
    r"\b(?:fired|launched|test-fired|test-launched|lobbed|shot)\b[^.;]{0,40}$", re.IGNORECASE
)
_FLEW_AFTER = re.compile(
    r"\s+(?:was\s+|had\s+)?(?:launched|fired|flew|fell|landed|splashed|hit|struck"
    r"|travell?ed|reached|exploded|crashed)\b"
    r"|[\u2019']s\s+(?:\w+\s+)?(?:launch|flight)\b",
    re.IGNORECASE,
)


def _flown(before: str, after: str) -> bool:
    """Whether a singular weapon noun is the one that flew, not a kind or a quality of it."""
    if one_of_many_or_a_kind(before):
        return False
    return bool(_FIRED_BEFORE.search(before) or _FLEW_AFTER.match(after))


def _definite_singular(context: FactContext) -> Fact[int] | None:
    """One missile when the report's sentences speak of "the missile" and never of missiles.

    An analysis or a follow-up names the launch and then "the missile was launched",
    "the missile's launch" or "fired a rocket"; the noun must be what flew, not a kind
    of weapon ("a test of a cruise missile") or a quality ("the missile was
    nuclear-capable"). Any plural in the launch's sentences leaves the count open.
    """
    chosen: Fact[int] | None = None
    for reading in context.event:
        base, text = reading.sentence.start, reading.sentence.text
        limit = launch_limit(reading)
        if _PLURAL_FIRED.search(text, 0, limit):
            return None
        found = _THE_MISSILE.search(text, 0, limit)
        if found and not _flown(text[: found.start()], text[found.end() :]):
            found = None  # "a test of a cruise missile", "the missile was nuclear-capable"
        if found and chosen is None:
            start, end = base + found.start("noun"), base + found.end("noun")
            chosen = Fact(1, span(reading, start, end, found["noun"]))
    return chosen
