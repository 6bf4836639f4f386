"""Correlation: the reports of one launch become one event, and one `new` alert.

An `EventBook` holds the events of ONE launching country (reports are keyed by
country, so all reports of a launch meet in one partition). A report joins the
event it is compatible with — launch dates within a day, compatible missile type
and launch area — or starts a new one whose id derives from the country and the
first report, so a redelivered first report recreates the same event. The book
is rebuilt on start from the LaunchEvents it emitted (the compacted topic), so a
restart never raises a second `new` alert.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

import msgspec

from schemas import (
    AlertKind,
    EnrichedArticle,
    LaunchAlert,
    LaunchEvent,
    LaunchFactFields,
    MissileType,
    Outcome,
    Place,
)
from schemas.ids import stable_id
from schemas.launches import UNKNOWN_COUNTRY_KEY, FactName
from services.enricher.recognition import compatible_types

MATERIAL_FACTS: frozenset[FactName] = frozenset({"missile_type", "count", "outcome"})
"""Changes that raise an `update` alert by default."""

_VOTED: tuple[FactName, ...] = (
    "launch_date",
    "missile_type",
    "range_class",
    "count",
    "location",
    "impact_area",
    "outcome",
)
_UNSET = (None, MissileType.UNKNOWN, Outcome.UNKNOWN)


@dataclass(frozen=True)
class AlertPolicy:
    """Which changes to an event raise an `update` alert."""

    updates: bool = True
    material: frozenset[FactName] = MATERIAL_FACTS


@dataclass(frozen=True)
class AddOutcome:
    """What adding one report did: the event as it now stands, and alerts to raise.

    `event` is None when the report changed nothing (not a launch report, or one
    the book already holds).
    """

    event: LaunchEvent | None
    alerts: list[LaunchAlert]


def correlation_key(report: EnrichedArticle) -> str:
    """The partition key that brings every report of one launch together."""
    country = report.launch.country if report.launch else None
    return country or UNKNOWN_COUNTRY_KEY


@dataclass
class _Tally:
    """The reports' votes for each fact of one event."""

    votes: dict[FactName, Counter[str]] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)

    def vote(self, fact: FactName, value: object, weight: int = 1) -> None:
        if value in _UNSET:
            return
        key = f"{fact}:{msgspec.json.encode(value).decode()}"
        self.values[key] = value
        self.votes.setdefault(fact, Counter())[key] += weight

    def best(self, fact: FactName, default: object) -> object:
        counter = self.votes.get(fact)
        if not counter:
            return default
        # Most reported; on a tie the first reported (Counter keeps insertion order).
        top = max(counter.values())
        key = next(k for k, n in counter.items() if n == top)
        return self.values[key]


@dataclass
class _Entry:
    event: LaunchEvent
    tally: _Tally


class EventBook:
    """The launch events of one country, and how each new report changes them."""

    def __init__(self, policy: AlertPolicy | None = None) -> None:
        self.policy = policy or AlertPolicy()
        self._entries: dict[str, _Entry] = {}

    @classmethod
    def from_events(
        cls, events: Iterable[LaunchEvent], policy: AlertPolicy | None = None
    ) -> EventBook:
        """The book as it stood after emitting `events` (latest revision of each wins).

        The event carries only the winning value of each fact, so on rebuild it
        counts as many votes as the reports behind it.
        """
        book = cls(policy)
        for event in events:
            current = book._entries.get(event.event_id)
            if current is not None and current.event.revision >= event.revision:
                continue
            tally = _Tally()
            for fact in _VOTED:
                tally.vote(fact, getattr(event, fact), weight=max(1, event.report_count))
            book._entries[event.event_id] = _Entry(event, tally)
        return book

    @property
    def events(self) -> list[LaunchEvent]:
        return [entry.event for entry in self._entries.values()]

    def add(self, report: EnrichedArticle, now: datetime) -> AddOutcome:
        """Merges one report; a report already in its event changes nothing."""
        facts = report.launch
        if not report.is_launch_report or facts is None:
            return AddOutcome(None, [])
        for entry in self._entries.values():
            if report.article_id in entry.event.article_ids:
                return AddOutcome(None, [])
        match = self._match(facts)
        if match is None:
            return self._create(report, facts, now)
        return self._merge(match, report, facts, now)

    def event_for(self, report: EnrichedArticle) -> LaunchEvent | None:
        """The event a report was merged into."""
        for entry in self._entries.values():
            if report.article_id in entry.event.article_ids:
                return entry.event
        return None

    def _match(self, facts: LaunchFactFields) -> _Entry | None:
        best: tuple[int, _Entry] | None = None
        for entry in self._entries.values():
            score = _similarity(entry.event, facts)
            if score is not None and (best is None or score > best[0]):
                best = (score, entry)
        return best[1] if best else None

    def _create(
        self, report: EnrichedArticle, facts: LaunchFactFields, now: datetime
    ) -> AddOutcome:
        event_id = stable_id(f"{facts.country or UNKNOWN_COUNTRY_KEY}:{report.article_id}")
        tally = _Tally()
        for fact in _VOTED:
            tally.vote(fact, getattr(facts, fact))
        event = LaunchEvent(
            event_id=event_id,
            revision=1,
            article_ids=(report.article_id,),
            article_urls=(report.url,),
            sources=_sources((), report.url),
            report_count=1,
            first_reported_at=now,
            last_reported_at=now,
            country=facts.country,
            launch_date=facts.launch_date,
            missile_type=facts.missile_type,
            range_class=facts.range_class,
            weapon_names=facts.weapon_names,
            count=facts.count,
            location=facts.location,
            impact_area=facts.impact_area,
            outcome=facts.outcome,
            officials=facts.officials,
            reported_by=facts.reported_by,
            claims=facts.claims,
        )
        self._entries[event_id] = _Entry(event, tally)
        return AddOutcome(event, [_alert(event, AlertKind.NEW, (), now)])

    def _merge(
        self, entry: _Entry, report: EnrichedArticle, facts: LaunchFactFields, now: datetime
    ) -> AddOutcome:
        old = entry.event
        for fact in _VOTED:
            entry.tally.vote(fact, getattr(facts, fact))
        merged = {fact: entry.tally.best(fact, getattr(old, fact)) for fact in _VOTED}
        event = msgspec.structs.replace(
            old,
            revision=old.revision + 1,
            article_ids=(*old.article_ids, report.article_id),
            article_urls=(*old.article_urls, report.url),
            sources=_sources(old.sources, report.url),
            report_count=old.report_count + 1,
            last_reported_at=now,
            weapon_names=_union(old.weapon_names, facts.weapon_names),
            officials=_union(old.officials, facts.officials),
            reported_by=_union(old.reported_by, facts.reported_by),
            claims=old.claims + tuple(c for c in facts.claims if c not in old.claims),
            **merged,
        )
        entry.event = event
        changed = tuple(
            fact
            for fact in _VOTED
            if fact in self.policy.material and getattr(old, fact) != getattr(event, fact)
        )
        alerts = (
            [_alert(event, AlertKind.UPDATE, changed, now)]
            if changed and self.policy.updates
            else []
        )
        return AddOutcome(event, alerts)


