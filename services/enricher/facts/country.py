"""The launching state: who fired, or whose missile flew, never merely the first state named.

The sentences that state the launch are read for its roles in order, the lead
first (see `roles`): "North Korea fired", "launched from Yemen", "Iran's launch".
A headline printed in lower case (a URL slug) is read with its words capitalised.
When no sentence gives the launcher a role, a state named as operating the
platform ("a British submarine") decides, then a weapon's owner (a Hwasong is
North Korea's), then an official's state, then a state merely named that does not
only speak, suffer or host the attack, and last the theatre: the state named as the
place where an unclaimed attack happened.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from schemas import EntityKind
from services.enricher.classification import LEAD_SENTENCES as LEAD
from services.enricher.facts.context import Fact, FactContext, event_part, span
from services.enricher.facts.roles import country_of, is_targeted, launcher, responsible, speaks
from services.enricher.gazetteer import Actor, Found, Official, Weapon
from services.enricher.recognition import Reading

STATING_SENTENCES = 4
"""How many sentences stating the launch are read for its launcher."""


def extract(context: FactContext) -> Fact[str] | None:
    """The ISO code of the state (or the state an armed group stands for) that launched."""
    for reading in _stating(context):
        found = launcher(reading, reading.founds) or launcher(reading, _restored(context, reading))
        if found is not None:
            return _fact(reading, found)
    return _owned(context) or _by_platform_or_weapon(context) or _fallback(context)


def _owned(context: FactContext) -> Fact[str] | None:
    """A state the article says took responsibility for the attack, in the headline or the
    lead, when no launch sentence names a launcher by its role."""
    for reading in context.readings:
        if reading.in_text and reading.sentence.index >= LEAD:
            continue
        if reading in context.passing:
            continue
        found = responsible(reading, reading.founds) or responsible(
            reading, _restored(context, reading)
        )
        if found is not None:
            return _fact(reading, found)
    return None


def _stating(context: FactContext) -> list[Reading]:
    """The sentences of the lead that state the launch, in order.

    A detached headline comes after the body's lead: headlines are terse and often
    about the response ("South Korea fires missiles in response to ...").
    """
    primary = context.primary
    lead = [
        r
        for r in context.event
        if r is not primary and r.is_candidate and r.in_text and 0 <= r.sentence.index < LEAD
    ]
    if primary.in_text and primary.sentence.index >= 0:
        return [primary, *lead][:STATING_SENTENCES]
    return [*lead[: STATING_SENTENCES - 1], primary]


def _restored(context: FactContext, reading: Reading) -> list[Found]:
    """The names in a sentence, read again from its own text with its capitals restored.

    Page typography hides names from the article-wide match: a headline printed in
    lower case (a URL slug), a lead in capitals ("NORTH Korea fired"), a name glued
    to a dateline's dash ("(Agency)--North Korea"). Such a sentence is matched on its
    own, with its words' capitals restored.
    """
    text, base = reading.sentence.text, reading.sentence.start
    headline = not reading.in_text or reading.sentence.index < 0
    words = text.split()
    if headline and sum(word[:1].isupper() for word in words) <= 1:
        restored = text.title()
    else:
        restored = _CAPITALS.sub(lambda m: m.group().capitalize(), _GLUED.sub(" ", text))
    if len(restored) != len(text):
        return reading.founds
    again = context.gazetteer.find(restored)
    return [
        replace(f, start=f.start + base, end=f.end + base, text=text[f.start : f.end])
        for f in again
    ]


_CAPITALS = re.compile(r"\b[A-Z]{3,}\b")
_GLUED = re.compile(r"(?<=-)-(?=[A-Z])")


def _by_platform_or_weapon(context: FactContext) -> Fact[str] | None:
    for reading in context.event:
        for found in reading.founds:
            if found.kind is EntityKind.ACTOR and _operates(reading, found):
                return _fact(reading, found)
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


def _fallback(context: FactContext) -> Fact[str] | None:
    """A state the lead names other than as a target, else the one named most."""
    primary = context.primary
    actors = [
        f
        for f in primary.founds or _restored(context, primary)
        if f.kind is EntityKind.ACTOR
        and event_part(primary, f)
        and not is_targeted(primary, f)
        and not speaks(primary, f)
    ]
    if actors:
        return _fact(primary, actors[0])
    tally: Counter[str] = Counter()
    bystanders = 0
    surnames = {f.text for r in context.readings for f in r.founds if _in_person_name(r, f)}
    for reading in context.event:
        for found in reading.founds:
            if not isinstance(found.entry, Actor) or found.text in surnames:
                continue
            if _bystander(reading, found):
                bystanders += 1
            else:
                tally[found.entry.country] += 1
    if tally:
        return Fact(tally.most_common(1)[0][0])
    return _theatre(context) if bystanders else None


_PARTY_AFTER = re.compile(
    r"^(?:[\u2019']s?)?[\s\-]+(?:[\w\-]+\s+)?(?:led|troops|forces|soldiers|personnel|servicemen"
    r"|service members|coalition|embassy|consulate|diplomats|citizens|nationals|contractors"
    r"|air[\s\-]?defen[cs]es?|defen[cs]es?|interceptors?)\b",
    re.IGNORECASE,
)
_HOSTED_BEFORE = re.compile(
    r"\b(?:hosts?|hosting|hosted|hous(?:es|ing|ed)|station(?:s|ing|ed)|against|targeting)\s+"
    r"(?:the\s+|an?\s+|its\s+)?(?:[\w\-]+\s+){0,2}?$",
    re.IGNORECASE,
)
"""A state named for its people or forces where the missiles fell ("a base housing U.S.
troops", "the US-led coalition confirmed"): the target's or host's side, not the launcher."""

_PLACE_BEFORE = re.compile(
    r"\b(?:in|inside|across|western|eastern|northern|southern|central|north-western"
    r"|north-eastern|south-western|south-eastern)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+)?(?:base|bases|air\s*base|airbase|province|provinces"
    r"|city|cities|town|territory|soil|border)\b",
    re.IGNORECASE,
)
"""A state named as the place where it happened ("in western Iraq", "an Iraqi base")."""


def _bystander(reading: Reading, found: Found) -> bool:
    """A state that only suffers or hosts the attack: never its launcher."""
    base, text = reading.sentence.start, reading.sentence.text
    return bool(
        is_targeted(reading, found)
        or _PARTY_AFTER.match(text[found.end - base : found.end - base + 40])
        or _HOSTED_BEFORE.search(text[max(0, found.start - base - 40) : found.start - base])
    )


_GIVEN_NAME_BEFORE = re.compile(r"(?<![.!?:\"\u201c])\s(?-i:[A-Z][a-z]+)\s+$")


def _in_person_name(reading: Reading, found: Found) -> bool:
    """A one-word state name that is a person's surname ("co-founder Adam London said"):
    the article's later "London said" is that person too."""
    if " " in found.text or found.start == reading.sentence.start:
        return False
    base, text = reading.sentence.start, reading.sentence.text
    return bool(
        _GIVEN_NAME_BEFORE.search(text[max(0, found.start - base - 30) : found.start - base])
    )


def _theatre(context: FactContext) -> Fact[str] | None:
    """The state the article names as the place of an unclaimed attack, its sentences of
    the launch first: with no launcher named, the launch is the theatre's, never the
    state of the troops it hit."""
    event = set(map(id, context.event))
    ordered = [*context.event, *(r for r in context.readings if id(r) not in event)]
    for reading in ordered:
        base, text = reading.sentence.start, reading.sentence.text
        for found in reading.founds:
            if not isinstance(found.entry, Actor) or _PARTY_AFTER.match(
                text[found.end - base : found.end - base + 40]
            ):
                continue
            if _PLACE_BEFORE.search(text[max(0, found.start - base - 20) : found.start - base]) or (
                _PLACE_AFTER.match(text[found.end - base : found.end - base + 30])
            ):
                return Fact(found.entry.country, span(reading, found.start, found.end, found.text))
    return None


_PLATFORM_AFTER = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+){0,2}?(?:submarines?|warships?|destroyers?|frigates?"
    r"|missiles?|rockets?)\b(?!\s+(?:\w+\s+)?(?:said|says|reported|claimed|destroyed"
    r"|intercepted|shot))",
    re.IGNORECASE,
)


def _operates(reading: Reading, found: Found) -> bool:
    """A state named as the one whose submarine, navy or missile flew ("a British
    submarine", "the Royal Navy's Trident"): it launched, wherever the missile came from."""
    if not event_part(reading, found) or is_targeted(reading, found):
        return False
    base, text = reading.sentence.start, reading.sentence.text
    after = text[found.end - base : found.end - base + 60]
    if _PLATFORM_AFTER.match(after):
        return True
    return isinstance(found.entry, Actor) and found.text.isupper() and found.text == "HMS"


_NORTH_AND = re.compile(r"\bNorth\s+and\s+$", re.IGNORECASE)
""""North and South Korea fired missiles": the first of a joint subject leads, and
the elided name before "and South Korea" is the North's."""


def _fact(reading: Reading, found: Found) -> Fact[str]:
    base, text = reading.sentence.start, reading.sentence.text
    north = _NORTH_AND.search(text[: found.start - base])
    if north is not None and country_of(found) == "KR":
        start = base + north.start()
        return Fact("KP", span(reading, start, found.end, text[north.start() : found.end - base]))
    return Fact(country_of(found), span(reading, found.start, found.end, found.text))
