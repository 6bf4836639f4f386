"""Resolving the dates a report speaks of into calendar dates at the launch site.

News dates launches relative to the day it is published ("on Tuesday", "early
Sunday", "yesterday") or by calendar ("on Oct. 22"). A launch date is the local
calendar date where the missile flew, so relative words are read against the
publication time in the launch site's time zone, and a time given in another zone
("at 23:00 UTC") moves the date to what the clock showed at the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_DAY = re.compile(
    _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
)
_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH
    + r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MONTH_YEAR = re.compile(
    r"\b(?i:in|since|of|from|during)\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d{2}))?\b"
)
_YEAR = re.compile(r"\b(?i:in|since|of|from|during|back in|until)\s+(?P<year>(?:19|20)\d{2})\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<last>(?i:last|this past|past))\s+)?"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
)
_RELATIVE_DAY = re.compile(
    r"\b(?:(?P<yesterday>yesterday|last night)|(?P<today>today|tonight|this morning|this afternoon"
    r"|this evening|earlier today|hours (?:before|after|ahead of)|hours ago|overnight)"
    r"|(?P<ago>(?P<n>\d+|two|three|four|five|six) days ago))\b",
    re.IGNORECASE,
)
_ZONED_TIME = re.compile(
    r"\b(?P<hour>\d{1,2})(?::?(?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?\s*"
    r"\(?(?P<zone>UTC|GMT|KST|JST|EST|EDT|ET|PST|PDT|PT|MSK|IST|CET|CEST)\)?"
)
ZONES = {
    "UTC": "UTC", "GMT": "UTC", "KST": "Asia/Seoul", "JST": "Asia/Tokyo",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "MSK": "Europe/Moscow", "IST": "Asia/Kolkata", "CET": "Europe/Paris", "CEST": "Europe/Paris",
}  # fmt: skip
_PRIOR_DAY = re.compile(
    r"\b(?:the\s+(?:day|night|evening)\s+before|a\s+day\s+(?:earlier|before)"
    r"|the\s+previous\s+(?:day|night|evening)|the\s+(?:day|night)\s+prior)\b",
    re.IGNORECASE,
)
""""The day before": the day before the saying, when the sentence dates a saying, else the
day before the report."""
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SAYING = r"(?:said|says|reported|reports|announced|announces|stated|claimed|confirmed|revealed)"
_SAID_BEFORE = re.compile(
    r"(?:" + _SAYING + r"|\baccording to\s+(?:[\w\-.'\u2019]+\s+){1,5}?"
    r"|\b(?:statement|briefing|conference|announcement|interview|address)\s)\s*(?:on\s+)?$"
)
_SAID_AFTER = re.compile(r"^\s+(?:it\s+)?" + _SAYING + r"\b")
""""The ministry on Tuesday said": the day dates the saying. Behind a comma ("fired on
Tuesday, said the army", "... destroyed" late Wednesday, said a spokesman") the day
closes the clause that was said, and dates what happened."""
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'/\-]*(?:,\s*[A-Z][\w .'\-]*)?,\s*$")
""""SEOUL, May 28 (Agency) -": the date a dateline gives is when the story was filed."""
_DATELINE_AFTER = re.compile(
    r"^\.?\s*(?:\([A-Z][^()]{1,40}\)|/[A-Z][^/]{1,30}/\.?)\s*(?:--|\u2014|\u2013|-\s|:)"
)
""""Jan. 23 (Agency) --" opening a sentence: a dateline left in the text."""
_BACKGROUND_BEFORE = re.compile(
    r"\b(?:since|until|till|prior to)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?$", re.IGNORECASE
)
""""The first launch since Nov. 9": a day the sentence measures from, not its own."""
_DEADLINE_AFTER = re.compile(
    r"\s*(?:year-end\s+)?(?:deadline|ultimatum|cut-?off|target\s+date)s?\b", re.IGNORECASE
)
""""The Dec. 31 deadline": a day named as a deadline is set for later; it dates no launch,
and makes no story look back to last year."""
_WEEKDAY_SPAN = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*(?:-|\u2013|/|to|into)\s*"
    r"(?=(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
""""Overnight Monday-Tuesday": the night ends on the second day, when launches in the
small hours are fired."""


class Precision(IntEnum):
    """How precisely a phrase pins down a day; the most precise phrase wins."""

    YEAR = 0  # "in 2017": only says the launch is history
    MONTH = 1  # "in May"
    VAGUE = 2  # "hours before", "this morning": the publication day
    RELATIVE = 3  # "on Tuesday", "yesterday"
    CALENDAR = 4  # "on Oct. 22", "October 28, 2025"


@dataclass(frozen=True)
class DateMention:
    """A phrase naming a day, and the local calendar day it resolves to."""

    start: int
    end: int
    text: str
    day: date | None
    precision: Precision
    is_report_date: bool = False
    """Dates the saying, not the launch: "said on Friday", "reported Sunday"."""
    is_background: bool = False
    """A day the sentence measures from ("since Nov. 9"), not the day it reports."""


Matches = tuple[re.Match[str], ...]


@dataclass(frozen=True)
class _Phrases:
    """The date phrases of one text, found once whatever zone they are read in."""

    iso: Matches
    calendar: Matches
    weekday_spans: Matches
    weekdays: Matches
    relative: Matches
    prior: Matches
    month_years: Matches
    years: Matches
    zoned: Matches


@lru_cache(maxsize=256)
def _phrases(text: str) -> _Phrases:
    """Finding the phrases is most of the cost, and every sentence is read twice: for its
    modality in UTC and for the launch date at the site. The cache holds about one
    article's sentences."""
    digits = _DIGIT.search(text) is not None  # most sentences name no day at all
    days = "day" in text  # in every weekday's name
    return _Phrases(
        iso=tuple(_ISO.finditer(text)) if digits else (),
        calendar=(*_MONTH_DAY.finditer(text), *_DAY_MONTH.finditer(text)) if digits else (),
        weekday_spans=tuple(_WEEKDAY_SPAN.finditer(text)) if days else (),
        weekdays=tuple(_WEEKDAY.finditer(text)) if days else (),
        relative=tuple(_RELATIVE_DAY.finditer(text)),
        prior=tuple(_PRIOR_DAY.finditer(text)),
        month_years=tuple(_MONTH_YEAR.finditer(text)),
        years=tuple(_YEAR.finditer(text)) if digits else (),
        zoned=tuple(_ZONED_TIME.finditer(text)) if digits else (),
    )


