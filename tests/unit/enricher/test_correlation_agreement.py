"""Reports of one launch join one event though they disagree; launches a day apart stay apart."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from schemas import MentionedLaunch, MissileType, Place, RangeClass
from schemas.launches import FactName
from services.enricher.correlation import JOIN, EventBook, agreement, correlation_key
from tests.unit.enricher.test_correlation import LATER, NOW, report

DAY = date(2025, 10, 28)
NEXT = date(2025, 10, 29)
BALLISTIC = MissileType.BALLISTIC
EVERYTHING: tuple[FactName, ...] = (
    "country",
    "launch_date",
    "missile_type",
    "range_class",
    "weapon_names",
)


def _events(*reports: tuple[str, dict[str, Any]]) -> EventBook:
    book = EventBook()
    for url, facts in reports:
        book.add(report(url, **facts), NOW)
    return book


def test_a_date_a_day_off_joins() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "stated": EVERYTHING}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": NEXT, "stated": EVERYTHING}),
    )
    assert len(book.events) == 1


def test_an_unknown_type_a_day_off_joins() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "range_class": RangeClass.SRBM}),
        ("https://b.example/2", {"kind": MissileType.UNKNOWN, "day": NEXT}),
    )
    assert len(book.events) == 1
    assert book.events[0].missile_type is BALLISTIC


def test_a_report_without_a_stated_date_or_type_joins_the_open_event() -> None:
    book = _events(("https://a.example/1", {"kind": BALLISTIC, "stated": EVERYTHING}))
    weak = report(
        "https://b.example/2",
        kind=MissileType.UNKNOWN,
        day=date(2025, 11, 2),  # its publication day, five days on
        stated=("country",),
    )
    outcome = book.add(weak, LATER)
    assert outcome.alerts == [], "no second `new` alert"
    assert len(book.events) == 1
    assert book.events[0].launch_date == DAY, "a stated date outweighs an inferred one"


def test_a_report_without_a_stated_date_past_the_window_starts_an_event() -> None:
    book = _events(("https://a.example/1", {"kind": BALLISTIC, "stated": EVERYTHING}))
    stale = report("https://b.example/2", day=date(2025, 11, 20), stated=("country",))
    assert [str(a.kind) for a in book.add(stale, LATER).alerts] == ["new"]


def test_stated_dates_two_days_apart_are_two_launches() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": date(2025, 10, 30)}),
    )
    assert len(book.events) == 2


def test_an_srbm_in_the_evening_and_an_icbm_next_morning_stay_apart() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "range_class": RangeClass.SRBM}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": NEXT, "range_class": RangeClass.ICBM}),
    )
    assert len(book.events) == 2


def test_early_range_estimates_of_one_day_join() -> None:
    """A first report's "medium-range" estimate, later reports' ICBM: one launch, one alert."""
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "range_class": RangeClass.MRBM}),
        ("https://b.example/2", {"kind": BALLISTIC, "range_class": RangeClass.ICBM}),
        ("https://c.example/3", {"kind": BALLISTIC, "range_class": RangeClass.ICBM}),
    )
    assert [event.report_count for event in book.events] == [3]


def test_neighbouring_range_estimates_a_day_apart_join() -> None:
    """A US-dated copy calls it intermediate-range, Seoul's report an ICBM: one launch."""
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "range_class": RangeClass.IRBM}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": NEXT, "range_class": RangeClass.ICBM}),
    )
    assert len(book.events) == 1


def test_a_range_clash_with_a_weapon_clash_on_one_day_stays_apart() -> None:
    book = _events(
        (
            "https://a.example/1",
            {"kind": BALLISTIC, "range_class": RangeClass.SRBM, "weapons": ("KN-23",)},
        ),
        (
            "https://b.example/2",
            {"kind": BALLISTIC, "range_class": RangeClass.ICBM, "weapons": ("Hwasong-17",)},
        ),
    )
    assert len(book.events) == 2


def test_a_report_naming_the_day_before_s_launch_is_not_of_it() -> None:
    """A Thursday report that names Wednesday's salvo as another launch starts its own event."""
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "range_class": RangeClass.SRBM}),
    )
    thursday = report("https://b.example/2", kind=BALLISTIC, day=NEXT, stated=EVERYTHING)
    earlier = MentionedLaunch(launch_date=DAY, missile_type=BALLISTIC)
    thursday = msgspec.structs.replace(thursday, mentions_other_launches=(earlier,))
    wednesday = book.events[0]
    assert thursday.launch is not None
    assert agreement(wednesday, thursday.launch) is not None, "alone it would fit"
    assert agreement(wednesday, thursday.launch, elsewhere=(DAY,)) is None
    assert [str(a.kind) for a in book.add(thursday, LATER).alerts] == ["new"]


