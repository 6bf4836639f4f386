"""An event's facts from its reports: single values voted, lists gathered.

Every fact of the schema's `LaunchFactFields` is handled, by its kind: a fact
with one value (date, type, count, ...) goes to the value most reports state,
and a fact that is a list (weapon names, officials, claims, ...) gathers every
report's items in the order first seen. Nothing here names a fact, so a fact
added to the schema is correlated without a change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import msgspec

from schemas import LaunchFactFields, MissileType, Outcome
from schemas.launches import FACT_FIELDS

_DEFAULTS: dict[str, object] = {name: getattr(LaunchFactFields(), name) for name in FACT_FIELDS}

GATHERED: tuple[str, ...] = tuple(
    name for name in FACT_FIELDS if isinstance(_DEFAULTS[name], tuple)
)
"""Facts that are lists: every report's items are kept."""

VOTED: tuple[str, ...] = tuple(name for name in FACT_FIELDS if name not in GATHERED)
"""Facts with one value: the most reported wins."""

_UNSET = (None, MissileType.UNKNOWN, Outcome.UNKNOWN)

STATED_WEIGHT = 2
"""A value the text states outweighs one inferred (without evidence) two to one."""


@dataclass
class Tally:
    """The reports' votes for each single-valued fact of one event."""

    votes: dict[str, Counter[str]] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)

    def vote(self, fact: str, value: object, weight: int = 1) -> None:
        if value in _UNSET:
            return
        key = f"{fact}:{msgspec.json.encode(value).decode()}"
        self.values[key] = value
        self.votes.setdefault(fact, Counter())[key] += weight

    def vote_all(self, facts: LaunchFactFields, stated: Collection[str], scale: int = 1) -> None:
        """Every voted fact of one report (or of `scale` reports agreeing)."""
        for name in VOTED:
            weight = STATED_WEIGHT if name in stated else 1
            self.vote(name, getattr(facts, name), weight * scale)

    def absorb(self, other: Tally) -> None:
        """Adds another event's votes, as when two events turn out to be one."""
        for fact, counter in other.votes.items():
            for key, count in counter.items():
                self.values[key] = other.values[key]
                self.votes.setdefault(fact, Counter())[key] += count

    def named(self, fact: str) -> tuple[object, ...]:
        """Every value some report gave for a fact, first reported first."""
        return tuple(self.values[key] for key in self.votes.get(fact, ()))

    def best(self, fact: str, default: object) -> object:
        counter = self.votes.get(fact)
        if not counter:
            return default
        # Most reported; on a tie the first reported (Counter keeps insertion order).
        top = max(counter.values())
        key = next(k for k, n in counter.items() if n == top)
        return self.values[key]


def combined_facts(
    tally: Tally, current: LaunchFactFields, *others: LaunchFactFields
) -> dict[str, Any]:
    """The facts of an event after `others` joined it: voted values, gathered lists."""
    facts: dict[str, Any] = {name: tally.best(name, getattr(current, name)) for name in VOTED}
    for name in GATHERED:
        items: tuple[object, ...] = getattr(current, name)
        for other in others:
            items += tuple(item for item in getattr(other, name) if item not in items)
        facts[name] = items
    return facts
