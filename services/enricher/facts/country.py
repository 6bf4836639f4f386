"""The launching state: who launched in the lead sentence, then whose weapon flew.

"North Korea fired" and "launched from Yemen" name the launcher; a possessive
owns the launch ("Iran's satellite launch"). A state that only reacts, or is
where the missiles went, did not launch. When the lead names no launcher, a
state named as operating the platform ("a British submarine") decides, then a
weapon's owner (a Hwasong is North Korea's), then an official's state.
"""

from __future__ import annotations

import re
from collections import Counter

from schemas import EntityKind
from services.enricher import cues
from services.enricher.facts.context import Fact, FactContext, event_part, span
from services.enricher.gazetteer import Actor, Found, Official, Weapon
from services.enricher.recognition import Reading


def extract(context: FactContext) -> Fact[str] | None:
    """The ISO code of the state (or the state an armed group stands for) that launched."""
    primary = context.primary
    text, base = primary.sentence.text, primary.sentence.start
    trigger = primary.realis_at if primary.realis_at is not None else base
    actors = [f for f in primary.founds if f.kind is EntityKind.ACTOR and event_part(primary, f)]
    for found in actors:  # "launched from Yemen", "the test by Pyongyang"
        between = text[trigger - base : found.start - base]
        if found.start > trigger and cues.LAUNCHED_FROM.match(between):
            return _actor(primary, found)
    owner = _owner_of_trigger(primary, actors, trigger)
    if owner is not None:  # "condemned Iran's launch": the possessive owns the launch
        return _actor(primary, owner)
    before = [f for f in actors if f.start < trigger]
    # A state that only reacts ("Britain, France and Germany condemned ...") did not
    # launch, unless no other state is named before the launch word.
    before = [
        f for f in before if not _REACTING.search(text[f.end - base : trigger - base])
    ] or before
    if before:
        chosen = before[-1]
        # "Israel and the United States tested": the first of a joint subject leads.
        while (index := before.index(chosen)) > 0 and _JOINT.match(
            text[before[index - 1].end - base : chosen.start - base]
        ):
            chosen = before[index - 1]
        return _actor(primary, chosen)
    return _by_platform_or_weapon(context) or _fallback(context, actors)


def _by_platform_or_weapon(context: FactContext) -> Fact[str] | None:
    for reading in context.event:
        for found in reading.founds:
            if found.kind is EntityKind.ACTOR and _operates(reading, found):
                return _actor(reading, found)
    for reading in context.event:
        for found in reading.weapons(before=reading.passing_at):
            entry = found.entry
            if isinstance(entry, Weapon) and entry.country:
                return Fact(entry.country, span(reading, found.start, found.end, found.text))
    for reading in context.event:
        for found in reading.founds:
            if found.kind is EntityKind.OFFICIAL and isinstance(found.entry, Official):
                return Fact(found.entry.country, span(reading, found.start, found.end, found.text))
    return None


def _fallback(context: FactContext, actors: list[Found]) -> Fact[str] | None:
    """A state the lead names other than as a target, else the one named most."""
    primary = context.primary
    text, base = primary.sentence.text, primary.sentence.start
    launchers = [f for f in actors if not _TARGETED.search(text[: f.start - base][-40:])]
    if launchers:
        return _actor(primary, launchers[0])
    tally: Counter[str] = Counter()
    for reading in context.event:
        tally.update(f.entry.country for f in reading.founds if isinstance(f.entry, Actor))
    return Fact(tally.most_common(1)[0][0]) if tally else None


_REACTING = re.compile(
    r"\b(?:said|says|condemn\w*|denounc\w*|critici[sz]\w*|protest\w*|urged|urges|called"
    r"|warned|accused|responded|reacted|voiced|expressed|slammed)\b",
    re.IGNORECASE,
)
"""A reaction between a state and the launch word: that state speaks of the launch
("Britain, France and Germany condemned ..."), it did not launch."""

_TARGETED = re.compile(
    r"\b(?:at|on|against|toward|towards|into|over|targeting|targeted|hit|struck)\s+(?!by\b)"
    r"(?:the\s+)?(?:[\w\-]+,?\s+){0,3}$",
    re.IGNORECASE,
)
"""A state named where the missiles went ("at Kyiv, Ukraine"): the target."""

_PLATFORM_AFTER = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+){0,2}?(?:submarines?|warships?|destroyers?|frigates?"
    r"|missiles?|rockets?)\b(?!\s+(?:\w+\s+)?(?:said|says|reported|claimed|destroyed"
    r"|intercepted|shot))",
    re.IGNORECASE,
)

_POSSESSIVE_TRIGGER = re.compile(r"^[\u2019']s?\s+(?:[\w\-]+\s+){0,3}$")

_JOINT = re.compile(r"^\s+(?:and|together with|with)\s+(?:the\s+)?$", re.IGNORECASE)


def _operates(reading: Reading, found: Found) -> bool:
    """A state named as the one whose submarine, navy or missile flew ("a British
    submarine", "the Royal Navy's Trident"): it launched, wherever the missile came from."""
    if not event_part(reading, found):
        return False
    base, text = reading.sentence.start, reading.sentence.text
    if _TARGETED.search(text[: found.start - base][-40:]):
        return False
    after = text[found.end - base : found.end - base + 60]
    if _PLATFORM_AFTER.match(after):
        return True
    return isinstance(found.entry, Actor) and found.text.isupper() and found.text == "HMS"


def _owner_of_trigger(reading: Reading, actors: list[Found], trigger: int) -> Found | None:
    """The state whose possessive owns the launch word ("Iran's satellite launch")."""
    base = reading.sentence.start
    for found in reversed(actors):
        if found.end <= trigger and _POSSESSIVE_TRIGGER.match(
            reading.sentence.text[found.end - base : trigger - base]
        ):
            return found
    return None


def _actor(reading: Reading, found: Found) -> Fact[str]:
    assert isinstance(found.entry, Actor)
    return Fact(found.entry.country, span(reading, found.start, found.end, found.text))
