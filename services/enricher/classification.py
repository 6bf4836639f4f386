"""The article's news, decided at article level.

Sentences say what they say of launches (`reading`); the article is then
classified as a whole: a launch that happened, or, with the reason kept in
`rejected_as`, a reaction, a plan, a denial, a ground test, civil or commercial
space, history, or no launch at all. Each reason is one classifier in a registry,
tried in order, so a new kind of story is one entry, not another branch.
"""

from __future__ import annotations

from datetime import date, timedelta

from schemas import Modality
from services.enricher import cues
from services.enricher.dates import Precision
from services.enricher.gazetteer import Weapon
from services.enricher.reading import HISTORY_DAYS, Reading

LEAD_SENTENCES = 6
"""Where an article states its news: the title and its first sentences."""

COMMERCIAL_LEAD = 3
"""A space operator named in the title or the first sentences makes the article space news."""


def looks_back(readings: list[Reading], primary: Reading, published: date) -> bool:
    """An article about the past: no recent date for its launch, and it signals the past.

    Only the lead's and the launch's own dates count: a history paragraph further
    down, or a system tested weeks before named in passing, does not make the news
    old, and a lead in the news tense ("has fired") needs no day to be news.
    """
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
    lead = [r for r in readings if _in_lead(r)]
    if any(cues.PAST_FRAME.search(r.sentence.text) for r in lead):
        return True
    if primary in lead and cues.NEWS_TENSE.search(primary.sentence.text):
        return False  # "North Korea has fired...": news told without its day
    scope = [*lead, primary]
    past_year = any(
        m.day is not None
        and not m.is_report_date
        and m.precision <= Precision.MONTH
        and m.day.year < published.year
        for r in scope
        for m in r.dates
    )
    old_day = any(
        m.day is not None and not m.is_report_date and m.day < recent
        for r in scope
        for m in r.dates
    )
    return past_year or old_day or any(cues.PAST_FRAME.search(r.sentence.text) for r in readings)


def _in_lead(reading: Reading) -> bool:
    """The title or the first sentences, where "said on Friday" dates the news."""
    return not reading.in_text or reading.sentence.index < COMMERCIAL_LEAD


def frame_rejection(readings: list[Reading], primary: Reading) -> Modality | None:
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
    contrary = [r.modality for r in frame if r.modality is not None and _firm(r)]
    return contrary[0] if contrary else None


def _firm(reading: Reading) -> bool:
    """A reason strong enough to overrule a launch stated below it.

    A bare "test", or a named missile's test that "showcases readiness", is not:
    only a plan, a denial, the past, another sense of launch, a ground test, space
    news, or a parade, film or deal with no missile of its own named is.
    """
    if reading.modality is not Modality.NOT_A_LAUNCH:
        return True
    text = reading.sentence.text
    return bool(
        reading.commercial
        or cues.STRONG_NOT_LAUNCH.search(text)
        or cues.OTHER_SENSE.search(text)
        or cues.SHOT_DOWN.search(text)
        or (cues.CONTEXT_NOT_LAUNCH.search(text) and not _names_weapon(reading))
    )


def _names_weapon(reading: Reading) -> bool:
    return any(
        isinstance(f.entry, Weapon)
        and not f.entry.descriptive
        and str(f.entry.missile_type) != "space-launch"
        for f in reading.weapons()
    )


def rejection(readings: list[Reading]) -> Modality | None:
    """Why launch language did not make a report: the reason its first occurrence gives."""
    reasons = [r.modality for r in readings if r.modality is not None]
    if not reasons:
        has_language = any(r.launch_language or r.about_missile for r in readings)
        return Modality.NOT_A_LAUNCH if has_language else None
    lead = [r.modality for r in readings[: LEAD_SENTENCES + 1] if r.modality is not None]
    if Modality.NOT_A_LAUNCH in lead[:2]:
        return Modality.NOT_A_LAUNCH
    return lead[0] if lead else reasons[0]
