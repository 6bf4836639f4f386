"""The web view's library: events, revisions, alerts and reports as the topics deliver them."""

from __future__ import annotations

from schemas import LaunchEvent, Message
from services.runtime.view import Change
from services.web.library import Library
from tests.unit.web.samples import alert, change, event, event_id, report


def test_the_latest_revision_wins_and_every_revision_seen_is_history() -> None:
    library = Library()
    for value in (event(1, revision=2), event(1, revision=1), event(1, revision=3)):
        library.apply(change(value))
    assert library.events[event_id(1)].revision == 3
    assert [r.revision for r in library.history_of(event_id(1))] == [1, 2, 3]


def test_events_are_listed_latest_launch_first_without_merged_ones() -> None:
    library = Library()
    library.apply(change(event(1)))
    library.apply(change(event(2, merged_into=event_id(3))))
    library.apply(change(event(3, merged_from=(event_id(2),))))
    assert [e.event_id for e in library.current()] == [event_id(3), event_id(1)]
    assert library.survivor(event_id(2)) == event_id(3)
    assert library.survivor(event_id(9)) is None


def test_a_tombstone_removes_an_event() -> None:
    library = Library()
    library.apply(change(event(1)))
    library.apply(Change(LaunchEvent, event_id(1), None))
    assert library.current() == []


def test_a_redelivered_alert_is_one_alert() -> None:
    library = Library()
    library.apply(change(alert(1)))
    library.apply(change(alert(1)))
    library.apply(change(alert(1, revision=2)))
    assert len(library.alerts_of([event_id(1)])) == 2


def test_reports_of_a_survivor_include_those_of_the_events_it_absorbed() -> None:
    library = Library()
    library.apply(change(report(2, "news.example", 2, "two missiles")))
    library.apply(change(report(3, "wire.example", 3, "three missiles")))
    survivor = event(3, merged_from=(event_id(2),))
    sites = sorted(r.site for r in library.reports_of(survivor))
    assert sites == ["news.example", "wire.example"]


def test_articles_that_are_not_launch_reports_are_not_kept() -> None:
    library = Library()
    plain = report(1, "news.example", 2, "two missiles")
    library.apply(change(plain.__replace__(is_launch_report=False, launch=None)))
    assert library.reports == {}


def test_listeners_hear_events_and_alerts_but_not_reports() -> None:
    library = Library()
    heard: list[Message] = []
    library.listeners.append(heard.append)
    library.apply(change(event(1)))
    library.apply(change(alert(1)))
    library.apply(change(report(1, "news.example", 2, "two missiles")))
    assert [type(m).__name__ for m in heard] == ["LaunchEvent", "LaunchAlert"]
