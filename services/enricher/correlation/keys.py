"""Correlation keys: which reports meet in one partition, and so in one book.

Reports of one launch must meet to be correlated, but they do not always agree
on the launching state: a report from Tokyo is read as Japan's, a Houthi strike
as Saudi Arabia's (the target) or Iran's (the sponsor), a South Korean rocket as
the North's. So reports are keyed by theatre: the states whose launches are
confused with each other share one key, the ISO code of the theatre's first
state, and a launch's reports meet whichever of them a report names. Within a
book the country is one fact among others (see `agreement`): a stated
disagreement counts against joining, an inferred one does not.

Keys are ISO codes (or `unknown`), so `LaunchReport.country_key` keeps its
pattern; a state in no theatre is its own key.
"""

from __future__ import annotations

from types import MappingProxyType

from schemas import EnrichedArticle, LaunchFactFields
from schemas.launches import UNKNOWN_COUNTRY_KEY

THEATRES: tuple[tuple[str, ...], ...] = (
    ("KP", "KR", "JP"),
    ("CN", "TW"),
    ("IR", "YE", "SA", "AE", "IQ", "SY", "IL", "PS", "LB"),
    ("RU", "UA", "BY"),
    ("IN", "PK"),
)
"""States whose launches reports confuse: the launcher, its targets, the states that
react first (and report first), and sponsors. The first state names the key."""

_KEYS = MappingProxyType({country: theatre[0] for theatre in THEATRES for country in theatre})


def correlation_key(report: EnrichedArticle) -> str:
    """The partition key that brings every report of one launch together."""
    return facts_key(report.launch)


def facts_key(facts: LaunchFactFields | None) -> str:
    """The key of a report's or an event's facts, so an event is rebuilt into the
    book its reports were keyed to (its country is voted among the theatre's)."""
    country = facts.country if facts else None
    if country is None:
        return UNKNOWN_COUNTRY_KEY
    return _KEYS.get(country, country)
