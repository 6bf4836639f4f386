"""Who the launch claims are attributed to.

An agency named in a sentence about the launch is a source; elsewhere in the
report it is one when the sentence attributes a statement to it ("Central
Command said", "according to Yonhap"). A launching organ or armed group is a
source only where a statement is attributed to it. "The defence ministry said"
stands for the launching state's ministry.
"""

from __future__ import annotations

from schemas import EntityKind
from services.enricher import people_cues
from services.enricher.facts.context import Evidence, Fact, FactContext, event_part
from services.enricher.gazetteer import Agency, Gazetteer
from services.enricher.recognition import Reading


def extract(context: FactContext) -> Fact[tuple[str, ...]] | None:
    """The sources of the report's claims, in the order the report credits them."""
    names: list[str] = []
    evidence = Evidence()
    event = context.event
    ministry = _own_ministry(context.country, context.gazetteer)
    ordered = list(event) + [
        r for r in context.readings if r not in event and r not in context.passing
    ]
    for reading in ordered:
        in_event = reading in event
        if not in_event and reading.modality is not None:
            continue
        for found in reading.founds:
            entry = found.entry
            if not (isinstance(entry, Agency) and found.kind is EntityKind.AGENCY):
                continue
            if in_event and not event_part(reading, found):
                continue
            if (entry.attributed_only or not in_event) and not _attributed(
                reading, found.start, found.end
            ):
                continue
            if entry.name not in names:
                names.append(entry.name)
            evidence.add(reading, found.start, found.end, found.text)
        if ministry is None:
            continue
        base, text = reading.sentence.start, reading.sentence.text
        for match in people_cues.GENERIC_MINISTRY.finditer(text):
            start, end = base + match.start(), base + match.end()
            if _attributed(reading, start, end) and ministry not in names:
                names.append(ministry)
                evidence.add(reading, start, end, match.group())
    return Fact(tuple(names), evidence.spans()) if names else None


def _attributed(reading: Reading, start: int, end: int) -> bool:
    """Whether the sentence attributes a statement to the name at start..end."""
    base, text = reading.sentence.start, reading.sentence.text
    after = text[end - base : end - base + 80]
    before = text[max(0, start - base - 60) : start - base]
    return bool(
        people_cues.ATTRIBUTED_AFTER.match(after) or people_cues.ATTRIBUTED_BEFORE.search(before)
    )


def _own_ministry(country: str | None, gazetteer: Gazetteer) -> str | None:
    """The launching state's defence ministry, as the gazetteer names it."""
    if country is None:
        return None
    for agency in gazetteer.agencies:
        lowered = agency.name.lower()
        if agency.country == country and "ministry" in lowered and not agency.attributed_only:
            return agency.name
    return None
