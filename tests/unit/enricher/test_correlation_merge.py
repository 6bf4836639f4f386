"""Two events found to be one launch merge: an `update`, never a second `new`; rebuildable."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec

from schemas import AlertKind, CountryCode, EnrichedArticle, LaunchEvent, MissileType, RangeClass
from schemas.launches import FactName
from services.enricher import AlertPolicy, EventBook
from services.enricher.correlation import AddOutcome
from tests.unit.enricher.test_correlation import NOW, report

STATED: tuple[FactName, ...] = (
    "country",
    "launch_date",
    "missile_type",
    "range_class",
    "weapon_names",
)


def icbm(url: str, country: CountryCode, **facts: Any) -> EnrichedArticle:
    return report(
        url, country=country, kind=MissileType.BALLISTIC, range_class=RangeClass.ICBM, **facts
    )


def _reports() -> list[EnrichedArticle]:
    """A Tokyo report read as Japan's launch, Seoul's of the North's, then one that has both."""
    return [
        icbm("https://tokyo.example/1", "JP", weapons=("Hwasong-17",), stated=STATED),
        icbm("https://seoul.example/2", "KP", stated=STATED),
        icbm(
            "https://wire.example/3",
            "KP",
            weapons=("Hwasong-17",),
            stated=("launch_date", "missile_type", "range_class", "weapon_names"),
        ),
    ]


def _run(book: EventBook, reports: list[EnrichedArticle]) -> list[AddOutcome]:
    return [book.add(item, NOW + timedelta(minutes=n)) for n, item in enumerate(reports)]


def test_the_survivor_gets_an_update_naming_the_absorbed_event() -> None:
    book = EventBook()
    first, second, third = _run(book, _reports())
    assert first.event is not None
    assert second.event is not None
    survivor, absorbed = first.event.event_id, second.event.event_id
    assert survivor != absorbed, "the two first reports were two events"

    assert [a.kind for a in third.alerts] == [AlertKind.UPDATE], "never a second `new`"
    (update,) = third.alerts
    assert update.event_id == survivor
    assert update.merged_event_ids == (absorbed,)
    assert third.event is not None
    assert third.event.event_id == survivor
    assert third.event.revision == 2
    assert third.event.report_count == 3
    assert third.event.merged_from == (absorbed,)
    assert set(third.event.article_ids) == {r.article_id for r in _reports()}
    assert third.event.sources == ("tokyo.example", "wire.example", "seoul.example")

    (final,) = third.merged
    assert final.event_id == absorbed
    assert final.merged_into == survivor
    assert final.revision == 2
    assert book.open_events == [third.event]


def test_a_merge_is_announced_even_when_updates_are_off() -> None:
    *_, third = _run(EventBook(AlertPolicy(updates=False)), _reports())
    assert [a.kind for a in third.alerts] == [AlertKind.UPDATE]


def test_reports_of_the_absorbed_event_now_belong_to_the_survivor() -> None:
    book = EventBook()
    outcomes = _run(book, _reports())
    survivor = outcomes[-1].event
    assert survivor is not None
    for item in _reports():
        found = book.event_for(item)
        assert found is not None
        assert found.event_id == survivor.event_id
    later = icbm("https://late.example/4", "KP")
    joined = book.add(later, NOW + timedelta(hours=1))
    assert joined.event is not None
    assert joined.event.event_id == survivor.event_id


def test_redelivered_reports_change_nothing_after_a_merge() -> None:
    book = EventBook()
    _run(book, _reports())
    before = book.events
    for item in _reports():
        again = book.add(item, NOW + timedelta(hours=2))
        assert again == AddOutcome(None, [])
    assert book.events == before


def _written(outcomes: list[AddOutcome]) -> list[LaunchEvent]:
    """Every revision as launch.events receives it, through the wire."""
    revisions = [e for o in outcomes for e in (o.event, *o.merged) if e is not None]
    return [msgspec.json.decode(msgspec.json.encode(e), type=LaunchEvent) for e in revisions]


def test_a_merged_book_rebuilds_to_the_same_state() -> None:
    book = EventBook()
    outcomes = _run(book, _reports())
    rebuilt = EventBook.from_events(_written(outcomes))
    assert rebuilt.events == book.events
    assert rebuilt.open_events == book.open_events
    for item in _reports():  # redelivered after a restart
        assert rebuilt.add(item, NOW + timedelta(hours=2)) == AddOutcome(None, [])
    late = icbm("https://late.example/4", "KP")
    assert rebuilt.add(late, NOW) == book.add(late, NOW)


def test_a_rebuild_from_a_compacted_topic_in_any_order_is_the_same() -> None:
    book = EventBook()
    written = _written(_run(book, _reports()))
    compacted = {event.event_id: event for event in written}  # latest per key
    rebuilt = EventBook.from_events(reversed(list(compacted.values())))
    assert rebuilt.events == book.events
