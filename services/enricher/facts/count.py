"""How many missiles flew: a number stated before the launched noun, or one in the singular.

"Fired two ballistic missiles" is two; "fired a long-range ballistic missile" is
one; "fired ballistic missiles" and "a barrage of rockets" give no count.
"""

from __future__ import annotations

import re

from services.enricher import cues
from services.enricher.facts.context import (
    Fact,
    FactContext,
    launch_limit,
    other_class,
    span,
    states_launch,
)
from services.enricher.quantities import count_before, one_of_many_or_a_kind, singular_before


def extract(context: FactContext) -> Fact[int] | None:
    """The number of missiles launched, when the report states it."""
    for reading in context.event:
        if not states_launch(context, reading) or other_class(context, reading):
            continue  # "yesterday it fired 23 short-range missiles": another launch
        base, text = reading.sentence.start, reading.sentence.text
        nouns = [(f.start, f.end) for f in reading.weapons(before=reading.passing_at)]
        nouns += [(base + m.start(), base + m.end()) for m in cues.MISSILE.finditer(text)]
        for start, end in sorted(nouns):
            if reading.passing_at is not None and start >= reading.passing_at:
                continue
            count = count_before(text[: start - base])
            if count is not None:
                return Fact(count, span(reading, start, end, text[start - base : end - base]))
    return _singular(context)


def _singular(context: FactContext) -> Fact[int] | None:
    """One missile when the sentence stating the launch names it in the singular.

    "Fired a long-range ballistic missile" is one; "fired ballistic missiles",
    "a barrage of rockets" are not counted. Headlines drop the article, so there
    a singular noun alone is enough. The first launch sentence that names what
    flew decides.
    """
    for reading in context.event:
        if not states_launch(context, reading) or reading.realis_at is None:
            continue
        base, text = reading.sentence.start, reading.sentence.text
        limit = base + launch_limit(reading)
        nouns = [(f.start, f.end) for f in reading.weapons(after=reading.realis_at, before=limit)]
        nouns += [
            (base + m.start(), base + m.end())
            for m in cues.MISSILE.finditer(text)
            if reading.realis_at <= base + m.start() < limit
        ]
        if not nouns:
            continue
        start, end = min(nouns)
        noun = text[start - base : end - base]
        headline = not reading.in_text or reading.sentence.index < 0
        plural = noun.endswith(("s", "S")) and not noun.endswith(("ss", "SS"))
        if singular_before(text[: start - base], noun) or (headline and not plural):
            return Fact(1, span(reading, start, end, noun))
        if plural:
            return None
    return _definite_singular(context)


_THE_MISSILE = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w\-]+\s+){0,2}?(?P<noun>missile|rocket|projectile|ICBM|SLBM|IRBM"
    r"|SRBM)\b(?!s\b|\s+(?:programme"
    r"|program|forces?|launchers?|units?|systems?|technology|development|arsenal|industry|tests|base"
    r"|sites?|attacks|strikes|fire|alerts?|sirens?)\b)",
    re.IGNORECASE,
)
_PLURAL_FIRED = re.compile(r"\b(?:missiles|rockets|projectiles)\b", re.IGNORECASE)
_FIRED_BEFORE = re.compile(
    r"\b(?:fired|launched|test-fired|test-launched|lobbed|shot)\b[^.;]{0,40}$", re.IGNORECASE
)
_FLEW_AFTER = re.compile(
    r"\s+(?:was\s+|had\s+)?(?:launched|fired|flew|fell|landed|splashed|hit|struck"
    r"|travell?ed|reached|exploded|crashed)\b",
    re.IGNORECASE,
)


def _flown(before: str, after: str) -> bool:
    """Whether a singular weapon noun is the one that flew, not a kind or a quality of it."""
    if one_of_many_or_a_kind(before):
        return False
    return bool(_FIRED_BEFORE.search(before) or _FLEW_AFTER.match(after))


def _definite_singular(context: FactContext) -> Fact[int] | None:
    """One missile when the report's sentences speak of "the missile" and never of missiles.

    An analysis or a follow-up names the launch and then "the missile was launched" or
    "fired a rocket"; the noun must be what flew, not a kind of weapon ("a test of a
    cruise missile") or a quality ("the missile was nuclear-capable"). Any plural in the
    launch's sentences leaves the count open.
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
