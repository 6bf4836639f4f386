"""One sentence read for launch language, and what it says of the launch it names.

Each sentence is read for launch language and its modality: a launch that
happened (the news), one planned or threatened, one denied, one long past, or
another sense of "launch" (a phone, a parade, a purchase, an engine test). The
article-level verdict is drawn from these readings (`recognition`,
`classification`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas import EntityKind, Modality
from services.enricher import cues
from services.enricher.dates import DateMention, DateResolver, Precision
from services.enricher.gazetteer import Found, Gazetteer, Site, Weapon
from services.enricher.interception import negates_outcome
from services.enricher.sentences import Sentence

HISTORY_DAYS = 14
"""A launch dated further back than this before publication is background."""


@dataclass(eq=False)
class Reading:
    """What one sentence (or the title) says about launches."""

    sentence: Sentence
    in_text: bool
    """False for a title that is not part of the article text: no spans from it."""
    founds: list[Found]
    resolver: DateResolver = field(repr=False)
    """Reads the sentence's dates (in UTC: modality needs them only to within days)."""
    launch_language: bool = False
    about_missile: bool = False
    modality: Modality | None = None
    realis_at: int | None = None
    """Where the first launch word that states a launch happened begins."""
    told_by_verb: bool = False
    """The launch is stated by a finite verb ("fired", "hit"), not only by a noun
    anchored in the sentence ("China's suspected tests", "the launch came")."""
    passing_at: int | None = None
    """Where an "earlier launch" cue ("days after") before a launch word begins."""
    commercial: bool = False
    _dates: list[DateMention] | None = field(default=None, repr=False)

    @property
    def dates(self) -> list[DateMention]:
        """The sentence's date phrases, read the first time they are asked for.

        Most sentences of an article never need their dates (they name no launch),
        and reading dates is the dearest part of reading a sentence.
        """
        if self._dates is None:
            self._dates = self.resolver.mentions(self.sentence.text, self.sentence.start)
        return self._dates

    @property
    def is_candidate(self) -> bool:
        """States that a launch happened, recently, in the missile sense."""
        return self.realis_at is not None and self.modality is None

    def weapons(self, *, after: int | None = None, before: int | None = None) -> list[Found]:
        return [
            found
            for found in self.founds
            if found.kind is EntityKind.WEAPON
            and (after is None or found.start >= after)
            and (before is None or found.start < before)
            and not cues.AGAINST.search(self._prefix(found.start))
            and not cues.NOT_THE_WEAPON_AFTER.match(self._suffix(found.end))
            and not self.is_interceptor(found)
        ]

    def _suffix(self, position: int) -> str:
        start = self.sentence.start
        return self.sentence.text[position - start : position - start + 60]

    def is_interceptor(self, found: Found) -> bool:
        """An air-defence weapon that intercepted what was fired ("Iron Dome intercepted
        rockets"), unless the sentence is about an interceptor test against a target."""
        entry = found.entry
        if not isinstance(entry, Weapon) or str(entry.missile_type) != "surface-to-air":
            return False
        text = self.sentence.text
        return bool(
            cues.INTERCEPTING_AFTER.match(self._suffix(found.end))
            and not cues.TEST_TARGET.search(text)
        )

    def _prefix(self, position: int) -> str:
        start = self.sentence.start
        return self.sentence.text[max(0, position - start - 60) : position - start]

    def best_day(self, *, report_dates: bool = False) -> DateMention | None:
        usable = [
            mention
            for mention in self.dates
            if mention.day is not None
            and mention.precision >= Precision.VAGUE
            and mention.is_report_date is report_dates
        ]
        return max(usable, key=lambda m: (m.precision, -m.start), default=None)


