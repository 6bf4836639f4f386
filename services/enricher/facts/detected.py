"""A "satellite test" that the detecting side reports as missiles, and launches that reach orbit.

A state may call a launch a test for a reconnaissance satellite while the
neighbours who tracked it report ballistic missiles ("Seoul detected two
medium-range ballistic missiles"). When the launch sentences describe only a
satellite (no named launcher, no orbit reached) and sentences of the same day name
ballistic missiles, those sentences say what flew: the type, the range class and
the count are read from them. Recognition may have set them aside as another
launch, since their kind differs from the satellite test's.
"""

from __future__ import annotations

import re

from schemas import MissileType
from services.enricher.facts.context import Fact, FactContext, launch_limit, span, states_launch
from services.enricher.gazetteer import Weapon
from services.enricher.recognition import Reading, specific_type

_ORBIT = re.compile(
    r"\b(?:(?:into|in|reached|entered|achieved|to)\s+(?:an?\s+|its\s+|the\s+)?(?:[\w\-]+\s+){0,2}?"
    r"orbit|orbital)\b",
    re.IGNORECASE,
)
_SATELLITE = re.compile(r"\bsatellites?\b", re.IGNORECASE)


def reaches_orbit(context: FactContext) -> Fact[MissileType] | None:
    """A rocket that carried a satellite into orbit is a space launch, not a missile."""
    for reading in context.event:
        if not states_launch(context, reading):
            continue
        base, text = reading.sentence.start, reading.sentence.text
        limit = launch_limit(reading)
        found = _ORBIT.search(text, 0, limit)
        if found and _SATELLITE.search(text, 0, limit):
            return Fact(
                MissileType.SPACE_LAUNCH,
                span(reading, base + found.start(), base + found.end(), found.group()),
            )
    return None


def detected_missiles(context: FactContext) -> list[Reading]:
    """The same-day sentences naming ballistic missiles, when the launch sentences describe
    only a satellite test; else none."""
    if not _satellite_test(context):
        return []
    day = next((m.day for r in context.event if (m := r.best_day()) is not None), None)
    detected: list[Reading] = []
    readings = {id(r): r for r in [*context.event, *context.passing]}
    for reading in sorted(readings.values(), key=_order):
        if reading.modality is not None or not _ballistic(reading):
            continue
        mention = reading.best_day()
        if mention is None or day is None or mention.day == day:
            detected.append(reading)
    return detected


def _order(reading: Reading) -> int:
    return reading.sentence.index


def _satellite_test(context: FactContext) -> bool:
    """The first launch sentence naming a weapon describes a satellite, and nothing in the
    launch's sentences names a launcher or puts a satellite in orbit."""
    first = next(
        (kind for r in context.event if (kind := specific_type(r.weapons(before=r.passing_at)))),
        None,
    )
    if first != MissileType.SPACE_LAUNCH.value:
        return False
    for reading in context.event:
        for found in reading.weapons(before=reading.passing_at):
            entry = found.entry
            space = isinstance(entry, Weapon) and entry.missile_type is MissileType.SPACE_LAUNCH
            if space and isinstance(entry, Weapon) and not entry.descriptive:
                return False
    return reaches_orbit(context) is None


def _ballistic(reading: Reading) -> bool:
    return any(
        isinstance(f.entry, Weapon) and f.entry.missile_type is MissileType.BALLISTIC
        for f in reading.weapons(before=reading.passing_at)
    )
