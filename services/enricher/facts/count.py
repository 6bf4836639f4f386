"""How many missiles flew: a number stated before the launched noun, or one in the singular.

"Fired two ballistic missiles" is two; "fired a long-range ballistic missile" is
one; "fired ballistic missiles" and "a barrage of rockets" give no count. Only
the objects launched are counted: not warheads, satellites or the interceptors of
an interception report, not a date or a model number, not another launch's
missiles or a running total. The missiles an interception report says were shot
down are the ones launched, and those the detecting side reports for a "satellite
test" are what flew. A space launch is one rocket unless a number is stated.
"""

from __future__ import annotations

import re

from schemas import MissileType
from services.enricher import cues
from services.enricher.facts.context import (
    Fact,
    FactContext,
    intercepted_before,
    other_class,
    span,
    states_launch,
)
from services.enricher.facts.detected import detected_missiles
from services.enricher.facts.singular import singular
from services.enricher.gazetteer import Weapon
from services.enricher.quantities import stated_count
from services.enricher.recognition import Reading

_NOT_LAUNCHED = re.compile(r"^(?:warheads?|satellites?|interceptors?)$", re.IGNORECASE)
_INTERCEPTOR = re.compile(r"^interceptors?$", re.IGNORECASE)
_FLEW_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:that\s+|which\s+)?(?:were\s+|was\s+|had\s+been\s+|have\s+been\s+)?"
    r"(?:fired|launched|struck|hit|landed|fell|flew|targeted|targeting)\b",
    re.IGNORECASE,
)
_RUNNING_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:this\s+year|so\s+far|to\s+date|since\s+(?:January|the\s+start"
    r"|the\s+beginning)|in\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_LANDED_IN_ZONE = re.compile(
    r"^[^.;]{0,120}?\b(?:landed|fell|splashed\s+down|dropped)\b[^.;]{0,40}?"
    r"\b(?:exclusive\s+economic\s+zone|EEZ)\b",
    re.IGNORECASE,
)
"""Missiles that landed in a zone are those of the salvo that landed there, a part."""


def extract(context: FactContext) -> Fact[int] | None:
    """The number of missiles launched, when the report states it."""
    chosen: tuple[int, bool, Fact[int]] | None = None
    for value, lower, fact in _stated(context):
        if chosen is None:
            chosen = (value, lower, fact)
        elif chosen[1] and value > chosen[0]:
            chosen = (value, lower, fact)  # "more than 20", then "a total of 23"
        if not chosen[1]:
            break
    if chosen is not None:
        return chosen[2]
    found = singular(context)
    if found is None and context.missile_type is MissileType.SPACE_LAUNCH:
        return Fact(1)
    return found


def _stated(context: FactContext) -> list[tuple[int, bool, Fact[int]]]:
    """Numbers stated before a launched noun in the launch's sentences, in their order."""
    found: list[tuple[int, bool, Fact[int]]] = []
    interceptors = context.missile_type is MissileType.SURFACE_TO_AIR
    detected = detected_missiles(context)
    for reading in [*context.event, *(r for r in detected if r not in context.event)]:
        if other_class(context, reading):
            continue  # "yesterday it fired 23 short-range missiles": another launch
        launch = states_launch(context, reading) or reading in detected
        base, text = reading.sentence.start, reading.sentence.text
        limit = len(text) if reading.passing_at is None else reading.passing_at - base
        for noun_start, noun_end, many in _nouns(reading, limit, interceptors=interceptors):
            before, after = text[:noun_start], text[noun_end:]
            stated = stated_count(before)
            if stated is None or (stated.value > 1 and not many):
                continue  # "84 missile and air strikes"
            if not (launch or intercepted_before(before) or _FLEW_AFTER.match(after)):
                continue
            if _RUNNING_AFTER.match(after) or (stated.value > 1 and _LANDED_IN_ZONE.match(after)):
                continue
            if not interceptors and _names_interceptor(
                reading, base + stated.start, base + noun_start
            ):
                continue  # "fired two Patriot missiles" at the incoming one
            evidence = span(
                reading, base + stated.start, base + noun_end, text[stated.start : noun_end]
            )
            found.append((stated.value, stated.lower_bound, Fact(stated.value, evidence)))
    return found


def _nouns(reading: Reading, limit: int, *, interceptors: bool) -> list[tuple[int, int, bool]]:
    """The launched nouns of a sentence up to `limit` (relative), in order, and whether each
    may take a number above one: a plural, or a system's name ("two Hwasong-18")."""
    base, text = reading.sentence.start, reading.sentence.text
    nouns: list[tuple[int, int, bool]] = []
    for match in cues.MISSILE.finditer(text, 0, limit):
        noun = match.group()
        if _NOT_LAUNCHED.match(noun) and not (interceptors and _INTERCEPTOR.match(noun)):
            continue
        nouns.append((match.start(), match.end(), _plural(noun)))
    for found in reading.founds:
        entry = found.entry
        if not isinstance(entry, Weapon) or found.start - base >= limit:
            continue
        if entry.missile_type is MissileType.SURFACE_TO_AIR and not interceptors:
            continue
        many = not entry.descriptive or _plural(found.text)
        nouns.append((found.start - base, found.end - base, many))
    return sorted(nouns)


def _plural(noun: str) -> bool:
    return noun.endswith(("s", "S")) and not noun.endswith(("ss", "SS"))


def _names_interceptor(reading: Reading, start: int, end: int) -> bool:
    return any(
        isinstance(f.entry, Weapon)
        and f.entry.missile_type is MissileType.SURFACE_TO_AIR
        and start <= f.start < end
        for f in reading.founds
    )