def read_sentence(
    sentence: Sentence,
    in_text: bool,
    founds: list[Found],
    resolver: DateResolver,
    gazetteer: Gazetteer,
    *,
    commercial: bool | None = None,
) -> Reading:
    """Classifies one sentence's launch language.

    `commercial` says whether a space operator is named in the sentence, when the
    caller has already looked (once for the whole article).
    """
    text = sentence.text
    lowered = text.lower()
    reading = Reading(sentence, in_text, founds, resolver)
    words = list(cues.TRIGGER.finditer(text)) if cues.has_any(lowered, cues.TRIGGER_STEMS) else []
    triggers: list[re.Match[str]] = []
    if words:  # other senses only matter where a launch word is
        excluded = [m.span() for m in cues.NOT_LAUNCH_NOUN.finditer(text)]
        excluded += [m.span() for m in cues.OTHER_SENSE.finditer(text)]
        excluded += [m.span() for m in cues.SHOT_DOWN.finditer(text)]
        triggers = [m for m in words if not any(s <= m.start() < e for s, e in excluded)]
    if cues.has_any(lowered, cues.STRIKE_STEMS):
        triggers += list(cues.STRIKE.finditer(text))
    triggers.sort(key=lambda m: m.start())
    reading.launch_language = bool(words) or bool(triggers)
    reading.about_missile = bool(
        (cues.has_any(lowered, cues.MISSILE_STEMS) and cues.MISSILE.search(text))
        or any(f.kind is EntityKind.WEAPON or _is_launch_site(f) for f in founds)
    )
    reading.commercial = bool(gazetteer.operators_in(text)) if commercial is None else commercial
    if not reading.about_missile or (reading.launch_language and not triggers):
        # Only other senses of "launch" (a phone, a warship, a launch tube), or a
        # launch window or pad named with what is coming.
        if reading.launch_language and (
            (cues.LAUNCH_OCCASION.search(text) and cues.PLAN_WORDS.search(text))
            or cues.LAUNCH_EXPECTED.search(text)
        ):
            reading.modality = Modality.PLANNED
        else:
            reading.modality = Modality.NOT_A_LAUNCH if reading.launch_language else None
        return reading
    if reading.commercial or cues.STRONG_NOT_LAUNCH.search(text):
        reading.modality = Modality.NOT_A_LAUNCH
        return reading
    realis, planned, negated, by_verb = _trigger_statuses(text, triggers)
    if not in_text or sentence.index < 0:
        future = cues.HEADLINE_FUTURE.search(text) or cues.POSTPONED.search(text)
        if future and (realis is None or future.start() <= realis):
            reading.modality = Modality.PLANNED
            return reading
    if cues.DENIAL.search(text) or (triggers and negated == len(triggers)):
        reading.modality = Modality.NEGATED
        return reading
    if realis is not None:
        reading.realis_at = sentence.start + realis
        reading.told_by_verb = by_verb
        reading.passing_at = _passing_cue(reading, triggers)
        if _historical(text) or _is_old(reading, resolver.publication_day()):
            reading.modality = Modality.HISTORICAL
        return reading
    if planned:
        reading.modality = Modality.PLANNED
    elif _historical(text) or _is_old(reading, resolver.publication_day()):
        reading.modality = Modality.HISTORICAL
    elif cues.CONTEXT_NOT_LAUNCH.search(text):
        reading.modality = Modality.NOT_A_LAUNCH
    if reading.modality is None:
        reading.passing_at = _passing_cue(reading, triggers)
    return reading


def _is_launch_site(found: Found) -> bool:
    """A launch facility (not a city or a sea) makes a sentence about launches."""
    return (
        found.kind is EntityKind.SITE
        and isinstance(found.entry, Site)
        and found.entry.kind == "site"
    )


def _passing_cue(reading: Reading, triggers: list[re.Match[str]]) -> int | None:
    """Where a cue for an earlier launch begins, if a launch word or weapon follows it.

    "Said earlier on Thursday" dates the saying; in a headline a bare "after"
    gives the cause of the news ("concern after Iran's Guards launch satellite"),
    and so does one before a launch noun in the lede ("urged residents to shelter
    after a North Korean missile launch"), while "days after" still points at an
    earlier launch.
    """
    start = reading.sentence.start
    text = reading.sentence.text
    headline = not reading.in_text or reading.sentence.index < 0
    for cue in cues.PASSING.finditer(text):
        if cues.SAME_LAUNCH_AFTER.match(text, cue.end()) or cues.SOON.search(text, 0, cue.start()):
            continue  # "exploded shortly after launch": the same flight
        word = cue.group().lower()
        before = text[max(0, cue.start() - 30) : cue.start()]
        if word == "earlier" and cues.SAYING_BEFORE.search(before):
            continue
        cause = headline or (
            reading.sentence.index <= 1 and bool(cues.CAUSE_AFTER.match(text, cue.end()))
        )
        if cause and word in ("after", "following") and not cues.TIME_SPAN_BEFORE.search(before):
            continue
        if any(t.start() > cue.start() for t in triggers):
            return start + cue.start()
    return None