_DIGIT = re.compile(r"\d")


class DateResolver:
    """Reads date phrases against one publication time, in the launch site's zone.

    `reference`: the day the report was written, when it says so (a dateline's
    date); relative words ("yesterday", "on Tuesday") are read against it rather
    than against a later publication of the same copy.
    """

    def __init__(
        self, published_at: datetime | None, timezone: str | None, *, reference: date | None = None
    ) -> None:
        self.zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
        self.published_at = published_at
        self.publication = published_at.astimezone(self.zone).date() if published_at else None
        self.published = reference or self.publication

    def mentions(self, text: str, offset: int = 0) -> list[DateMention]:
        """Every date phrase in `text` (which starts at `offset` in the article)."""
        found: list[DateMention] = []
        taken: list[tuple[int, int]] = []

        def add(match: re.Match[str], day: date | None, precision: Precision) -> None:
            start, end = match.span()
            if any(start < e and end > s for s, e in taken):
                return
            taken.append((start, end))
            before = text[max(0, start - 48) : start]
            report = bool(
                _SAID_BEFORE.search(before)
                or _SAID_AFTER.match(text[end : end + 20])
                or (offset == 0 and _DATELINE.match(text[:start]))
                or (
                    (not text[:start].strip() or _DATELINE.match(text[:start]))
                    and _DATELINE_AFTER.match(text[end:])
                )
            )
            background = bool(_BACKGROUND_BEFORE.search(before))
            if _DEADLINE_AFTER.match(text, end):
                day = None  # a day set for later, neither the launch's nor a past one
            found.append(
                DateMention(
                    offset + start, offset + end, match.group(), day, precision, report, background
                )
            )

        phrases = _phrases(text)
        for match in phrases.iso:
            # Numeric dates in news text are datelines and time stamps: when it was written.
            day = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
            taken.append(match.span())
            found.append(
                DateMention(
                    offset + match.start(),
                    offset + match.end(),
                    match.group(),
                    day,
                    Precision.CALENDAR,
                    True,
                )
            )
        for match in phrases.calendar:
            add(match, self._calendar(match), Precision.CALENDAR)
        for span in phrases.weekday_spans:
            taken.append(span.span())  # the first day of "Monday-Tuesday"
        for match in phrases.weekdays:
            add(match, self._weekday(match["weekday"], bool(match["last"])), Precision.RELATIVE)
        for match in phrases.relative:
            add(
                match,
                self._relative(match),
                Precision.RELATIVE if not match["today"] else Precision.VAGUE,
            )
        for match in phrases.prior:
            add(match, self._before(self.published), Precision.RELATIVE)
        for match in phrases.month_years:
            add(match, self._month(match), Precision.MONTH)
        for match in phrases.years:
            add(match, _safe_date(int(match["year"]), 1, 1), Precision.YEAR)
        said = next((m.day for m in found if m.is_report_date and m.day), None)
        if said is not None:
            found = [
                replace(m, day=self._before(said)) if _PRIOR_DAY.fullmatch(m.text) else m
                for m in found
            ]
        zoned = list(phrases.zoned)
        if zoned:
            found = [self._zoned(mention, zoned, text, offset) for mention in found]
        return sorted(found, key=lambda mention: mention.start)

    def _zoned(
        self, mention: DateMention, zoned: list[re.Match[str]], text: str, offset: int
    ) -> DateMention:
        """The mention read at the site, unless its zoned time is only an equivalent.

        "At 7:10 a.m. (2210 GMT Wednesday) on Thursday": the time in brackets restates
        the local time in another zone, so a day outside the brackets is already local;
        a day inside them is read in the bracket's zone.
        """
        start = mention.start - offset
        for match in zoned:
            opening = text.rfind("(", 0, match.start())
            closing = text.find(")", match.end())
            bracketed = opening != -1 and ")" not in text[opening : match.start()] and closing != -1
            if not bracketed or opening < start < closing:
                return self._at_site(mention, match)
        return mention

    def _writer_shift(self, zone: ZoneInfo) -> timedelta:
        """How far the publication day in the writer's `zone` is from the site's; none
        when relative days are read against a dateline's day, already the writer's."""
        if self.published_at is None or self.published != self.publication:
            return timedelta(0)
        assert self.publication is not None
        return self.published_at.astimezone(zone).date() - self.publication

    def publication_day(self) -> date | None:
        """The publication date at the launch site."""
        return self.publication

    def _calendar(self, match: re.Match[str]) -> date | None:
        month = _MONTHS[match["month"][:3].lower()]
        day = int(match["day"])
        if match["year"]:
            return _safe_date(int(match["year"]), month, day)
        if self.published is None:
            return None
        candidate = _safe_date(self.published.year, month, day)
        if candidate and candidate > self.published + timedelta(days=1):
            candidate = _safe_date(self.published.year - 1, month, day)
        return candidate

    def _month(self, match: re.Match[str]) -> date | None:
        month = _MONTHS[match["month"][:3].lower()]
        if match["year"]:
            return _safe_date(int(match["year"]), month, 1)
        if self.published is None:
            return None
        year = self.published.year if month <= self.published.month else self.published.year - 1
        return _safe_date(year, month, 1)

    def _weekday(self, name: str, last: bool) -> date | None:
        if self.published is None:
            return None
        back = (self.published.weekday() - _WEEKDAYS.index(name.lower())) % 7
        if back == 0 and last:
            back = 7
        if back == 6 and not last:
            # The day after publication at the site: a copy dated where the day is
            # not over yet ("Thursday" in a US copy of Wednesday evening).
            return self.published + timedelta(days=1)
        return self.published - timedelta(days=back)

    @staticmethod
    def _before(day: date | None) -> date | None:
        return day - timedelta(days=1) if day else None

    def _relative(self, match: re.Match[str]) -> date | None:
        if self.published is None:
            return None
        if match["yesterday"]:
            return self.published - timedelta(days=1)
        if match["ago"]:
            number = match["n"].lower()
            days = int(number) if number.isdigit() else _SMALL_NUMBERS[number]
            return self.published - timedelta(days=days)
        return self.published

    def _at_site(self, mention: DateMention, zoned: re.Match[str]) -> DateMention:
        """A day given with a clock time in another zone, as the site's calendar shows it.

        A relative day ("today at 1:17 p.m. EST", "on Tuesday at 9 p.m. ET") is the
        writer's, counted from publication in the clock's zone, not at the site: a
        Washington "today" may already be tomorrow in Pyongyang.
        """
        if mention.day is None or mention.precision < Precision.VAGUE:
            return mention
        day = mention.day
        if mention.precision < Precision.CALENDAR:
            day += self._writer_shift(ZoneInfo(ZONES[zoned["zone"]]))
        hour = int(zoned["hour"])
        ampm = (zoned["ampm"] or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            return mention
        clock = time(hour, int(zoned["minute"] or 0))
        instant = datetime.combine(day, clock, ZoneInfo(ZONES[zoned["zone"]]))
        local = instant.astimezone(self.zone).date()
        return DateMention(
            mention.start,
            mention.end,
            mention.text,
            local,
            mention.precision,
            mention.is_report_date,
        )


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
