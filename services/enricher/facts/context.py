"""What every fact extractor reads, and what it gives back.

Each fact is read from the same material: the sentences recognition kept for the
launch, the gazetteer names found in them and the publication time. Some facts are
read relative to others (a launch site's time zone dates the launch; officials and
sources belong to the launching state), so the context also carries the facts
extracted before, in the registry's order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from schemas import MissileType, Place, RangeClass, Span
from services.enricher.dates import DateResolver
from services.enricher.gazetteer import Found, Gazetteer, Weapon
from services.enricher.recognition import Reading, Recognition, named_day_apart

T = TypeVar("T")


@dataclass(frozen=True)
class Fact(Generic[T]):
    """One extracted value and the article text it came from."""

    value: T
    evidence: tuple[Span, ...] = ()


def span(reading: Reading, start: int, end: int, text: str) -> tuple[Span, ...]:
    """The evidence for a phrase: none for a title that is not part of the article text."""
    return (Span(start=start, end=end, text=text),) if reading.in_text else ()


class Evidence:
    """Spans collected in order for a fact that several phrases support."""

    def __init__(self) -> None:
        self._spans: list[Span] = []

    def add(self, reading: Reading, start: int, end: int, text: str) -> None:
        for found in span(reading, start, end, text):
            if found not in self._spans:
                self._spans.append(found)

    def spans(self) -> tuple[Span, ...]:
        return tuple(self._spans)


@dataclass(frozen=True)
class FactContext:
    """One recognised launch report, as every extractor reads it."""

    recognition: Recognition
    gazetteer: Gazetteer
    published_at: datetime | None
    known: Mapping[str, Fact[Any]] = field(default_factory=dict)
    """Facts already extracted, by field name, in the registry's order."""

    @property
    def primary(self) -> Reading:
        """The sentence that states the launch."""
        assert self.recognition.primary is not None
        return self.recognition.primary

    @property
    def event(self) -> list[Reading]:
        """The sentences about the reported launch, the primary first."""
        return self.recognition.event

    @property
    def of_the_day(self) -> list[Reading]:
        """The launch's sentences without those that name outright a day one off the
        news's named day: "residents were warned on Wednesday after a short-range missile
        crossed the border" in a Thursday report speaks of the day before's launch."""
        event = self.event
        news = next((day for r in event if (day := r.best_day()) is not None), None)
        return [r for r in event if r is event[0] or not named_day_apart(r, news)]

    @property
    def readings(self) -> list[Reading]:
        """Every sentence of the article, and a detached title first."""
        return self.recognition.readings

    @property
    def passing(self) -> list[Reading]:
        """Sentences that name another launch in passing."""
        return self.recognition.mentions

    @property
    def country(self) -> str | None:
        """The launching state, once extracted."""
        value = self._value("country")
        return value if isinstance(value, str) else None

    @property
    def location(self) -> Place | None:
        value = self._value("location")
        return value if isinstance(value, Place) else None

    @property
    def missile_type(self) -> MissileType:
        value = self._value("missile_type")
        return value if isinstance(value, MissileType) else MissileType.UNKNOWN

    @property
    def range_class(self) -> RangeClass | None:
        value = self._value("range_class")
        return value if isinstance(value, RangeClass) else None

    @property
    def timezone(self) -> str | None:
        """The launch site's zone, else the launching state's."""
        location = self.location
        if location is not None and location.timezone:
            return location.timezone
        return self.gazetteer.timezone_of(self.country)

    @property
    def resolver(self) -> DateResolver:
        """Date phrases read against the publication time at the launch site."""
        return DateResolver(self.published_at, self.timezone)

    @property
    def published_day(self) -> date | None:
        return self.resolver.publication_day()

    def knowing(self, name: str, fact: Fact[Any] | None) -> FactContext:
        """This context with one more extracted fact."""
        if fact is None:
            return self
        return replace(self, known={**self.known, name: fact})

    def _value(self, name: str) -> object:
        fact = self.known.get(name)
        return None if fact is None else fact.value


def event_part(reading: Reading, found: Found) -> bool:
    """Whether a name belongs to the reported launch, not an earlier one named after a cue."""
    return reading.passing_at is None or found.start < reading.passing_at


def launch_limit(reading: Reading) -> int:
    """Where the sentence stops speaking of the reported launch (a "days after" cue), relative
    to the sentence."""
    if reading.passing_at is None:
        return len(reading.sentence.text)
    return reading.passing_at - reading.sentence.start


def states_launch(context: FactContext, reading: Reading) -> bool:
    """The sentence states the launch: the primary, or one that says a launch happened."""
    return reading.is_candidate or reading is context.event[0]


def other_class(context: FactContext, reading: Reading) -> bool:
    """A sentence naming a missile of another range class than the launch's speaks of
    another launch ("yesterday it fired a short-range missile" beside an ICBM report)."""
    launched = context.range_class
    if launched is None:
        return False
    return any(
        isinstance(f.entry, Weapon) and f.entry.range_class not in (None, launched)
        for f in reading.weapons(before=reading.passing_at)
    )


_INTERCEPTED_BEFORE = re.compile(
    r"\b(?:intercepted|shot\s+down|downed|destroyed|neutrali[sz]ed)\b[^.;]{0,60}$", re.IGNORECASE
)


def intercepted_before(prefix: str) -> bool:
    """Whether a weapon noun after `prefix` is one an interception shot down ("intercepted
    and destroyed two ballistic missiles"): the attacking missile, the one launched."""
    return bool(_INTERCEPTED_BEFORE.search(prefix[-90:]))


def intercepted_weapons(context: FactContext) -> list[tuple[Reading, Found]]:
    """The weapons, not interceptors, that the launch's sentences say were shot down."""
    found: list[tuple[Reading, Found]] = []
    for reading in context.event:
        base, text = reading.sentence.start, reading.sentence.text
        for weapon in reading.founds:
            entry = weapon.entry
            if not isinstance(entry, Weapon) or not event_part(reading, weapon):
                continue
            if entry.missile_type is MissileType.SURFACE_TO_AIR:
                continue
            if intercepted_before(text[: weapon.start - base]):
                found.append((reading, weapon))
    return found