def test_an_srbm_and_an_icbm_dated_one_day_stay_apart() -> None:
    """An evening's short-range launch and the next morning's ICBM, dated one day by a
    report from another zone, are still two launches."""
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "range_class": RangeClass.SRBM}),
        ("https://b.example/2", {"kind": BALLISTIC, "range_class": RangeClass.ICBM}),
    )
    assert len(book.events) == 2


def test_two_weapons_on_consecutive_days_stay_apart() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "weapons": ("Hwasong-17",)}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": NEXT, "weapons": ("KN-23",)}),
        ("https://c.example/3", {"kind": BALLISTIC, "day": NEXT, "weapons": ("kn-23",)}),
    )
    assert [event.report_count for event in book.events] == [1, 2]


def test_two_sites_on_consecutive_days_stay_apart() -> None:
    sohae = Place(name="Sohae", latitude=39.66, longitude=124.7)
    sinpo = Place(name="Sinpo", latitude=40.03, longitude=128.18)
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "place": sohae}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": NEXT, "place": sinpo}),
    )
    assert len(book.events) == 2


def test_a_sea_is_where_it_flew_not_another_site() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC, "place": "Sunan"}),
        ("https://b.example/2", {"kind": BALLISTIC, "day": NEXT, "place": "East Sea"}),
    )
    assert len(book.events) == 1


def test_an_inferred_country_of_the_theatre_joins_a_stated_one() -> None:
    tokyo = report(
        "https://b.example/2", kind=BALLISTIC, country="JP", stated=("launch_date", "missile_type")
    )
    assert correlation_key(tokyo) == correlation_key(report("https://a.example/1"))
    book = _events(("https://a.example/1", {"kind": BALLISTIC, "stated": EVERYTHING}))
    assert book.add(tokyo, LATER).alerts == []
    assert book.events[0].country == "KP"


def test_a_stated_other_country_needs_more_than_a_day_and_a_type() -> None:
    book = _events(
        ("https://a.example/1", {"kind": BALLISTIC}),
        ("https://b.example/2", {"kind": BALLISTIC, "country": "KR"}),
    )
    assert len(book.events) == 2


def test_theatres_share_a_key_and_other_states_keep_their_own() -> None:
    keys = {c: correlation_key(report("https://a.example/1", country=c)) for c in ("KP", "JP")}
    assert keys == {"KP": "KP", "JP": "KP"}
    assert correlation_key(report("https://a.example/1", country="SA")) == "IR"
    assert correlation_key(report("https://a.example/1", country="US")) == "US"


def test_the_score_is_none_only_when_dates_rule_it_out() -> None:
    event = report("https://a.example/1").launch
    far = report("https://b.example/2", day=date(2025, 11, 5)).launch
    undated = report("https://b.example/3", day=None, kind=MissileType.UNKNOWN).launch
    assert event is not None
    assert far is not None
    assert undated is not None
    assert agreement(event, far) is None
    assert agreement(event, undated) == 3 < JOIN, "a country alone is not enough"


def test_a_report_without_any_date_is_matched_by_its_publication_day() -> None:
    book = _events(("https://a.example/1", {"kind": BALLISTIC}))
    undated = msgspec.structs.replace(
        report("https://b.example/2", day=None, kind=MissileType.UNKNOWN), published_at=LATER
    )
    assert book.add(undated, LATER).alerts == []
    assert book.events[0].report_count == 2
    assert book.events[0].launch_date == DAY


def test_a_weak_report_on_a_tie_joins_the_event_dated_nearest() -> None:
    # A satellite launch five days before, then a missile launch on the report's day: the
    # undated report agrees with both on the country only, and speaks of the latest.
    book = _events(
        (
            "https://a.example/1",
            {"kind": MissileType.SPACE_LAUNCH, "day": date(2025, 10, 23), "stated": EVERYTHING},
        ),
        ("https://b.example/2", {"kind": BALLISTIC, "stated": EVERYTHING}),
    )
    weak = report("https://c.example/3", kind=MissileType.UNKNOWN, day=DAY, stated=("country",))
    book.add(weak, LATER)
    holding = book.event_for(weak)
    assert holding is not None
    assert holding.launch_date == DAY
    assert len(book.events) == 2
