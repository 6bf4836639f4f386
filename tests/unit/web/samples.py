"""Launch events, alerts and reports written for the web view's tests (no real article text)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from schemas import (
    AlertKind,
    CountryCode,
    EnrichedArticle,
    LaunchAlert,
    LaunchEvent,
    LaunchFacts,
    MissileType,
    Outcome,
    Place,
    Span,
)
from services.runtime.view import Change

T0 = datetime(2025, 10, 29, 6, 0, tzinfo=UTC)
YELLOW_SEA = Place(name="Yellow Sea", latitude=38.3, longitude=124.5)


def event_id(number: int) -> str:
    return f"{number:032x}"


def event(
    number: int,
    *,
    country: CountryCode | None = "KP",
    missile_type: MissileType = MissileType.BALLISTIC,
    launch_date: date | None = date(2025, 10, 28),
    location: Place | None = YELLOW_SEA,
    revision: int = 1,
    merged_into: str | None = None,
    merged_from: tuple[str, ...] = (),
    count: int | None = 2,
) -> LaunchEvent:
    return LaunchEvent(
        event_id=event_id(number),
        revision=revision,
        country=country,
        launch_date=launch_date,
        missile_type=missile_type,
        count=count,
        location=location,
        outcome=Outcome.SUCCESS,
        article_urls=(f"https://news.example/{number}/a", f"https://wire.example/{number}/b"),
        sources=("news.example", "wire.example"),
        report_count=2,
        first_reported_at=T0 + timedelta(minutes=number),
        last_reported_at=T0 + timedelta(minutes=number + 5),
        merged_into=merged_into,
        merged_from=merged_from,
    )


def alert(number: int, *, kind: AlertKind = AlertKind.NEW, revision: int = 1) -> LaunchAlert:
    return LaunchAlert(
        alert_id=f"{number:030x}{revision:02x}",
        kind=kind,
        event_id=event_id(number),
        revision=revision,
        country="KP",
        missile_type=MissileType.BALLISTIC,
        headline=f"Test launch number {number} & friends <b>",
        article_urls=(f"https://news.example/{number}/a",),
        raised_at=T0 + timedelta(minutes=number, seconds=revision),
    )


def report(number: int, site: str, count: int, evidence: str) -> EnrichedArticle:
    """A launch report of event `number` from `site`, claiming `count` missiles."""
    text = f"The state fired {evidence} into the sea on Tuesday."
    start = text.index(evidence)
    return EnrichedArticle(
        article_id=hashlib.sha256(f"{number}/{site}".encode()).hexdigest()[:32],
        url=f"https://{site}/{number}",
        title=f"Report {number} from {site}",
        published_at=T0 + timedelta(minutes=number),
        is_launch_report=True,
        launch=LaunchFacts(
            event_id=event_id(number),
            country="KP",
            count=count,
            missile_type=MissileType.BALLISTIC,
            evidence={"count": (Span(start=start, end=start + len(evidence), text=evidence),)},
        ),
        enriched_at=T0,
    )


def change(value: LaunchEvent | LaunchAlert | EnrichedArticle) -> Change:
    key = {
        LaunchEvent: lambda v: v.event_id,
        LaunchAlert: lambda v: v.event_id,
        EnrichedArticle: lambda v: v.article_id,
    }[type(value)](value)
    return Change(type(value), key, value)
