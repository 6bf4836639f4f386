"""The alerts an event raises: one `new` per launch, `update` when it changes or absorbs another."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from schemas import AlertKind, LaunchAlert, LaunchEvent, MissileType
from schemas.ids import stable_id
from schemas.launches import FACT_FIELDS, FactName, launch_facts
from schemas.vocabulary import CountryCode
from services.enricher.gazetteer import default_gazetteer

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


_NOUNS: dict[MissileType, str] = {
    MissileType.BALLISTIC: "ballistic missile",
    MissileType.CRUISE: "cruise missile",
    MissileType.HYPERSONIC: "hypersonic missile",
    MissileType.SURFACE_TO_AIR: "surface-to-air missile",
    MissileType.SPACE_LAUNCH: "space launch vehicle",
    MissileType.ARTILLERY_ROCKET: "artillery rocket",
    MissileType.UNKNOWN: "missile",
}
"""What a launched object of each type is called when nothing more precise is known."""

_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_SOURCES_NAMED = 3
"""Sources named in a headline; the rest are counted ("and 2 others")."""


def country_name(code: CountryCode | None) -> str:
    """The launching state's name as the news writes it, from the actors gazetteer.

    The first actor listed for a country names it (KP is North Korea); a code
    the gazetteer does not know is shown as the code.
    """
    if code is None:
        return "An unidentified state"
    actor = default_gazetteer().actor_by_country.get(code)
    return actor.name if actor is not None else code


def headline(event: LaunchEvent) -> str:
    """One sentence an analyst reads: who launched what, where and when, and who says so.

    "North Korea launched a Hwasong-18 ICBM from Sunan on 28 October 2025, reported
    by Yonhap and Japan Ministry of Defense". Names are written out; the codes stay in
    the alert's structured fields. The past tense needs no agreement with the
    launcher ("Houthis launched"), and reads right once the launch is news.
    """
    where = f" from {event.location.name}" if event.location else ""
    when = (
        f" on {event.launch_date.day} {event.launch_date:%B %Y}"
        if isinstance(event.launch_date, date)
        else ""
    )
    return f"{country_name(event.country)} launched {_what(event)}{where}{when}{_by(event)}"


def _what(event: LaunchEvent) -> str:
    """ "a Hwasong-18 ICBM", "two cruise missiles", "an artillery rocket"."""
    if event.range_class is None:
        noun = _NOUNS[event.missile_type]
    elif event.missile_type is MissileType.HYPERSONIC:
        noun = f"hypersonic {event.range_class}"
    else:
        noun = str(event.range_class)
    if event.weapon_names:
        noun = f"{_listed(event.weapon_names)} {noun}"
    many = (event.count or 1) > 1 or len(event.weapon_names) > 1
    if not many:
        return f"{_article(noun)} {noun}"
    if event.count is None or event.count < 2:
        return f"{noun}s"
    number = _NUMBERS[event.count - 1] if event.count <= len(_NUMBERS) else str(event.count)
    return f"{number} {noun}s"


def _article(noun: str) -> str:
    """ "an" before a vowel sound: a vowel, or an initialism read letter by letter
    from F, H, L, M, N, R, S or X ("an ICBM", "an SRBM", "an M51", but "a HIMARS")."""
    first = noun.split(maxsplit=1)[0]
    letters = first.split("-", 1)[0]
    if first[0].lower() in "aeiou":
        return "an"
    initialism = letters.isupper() and len(letters.rstrip("0123456789")) <= 4
    return "an" if initialism and first[0] in "FHLMNRSX" else "a"


def _by(event: LaunchEvent) -> str:
    """ ", reported by Yonhap and Japan Ministry of Defense"; nothing when no one is named."""
    sources = list(event.reported_by)
    if not sources:
        return ""
    if len(sources) > _SOURCES_NAMED:
        others = len(sources) - _SOURCES_NAMED
        sources = [*sources[:_SOURCES_NAMED], f"{others} other{'s' if others > 1 else ''}"]
    return f", reported by {_listed(sources)}"


def _listed(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


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
