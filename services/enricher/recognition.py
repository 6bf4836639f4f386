"""Is this article a launch report? The lead, the sentences of its launch, and others.

An article is a launch report when a launch that happened is its lead, or recurs
through it; other recent launches named beside it ("days after it fired...")
are kept as passing mentions. Why an article is not a report is decided at
article level (`classification`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from schemas import Modality
from services.enricher import cues
from services.enricher.classification import (
    LEAD_SENTENCES,
    classify,
    headline_and_lede,
    reason,
)
from services.enricher.dates import DateMention, Precision
from services.enricher.furniture import ArticleFrame
from services.enricher.gazetteer import Found, Weapon
from services.enricher.reading import Reading, read_sentence

__all__ = [
    "Reading",
    "Recognition",
    "compatible_types",
    "named_day_apart",
    "read_sentence",
    "recognise",
    "specific_type",
]


@dataclass
class Recognition:
    """The article-level verdict and the sentences that carry it."""

    readings: list[Reading]
    primary: Reading | None = None
    event: list[Reading] = field(default_factory=list)
    """Sentences about the reported launch, the primary first."""
    mentions: list[Reading] = field(default_factory=list)
    """Sentences naming another launch in passing."""
    rejected_as: Modality | None = None
    frame: ArticleFrame | None = None
    """The report's dateline: where and when it was filed, never the launch's."""

    @property
    def is_report(self) -> bool:
        return self.primary is not None


def recognise(
    readings: list[Reading], published: date | None = None, *, frame: ArticleFrame | None = None
) -> Recognition:
    """Decides whether the article reports a launch, and which sentences speak of it.

    `published` (the publication day) lets an article about the past be told from
    news: a launch no sentence dates recently, in an article that speaks of an
    anniversary, a hearing, an opinion or an earlier year, is history.
    """
    result = Recognition(readings, frame=frame)
    top = headline_and_lede(readings)
    told_at_top = any(r.is_candidate for r in top)
    candidates = [r for r in readings if r.is_candidate and (told_at_top or _may_lead(r, top))]
    lead = [r for r in candidates if r.sentence.index < LEAD_SENTENCES or not r.in_text]
    primary = next((r for r in lead if _leads_with_news(r)), None)
    if primary is None and len(candidates) >= 3:
        primary = next((r for r in candidates if _leads_with_news(r)), None)
    if primary is None:
        result.rejected_as = reason(readings)
        result.mentions = [r for r in readings if _is_mention_like(r)]
        return result
    rejected = classify(readings, primary, published)
    if rejected is not None:
        result.rejected_as = rejected
        result.mentions = [r for r in readings if _is_mention_like(r)]
        return result
    result.primary = primary
    primary_day = primary.best_day()
    primary_type = _specific_type(primary.weapons(before=primary.passing_at))
    result.event.append(primary)
    previous: Reading | None = None
    for reading in readings:
        if reading is primary:
            previous = None
            continue
        continues_mention = (
            previous is not None
            and previous in result.mentions
            and previous.sentence.index + 1 == reading.sentence.index
            and bool(cues.ANAPHORA.search(reading.sentence.text))
        )
        if continues_mention:
            result.mentions.append(reading)
        elif reading.is_candidate or _speaks_of_launch(reading):
            if _is_other_launch(reading, primary_day, primary_type):
                result.mentions.append(reading)
            else:
                result.event.append(reading)
                # An undated headline's launch takes the first day its sentences give.
                primary_day = primary_day or reading.best_day()
        elif reading.modality is Modality.HISTORICAL and reading.realis_at is not None:
            result.mentions.append(reading)
        previous = reading
    return result


def _may_lead(reading: Reading, top: list[Reading]) -> bool:
    """Below a headline and lede that state no launch, a hedged launch noun ("likened
    China's suspected tests to ...", in an explainer or a profile) names a launch the
    article is not reporting; a verb or a plain noun ("declared a successful test")
    may still tell the news."""
    if reading in top or reading.told_by_verb or reading.realis_at is None:
        return True
    start = reading.realis_at - reading.sentence.start
    return not cues.HEDGED_BEFORE.search(reading.sentence.text[max(0, start - 40) : start])


def _speaks_of_launch(reading: Reading) -> bool:
    """Goes on about a launch: names a missile, or refers to "the test" of a report."""
    if reading.modality is None and reading.about_missile:
        return True
    text = reading.sentence.text
    return (
        not reading.about_missile
        and not reading.commercial
        and bool(cues.REFERENCE.search(text))
        and not cues.OTHER_SENSE.search(text)
        and not cues.STRONG_NOT_LAUNCH.search(text)
    )


def _leads_with_news(reading: Reading) -> bool:
    """A launch stated before any "days after its earlier launch" clause."""
    return reading.passing_at is None or (
        reading.realis_at is not None and reading.passing_at > reading.realis_at
    )


def _dates_news_first(reading: Reading, passing_at: int) -> bool:
    """States a launch, and gives it a day, before the clause about an earlier launch."""
    return (
        reading.realis_at is not None
        and reading.realis_at < passing_at
        and any(
            m.day is not None and m.end <= passing_at and not m.is_report_date
            for m in reading.dates
        )
    )


def _is_other_launch(reading: Reading, news: DateMention | None, kind: str | None) -> bool:
    """Speaks of another launch than the news: an earlier one named first ("days after
    its launch of ..."), another day or another type. A sentence that states its launch
    and dates before such a clause ("fired ... on Tuesday, less than a week after it
    launched ...") tells the news; "the tests came days after ..." tells the earlier one.

    Relative words ("yesterday", "last night") may be a day off the news's own day
    (read against another day, or across midnight); a launch stated on a day the
    article names outright ("On Wednesday it launched" beside the news's "on
    Thursday") is another launch."""
    if reading.passing_at is not None and not _dates_news_first(reading, reading.passing_at):
        return True
    mention = reading.best_day()
    day = news.day if news else None
    if day and mention and mention.day:
        gap = abs((mention.day - day).days)
        if gap > 1 or (reading.is_candidate and named_day_apart(reading, news)):
            return True
    if reading.is_candidate and kind:
        other = _specific_type(reading.weapons(before=reading.passing_at))
        if other and not compatible_types(other, kind):
            return True
    return False


_NAMED_DAY = re.compile(
    r"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
    r"|Oct|Nov|Dec|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


_OTHER_ZONE_BEFORE = re.compile(
    r"(?:\b(?:GMT|UTC|Zulu|[ECMP][SD]?T)|\btime|\d{4}\s*Z|[(/])[\s,]*(?:on\s+)?$", re.IGNORECASE
)
"""A day given with a clock time in another zone ("(2210 GMT on Wednesday)"): the same
moment as the local day beside it."""


def named_day_apart(reading: Reading, news: DateMention | None) -> bool:
    """The sentence names outright a day one off the day the news names outright."""
    mention = reading.best_day()
    if news is None or news.day is None or mention is None or mention.day is None:
        return False
    return (
        abs((mention.day - news.day).days) == 1
        and _named_day(reading, mention)
        and _named_day(None, news)
    )


def _named_day(reading: Reading | None, mention: DateMention) -> bool:
    """A day named outright (a weekday or a calendar date), not relative to another
    day nor the equivalent of a local time in another zone."""
    if mention.precision < Precision.RELATIVE or not _NAMED_DAY.search(mention.text):
        return False
    if reading is None:
        return True
    start = mention.start - reading.sentence.start
    return not _OTHER_ZONE_BEFORE.search(reading.sentence.text[max(0, start - 30) : start])


def _is_mention_like(reading: Reading) -> bool:
    return reading.realis_at is not None and reading.modality in (None, Modality.HISTORICAL)


_SPECIFICITY = {
    "hypersonic": 3,
    "cruise": 2,
    "surface-to-air": 2,
    "space-launch": 2,
    "artillery-rocket": 2,
    "ballistic": 1,
}


def _specific_type(weapons: list[Found]) -> str | None:
    """The missile type the named weapon gives, else the most specific description."""
    named = [f.entry for f in weapons if isinstance(f.entry, Weapon) and not f.entry.descriptive]
    if named:
        return str(named[0].missile_type) if str(named[0].missile_type) != "unknown" else None
    described = [f.entry for f in weapons if isinstance(f.entry, Weapon)]
    types = [str(w.missile_type) for w in described if str(w.missile_type) in _SPECIFICITY]
    return max(types, key=lambda t: _SPECIFICITY[t], default=None)


def compatible_types(one: str, other: str) -> bool:
    """Whether two reports' missile types can describe the same launch."""
    if "unknown" in (one, other) or one == other:
        return True
    return {one, other} <= {"ballistic", "hypersonic"}


specific_type = _specific_type