def _similarity(event: LaunchEvent, facts: LaunchFactFields) -> int | None:
    """How well a report fits an event; None when it cannot be the same launch."""
    score = 0
    if event.launch_date and facts.launch_date:
        gap = abs((event.launch_date - facts.launch_date).days)
        if gap > 1:
            return None
        score += 2 - gap
    if not _same_vehicle(str(event.missile_type), str(facts.missile_type)):
        return None
    if event.missile_type == facts.missile_type and event.missile_type is not MissileType.UNKNOWN:
        score += 2
    if event.location and facts.location:
        if not _near(event.location, facts.location):
            return None
        score += 1
    return score


_SAME_VEHICLE = (
    frozenset({"ballistic", "space-launch"}),
    frozenset({"ballistic", "artillery-rocket"}),
)
"""A satellite launch is often first reported as a ballistic missile: the same rocket.
A large guided rocket salvo is called rockets by its launcher and ballistic missiles by
those who track it: the same launch."""

NEAR_KM = 250.0
"""Two reports name places this close for one launch ("Pyongyang", "Sunan")."""


def _same_vehicle(one: str, other: str) -> bool:
    return compatible_types(one, other) or any({one, other} <= pair for pair in _SAME_VEHICLE)


def _near(one: Place, other: Place) -> bool:
    """The same place, or two places close enough to name one launch area."""
    if one.name == other.name:
        return True
    if None in (one.latitude, one.longitude, other.latitude, other.longitude):
        return False
    return _distance_km(one, other) <= NEAR_KM


def _distance_km(one: Place, other: Place) -> float:
    lat1, lon1 = math.radians(one.latitude or 0.0), math.radians(one.longitude or 0.0)
    lat2, lon2 = math.radians(other.latitude or 0.0), math.radians(other.longitude or 0.0)
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(item for item in second if item not in first)


def _sources(sources: tuple[str, ...], url: str) -> tuple[str, ...]:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return sources if not host or host in sources else (*sources, host)


def _headline(event: LaunchEvent) -> str:
    what = (
        "missile" if event.missile_type is MissileType.UNKNOWN else f"{event.missile_type} missile"
    )
    if event.missile_type is MissileType.SPACE_LAUNCH:
        what = "space launch vehicle"
    if event.range_class:
        what = f"{what} ({event.range_class})"
    where = f" from {event.location.name}" if event.location else ""
    when = f" on {event.launch_date.isoformat()}" if isinstance(event.launch_date, date) else ""
    count = f"{event.count} x " if event.count else ""
    return f"{event.country or 'Unknown state'} launched {count}{what}{where}{when}"


def _alert(
    event: LaunchEvent, kind: AlertKind, changed: tuple[FactName, ...], now: datetime
) -> LaunchAlert:
    return LaunchAlert(
        alert_id=stable_id(f"{event.event_id}:{kind}:{event.revision}"),
        kind=kind,
        event_id=event.event_id,
        revision=event.revision,
        changed=changed,
        headline=_headline(event),
        article_urls=event.article_urls,
        raised_at=now,
        country=event.country,
        launch_date=event.launch_date,
        missile_type=event.missile_type,
        range_class=event.range_class,
        weapon_names=event.weapon_names,
        count=event.count,
        location=event.location,
        impact_area=event.impact_area,
        outcome=event.outcome,
        officials=event.officials,
        reported_by=event.reported_by,
        claims=event.claims,
    )
