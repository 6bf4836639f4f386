"""Is this article a launch report? Sentence by sentence, then for the article.

Each sentence is read for launch language and its modality: a launch that
happened (the news), one planned or threatened, one denied, one long past, or
another sense of "launch" (a phone, a parade, a purchase, an engine test). An
article is a launch report when a launch that happened is its lead, or recurs
through it; other recent launches named beside it ("days after it fired...")
are kept as passing mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas import EntityKind, Modality
from services.enricher import cues
from services.enricher.dates import DateMention, DateResolver, Precision
from services.enricher.gazetteer import Found, Gazetteer, Site, Weapon
from services.enricher.sentences import Sentence

HISTORY_DAYS = 14
"""A launch dated further back than this before publication is background."""

LEAD_SENTENCES = 6
"""Where an article states its news: the title and its first sentences."""

COMMERCIAL_LEAD = 3
"""A space operator named in the title or the first sentences makes the article space news."""


@dataclass
class Reading:
    """What one sentence (or the title) says about launches."""

    sentence: Sentence
    in_text: bool
    """False for a title that is not part of the article text: no spans from it."""
    founds: list[Found]
    dates: list[DateMention]
    launch_language: bool = False
    about_missile: bool = False
    modality: Modality | None = None
    realis_at: int | None = None
    """Where the first launch word that states a launch happened begins."""
    passing_at: int | None = None
    """Where an "earlier launch" cue ("days after") before a launch word begins."""
    commercial: bool = False

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
            and not self._is_interceptor(found)
        ]

    def _suffix(self, position: int) -> str:
        start = self.sentence.start
        return self.sentence.text[position - start : position - start + 60]

    def _is_interceptor(self, found: Found) -> bool:
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

    @property
    def is_report(self) -> bool:
        return self.primary is not None


def read_sentence(
    sentence: Sentence,
    in_text: bool,
    founds: list[Found],
    resolver: DateResolver,
    gazetteer: Gazetteer,
) -> Reading:
    """Classifies one sentence's launch language."""
    text = sentence.text
    reading = Reading(sentence, in_text, founds, resolver.mentions(text, sentence.start))
    excluded = [m.span() for m in cues.NOT_LAUNCH_NOUN.finditer(text)]
    excluded += [m.span() for m in cues.OTHER_SENSE.finditer(text)]
    excluded += [m.span() for m in cues.SHOT_DOWN.finditer(text)]
    triggers = [
        m for m in cues.TRIGGER.finditer(text) if not any(s <= m.start() < e for s, e in excluded)
    ]
    triggers += list(cues.STRIKE.finditer(text))
    triggers.sort(key=lambda m: m.start())
    reading.launch_language = bool(cues.TRIGGER.search(text)) or bool(triggers)
    reading.about_missile = bool(
        cues.MISSILE.search(text)
        or any(f.kind is EntityKind.WEAPON or _is_launch_site(f) for f in founds)
    )
    reading.commercial = bool(gazetteer.operators_in(text))
    if not reading.about_missile or (reading.launch_language and not triggers):
        # Only other senses of "launch" (a phone, a warship, a launch tube), or a
        # launch window or pad named with what is coming.
        if (
            reading.launch_language
            and cues.LAUNCH_OCCASION.search(text)
            and cues.PLAN_WORDS.search(text)
        ):
            reading.modality = Modality.PLANNED
        else:
            reading.modality = Modality.NOT_A_LAUNCH if reading.launch_language else None
        return reading
    if reading.commercial or cues.STRONG_NOT_LAUNCH.search(text):
        reading.modality = Modality.NOT_A_LAUNCH
        return reading
    realis, planned, negated = _trigger_statuses(text, triggers)
    if not in_text or sentence.index < 0:
        future = cues.HEADLINE_FUTURE.search(text)
        if future and (realis is None or future.start() <= realis):
            reading.modality = Modality.PLANNED
            return reading
    if cues.DENIAL.search(text) or (triggers and negated == len(triggers)):
        reading.modality = Modality.NEGATED
        return reading
    old = _is_old(reading.dates, resolver.publication_day())
    if realis is not None:
        reading.realis_at = sentence.start + realis
        reading.passing_at = _passing_cue(reading, triggers)
        if cues.HISTORICAL.search(text) or old:
            reading.modality = Modality.HISTORICAL
        return reading
    if planned:
        reading.modality = Modality.PLANNED
    elif cues.HISTORICAL.search(text) or old:
        reading.modality = Modality.HISTORICAL
    elif cues.CONTEXT_NOT_LAUNCH.search(text):
        reading.modality = Modality.NOT_A_LAUNCH
    if reading.modality is None:
        reading.passing_at = _passing_cue(reading, triggers)
    return reading


def _looks_back(readings: list[Reading], primary: Reading, published: date) -> bool:
    """An article about the past: no recent date for its launch, and it signals the past."""
    recent = published - timedelta(days=HISTORY_DAYS)
    for reading in readings:
        if reading.modality is not None and reading is not primary:
            continue
        if cues.POSSESSIVE_DAY.search(reading.sentence.text):
            return False
        if reading is not primary and not (reading.is_candidate or reading.about_missile):
            continue
        for mention in reading.dates:
            if (
                mention.day is not None
                and mention.precision >= Precision.VAGUE
                and recent <= mention.day <= published + timedelta(days=1)
                and (not mention.is_report_date or _in_lead(reading))
            ):
                return False
    past_year = any(
        m.day is not None
        and not m.is_report_date
        and m.precision <= Precision.MONTH
        and m.day.year < published.year
        for r in readings
        for m in r.dates
    )
    old_day = any(
        m.day is not None and not m.is_report_date and m.day < recent
        for r in readings
        for m in r.dates
    )
    return past_year or old_day or any(cues.PAST_FRAME.search(r.sentence.text) for r in readings)


