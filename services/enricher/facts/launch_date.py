"""The launch date: the most precise date phrase about the launch, at the launch site.

The saying date ("KCNA said on Friday") stands in only when nothing dates the
launch itself; with no date at all, the report is taken to be of the day it was
published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from schemas import Span
from services.enricher import cues, frame_cues
from services.enricher.dates import DateMention, DateResolver, Precision
from services.enricher.facts.context import Fact, FactContext, launch_limit, other_class, span
from services.enricher.facts.mentions import extract_mentions
from services.enricher.recognition import Reading, compatible_types, specific_type

RECENT_DAYS = 10
"""A calendar date outside the launch sentences dates the launch only this close to
publication."""


def extract(context: FactContext) -> Fact[date] | None:
    """The local calendar date of the launch."""
    resolver = _resolver(context)
    event = context.event
    best: tuple[Reading, DateMention] | None = None
    fallback: tuple[Reading, DateMention] | None = None
    taken: frozenset[date] | None = None  # read only when a later sentence gives a day
    for reading in event:
        sentence = reading.sentence
        if reading is not event[0] and (
            not (
                reading.is_candidate
                or cues.TRIGGER.search(sentence.text)
                or _FLIGHT.search(sentence.text)
            )
            or other_class(context, reading)
        ):
            continue
        dated: DateMention | None = None
        for mention in resolver.mentions(sentence.text[: launch_limit(reading)], sentence.start):
            if mention.day is None or mention.precision < Precision.VAGUE or mention.is_background:
                continue
            if reading is not event[0]:
                if _too_old(resolver, mention.day):
                    continue  # "its ninth test on March 5": an earlier launch
                if not reading.is_candidate:
                    taken = _days_of_others(context) if taken is None else taken
                    if mention.day in taken:
                        continue  # "last Friday's missiles flew", named before as another
            if mention.is_report_date:
                if fallback is None or mention.precision > fallback[1].precision:
                    fallback = (reading, mention)
            elif dated is None or mention.precision > dated.precision:
                dated = mention
        if dated is None:
            continue
        if best is None or dated.precision > best[1].precision:
            best = (reading, dated)
        if not _HOURS.search(best[1].text):
            break  # the first sentence that dates the launch decides
    if best is None:
        kind = next((k for r in event if (k := specific_type(r.weapons()))), None)
        others = [r for r in context.readings if r not in context.passing]
        taken = _days_of_others(context) if taken is None else taken
        best = _dated_elsewhere(others, resolver, kind, taken)
    chosen = best or fallback
    if chosen:
        reading, mention = chosen
        assert mention.day is not None
        return Fact(mention.day, span(reading, mention.start, mention.end, mention.text))
    filed = _filed(context)
    if filed is not None:
        return Fact(filed.day, filed.evidence)
    published = resolver.publication_day()
    return Fact(published) if published else None


_HOURS = re.compile(r"\bhours\b", re.IGNORECASE)
""""Hours before Trump landed" dates the launch only by another event: a later sentence
may still name the day."""

_FLIGHT = re.compile(
    r"\b(?:landed|fell|flew|crashed|splashed(?:\s+down)?|impacted|exploded|came down)\b",
    re.IGNORECASE,
)
"""A sentence about the flight ("On Wednesday, the missile landed in ...") dates it too."""

RECENT_LAUNCH_DAYS = 7
"""A day further back than this, in a sentence after the lead, is another launch's."""


def _too_old(resolver: DateResolver, day: date) -> bool:
    reference = resolver.published
    return reference is not None and (reference - day).days > RECENT_LAUNCH_DAYS


FILED_DAYS = 3
"""A dateline's date is the report's day when it is this close before publication."""


@dataclass(frozen=True)
class _Filed:
    day: date
    evidence: tuple[Span, ...]


def _filed(context: FactContext) -> _Filed | None:
    """The day the report was filed, from its dateline, when it is plausible."""
    frame = context.recognition.frame
    published = DateResolver(context.published_at, context.timezone).publication_day()
    if frame is None or frame.day is None or published is None:
        return None
    if not 0 <= (published - frame.day).days <= FILED_DAYS:
        return None
    return _Filed(frame.day, ())


