"""Where the launch was, and where it came down.

A site after an impact word ("landed in the Sea of Japan", "splashed down off")
is the impact area; any other site or area a launch sentence names is where the
missile was launched from, and a sea names the area of the flight when no site
does. A local alias ("the west coast") counts only for the launching state.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import EntityKind, Place
from services.enricher import cues
from services.enricher.facts.context import Fact, FactContext, event_part, span
from services.enricher.gazetteer import Found, Site
from services.enricher.recognition import Reading


@dataclass(frozen=True)
class _Named:
    reading: Reading
    found: Found
    site: Site

    def fact(self) -> Fact[Place]:
        found = self.found
        return Fact(self.site.place(), span(self.reading, found.start, found.end, found.text))


@dataclass(frozen=True)
class _Sites:
    location: _Named | None
    area: _Named | None
    impact: _Named | None


def _sites(context: FactContext) -> _Sites:
    location: _Named | None = None
    area: _Named | None = None
    impact: _Named | None = None
    for reading in context.event:
        base, text = reading.sentence.start, reading.sentence.text
        for found in reading.founds:
            site = found.entry
            if found.kind is not EntityKind.SITE or not isinstance(site, Site):
                continue
            if not event_part(reading, found) or (
                found.local_only and site.country != context.country
            ):
                continue
            prefix = text[max(0, found.start - base - 60) : found.start - base]
            if site.needs_cue and not cues.SITE_CUE.search(prefix):
                continue
            named = _Named(reading, found, site)
            if cues.IMPACT_CUE.search(prefix):
                impact = impact or named
                area = area or named
            elif site.kind == "sea":
                area = area or named
            else:
                location = location or named
    return _Sites(location, area, impact)


def extract_location(context: FactContext) -> Fact[Place] | None:
    """The launch site, else the area the flight was reported in."""
    sites = _sites(context)
    chosen = sites.location or sites.area
    return chosen.fact() if chosen else None


def extract_impact_area(context: FactContext) -> Fact[Place] | None:
    """Where the missile came down, when an impact word names it."""
    impact = _sites(context).impact
    return impact.fact() if impact else None
