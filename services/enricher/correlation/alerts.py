"""The alerts an event raises: one `new` per launch, `update` when it changes or absorbs another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from schemas import AlertKind, LaunchAlert, LaunchEvent, MissileType
from schemas.ids import stable_id
from schemas.launches import FACT_FIELDS, FactName, launch_facts

MATERIAL_FACTS: frozenset[FactName] = frozenset({"missile_type", "count", "outcome"})
"""Changes that raise an `update` alert by default."""


@dataclass(frozen=True)
class AlertPolicy:
    """Which changes to an event raise an `update` alert.

    A merge always raises one, whatever the policy: a consumer that was sent a
    `new` alert for each of two events must learn that they are one launch.
    """

    updates: bool = True
    material: frozenset[FactName] = MATERIAL_FACTS

    def changed(self, old: LaunchEvent, new: LaunchEvent) -> tuple[FactName, ...]:
        """The material facts whose value differs between two revisions of an event."""
        return tuple(
            fact
            for fact in sorted(self.material, key=FACT_FIELDS.index)
            if getattr(old, fact) != getattr(new, fact)
        )


def headline(event: LaunchEvent) -> str:
    what = (
        "missile" if event.missile_type is MissileType.UNKNOWN else f"{event.missile_type} missile"
    )
    if event.missile_type is MissileType.SPACE_LAUNCH:
        what = "space launch vehicle"
    if event.range_class:
        what = f"{what} ({event.range_class})"
    where = f" from {event.location.name}" if event.location else ""
    when = f" on {event.launch_date.isoformat()}" if isinstance(event.launch_date, date) else ""
    count = f"{event.count} x " if event.count else ""
    return f"{event.country or 'Unknown state'} launched {count}{what}{where}{when}"


def alert(
    event: LaunchEvent,
    kind: AlertKind,
    now: datetime,
    changed: tuple[FactName, ...] = (),
    merged: tuple[str, ...] = (),
) -> LaunchAlert:
    """The alert for one revision of an event; its id repeats when the revision is redone."""
    return LaunchAlert(
        alert_id=stable_id(f"{event.event_id}:{kind}:{event.revision}"),
        kind=kind,
        event_id=event.event_id,
        revision=event.revision,
        changed=changed,
        merged_event_ids=merged,
        headline=headline(event),
        article_urls=event.article_urls,
        raised_at=now,
        **launch_facts(event),
    )
