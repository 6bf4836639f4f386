"""The people the report places at the launch, in the order it names them.

A known official in a launch sentence with an attending word nearer than a remote
one ("congratulated") is present; so is anyone, known or not, whom a sentence of
the report makes the subject of an attending verb, the agent of a passive one or
a member of an accompanying list, there or in a sentence after the launch ("He
was accompanied by ..."). Spokesmen, analysts and those who only speak of the
launch are not present. Officials of another state than the launcher are not.
"""

from __future__ import annotations

import re

from services.enricher import people_cues
from services.enricher.facts.context import Evidence, Fact, FactContext, event_part
from services.enricher.facts.people import (
    known_people,
    may_place_people,
    present,
    present_people,
    speaks,
)
from services.enricher.gazetteer import Official
from services.enricher.recognition import Reading

_LAUNCH_WORDS = re.compile(
    r"\b(?:test(?:-fir\w+|-launch\w*|s|ed|ing)?|launch\w*|fir(?:e|ed|ing)|drills?|exercises?"
    r"|lift-?off|flight|salvo|strike)\b",
    re.IGNORECASE,
)


class _Names:
    """Names in order; a name already given in full ("Kim Jong Un") absorbs its parts."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.evidence = Evidence()

    def add(self, name: str, reading: Reading, start: int, end: int, text: str) -> None:
        lowered = name.lower()
        if any(
            lowered == n.lower() or set(lowered.split()) <= set(n.lower().split())
            for n in self.names
        ):
            return
        self.names.append(name)
        self.evidence.add(reading, start, end, text)


def extract(context: FactContext) -> Fact[tuple[str, ...]] | None:
    """Who attended, oversaw or guided the launch."""
    country = context.country
    names = _Names()
    for reading in context.event:
        text = reading.sentence.text
        if not (
            people_cues.PRESENCE.search(text) and (reading.launch_language or reading.about_missile)
        ):
            continue
        for found in reading.founds:
            entry = found.entry
            if not isinstance(entry, Official) or not event_part(reading, found):
                continue
            if not present(reading, found) or speaks(reading, found.start, found.end):
                continue
            if country and entry.country != country:
                continue
            names.add(entry.name, reading, found.start, found.end, found.text)
    event = {id(r) for r in context.event}
    passing = {id(r) for r in context.passing}
    ordered = sorted(
        [r for r in context.readings if id(r) not in passing] or list(context.event),
        key=lambda r: r.sentence.index,
    )
    known: dict[str, str] | None = None  # read only when a sentence may place someone
    previous_present = -10
    for reading in ordered:
        if id(reading) not in event and reading.modality is not None:
            continue
        if not may_place_people(reading):
            continue
        launchish = (
            id(reading) in event
            or reading.launch_language
            or reading.about_missile
            or bool(_LAUNCH_WORDS.search(reading.sentence.text))
            or reading.sentence.index == previous_present + 1
        )
        if not launchish:
            continue
        if known is None:
            known = known_people(ordered)
        for person in present_people(reading, known):
            if person.official is not None and country and person.official.country != country:
                continue
            names.add(person.name, reading, person.start, person.end, person.text)
            previous_present = reading.sentence.index
    return Fact(tuple(names.names), names.evidence.spans()) if names.names else None
