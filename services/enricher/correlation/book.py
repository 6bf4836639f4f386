"""The events of one correlation key, and how each report changes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

import msgspec

from schemas import AlertKind, EnrichedArticle, LaunchAlert, LaunchEvent, LaunchFactFields
from schemas.ids import stable_id
from schemas.launches import FACT_FIELDS, UNKNOWN_COUNTRY_KEY, launch_facts
from services.enricher.correlation.agreement import JOIN, agreement
from services.enricher.correlation.alerts import AlertPolicy, alert
from services.enricher.correlation.tally import Tally, combined_facts


@dataclass(frozen=True)
class AddOutcome:
    """What adding one report did: the revisions to write and the alerts to raise.

    `event` is the report's event as it now stands, None when the report changed
    nothing (not a launch report, or one the book already holds). `merged` are
    the final revisions of events it showed to be the same launch as `event`.
    """

    event: LaunchEvent | None
    alerts: list[LaunchAlert]
    merged: tuple[LaunchEvent, ...] = ()


class _Entry:
    """One event and its reports' votes.

    An entry rebuilt from launch.events builds its tally only when a report
    joins it or it merges: most events of a long history never change again,
    and voting every fact of 100,000 events would hold up a restart for
    seconds. Until then the event is its tally's only voter, so its countries
    are its own country.
    """

    __slots__ = ("_countries", "_tally", "event")

    def __init__(self, event: LaunchEvent, tally: Tally | None = None) -> None:
        self.event = event
        self._tally = tally
        self._countries: tuple[str, ...] | None = None

    @property
    def tally(self) -> Tally:
        if self._tally is None:
            self._tally = Tally()
            self._tally.vote_all(self.event, FACT_FIELDS, scale=max(1, self.event.report_count))
        return self._tally

    @property
    def open(self) -> bool:
        return self.event.merged_into is None

    @property
    def countries(self) -> tuple[str, ...]:
        """Every launching state the event's reports named."""
        if self._tally is not None:
            return tuple(str(country) for country in self._tally.named("country"))
        if self._countries is None:
            own = Tally()
            own.vote("country", self.event.country)
            self._countries = tuple(str(country) for country in own.named("country"))
        return self._countries


def stated_facts(facts: LaunchFactFields) -> frozenset[str]:
    """The facts a report's text states; a report without any evidence is taken at its word."""
    evidence = getattr(facts, "evidence", None)
    return frozenset(evidence) if evidence else frozenset(FACT_FIELDS)


