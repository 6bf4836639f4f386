"""The range class of a ballistic launch: from the named system, or from a stated range.

A named system's class ("Hwasong-18" is an ICBM) stands; a stated range capability ("a
range of about 5,000 km") decides over a description ("long-range"). A flight distance
("flew 450 km", or "a range of 750 km" beside the altitude it reached) never gives a
class: test flights are often lofted short of their full range, and a report that names
no class and no capability states none.
"""

from __future__ import annotations

from schemas import MissileType, RangeClass
from services.enricher.facts.context import Fact, FactContext, span
from services.enricher.facts.detected import detected_missiles
from services.enricher.gazetteer import Weapon
from services.enricher.quantities import quantities

_CLASSED_TYPES = (
    MissileType.BALLISTIC,
    MissileType.HYPERSONIC,
    MissileType.ARTILLERY_ROCKET,
    MissileType.UNKNOWN,
)
"""Types a range class applies to; cruise missiles and space launches have none."""

_RANGE_CLASSES = (
    (1000.0, RangeClass.SRBM),
    (3000.0, RangeClass.MRBM),
    (5500.0, RangeClass.IRBM),
)


def extract(context: FactContext) -> Fact[RangeClass] | None:
    """The class the report gives the launched missile."""
    missile_type = context.missile_type
    if missile_type not in _CLASSED_TYPES:
        return None
    weapon = _weapon_class(context)
    stated = _stated_range(context)
    if stated is None or (weapon is not None and weapon.value is RangeClass.SLBM):
        return weapon
    if weapon is None or not _named_class(context):
        return stated
    return weapon


def _weapon_class(context: FactContext) -> Fact[RangeClass] | None:
    """The first class a named or described weapon of the launch gives: in the launch's
    sentences, else in those the detecting side gave a "satellite test"."""
    for reading in [*context.of_the_day, *detected_missiles(context)]:
        for found in reading.weapons(before=reading.passing_at):
            entry = found.entry
            if isinstance(entry, Weapon) and entry.range_class:
                return Fact(entry.range_class, span(reading, found.start, found.end, found.text))
    return None


def _named_class(context: FactContext) -> bool:
    """Whether a named system (not a description) gives the class."""
    return any(
        isinstance(f.entry, Weapon) and not f.entry.descriptive and f.entry.range_class
        for r in [*context.of_the_day, *detected_missiles(context)]
        for f in r.weapons(before=r.passing_at)
    )


def _stated_range(context: FactContext) -> Fact[RangeClass] | None:
    """The class a stated range capability gives."""
    for reading in context.of_the_day:
        base, text = reading.sentence.start, reading.sentence.text
        found = quantities(text)
        # "an altitude of 2,000 km and a range of 750 km" describes one lofted flight,
        # and one that climbed higher than it flew far says nothing of its class.
        apogee = max((q.value for q in found if q.quantity == "apogee_km"), default=0.0)
        for quantity in found:
            if quantity.quantity != "range_km" or quantity.value <= apogee:
                continue
            if reading.passing_at is not None and base + quantity.start >= reading.passing_at:
                continue
            capability = not apogee and text[
                quantity.start : quantity.start + 12
            ].lower().startswith("range")
            if not capability:
                continue
            value = quantity.value
            chosen = next((c for limit, c in _RANGE_CLASSES if value < limit), RangeClass.ICBM)
            phrase = text[quantity.start : quantity.end]
            return Fact(chosen, span(reading, base + quantity.start, base + quantity.end, phrase))
    return None
