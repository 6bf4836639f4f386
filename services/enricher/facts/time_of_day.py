"""The time of day of the launch at the launch site, coarsely: night, morning, afternoon, evening.

A state sometimes fires short-range missiles late one evening and an ICBM the
next morning; reports of the two are a day apart and agree on almost
everything else, so the part of the day is what keeps them apart. It comes from
a clock time ("at around 7:15 a.m.", "2210 GMT"), converted to the site's zone
when the time is given in another one, or else from words ("Thursday morning",
"late Wednesday", "overnight"). Words and clocks without a zone are read in the
zone of the report's dateline: a Washington copy's "Wednesday night" is not the
site's night, so such words are dropped rather than guessed.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from schemas.launches import PartOfDay
from services.enricher import cues
from services.enricher.dates import ZONES
from services.enricher.facts.context import Fact, FactContext, launch_limit, other_class, span
from services.enricher.gazetteer import Actor
from services.enricher.recognition import Reading

_ZONE = "|".join(ZONES)
_CLOCK = re.compile(
    r"\b(?:(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.m\.|[ap]m\b)"
    r"|(?P<hour24>[01]?\d|2[0-3]):?(?P<minute24>[0-5]\d)(?:\s*(?:hours|hrs|h))?(?=\s*\(?(?:"
    + _ZONE
    + r")\b))(?:\s*\(?(?P<zone>"
    + _ZONE
    + r")\b)?",
)
"""A clock time: "7:15 a.m.", "9 pm", "2210 GMT", "07:15 (KST)"; a bare 24-hour figure
only with its zone, since "1500" alone is more often a distance or a count."""

_WORDS: tuple[tuple[PartOfDay, re.Pattern[str]], ...] = (
    (
        "night",
        re.compile(
            r"\b(?:overnight|before\s+dawn|pre-?dawn|early\s+hours|small\s+hours|after\s+midnight"
            r"|early\s+(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
            re.IGNORECASE,
        ),
    ),
    ("afternoon", re.compile(r"\b(?:afternoon|midday|noon)\b", re.IGNORECASE)),
    (
        "evening",
        re.compile(
            r"\b(?:evening|tonight|last\s+night|dusk"
            r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+night"
            r"|late\s+(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "morning",
        re.compile(
            r"\b(?:morning|dawn|daybreak)\b",
            re.IGNORECASE,
        ),
    ),
)
"""Words for a part of the day, the more specific first ("before dawn" is night). "Early
Monday" is the small hours as often as the morning: night, next to both "late Sunday"
and "Monday morning", so it keeps no report of a launch near midnight apart."""

_SAID = re.compile(
    r"\b(?:said|says|told|reported|announced|statement|briefing)\b[^.;]{0,25}$", re.IGNORECASE
)
"""A time that follows a saying ("the ministry said on Friday morning") dates the saying."""


def extract(context: FactContext) -> Fact[PartOfDay] | None:
    """The launch's part of the day at the site, from the first launch sentence giving one."""
    site = context.timezone
    writer = _writer_zone(context)
    if writer is None or _same_clock(writer, site, context.published_at):
        writer = site
    for reading in context.event:
        if reading is not context.event[0] and (
            not (reading.is_candidate or cues.TRIGGER.search(reading.sentence.text))
            or other_class(context, reading)
        ):
            continue
        found = _in_sentence(context, reading, writer, site)
        if found is not None:
            return found
    return None


def _in_sentence(
    context: FactContext, reading: Reading, writer: str | None, site: str | None
) -> Fact[PartOfDay] | None:
    text = reading.sentence.text[: launch_limit(reading)]
    base = reading.sentence.start
    for match in _CLOCK.finditer(text):
        if _SAID.search(text[: match.start()]):
            continue
        zone = ZONES[match["zone"]] if match["zone"] else writer
        part = _clock_part(context, match, zone, site)
        if part is not None:
            return Fact(part, span(reading, base + match.start(), base + match.end(), match[0]))
    if writer != site:
        return None  # words in another zone than the site's: no part of the site's day
    for part, pattern in _WORDS:
        for match in pattern.finditer(text):
            if not _SAID.search(text[: match.start()]):
                where = (base + match.start(), base + match.end(), match[0])
                return Fact(part, span(reading, *where))
    return None


def _clock_part(
    context: FactContext, match: re.Match[str], zone: str | None, site: str | None
) -> PartOfDay | None:
    if match["hour24"] is not None:
        hour, minute = int(match["hour24"]), int(match["minute24"])
    else:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    day = context.known.get("launch_date")
    when = day.value if day is not None else context.published_day
    if when is None or zone == site:
        return part_of(hour)
    instant = datetime.combine(when, time(hour, minute), ZoneInfo(zone or "UTC"))
    return part_of(instant.astimezone(ZoneInfo(site or "UTC")).hour)


def part_of(hour: int) -> PartOfDay:
    """The part of the day an hour (0-23) falls in."""
    if hour < 5:
        return "night"
    if hour < 12:
        return "morning"
    return "afternoon" if hour < 17 else "evening"


def _same_clock(one: str, other: str | None, at: datetime | None) -> bool:
    """Whether two zones showed the same clock when the report was published (Tokyo, Seoul)."""
    moment = at or datetime.now(ZoneInfo("UTC"))
    return (
        moment.astimezone(ZoneInfo(one)).utcoffset()
        == moment.astimezone(ZoneInfo(other or "UTC")).utcoffset()
    )


def _writer_zone(context: FactContext) -> str | None:
    """The zone of the report's dateline place ("WASHINGTON (Reuters) -"), when known."""
    frame = context.recognition.frame
    if frame is None or not frame.place:
        return None
    for place in (frame.place, frame.place.title()):  # "WASHINGTON" is written in capitals
        for found in context.gazetteer.find(place):
            if isinstance(found.entry, Actor) and found.entry.timezone:
                return found.entry.timezone
    return None