def _resolver(context: FactContext) -> DateResolver:
    """Dates read at the site, relative words against the day the report was filed."""
    filed = _filed(context)
    return DateResolver(
        context.published_at, context.timezone, reference=filed.day if filed else None
    )


def _days_of_others(context: FactContext) -> frozenset[date]:
    """The days of the other launches the article names in passing ("three days after it
    fired the same missiles last Friday")."""
    mentioned = extract_mentions(context.recognition, context.published_at, context.timezone)
    return frozenset(m.launch_date for m in mentioned if m.launch_date is not None)


def _dated_elsewhere(
    readings: list[Reading], resolver: DateResolver, kind: str | None, taken: frozenset[date]
) -> tuple[Reading, DateMention] | None:
    """A recent day the article gives its launch outside the launch sentences.

    "Tuesday's attack" names the day of the attack wherever it stands; a calendar
    day ("on January 30") in a sentence about the missiles, not a plan or a passing
    mention, dates the launch when the launch sentences do not. A day that `taken`
    gives to another launch named in passing ("last Friday's missiles" after "three
    days after it fired the same missiles last Friday") is that launch's, not this one's.
    """
    published = resolver.publication_day()
    if published is None:
        return None
    readings = [r for r in readings if _same_kind(r, kind)]
    for reading in readings:
        base, text = reading.sentence.start, reading.sentence.text
        owned = frame_cues.POSSESSIVE_DAY.search(text)
        if owned and reading.passing_at is None:
            for mention in resolver.mentions(
                text[owned.start() : owned.end()], base + owned.start()
            ):
                if (
                    mention.day is not None
                    and mention.precision >= Precision.RELATIVE
                    and mention.day not in taken
                ):
                    return reading, mention
    for reading in readings:
        if reading.modality is not None or not reading.about_missile:
            if reading.modality is None and (dated := _told_day(reading, resolver, taken)):
                return reading, dated
            continue
        base, text = reading.sentence.start, reading.sentence.text
        for mention in resolver.mentions(text[: launch_limit(reading)], base):
            if (
                mention.day is not None
                and not mention.is_report_date
                and mention.precision == Precision.CALENDAR
                and 0 <= (published - mention.day).days <= RECENT_DAYS
                and mention.day not in taken
                and not _EARLIER_EVENT.search(text, 0, mention.start - base)
            ):
                return reading, mention
    return None


_EARLIER_EVENT = re.compile(
    r"\b(?:days?|weeks?|a\s+week|shortly|soon)\s+(?:after|since|following)\b"
    r"|\b(?:retaliat\w*|revenge|avenge\w*|in\s+response\s+to)\b",
    re.IGNORECASE,
)
"""A day told after "comes days after" or "in revenge for" is the earlier event's (the
strike being avenged), not the launch's."""


_TOOK_PLACE = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w\-]+\s+)?(?:incident|attack|launch|test|strike|firing|crash"
    r"|event)\s+(?:took\s+place|happened|occurred|was\s+(?:carried\s+out|conducted|launched))"
    r"\s+(?P<rest>.{0,40})",
    re.IGNORECASE,
)
"""A sentence that only dates the event it speaks of ("The incident took place on March
9, when an object was tracked"): no missile word, but the day is the launch's."""


def _told_day(
    reading: Reading, resolver: DateResolver, taken: frozenset[date]
) -> DateMention | None:
    """The recent day a "the incident took place on ..." sentence gives its event."""
    text = reading.sentence.text
    told = _TOOK_PLACE.search(text)
    published = resolver.publication_day()
    if told is None or published is None:
        return None
    start = reading.sentence.start + told.start("rest")
    for mention in resolver.mentions(told.group("rest"), start):
        if (
            mention.day is not None
            and not mention.is_report_date
            and mention.precision >= Precision.RELATIVE
            and 0 <= (published - mention.day).days <= RECENT_DAYS
            and mention.day not in taken
        ):
            return mention
    return None


def _same_kind(reading: Reading, kind: str | None) -> bool:
    """Whether a sentence can speak of the reported launch: no other type of missile."""
    other = specific_type(reading.weapons())
    return kind is None or other is None or compatible_types(kind, other)
