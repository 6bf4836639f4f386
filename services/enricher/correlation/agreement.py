"""How well a report fits an event: agreement scored fact by fact.

Reports of one launch disagree: one outlet dates it a day later (a US-dated
copy of a Korean morning), one knows the type and another does not, one names
the launch site and another the sea it fell into. Two launches by one state a
day apart agree on almost everything but the weapon. So no single fact decides;
each adds points when the report and the event agree on it and takes points
away when they disagree, and a fact that either of them lacks counts nothing.

| fact | agree | disagree |
|---|---|---|
| country | +3 named by any of the event's reports | -4; 0 when the report's is inferred |
| launch date, stated | +3 same day, +1 a day apart | apart |
| launch date, inferred | +1 when 0-7 days after the event's | apart |
| missile type | +2 | -4 |
| range class | +2 | -5; -2 neighbours, or one stated day, no name or site clash, not SRBM/ICBM |
| weapon names | +3 one shared | -3 none shared |
| launch site | +1 | -6 far apart; -3 two names, no coordinates |
| impact area | +1 | -1 |
| count | +1 | 0 |
| time of day, stated date | +1 same day and part | -5 hours apart (not neighbouring parts) |

Why these weights: a stated launching state is strong evidence and an inferred
one (no evidence span) a guess. Time zones and "yesterday" move a date by one
day, never by two, and a report without a stated date is published 0-7 days
after the launch. Unknown types, and two names for one vehicle (ballistic and
hypersonic, ballistic and space launch, ballistic and artillery rocket), count
0. An SRBM and an ICBM a day apart are two launches; neighbouring classes (MRBM
and IRBM, IRBM and ICBM) are what estimates of one missile confuse, and on the
same stated day, with no weapon name or site against it, any class clash is
mostly an early estimate (a "medium-range" missile later named an ICBM): both
weigh less. An SRBM and an ICBM never do: reports dated in another zone can put a
short-range launch late one evening and an ICBM the next morning on one day.
Weapon names are specific, but one system has several. A sea or zone is where
a missile flew or fell, not a site, so it never counts against a site; two sites
far apart are two launches unless the range class or the weapon says it was one
salvo. Impact areas are named loosely, and counts grow as reports come in.
The time of day is read at the site (a clock in another zone converted, words in
another zone's dateline dropped), so with the dates it places a launch within
hours: two parts of the day that neither touch nor overlap (late one evening,
the next morning; a morning and an evening) are two launches whatever their type
says. Neighbouring parts (night and morning) are one launch told loosely, and
a barrage of artillery rockets goes on for hours, into the next morning, so its
time of day counts nothing.

A report joins the best-scoring event that reaches `JOIN`: a report that
agrees only on the country and falls within the window of an open event
(weak evidence: no stated date, type unknown) reaches it and joins, instead of
raising a second `new` alert; a report a day apart that disagrees on range
class, weapon or site does not. A stated date two or more days away, or an
inferred date outside the window, means another launch whatever the rest says.
A report that names, beside its own launch, another launch a day before
("on Wednesday it fired 23 short-range missiles" in a Thursday report) never
joins the event of that day.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from datetime import date

from schemas import LaunchFactFields, MissileType, Place, RangeClass
from schemas.launches import FACT_FIELDS
from services.enricher.recognition import compatible_types

JOIN = 4
"""The least score at which a report joins an event, or two events merge."""

OPEN_DAYS = 7
"""A report without a stated date is published this many days after the launch at most."""

NEAR_KM = 250.0
"""Two reports name places this close for one launch ("Pyongyang", "Sunan")."""

_SAME_VEHICLE = (
    frozenset({"ballistic", "space-launch"}),
    frozenset({"ballistic", "artillery-rocket"}),
)
"""A satellite launch is often first reported as a ballistic missile: the same rocket.
A large guided rocket salvo is called rockets by its launcher and ballistic missiles by
those who track it: the same launch."""

_OPEN_WATER = re.compile(r"\b(sea|ocean|gulf|bay|strait|waters|zone)\b", re.IGNORECASE)
"""Place names that say where a missile flew or fell, not where it was launched from."""


def agreement(
    event: LaunchFactFields,
    facts: LaunchFactFields,
    stated: Collection[str] = FACT_FIELDS,
    countries: Collection[str] = (),
    elsewhere: Collection[date] = (),
) -> int | None:
    """How well `facts` fit `event`; None when they cannot be the same launch.

    `stated` names the facts of `facts` the text states (those with evidence);
    the others were inferred, and a disagreement on them weighs less.
    `countries` are every state the event's reports named, beside the one most
    of them name: a report naming any of them agrees on the country.
    `elsewhere` are the days of the other launches the report names beside its
    own: an event on one of them, a day off the report's, is that other launch.
    """
    if event.launch_date in elsewhere and event.launch_date != facts.launch_date:
        return None
    dated = _date_score(event.launch_date, facts.launch_date, "launch_date" in stated)
    if dated is None:
        return None
    names = _names_score(event.weapon_names, facts.weapon_names)
    site = _site_score(event.location, facts.location)
    same_day = dated == SAME_DAY and names >= 0 and site >= 0
    return (
        dated
        + _country_score({event.country, *countries} - {None}, facts.country, "country" in stated)
        + _type_score(event.missile_type, facts.missile_type)
        + _range_score(event.range_class, facts.range_class, lenient=same_day)
        + names
        + site
        + _place_score(event.impact_area, facts.impact_area)
        + _pair(event.count, facts.count, agree=1, disagree=0)
        + (_time_score(event, facts) if "launch_date" in stated else 0)
    )


SAME_DAY = 3
"""The date score of a stated date on the event's day."""