def _trigger_statuses(
    text: str, triggers: list[re.Match[str]]
) -> tuple[int | None, int, int, bool]:
    """(position of the first trigger stating a launch happened, planned count, negated
    count, whether that trigger is a finite verb)."""
    realis: int | None = None
    by_verb = False
    planned = negated = 0
    postponed = bool(cues.POSTPONED.search(text))
    anchored = bool(cues.REALIS.search(text)) and not postponed
    failed = bool(cues.FAILURE.search(text))
    for trigger in triggers:
        prefix = text[max(0, trigger.start() - 80) : trigger.start()]
        negation = cues.NEGATED.search(prefix)
        if negation is not None and not negates_outcome(negation.group()):
            negated += 1
            continue
        if failed and cues.ATTEMPTED.search(prefix):
            if realis is None:  # "tried to launch, but failed"
                realis, by_verb = trigger.start(), True
            continue
        if (
            cues.PLANNED.search(prefix)
            or cues.INFINITIVE.search(prefix)
            or cues.PREMISE.search(prefix)
        ):
            planned += 1
            continue
        word = trigger.group().lower()
        is_verb = trigger.re is cues.STRIKE or bool(cues.VERB_TRIGGER.fullmatch(word))
        if is_verb and word.endswith("s") and cues.NOUN_BEFORE.search(prefix):
            is_verb = False  # "missile launches", "including practice launches"
        if not is_verb and _SCHEDULED_AFTER.match(text, trigger.end()):
            planned += 1  # "the launch of the ICBM ... is scheduled for a window"
            continue
        dated = bool(
            cues.DATED_LAUNCH.search(prefix)
            or cues.AFTER_NOUN.search(prefix)
            or (not postponed and cues.DATED_AFTER.match(text, trigger.end()))
        )
        if realis is None and (is_verb or anchored or dated):
            realis, by_verb = trigger.start(), is_verb
    return realis, planned, negated, by_verb


_SCHEDULED_AFTER = re.compile(
    r"[^.;:]{0,140}?\b(?:is|are)\s+(?:now\s+|still\s+)?(?:scheduled|set|planned|slated|due"
    r"|expected)\s+(?:for|to|between|on|at|in)\b",
    re.IGNORECASE,
)
"""A launch noun whose own verb sets it for later ("the launch of the ICBM, a component of
the deterrent, is scheduled for a window between midnight and 6 a.m."): a plan."""


def _historical(text: str) -> bool:
    """Speaks of launches long past, a record's "first since 2017" aside."""
    records = [m.span() for m in cues.FIRST_SINCE.finditer(text)]
    return any(
        not any(s <= m.start() < e for s, e in records) for m in cues.HISTORICAL.finditer(text)
    )


def _is_old(reading: Reading, published: date | None) -> bool:
    """Whether the sentence dates its launch long before publication.

    A recent day ("on Wednesday") wins over an old date in a side clause ("the
    first deaths since the group began attacking shipping in November"), and a
    record's year ("the first since 2017") measures the news, not its date.
    """
    if published is None:
        return False
    text, dates = reading.sentence.text, reading.dates
    if cues.FIRST_SINCE.search(text):
        dates = [m for m in dates if not m.text.lower().startswith("since")]
    recent = published - timedelta(days=HISTORY_DAYS)
    if any(
        m.day is not None
        and not m.is_report_date
        and m.precision >= Precision.RELATIVE
        and recent <= m.day <= published + timedelta(days=1)
        for m in dates
    ):
        return False
    for mention in dates:
        if mention.day is None or mention.is_report_date:
            continue
        if mention.precision == Precision.YEAR and mention.day.year < published.year:
            return True
        if mention.precision == Precision.MONTH and mention.day < published.replace(
            day=1
        ) - timedelta(days=HISTORY_DAYS):
            return True
        if mention.precision >= Precision.RELATIVE and mention.day < published - timedelta(
            days=HISTORY_DAYS
        ):
            return True
    return False
