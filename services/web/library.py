"""What the web view knows: every launch event, its revisions, its alerts and its reports.

Built from three topics, read from their beginning at start and then followed:

* ``launch.events`` (compacted): the current revision of each event. Older
  revisions still in the log (compaction is lazy) and those that arrive while
  the view runs are kept as a short history;
* ``alerts.launch``: every alert, by alert id, so a redelivered alert is one
  entry;
* ``news.enriched``: the reports behind each event, with the facts each one
  claims and the text it claims them with. Only launch reports that carry an
  event id are kept; the others are dropped on arrival. Reports older than the
  topic's retention are gone, so an old event may show fewer reports than its
  ``report_count``; its facts and URLs still come from the event itself.

An event merged into another (``merged_into`` set) leaves the lists; its
survivor shows the merged event's reports too.

Listeners (the live stream) are told of every new event revision and alert once
the change is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from schemas import EnrichedArticle, LaunchAlert, LaunchEvent, LaunchFacts, Message
from services.runtime.view import Change

Listener = Callable[[Message], None]


@dataclass(frozen=True, slots=True)
class Report:
    """One article's account of a launch."""

    article_id: str
    url: str
    site: str
    title: str | None
    published_at: datetime | None
    facts: LaunchFacts


@dataclass(frozen=True, slots=True)
class Revision:
    """What one revision of an event said, for the event's history."""

    revision: int
    last_reported_at: datetime
    report_count: int
    summary: str


def day_of(event: LaunchEvent) -> date:
    """The day an event is filed under: its launch date, else the day it was first reported."""
    return event.launch_date or event.first_reported_at.date()


def _summary(event: LaunchEvent) -> str:
    parts = [str(event.missile_type), str(event.outcome)]
    if event.count is not None:
        parts.insert(0, f"{event.count} x")
    if event.launch_date is not None:
        parts.append(event.launch_date.isoformat())
    return " ".join(parts)


class Library:
    def __init__(self) -> None:
        self.events: dict[str, LaunchEvent] = {}
        self.revisions: dict[str, dict[int, Revision]] = {}
        self.alerts: dict[str, LaunchAlert] = {}
        self.alerts_by_event: dict[str, list[str]] = {}
        self.reports: dict[str, dict[str, Report]] = {}
        self.listeners: list[Listener] = []
        self._ordered: list[LaunchEvent] | None = None

    def apply(self, change: Change) -> None:
        """One record of a followed topic (the `View.apply` of the web service)."""
        value = change.value
        if isinstance(value, LaunchEvent):
            self._event(value)
        elif isinstance(value, LaunchAlert):
            self._alert(value)
        elif isinstance(value, EnrichedArticle):
            self._report(value)
        elif value is None and change.kind is LaunchEvent:
            self.events.pop(change.key, None)
            self._ordered = None
        else:
            return
        if value is not None and not isinstance(value, EnrichedArticle):
            for listener in list(self.listeners):
                listener(value)

    def current(self) -> list[LaunchEvent]:
        """Every event not merged into another, latest launch first."""
        if self._ordered is None:
            live = [event for event in self.events.values() if event.merged_into is None]
            live.sort(key=lambda event: (day_of(event), event.first_reported_at), reverse=True)
            self._ordered = live
        return self._ordered

    def survivor(self, event_id: str) -> str | None:
        """The event that stands for `event_id`, following merges; None when unknown."""
        seen: set[str] = set()
        while event_id not in seen:
            seen.add(event_id)
            event = self.events.get(event_id)
            if event is None:
                return None
            if event.merged_into is None:
                return event_id
            event_id = event.merged_into
        return None

    def reports_of(self, event: LaunchEvent) -> list[Report]:
        """The reports of the event and of the events it absorbed, earliest first."""
        found: dict[str, Report] = {}
        for event_id in (*event.merged_from, event.event_id):
            found.update(self.reports.get(event_id, {}))
        return sorted(found.values(), key=lambda r: (r.published_at is None, r.published_at))

    def history_of(self, event_id: str) -> list[Revision]:
        return sorted(self.revisions.get(event_id, {}).values(), key=lambda r: r.revision)

    def alerts_of(self, event_ids: Iterable[str]) -> list[LaunchAlert]:
        alerts = [
            self.alerts[alert_id]
            for event_id in event_ids
            for alert_id in self.alerts_by_event.get(event_id, [])
        ]
        return sorted(alerts, key=lambda alert: alert.raised_at)

    def latest_alerts(self, limit: int) -> list[LaunchAlert]:
        return sorted(self.alerts.values(), key=lambda alert: alert.raised_at, reverse=True)[:limit]

    def _event(self, event: LaunchEvent) -> None:
        known = self.events.get(event.event_id)
        if known is None or known.revision <= event.revision:
            self.events[event.event_id] = event
            self._ordered = None
        self.revisions.setdefault(event.event_id, {})[event.revision] = Revision(
            event.revision, event.last_reported_at, event.report_count, _summary(event)
        )

    def _alert(self, alert: LaunchAlert) -> None:
        if alert.alert_id not in self.alerts:
            self.alerts_by_event.setdefault(alert.event_id, []).append(alert.alert_id)
        self.alerts[alert.alert_id] = alert

    def _report(self, article: EnrichedArticle) -> None:
        facts = article.launch
        if not article.is_launch_report or facts is None or facts.event_id is None:
            return
        self.reports.setdefault(facts.event_id, {})[article.article_id] = Report(
            article_id=article.article_id,
            url=article.url,
            site=urlsplit(article.url).hostname or article.url,
            title=article.title,
            published_at=article.published_at,
            facts=facts,
        )
