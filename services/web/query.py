"""The filters and paging shared by the pages and the API: country, type, since, until.

Read from a URL's query string, so a filtered view is a link that can be
bookmarked and works without JavaScript; a value that is not allowed is a
`BadQuery`, answered with 400 and the reason, never silently ignored. An empty
value means "no filter", which is what an untouched form field sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from schemas import COUNTRY_CODES, LaunchEvent, MissileType
from services.web.library import day_of

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadQuery(ValueError):
    """A query parameter the view does not accept; the message names it and what it takes."""


@dataclass(frozen=True)
class EventQuery:
    country: str | None = None
    type: MissileType | None = None
    since: date | None = None
    until: date | None = None
    offset: int = 0
    limit: int = DEFAULT_LIMIT

    @classmethod
    def parse(cls, params: Mapping[str, str], *, limit: int = DEFAULT_LIMIT) -> EventQuery:
        values = {name: params.get(name, "").strip() for name in _NAMES}
        country = values["country"].upper() or None
        if country is not None and country not in COUNTRY_CODES:
            raise BadQuery(f"country: {values['country']!r} is not an ISO 3166-1 alpha-2 code")
        kind = None
        if values["type"]:
            try:
                kind = MissileType(values["type"])
            except ValueError:
                allowed = ", ".join(member.value for member in MissileType)
                raise BadQuery(f"type: {values['type']!r} is not one of {allowed}") from None
        return cls(
            country=country,
            type=kind,
            since=_date("since", values["since"]),
            until=_date("until", values["until"]),
            offset=_int("offset", values["offset"], 0, 0, None),
            limit=_int("limit", values["limit"], limit, 1, MAX_LIMIT),
        )

    def matches(self, event: LaunchEvent) -> bool:
        day = day_of(event)
        return (
            (self.country is None or event.country == self.country)
            and (self.type is None or event.missile_type == self.type)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
        )

    def select(self, events: Sequence[LaunchEvent]) -> list[LaunchEvent]:
        """Every matching event, in the order given (no paging)."""
        return [event for event in events if self.matches(event)]

    def page(self, matching: Sequence[LaunchEvent]) -> Sequence[LaunchEvent]:
        return matching[self.offset : self.offset + self.limit]

    def filters(self) -> dict[str, str]:
        """The filters as query parameters, the empty ones left out."""
        values = {
            "country": self.country or "",
            "type": self.type.value if self.type is not None else "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {name: value for name, value in values.items() if value}

    def link(self, path: str, offset: int) -> str:
        """`path` with these filters at another offset (a pager link)."""
        params = {**self.filters(), "offset": str(offset), "limit": str(self.limit)}
        return f"{path}?{urlencode(params)}"

    def next_link(self, path: str, total: int) -> str | None:
        after = self.offset + self.limit
        return self.link(path, after) if after < total else None

    def previous_link(self, path: str) -> str | None:
        return self.link(path, max(0, self.offset - self.limit)) if self.offset > 0 else None


_NAMES = ("country", "type", "since", "until", "offset", "limit")


def _date(name: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadQuery(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from None


def _int(name: str, text: str, default: int, low: int, high: int | None) -> int:
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadQuery(f"{name}: {text!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        wanted = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise BadQuery(f"{name}: {value} must be {wanted}")
    return value
