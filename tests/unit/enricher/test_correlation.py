"""Correlation: one event per launch, one `new` alert, stable ids, rebuildable state."""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec

from schemas import AlertKind, EnrichedArticle, LaunchFacts, MissileType, Outcome, Place
from schemas.ids import article_id, stable_id
from services.enricher import AlertPolicy, EventBook, correlation_key

NOW = datetime(2025, 10, 29, 12, tzinfo=UTC)
LATER = datetime(2025, 10, 29, 13, tzinfo=UTC)


def report(
    url: str,
    *,
    day: date = date(2025, 10, 28),
    kind: MissileType = MissileType.CRUISE,
    count: int | None = None,
    place: str | None = None,
    outcome: Outcome = Outcome.UNKNOWN,
    officials: tuple[str, ...] = (),
) -> EnrichedArticle:
    return EnrichedArticle(
        article_id=article_id(url),
        url=url,
        is_launch_report=True,
        launch=LaunchFacts(
            country="KP",
            launch_date=day,
            missile_type=kind,
            count=count,
            location=Place(name=place) if place else None,
            outcome=outcome,
            officials=officials,
        ),
        enriched_at=NOW,
    )


def test_reports_of_one_launch_merge_with_a_stable_id() -> None:
    book = EventBook()
    first = book.add(report("https://a.example/1", officials=("Kim Jong Un",)), NOW)
    second = book.add(report("https://b.example/2", day=date(2025, 10, 29)), LATER)
    assert first.event is not None
    assert second.event is not None
    assert first.event.event_id == second.event.event_id
    assert first.event.event_id == stable_id("KP:" + article_id("https://a.example/1"))
    assert second.event.revision == 2
    assert second.event.report_count == 2
    assert second.event.sources == ("a.example", "b.example")
    assert second.event.article_urls == ("https://a.example/1", "https://b.example/2")
    assert second.event.launch_date == date(2025, 10, 28)  # a tie keeps the first reported
    assert second.event.officials == ("Kim Jong Un",)
    assert second.event.first_reported_at == NOW
    assert second.event.last_reported_at == LATER
    assert [a.kind for a in first.alerts] == [AlertKind.NEW]
    assert second.alerts == []


def test_different_launches_on_one_day_stay_apart() -> None:
    book = EventBook()
    cruise = book.add(report("https://a.example/1", place="Yellow Sea"), NOW)
    ballistic = book.add(report("https://a.example/2", kind=MissileType.BALLISTIC), NOW)
    elsewhere = book.add(report("https://a.example/3", place="Sinpo"), NOW)
    later = book.add(report("https://a.example/4", day=date(2025, 10, 31)), NOW)
    ids = {o.event.event_id for o in (cruise, ballistic, elsewhere, later) if o.event}
    assert len(ids) == 4
    assert len(book.events) == 4


def test_redelivery_is_a_no_op() -> None:
    book = EventBook()
    item = report("https://a.example/1")
    book.add(item, NOW)
    again = book.add(item, LATER)
    assert again.event is None
    assert again.alerts == []
    assert book.events[0].revision == 1


def test_material_changes_raise_update_alerts() -> None:
    book = EventBook()
    book.add(report("https://a.example/1", kind=MissileType.UNKNOWN), NOW)
    typed = book.add(report("https://a.example/2", count=2), NOW)
    [update] = typed.alerts
    assert update.kind is AlertKind.UPDATE
    assert set(update.changed) == {"missile_type", "count"}
    assert update.revision == 2
    event_id = book.events[0].event_id
    assert update.alert_id == stable_id(f"{event_id}:update:2")
    quiet = book.add(report("https://a.example/3", count=2), NOW)
    assert quiet.alerts == []
    assert quiet.event is not None
    assert quiet.event.revision == 3


def test_updates_can_be_switched_off() -> None:
    book = EventBook(AlertPolicy(updates=False))
    book.add(report("https://a.example/1"), NOW)
    changed = book.add(report("https://a.example/2", outcome=Outcome.FAILURE), NOW)
    assert changed.event is not None
    assert changed.event.outcome is Outcome.FAILURE
    assert changed.alerts == []


def test_the_book_rebuilds_from_its_events() -> None:
    book = EventBook()
    emitted = [book.add(report(f"https://a.example/{n}"), NOW).event for n in (1, 2)]
    events = [event for event in emitted if event is not None]
    wire = [msgspec.json.decode(msgspec.json.encode(e), type=type(e)) for e in events]
    rebuilt = EventBook.from_events(wire)
    assert rebuilt.events == [events[-1]]
    replay = rebuilt.add(report("https://a.example/1"), LATER)  # redelivered after restart
    assert replay.event is None
    assert replay.alerts == []
    third = rebuilt.add(report("https://a.example/3"), LATER)
    assert third.event is not None
    assert third.event.event_id == events[0].event_id
    assert third.event.revision == 3
    assert [a.kind for a in third.alerts] == []


def test_a_lost_first_report_recreates_the_same_event_and_alert() -> None:
    first = EventBook().add(report("https://a.example/1"), NOW)
    again = EventBook().add(report("https://a.example/1"), LATER)
    assert first.event is not None
    assert again.event is not None
    assert first.event.event_id == again.event.event_id
    assert first.alerts[0].alert_id == again.alerts[0].alert_id


def test_non_reports_change_nothing_and_reports_are_keyed_by_country() -> None:
    plain = EnrichedArticle(
        article_id=article_id("https://a.example/x"), url="https://a.example/x", enriched_at=NOW
    )
    assert EventBook().add(plain, NOW).event is None
    assert correlation_key(report("https://a.example/1")) == "KP"
    assert correlation_key(plain) == "unknown"