def _in_lead(reading: Reading) -> bool:
    """The title or the first sentences, where "said on Friday" dates the news."""
    return not reading.in_text or reading.sentence.index < COMMERCIAL_LEAD


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
    while "days after" still points at an earlier launch.
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
        if headline and word in ("after", "following") and not cues.TIME_SPAN_BEFORE.search(before):
            continue
        if any(t.start() > cue.start() for t in triggers):
            return start + cue.start()
    return None


def _trigger_statuses(text: str, triggers: list[re.Match[str]]) -> tuple[int | None, int, int]:
    """(position of the first trigger stating a launch happened, planned count, negated count)."""
    realis: int | None = None
    planned = negated = 0
    anchored = bool(cues.REALIS.search(text))
    for trigger in triggers:
        prefix = text[max(0, trigger.start() - 80) : trigger.start()]
        if cues.NEGATED.search(prefix):
            negated += 1
            continue
        if cues.PLANNED.search(prefix) or cues.INFINITIVE.search(prefix):
            planned += 1
            continue
        word = trigger.group().lower()
        is_verb = trigger.re is cues.STRIKE or bool(cues.VERB_TRIGGER.fullmatch(word))
        if is_verb and word.endswith("s") and cues.NOUN_BEFORE.search(prefix):
            is_verb = False  # "missile launches", "including practice launches"
        dated = bool(cues.DATED_LAUNCH.search(prefix))
        if realis is None and (is_verb or anchored or dated):
            realis = trigger.start()
    return realis, planned, negated


def _is_old(dates: list[DateMention], published: date | None) -> bool:
    """Whether the sentence dates its launch long before publication.

    A recent day ("on Wednesday") wins over an old date in a side clause ("the
    first deaths since the group began attacking shipping in November").
    """
    if published is None:
        return False
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


def recognise(readings: list[Reading], published: date | None = None) -> Recognition:
    """Decides whether the article reports a launch, and which sentences speak of it.

    `published` (the publication day) lets an article about the past be told from
    news: a launch no sentence dates recently, in an article that speaks of an
    anniversary, a hearing, an opinion or an earlier year, is history.
    """
    result = Recognition(readings)
    candidates = [r for r in readings if r.is_candidate]
    lead = [r for r in candidates if r.sentence.index < LEAD_SENTENCES or not r.in_text]
    primary = next((r for r in lead if _leads_with_news(r)), None)
    if primary is None and len(candidates) >= 3:
        primary = next((r for r in candidates if _leads_with_news(r)), None)
    if primary is not None:
        overruled = _frame_rejection(readings, primary)
        if overruled is not None:
            result.rejected_as = overruled
            result.mentions = [r for r in readings if _is_mention_like(r)]
            return result
    if primary is None:
        result.rejected_as = _rejection(readings)
        result.mentions = [r for r in readings if _is_mention_like(r)]
        return result
    if published is not None and _looks_back(readings, primary, published):
        result.rejected_as = Modality.HISTORICAL
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
            if _is_other_launch(reading, primary_day.day if primary_day else None, primary_type):
                result.mentions.append(reading)
            else:
                result.event.append(reading)
        elif reading.modality is Modality.HISTORICAL and reading.realis_at is not None:
            result.mentions.append(reading)
        previous = reading
    return result


def _frame_rejection(readings: list[Reading], primary: Reading) -> Modality | None:
    """Why the headline and first sentence overrule a launch stated later, if they do.

    The news is what the headline and lede say. When they speak of launches only
    as denied, planned, past or in another sense, and no launch that happened is
    stated there, a launch stated further down is background ("the missile had
    been fired by Ukrainian air defences" under "Russia denies firing missile").
    Space news: a commercial or civil operator named at the top, with no weapon
    named where the launch is stated, makes the article about a space flight.
    """
    top = [r for r in readings if not r.in_text or r.sentence.index < COMMERCIAL_LEAD]
    if any(r.commercial for r in top) and not _names_weapon(primary):
        return Modality.NOT_A_LAUNCH
    frame = [r for r in readings if not r.in_text or r.sentence.index == 0]
    if primary in frame or any(r.is_candidate for r in frame):
        return None
    contrary = [r.modality for r in frame if r.modality is not None]
    return contrary[0] if contrary else None


def _names_weapon(reading: Reading) -> bool:
    return any(
        isinstance(f.entry, Weapon)
        and not f.entry.descriptive
        and str(f.entry.missile_type) != "space-launch"
        for f in reading.weapons()
    )


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


def _is_other_launch(reading: Reading, day: date | None, kind: str | None) -> bool:
    if reading.passing_at is not None:
        return True
    mention = reading.best_day()
    if day and mention and mention.day and abs((mention.day - day).days) > 1:
        return True
    if reading.is_candidate and kind:
        other = _specific_type(reading.weapons())
        if other and not compatible_types(other, kind):
            return True
    return False


def _is_mention_like(reading: Reading) -> bool:
    return reading.realis_at is not None and reading.modality in (None, Modality.HISTORICAL)


def _rejection(readings: list[Reading]) -> Modality | None:
    """Why launch language did not make a report: the reason its first occurrence gives."""
    reasons = [r.modality for r in readings if r.modality is not None]
    if not reasons:
        has_language = any(r.launch_language or r.about_missile for r in readings)
        return Modality.NOT_A_LAUNCH if has_language else None
    lead = [r.modality for r in readings[: LEAD_SENTENCES + 1] if r.modality is not None]
    if Modality.NOT_A_LAUNCH in lead[:2]:
        return Modality.NOT_A_LAUNCH
    return lead[0] if lead else reasons[0]


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
