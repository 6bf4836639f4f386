"""How facts read to a person: one line per event, a value per fact, sources side by side.

Every list of facts derives from `schemas.launches.FACT_FIELDS`, so a fact added
to the schema shows on the event page without a change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from schemas import Claim, LaunchEvent, Place, Span
from schemas.launches import FACT_FIELDS
from services.web.basemap import Basemap
from services.web.library import Report, day_of

PER_SOURCE_FACTS = tuple(name for name in FACT_FIELDS if name != "claims")
"""Facts compared source by source; claims have their own table, with who claims them."""


def text_of(value: Any) -> str:
    """A fact's value as text; an absent value is "unknown"."""
    if value is None or value == ():
        return "unknown"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Place):
        if value.latitude is None or value.longitude is None:
            return value.name
        return f"{value.name} ({value.latitude:.2f}, {value.longitude:.2f})"
    if isinstance(value, Claim):
        by = f" ({value.claimed_by})" if value.claimed_by else ""
        return f"{value.quantity.replace('_', ' ')} {value.value:g}{by}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(text_of(item) for item in value)
    return str(value)


def label_of(name: str) -> str:
    return name.replace("_", " ").capitalize()


def title_of(event: LaunchEvent, basemap: Basemap) -> str:
    """``North Korea: ballistic launch, 2 fired, 2025-10-28``: what the list and the map show."""
    what = "launch" if event.missile_type.value == "unknown" else f"{event.missile_type} launch"
    if event.count is not None and event.count > 1:
        what = f"{what}, {event.count} fired"
    when = event.launch_date.isoformat() if event.launch_date else "date unknown"
    return f"{basemap.name_of(event.country)}: {what}, {when}"


@dataclass(frozen=True)
class SourceClaim:
    site: str
    url: str
    value: str
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class FactRow:
    """One fact: the event's value and what each report says, with its evidence."""

    name: str
    label: str
    value: str
    claims: tuple[SourceClaim, ...]

    @property
    def disputed(self) -> bool:
        """Sources that state the fact do not all state the same value."""
        return len({claim.value for claim in self.claims if claim.value != "unknown"}) > 1


def fact_rows(event: LaunchEvent, reports: Sequence[Report]) -> list[FactRow]:
    rows = []
    for name in PER_SOURCE_FACTS:
        claims = tuple(
            SourceClaim(
                site=report.site,
                url=report.url,
                value=text_of(getattr(report.facts, name)),
                evidence=report.facts.evidence.get(name, ()),  # type: ignore[call-overload]
            )
            for report in reports
        )
        rows.append(FactRow(name, label_of(name), text_of(getattr(event, name)), claims))
    return rows


TIMELINE_BARS = 120
"""At most this many bars: over a long history each bar counts several days."""


@dataclass(frozen=True)
class Bar:
    first: date
    last: date
    count: int


def timeline(events: Sequence[LaunchEvent], bars: int = TIMELINE_BARS) -> list[Bar]:
    """Events per stretch of days, earliest first; empty stretches are left out."""
    if not events:
        return []
    days = [day_of(event) for event in events]
    start, end = min(days), max(days)
    width = max(1, -(-((end - start).days + 1) // bars))
    counts: dict[int, int] = {}
    for day in days:
        slot = (day - start).days // width
        counts[slot] = counts.get(slot, 0) + 1
    return [
        Bar(
            start + timedelta(days=slot * width),
            min(end, start + timedelta(days=slot * width + width - 1)),
            count,
        )
        for slot, count in sorted(counts.items())
    ]
