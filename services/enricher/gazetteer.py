"""The enricher's knowledge: reviewed TOML gazetteers, validated when loaded.

Actors, weapons, sites, officials, agencies and commercial space operators live in
`data/*.toml` so that a reviewer can read and correct them like code. Every entry
is checked against a msgspec Struct on load; a malformed one stops the service
with the file and entry named, rather than quietly tagging nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from schemas import EntityKind, MissileType, Place, RangeClass
from schemas.vocabulary import CountryCode
from services.enricher.matcher import AliasMatcher, Hit

DATA = Path(__file__).parent / "data"

Alias = Annotated[str, msgspec.Meta(min_length=1)]
Aliases = Annotated[list[Alias], msgspec.Meta(min_length=1)]


class Actor(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A state or armed group; `country` is the launching state it stands for."""

    name: str
    country: CountryCode
    timezone: str
    aliases: Aliases


class Weapon(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A named weapon system or a description of one ("cruise missile")."""

    name: str
    missile_type: MissileType
    aliases: Aliases
    range_class: RangeClass | None = None
    country: CountryCode | None = None
    descriptive: bool = False


class Site(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A launch site, area or body of water, with where it is and its time zone."""

    name: str
    country: CountryCode
    kind: Literal["site", "area", "sea"]
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)]
    aliases: Aliases
    timezone: str | None = None
    local_aliases: list[Alias] = msgspec.field(default_factory=list)
    needs_cue: bool = False

    def place(self) -> Place:
        return Place(
            name=self.name,
            latitude=self.latitude,
            longitude=self.longitude,
            timezone=self.timezone,
        )