class EventBook:
    """The launch events of one correlation key, and how each new report changes them.

    A report joins the open event it agrees with best (see `agreement`), or
    starts one whose id derives from the country and the report, so that a
    redelivered first report recreates the same event and `new` alert. When a
    report makes its event agree with another open event, the two merge: the
    one first reported survives and raises an `update` alert naming the other,
    which is written once more with `merged_into` set and takes no more reports.
    """

    def __init__(self, policy: AlertPolicy | None = None) -> None:
        self.policy = policy or AlertPolicy()
        self._entries: dict[str, _Entry] = {}

    @classmethod
    def from_events(
        cls, events: Iterable[LaunchEvent], policy: AlertPolicy | None = None
    ) -> EventBook:
        """The book as it stood after emitting `events` (latest revision of each wins).

        An event carries only the winning value of each fact, so on rebuild it
        counts as that many stated votes as the reports behind it. Events keep
        the order in which they were first reported, as the book had them.
        """
        latest: dict[str, LaunchEvent] = {}
        for event in events:
            current = latest.get(event.event_id)
            if current is None or event.revision > current.revision:
                latest[event.event_id] = event
        book = cls(policy)
        for event in sorted(latest.values(), key=lambda e: (e.first_reported_at, e.event_id)):
            book._entries[event.event_id] = _Entry(event)  # its tally is built when needed
        return book

    @property
    def events(self) -> list[LaunchEvent]:
        """Every event's latest revision, merged ones included, as launch.events holds them."""
        return [entry.event for entry in self._entries.values()]

    @property
    def open_events(self) -> list[LaunchEvent]:
        """The events reports may still join: those not merged into another."""
        return [entry.event for entry in self._entries.values() if entry.open]

    def event_for(self, report: EnrichedArticle) -> LaunchEvent | None:
        """The open event that holds a report (after a merge, the survivor)."""
        entry = self._holding(report.article_id)
        return entry.event if entry else None

    def add(self, report: EnrichedArticle, now: datetime) -> AddOutcome:
        """Merges one report; a report already in an event changes nothing."""
        facts = report.launch
        if not report.is_launch_report or facts is None:
            return AddOutcome(None, [])
        if self._holding(report.article_id) is not None:
            return AddOutcome(None, [])
        stated = stated_facts(facts)
        elsewhere = frozenset(
            m.launch_date for m in report.mentions_other_launches if m.launch_date is not None
        )
        match = self._best(*_dated(report, facts, stated), elsewhere)
        if match is None:
            return self._create(report, facts, stated, now)
        return self._join(match, report, facts, stated, now)

    def _holding(self, article: str) -> _Entry | None:
        for entry in self._entries.values():
            if entry.open and article in entry.event.article_ids:
                return entry
        return None

    def _best(
        self, facts: LaunchFactFields, stated: frozenset[str], elsewhere: frozenset[date]
    ) -> _Entry | None:
        """The open event a report agrees with best and enough; on a tie the one dated
        nearest the report (a report without a stated date speaks of the latest launch
        more likely than of one days before), then the first reported.
        `elsewhere` are the days of the other launches the report names."""
        return self._best_of(
            lambda entry: agreement(entry.event, facts, stated, entry.countries, elsewhere),
            lambda entry: _days_apart(entry.event.launch_date, facts.launch_date),
        )

    def _best_match(self, joined: _Entry) -> _Entry | None:
        """The open event that agrees with another one best and enough, to merge them."""
        mine = joined.countries

        def score(entry: _Entry) -> int | None:
            if entry is joined:
                return None
            theirs = entry.countries
            shared = (*theirs, *mine) if set(mine) & set(theirs) else ()
            return agreement(entry.event, joined.event, FACT_FIELDS, shared)

        return self._best_of(score)

    def _best_of(
        self,
        score_of: Callable[[_Entry], int | None],
        distance: Callable[[_Entry], int] = lambda entry: 0,
    ) -> _Entry | None:
        best: tuple[int, int, _Entry] | None = None
        for entry in self._entries.values():
            if not entry.open:
                continue
            score = score_of(entry)
            if score is None or score < JOIN:
                continue
            key = (score, -distance(entry))
            if best is None or key > best[:2]:
                best = (*key, entry)
        return best[2] if best else None

    def _create(
        self,
        report: EnrichedArticle,
        facts: LaunchFactFields,
        stated: frozenset[str],
        now: datetime,
    ) -> AddOutcome:
        event_id = stable_id(f"{facts.country or UNKNOWN_COUNTRY_KEY}:{report.article_id}")
        tally = Tally()
        tally.vote_all(facts, stated)
        event = LaunchEvent(
            event_id=event_id,
            revision=1,
            article_ids=(report.article_id,),
            article_urls=(report.url,),
            sources=_sources((), report.url),
            report_count=1,
            first_reported_at=now,
            last_reported_at=now,
            **launch_facts(facts),
        )
        self._entries[event_id] = _Entry(event, tally)
        return AddOutcome(event, [alert(event, AlertKind.NEW, now)])

    def _join(
        self,
        entry: _Entry,
        report: EnrichedArticle,
        facts: LaunchFactFields,
        stated: frozenset[str],
        now: datetime,
    ) -> AddOutcome:
        before = entry.event
        entry.tally.vote_all(facts, stated)
        entry.event = msgspec.structs.replace(
            before,
            revision=before.revision + 1,
            article_ids=(*before.article_ids, report.article_id),
            article_urls=(*before.article_urls, report.url),
            sources=_sources(before.sources, report.url),
            report_count=before.report_count + 1,
            last_reported_at=now,
            **combined_facts(entry.tally, before, facts),
        )
        return self._merge_all(entry, before, now)

    def _merge_all(self, joined: _Entry, before: LaunchEvent, now: datetime) -> AddOutcome:
        """Merges every open event that now agrees with the joined one, then raises alerts.

        Each event touched by one report gets one revision, however many merges
        it took part in, so a redelivered report would redo the same revisions.
        """
        previous = {joined.event.event_id: before}
        survivor, absorbed = joined, list[_Entry]()
        while other := self._best_match(survivor):
            previous.setdefault(other.event.event_id, other.event)
            first, second = sorted((survivor, other), key=self._order)
            self._absorb(first, second, previous, now)
            survivor = first
            absorbed.append(second)
        event = survivor.event
        changed = self.policy.changed(previous[event.event_id], event)
        if absorbed:
            merged = tuple(entry.event.event_id for entry in absorbed)
            alerts = [alert(event, AlertKind.UPDATE, now, changed, merged)]
            return AddOutcome(event, alerts, tuple(entry.event for entry in absorbed))
        if changed and self.policy.updates:
            return AddOutcome(event, [alert(event, AlertKind.UPDATE, now, changed)])
        return AddOutcome(event, [])

    def _order(self, entry: _Entry) -> int:
        """Events in the order they were first reported: the earlier one survives a merge."""
        return list(self._entries).index(entry.event.event_id)

    def _absorb(
        self, survivor: _Entry, other: _Entry, previous: dict[str, LaunchEvent], now: datetime
    ) -> None:
        """`other` is the same launch as `survivor`: its reports and votes move over."""
        kept, gone = survivor.event, other.event
        survivor.tally.absorb(other.tally)
        survivor.event = msgspec.structs.replace(
            kept,
            revision=previous[kept.event_id].revision + 1,
            article_ids=_union(kept.article_ids, gone.article_ids),
            article_urls=_union(kept.article_urls, gone.article_urls),
            sources=_union(kept.sources, gone.sources),
            report_count=kept.report_count + gone.report_count,
            first_reported_at=min(kept.first_reported_at, gone.first_reported_at),
            last_reported_at=now,
            merged_from=_union(kept.merged_from, (gone.event_id, *gone.merged_from)),
            **combined_facts(survivor.tally, kept, gone),
        )
        other.event = msgspec.structs.replace(
            gone,
            revision=previous[gone.event_id].revision + 1,
            merged_into=kept.event_id,
            last_reported_at=now,
        )


def _dated(
    report: EnrichedArticle, facts: LaunchFactFields, stated: frozenset[str]
) -> tuple[LaunchFactFields, frozenset[str]]:
    """The facts to match a report by: without a launch date, its publication day,
    inferred, so that it joins an event of the days before."""
    if facts.launch_date is not None or report.published_at is None:
        return facts, stated
    published = report.published_at.date()
    return msgspec.structs.replace(facts, launch_date=published), stated - {"launch_date"}


def _days_apart(one: date | None, other: date | None) -> int:
    """Days between two launch dates; an unknown one is as far as any."""
    if one is None or other is None:
        return 0
    return abs((one - other).days)


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(item for item in second if item not in first)


def _sources(sources: tuple[str, ...], url: str) -> tuple[str, ...]:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return sources if not host or host in sources else (*sources, host)
