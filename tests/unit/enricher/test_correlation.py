"""Correlation: one event per launch, one `new` alert, stable ids, rebuildable state."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec

from schemas import (
    AlertKind,
    CountryCode,
    EnrichedArticle,
    LaunchFacts,
    MissileType,
    Outcome,
    Place,
    RangeClass,
    Span,
)
from schemas.ids import article_id, stable_id
from schemas.launches import FactName
from services.enricher import AlertPolicy, EventBook, correlation_key

NOW = datetime(2025, 10, 29, 12, tzinfo=UTC)
LATER = datetime(2025, 10, 29, 13, tzinfo=UTC)
SOHAE = Place(name="Sohae", latitude=39.66, longitude=124.7)
SINPO = Place(name="Sinpo", latitude=40.03, longitude=128.18)


def report(
    url: str,
    *,
    day: date | None = date(2025, 10, 28),
    kind: MissileType = MissileType.CRUISE,
    count: int | None = None,
    place: str | Place | None = None,
    outcome: Outcome = Outcome.UNKNOWN,
    officials: tuple[str, ...] = (),
    country: CountryCode = "KP",
    range_class: RangeClass | None = None,
    weapons: tuple[str, ...] = (),
    stated: tuple[FactName, ...] = (),
) -> EnrichedArticle:
    """A tagged launch report; `stated` facts get an evidence span, the others are inferred
    (a report without any evidence is taken at its word)."""
    span = Span(start=0, end=1, text="x")
    return EnrichedArticle(
        article_id=article_id(url),
        url=url,
        is_launch_report=True,
        launch=LaunchFacts(
            country=country,
            launch_date=day,
            missile_type=kind,
            range_class=range_class,
            weapon_names=weapons,
            count=count,
            location=Place(name=place) if isinstance(place, str) else place,
            outcome=outcome,
            officials=officials,
            evidence={fact: (span,) for fact in stated},
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
    later = book.add(report("https://a.example/4", day=date(2025, 10, 31)), NOW)
    ids = {o.event.event_id for o in (cruise, ballistic, later) if o.event}
    assert len(ids) == 3
    assert len(book.events) == 3


def test_a_salvo_from_two_sites_on_one_day_is_one_launch() -> None:
    book = EventBook()
    srbm: dict[str, Any] = {"kind": MissileType.BALLISTIC, "range_class": RangeClass.SRBM}
    book.add(report("https://a.example/1", place=SOHAE, **srbm), NOW)
    book.add(report("https://a.example/2", place=SINPO, **srbm), NOW)
    assert len(book.events) == 1


def test_single_missiles_from_two_far_sites_on_one_day_stay_apart() -> None:
    book = EventBook()
    book.add(report("https://a.example/1", place=SOHAE, count=1), NOW)
    book.add(report("https://a.example/2", place=SINPO, count=1), NOW)
    assert len(book.events) == 2


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