class Official(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A person holding office, and the state they serve."""

    name: str
    country: CountryCode
    aliases: Aliases


class Agency(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Someone a launch claim is attributed to: state media, ministry, command, wire.

    `attributed_only`: a launching organ or armed group, a source only where a
    statement is attributed to it ("the Houthis said"), not where it launches.
    """

    name: str
    country: CountryCode
    aliases: Aliases
    attributed_only: bool = False


class Operator(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A commercial or civil space operator or vehicle: its launches are not alerts."""

    name: str
    aliases: Aliases


Entry = Actor | Weapon | Site | Official | Agency | Operator
E = TypeVar("E", Actor, Weapon, Site, Official, Agency, Operator)


def is_proper_phrase(alias: str) -> bool:
    """A name of two or more capitalised words and no acronym ("North Korea", "Republic of
    Korea"): unmistakable in capitals ("NORTH Korea fired") or in a lower-case title
    ("north korea launches"). One capitalised word ("the North", "Israeli military") or an
    acronym ("US military") would, lower-cased, be a common word."""
    words = alias.split()
    capitalised = [w for w in words if w[:1].isupper() and not any(c.isupper() for c in w[1:])]
    acronyms = [w for w in words if sum(c.isupper() for c in w) >= 2]
    return len(words) >= 2 and len(capitalised) >= 2 and not acronyms


class GazetteerError(ValueError):
    """A gazetteer file or entry that does not say what the enricher needs."""


def load_entries(path: Path, table: str, kind: type[E]) -> list[E]:
    """Every `[[table]]` entry of a TOML file, each validated on its own."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise GazetteerError(f"{path.name}: {error}") from error
    raw = document.get(table)
    if not isinstance(raw, list) or not raw:
        raise GazetteerError(f"{path.name}: expected a non-empty list of [[{table}]] entries")
    entries: list[E] = []
    for index, item in enumerate(raw, start=1):
        label = item.get("name", "?") if isinstance(item, dict) else "?"
        try:
            entry = msgspec.convert(item, kind)
        except msgspec.ValidationError as error:
            raise GazetteerError(f"{path.name}: [[{table}]] #{index} ({label}): {error}") from None
        _check_timezone(path, table, index, entry)
        entries.append(entry)
    return entries


def _check_timezone(path: Path, table: str, index: int, entry: Entry) -> None:
    zone = getattr(entry, "timezone", None)
    if zone is None:
        return
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise GazetteerError(
            f"{path.name}: [[{table}]] #{index} ({entry.name}): unknown time zone {zone!r}"
        ) from None


@dataclass(frozen=True)
class Found:
    """A gazetteer entry found in the text, with the entity kind it is tagged as."""

    start: int
    end: int
    text: str
    kind: EntityKind
    entry: Entry
    local_only: bool = False
    """Matched by a local alias ("the west coast"): valid only for its own country."""


class Gazetteer:
    """All the gazetteers, with one matcher over every alias."""

    def __init__(
        self,
        actors: list[Actor],
        weapons: list[Weapon],
        sites: list[Site],
        officials: list[Official],
        agencies: list[Agency],
        operators: list[Operator],
    ) -> None:
        self.actors = actors
        self.weapons = weapons
        self.sites = sites
        self.officials = officials
        self.agencies = agencies
        self.operators = operators
        self.actor_by_country = {actor.country: actor for actor in reversed(actors)}
        aliases: list[tuple[str, tuple[EntityKind | None, Entry, bool], bool]] = []
        for actor in actors:
            aliases += [(a, (EntityKind.ACTOR, actor, False), False) for a in actor.aliases]
        for weapon in weapons:
            aliases += [(a, (EntityKind.WEAPON, weapon, False), True) for a in weapon.aliases]
        for site in sites:
            aliases += [(a, (EntityKind.SITE, site, False), False) for a in site.aliases]
            aliases += [(a, (EntityKind.SITE, site, True), False) for a in site.local_aliases]
        for official in officials:
            aliases += [
                (a, (EntityKind.OFFICIAL, official, False), False) for a in official.aliases
            ]
        for agency in agencies:
            aliases += [(a, (EntityKind.AGENCY, agency, False), False) for a in agency.aliases]
        for operator in operators:
            aliases += [(a, (None, operator, False), False) for a in operator.aliases]
        self._matcher: AliasMatcher[tuple[EntityKind | None, Entry, bool]] = AliasMatcher(
            aliases,
            case_free=lambda alias, tagged: (
                tagged[0] is EntityKind.ACTOR and is_proper_phrase(alias)
            ),
        )

    def find(self, text: str) -> list[Found]:
        """Every gazetteer name in `text`; a name two entries share yields both."""
        return list(self._found(self._matcher.find(text)))

    def scan(self, text: str) -> tuple[list[Found], list[int]]:
        """`find`, and where space operators are named, in one pass over the text.

        Tagging reads each sentence for space operators; one pass over the article
        instead of one per sentence keeps tagging fast.
        """
        hits = self._matcher.find(text)
        operators = [
            hit.start
            for hit in hits
            if any(kind is None and isinstance(entry, Operator) for kind, entry, _ in hit.entries)
        ]
        return list(self._found(hits)), operators

    @staticmethod
    def _found(hits: list[Hit[tuple[EntityKind | None, Entry, bool]]]) -> Iterator[Found]:
        for hit in hits:
            for kind, entry, local in hit.entries:
                if kind is None:
                    continue
                yield Found(hit.start, hit.end, hit.text, kind, entry, local)

    def operators_in(self, text: str) -> list[Operator]:
        """Commercial and civil space operators named in `text`."""
        found: list[Operator] = []
        for hit in self._matcher.find(text):
            for kind, entry, _ in hit.entries:
                if kind is None and isinstance(entry, Operator) and entry not in found:
                    found.append(entry)
        return found

    def timezone_of(self, country: str | None) -> str | None:
        actor = self.actor_by_country.get(country) if country else None  # type: ignore[call-overload]
        return actor.timezone if actor else None


def load_gazetteer(directory: Path = DATA) -> Gazetteer:
    """Reads and validates every gazetteer file in `directory`."""
    return Gazetteer(
        actors=load_entries(directory / "actors.toml", "actor", Actor),
        weapons=load_entries(directory / "weapons.toml", "weapon", Weapon),
        sites=load_entries(directory / "sites.toml", "site", Site),
        officials=load_entries(directory / "officials.toml", "official", Official),
        agencies=load_entries(directory / "agencies.toml", "agency", Agency),
        operators=load_entries(directory / "commercial_space.toml", "operator", Operator),
    )


@cache
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteers, loaded once per process."""
    return load_gazetteer()