def _date_score(event: date | None, report: date | None, stated: bool) -> int | None:
    if event is None or report is None:
        return 0
    if not stated:
        return 1 if -1 <= (report - event).days <= OPEN_DAYS else None
    gap = abs((report - event).days)
    return {0: SAME_DAY, 1: 1}.get(gap)


def _country_score(event: Collection[str | None], report: str | None, stated: bool) -> int:
    if not event or report is None:
        return 0
    if report in event:
        return 3
    return -4 if stated else 0


def _type_score(event: MissileType, report: MissileType) -> int:
    if MissileType.UNKNOWN in (event, report):
        return 0
    if event == report:
        return 2
    return 0 if same_vehicle(str(event), str(report)) else -4


def _pair(event: object, report: object, *, agree: int, disagree: int) -> int:
    if event is None or report is None:
        return 0
    return agree if event == report else disagree


_LADDER = (RangeClass.SRBM, RangeClass.MRBM, RangeClass.IRBM, RangeClass.ICBM)
"""Range classes by reach: estimates of one missile confuse neighbours, never the ends."""


def _range_score(event: RangeClass | None, report: RangeClass | None, *, lenient: bool) -> int:
    if event is None or report is None:
        return 0
    if event == report:
        return 2
    ladder = event in _LADDER and report in _LADDER
    apart = abs(_LADDER.index(event) - _LADDER.index(report)) if ladder else None
    if apart == 1 or (lenient and apart != len(_LADDER) - 1):
        return -2
    return -5


def _names_score(event: tuple[str, ...], report: tuple[str, ...]) -> int:
    if not event or not report:
        return 0
    shared = {name.casefold() for name in event} & {name.casefold() for name in report}
    return 3 if shared else -3


_PARTS: dict[str, tuple[int, int]] = {
    "night": (0, 5),
    "morning": (5, 12),
    "afternoon": (12, 17),
    "evening": (17, 24),
}
"""The hours of the site's day each part of the day covers."""


def _time_score(event: LaunchFactFields, report: LaunchFactFields) -> int:
    """Both launches placed in hours of the site's clock: far apart, or the same part."""
    if None in (event.time_of_day, report.time_of_day):
        return 0
    if MissileType.ARTILLERY_ROCKET in (event.missile_type, report.missile_type):
        return 0
    if event.launch_date is None or report.launch_date is None:
        return 0
    offset = (report.launch_date - event.launch_date).days * 24
    first = _PARTS[str(event.time_of_day)]
    second = tuple(hour + offset for hour in _PARTS[str(report.time_of_day)])
    gap = max(first[0] - second[1], second[0] - first[1])
    if gap > 0:
        return -5
    return 1 if offset == 0 and first == second else 0


def _site_score(event: Place | None, report: Place | None) -> int:
    if event is None or report is None:
        return 0
    if near(event, report):
        return 1
    if _OPEN_WATER.search(event.name) or _OPEN_WATER.search(report.name):
        return 0
    return -3 if _distance_km(event, report) is None else -6


def _place_score(event: Place | None, report: Place | None) -> int:
    if event is None or report is None:
        return 0
    return 1 if near(event, report) else -1


def same_vehicle(one: str, other: str) -> bool:
    """Whether two missile types can name the rocket of one launch."""
    return compatible_types(one, other) or any({one, other} <= pair for pair in _SAME_VEHICLE)


def near(one: Place, other: Place) -> bool:
    """The same place, or two places close enough to name one launch area."""
    if one.name.casefold() == other.name.casefold():
        return True
    distance = _distance_km(one, other)
    return distance is not None and distance <= NEAR_KM


def _distance_km(one: Place, other: Place) -> float | None:
    if None in (one.latitude, one.longitude, other.latitude, other.longitude):
        return None
    lat1, lon1 = math.radians(one.latitude or 0.0), math.radians(one.longitude or 0.0)
    lat2, lon2 = math.radians(other.latitude or 0.0), math.radians(other.longitude or 0.0)
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))
