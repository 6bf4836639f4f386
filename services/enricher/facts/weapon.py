"""What was launched: the named weapons and the missile type.

The type comes from the launch sentences in order, the lead first, since later
sentences may name what the weapon is meant to counter. A rocket that carried a
satellite into orbit is a space launch, whatever it is called; unnamed "rockets"
fired at a place are artillery rockets.
"""

from __future__ import annotations

import re

from schemas import MissileType
from services.enricher import cues
from services.enricher.facts.context import (
    Evidence,
    Fact,
    FactContext,
    intercepted_weapons,
    span,
)
from services.enricher.facts.detected import detected_missiles, reaches_orbit
from services.enricher.gazetteer import Found, Weapon
from services.enricher.interception import tests_interceptor
from services.enricher.recognition import Reading, specific_type


def extract_names(context: FactContext) -> Fact[tuple[str, ...]] | None:
    """The named weapon systems (not descriptions) of the launch, in the order named."""
    names: list[str] = []
    evidence = Evidence()
    defended = _defended(context)
    for reading in context.event:
        for found in reading.weapons(before=reading.passing_at):
            entry = found.entry
            if defended and _is_defence(found):
                continue
            if isinstance(entry, Weapon) and not entry.descriptive and entry.name not in names:
                names.append(entry.name)
                evidence.add(reading, found.start, found.end, found.text)
    return Fact(tuple(names), evidence.spans()) if names else None


def extract_type(context: FactContext) -> Fact[MissileType] | None:
    """The missile type the first launch sentence that names or describes a weapon gives.

    A satellite test that the detecting side reports as ballistic missiles is
    ballistic; with no weapon of the launch named, the weapons an interception
    report says were shot down give the type (never the interceptor's). An
    interceptor test is surface-to-air: the interceptor is what it launches.
    """
    named = _named_type(context)
    if tests_interceptor(context.event[0].sentence.text):
        # An interceptor test launches the interceptor, whatever target it names.
        if named is not None and named.value is MissileType.SURFACE_TO_AIR:
            return named
        return Fact(MissileType.SURFACE_TO_AIR)
    if named is not None and named.value is MissileType.SURFACE_TO_AIR and _defended(context):
        named = None
    missile_type = named.value if named else MissileType.UNKNOWN
    if missile_type in (MissileType.UNKNOWN, MissileType.BALLISTIC) and _from_description(
        context, missile_type
    ):
        orbit = reaches_orbit(context)
        if orbit is not None:
            return orbit
    if missile_type is MissileType.SPACE_LAUNCH:
        detected = _first_ballistic(detected_missiles(context))
        if detected is not None:
            return detected
    if missile_type is MissileType.UNKNOWN:
        intercepted = _intercepted_type(context)
        if intercepted is not None:
            return intercepted
        if _rockets_fired(context.event[0]):
            return Fact(MissileType.ARTILLERY_ROCKET)
    return named


def _defended(context: FactContext) -> bool:
    """An interception report: some launch sentence has an air defence meet the fire
    ("Iron Dome intercepted rockets"). Its defence systems, wherever named, are not what
    was launched; an interceptor test against a target is no such report."""
    defences = [
        (reading, found)
        for reading in context.event
        for found in reading.founds
        if _is_defence(found)
    ]
    tested = any(cues.TEST_TARGET.search(reading.sentence.text) for reading, _ in defences)
    return not tested and any(reading.is_interceptor(found) for reading, found in defences)


def _is_defence(found: Found) -> bool:
    entry = found.entry
    return isinstance(entry, Weapon) and entry.missile_type is MissileType.SURFACE_TO_AIR


def _first_ballistic(readings: list[Reading]) -> Fact[MissileType] | None:
    for reading in readings:
        for found in reading.weapons(before=reading.passing_at):
            entry = found.entry
            if isinstance(entry, Weapon) and entry.missile_type is MissileType.BALLISTIC:
                return Fact(entry.missile_type, span(reading, found.start, found.end, found.text))
    return None


def _intercepted_type(context: FactContext) -> Fact[MissileType] | None:
    """The type of the weapons an interception report says were shot down."""
    for reading, found in intercepted_weapons(context):
        entry = found.entry
        if isinstance(entry, Weapon) and entry.missile_type is not MissileType.UNKNOWN:
            return Fact(entry.missile_type, span(reading, found.start, found.end, found.text))
    return None


_BOTH = re.compile(
    r"\b(?:ballistic\s+and\s+cruise|cruise\s+and\s+ballistic)\s+missiles\b", re.IGNORECASE
)
"""A drill that launched "ballistic and cruise missiles" is reported by its ballistic
launch (the strategic forces' ICBM that other reports name): the same event."""


def _named_type(context: FactContext) -> Fact[MissileType] | None:
    for reading in context.event:
        weapons = reading.weapons(before=reading.passing_at)
        kind = specific_type(weapons)
        if not kind:
            continue
        both = _BOTH.search(reading.sentence.text)
        if both is not None:
            start = reading.sentence.start + both.start()
            return Fact(
                MissileType.BALLISTIC,
                span(reading, start, start + len(both.group()), both.group()),
            )
        missile_type = MissileType(kind)
        for found in weapons:
            if isinstance(found.entry, Weapon) and found.entry.missile_type == missile_type:
                return Fact(missile_type, span(reading, found.start, found.end, found.text))
        return Fact(missile_type)
    return None


def _from_description(context: FactContext, missile_type: MissileType) -> bool:
    """Whether the type rests on descriptions only ("a rocket"), not on a named system."""
    weapons = [
        found.entry
        for reading in context.event
        for found in reading.weapons(before=reading.passing_at)
        if isinstance(found.entry, Weapon)
    ]
    if not any(not w.descriptive for w in weapons):
        return True
    return all(w.descriptive for w in weapons if w.missile_type == missile_type)


_ROCKETS = re.compile(r"\brockets\b", re.IGNORECASE)
_SATELLITE = re.compile(r"\bsatellites?\b", re.IGNORECASE)


def _rockets_fired(primary: Reading) -> bool:
    """Unnamed "rockets" fired (a barrage at a town) are artillery rockets."""
    text = primary.sentence.text
    return bool(_ROCKETS.search(text)) and not _SATELLITE.search(text)
