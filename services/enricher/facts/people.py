"""Finding people in a sentence, and whether it places them at the launch.

Names come from the officials gazetteer, from titles ("Defence Minister Ali
Mohammadi"), from accompanying lists ("accompanied by A, B and C") and from a
bare family name the report gave in full before. A person is present when a
presence construction claims them ("attended", "was accompanied by", "in the
presence of"), and not when they only speak of the launch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas import EntityKind
from services.enricher import people_cues
from services.enricher.gazetteer import Found, Official
from services.enricher.recognition import Reading


@dataclass(frozen=True)
class Person:
    """A person named in a sentence, with the official entry when the gazetteer knows them."""

    start: int
    end: int
    text: str
    name: str
    official: Official | None


def known_people(readings: list[Reading]) -> dict[str, str]:
    """Full names the report gives, by each of their words ("Kim" -> "Kim Jong Un").

    A relative named by the tie ("his daughter Kim Ju Ae") is not who a bare
    family name refers to.
    """
    known: dict[str, str] = {}
    for reading in readings:
        base, text = reading.sentence.start, reading.sentence.text
        full = [
            f.entry.name
            for f in reading.founds
            if isinstance(f.entry, Official)
            and not _RELATIVE_BEFORE.search(text[max(0, f.start - base - 30) : f.start - base])
        ]
        full += [
            m["name"]
            for m in people_cues.TITLED_NAME.finditer(text)
            if not _RELATIVE_BEFORE.search(text[: m.start("name")])
        ]
        for name in full:
            parts = name.replace("-", " ").split()
            for part in (parts[0], parts[-1]):
                known.setdefault(part, name)
    return known


_RELATIVE_BEFORE = re.compile(r"\b(?:daughter|sister|wife|son|brother)\s*$", re.IGNORECASE)
_SURNAME = re.compile(r"(?<![\w\-])[A-Z][a-z]+(?![\w\-])")
_TITLE_TAIL = re.compile(r"(?:\s*(?:his|her|the)?\s*" + people_cues.TITLE + r")\s*$")
_LIST_LINK = re.compile(
    r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s+as\s+well\s+as\s+)(?:(?:his|her|the)\s+)?"
    r"(?:" + people_cues.TITLE + r")?\s*$"
)
_ACCOMPANYING = re.compile(
    r"(?:(?<=\bby )|(?<=presence of )|(?<=, )|(?<= and )|(?<=including ))"
    r"(?P<name>" + people_cues.PERSON_NAME + r")\b"
)
"""A capitalised run that may be a name in a list; kept only where a presence
construction claims it."""


_MAY_PLACE = re.compile(
    r"\b(?:attend|oversaw|overseen|supervis|guid|watch|observ|inspect|witness|presid|monitor"
    r"|looked\s+on|presen|on\s+hand|aboard|on\s+board|(?:was|were)\s+(?:also\s+)?at\s+the"
    r"|accompan|joined|direction|including)",
    re.IGNORECASE,
)
"""Words one of which every presence construction holds: a sentence without any places
nobody, and is not searched for names."""


def may_place_people(reading: Reading) -> bool:
    """Whether the sentence could place someone at the launch (a cheap test before names)."""
    return _MAY_PLACE.search(reading.sentence.text) is not None


def present_people(reading: Reading, known: dict[str, str]) -> list[Person]:
    """The people a sentence places at the launch by its construction."""
    if not may_place_people(reading):
        return []
    base, text = reading.sentence.start, reading.sentence.text
    limit = (reading.passing_at - base) if reading.passing_at is not None else len(text)
    people = [p for p in _people(reading, known) if p.start - base < limit]
    chosen: list[Person] = []
    groups: list[list[Person]] = []
    for person in people:
        if groups:
            last = groups[-1][-1]
            between = text[last.end - base : person.start - base]
            if _LIST_LINK.match(between):
                groups[-1].append(person)
                continue
        groups.append([person])
    for group in groups:
        first, last = group[0], group[-1]
        prefix = text[max(0, first.start - base - 90) : first.start - base]
        prefix = _TITLE_TAIL.sub("", prefix)
        if people_cues.SPOKESPERSON_BEFORE.search(
            prefix
        ) or people_cues.UNSAID_PRESENCE_BEFORE.search(prefix):
            continue
        after = text[last.end - base : last.end - base + 140]
        together = bool(
            people_cues.PRESENT_BEFORE.search(prefix) or people_cues.PRESENT_AFTER.match(after)
        )
        for person in group:
            own_after = text[person.end - base : person.end - base + 140]
            if people_cues.NOT_PRESENT_AFTER.match(own_after):
                continue
            if together or people_cues.PRESENT_AFTER.match(own_after):
                chosen.append(person)
    return chosen


def _people(reading: Reading, known: dict[str, str]) -> list[Person]:
    """Known officials, titled names and names in accompanying phrases of a sentence."""
    base, text = reading.sentence.start, reading.sentence.text
    people: dict[int, Person] = {}
    others = [(f.start, f.end) for f in reading.founds if f.kind is not EntityKind.OFFICIAL]
    for found in reading.founds:
        if isinstance(found.entry, Official):
            people[found.start] = Person(
                found.start, found.end, found.text, found.entry.name, found.entry
            )

    def generic(start: int, end: int, name: str) -> None:
        if any(s < end and start < e for s, e in others) or people_cues.NOT_A_PERSON_WORD.search(
            name
        ):
            return
        if any(p.start <= start < p.end or start <= p.start < end for p in people.values()):
            return
        people[start] = Person(start, end, name, " ".join(name.split()), None)

    for match in people_cues.TITLED_NAME.finditer(text):
        generic(base + match.start("name"), base + match.end("name"), match["name"])
    for match in _ACCOMPANYING.finditer(text):
        generic(base + match.start("name"), base + match.end("name"), match["name"])
    for match in _SURNAME.finditer(text):
        name = known.get(match.group())
        if name is None or not people_cues.PRESENT_AFTER.match(
            text[match.end() : match.end() + 140]
        ):
            continue
        start, end = base + match.start(), base + match.end()
        if any(p.start <= start < p.end for p in people.values()):
            continue
        people[start] = Person(start, end, match.group(), name, None)
    return [people[k] for k in sorted(people)]


def speaks(reading: Reading, start: int, end: int) -> bool:
    """A spokesman or analyst named, or a person whose own verb is a saying one."""
    base, text = reading.sentence.start, reading.sentence.text
    prefix = _TITLE_TAIL.sub("", text[max(0, start - base - 90) : start - base])
    return bool(
        people_cues.SPOKESPERSON_BEFORE.search(prefix)
        or people_cues.UNSAID_PRESENCE_BEFORE.search(prefix)
        or people_cues.NOT_PRESENT_AFTER.match(text[end - base : end - base + 140])
    )


def present(reading: Reading, found: Found) -> bool:
    """An official the sentence places at the launch, not one who spoke of it from afar.

    The presence word nearest the name decides against a congratulation or a
    condemnation in the same sentence.
    """
    base, text = reading.sentence.start, reading.sentence.text
    at = found.start - base
    presence = list(people_cues.PRESENCE.finditer(text))
    remote = list(people_cues.REMOTE.finditer(text))
    if not remote:
        return bool(presence)
    if not presence:
        return False
    nearest_presence = min(abs(m.start() - at) for m in presence)
    nearest_remote = min(abs(m.start() - at) for m in remote)
    return nearest_presence < nearest_remote
