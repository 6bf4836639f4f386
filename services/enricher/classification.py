"""The article's news, decided at article level.

Sentences say what they say of launches (`reading`); the article is then
classified as a whole: a launch that happened, or, with the reason kept in
`rejected_as`, a reaction, a plan, a denial, a ground test, civil or commercial
space, history, or no launch at all. Each reason is one classifier in a registry,
tried in order, so a new kind of story is one entry, not another branch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from schemas import Modality
from services.enricher import cues, frame_cues, premises
from services.enricher.dates import Precision
from services.enricher.interception import tests_interceptor
from services.enricher.reading import HISTORY_DAYS, Reading

LEAD_SENTENCES = 6
"""Where an article states its news: the title and its first sentences."""

COMMERCIAL_LEAD = 3
"""A space operator named in the title or the first sentences makes the article space news."""

RECAP_SENTENCES = 2
"""A reaction story may recap its launch in this many sentences and stay a reaction."""

REACTING_SENTENCES = 3
"""A story about a reaction speaks of reactions in at least this many sentences."""


@dataclass(frozen=True)
class Story:
    """The article as the classifiers see it: its readings and the launch it states."""

    readings: list[Reading]
    primary: Reading | None
    published: date | None

    @property
    def top(self) -> list[Reading]:
        """The headline and the first sentences, where the news is stated."""
        return [r for r in self.readings if _in_lead(r)]

    @property
    def leads(self) -> list[Reading]:
        """The headline and the first sentence of the text that speaks of launches."""
        speaking = [r for r in self.top if r.about_missile or r.launch_language]
        headline = [r for r in self.top[:1] if not r.in_text or r.sentence.index == 0]
        first = [r for r in speaking if r.in_text and r not in headline][:1]
        return headline + first


Classifier = Callable[[Story], bool]


def _civil_space(story: Story) -> bool:
    """A civil or commercial operator named at the top, and no missile of its own named,
    nor an interceptor test told (a state's space programme recalled beside it)."""
    if not any(r.commercial for r in story.top):
        return False
    primary = story.primary
    if primary is None:
        return not any(tests_interceptor(r.sentence.text) for r in story.leads)
    return not premises.names_missile(primary) and not tests_interceptor(primary.sentence.text)


def _ground_test(story: Story) -> bool:
    """An engine or motor fired on the ground at the top, and nothing said to fly."""
    told = [r for r in story.top if r.modality not in (Modality.NEGATED, Modality.PLANNED)]
    if not any(_ground_test_told(r.sentence.text) for r in told):
        return False
    flying = [story.primary] if story.primary is not None else []
    return not any(frame_cues.FLIGHT.search(r.sentence.text) for r in flying)


def _ground_test_told(text: str) -> bool:
    """A ground test the sentence says took place: not "there have been no engine tests"."""
    return any(
        not cues.NEGATED.search(text[max(0, m.start() - 80) : m.start()])
        for m in frame_cues.GROUND_TEST.finditer(text)
    )


def _contested(story: Story) -> bool:
    """The launch a claim speaks of is contradicted at the top ("claim bogus")."""
    return any(frame_cues.CONTESTED.search(r.sentence.text) for r in story.top)


def _reaction(story: Story) -> bool:
    """The news is a reaction to launches or their aftermath, which only recaps them."""
    return _led_by_reaction(story) or _aftermath(story)


def _led_by_reaction(story: Story) -> bool:
    """The news is a reaction to launches, which are only recapped.

    The headline (or first sentence) leads with the reaction, a condemnation, a
    Council meeting, sanctions or a rally; the story goes on about reactions, and
    at most `RECAP_SENTENCES` sentences state a launch outside one.
    """
    if not any(_leads_with_reaction(r) for r in story.leads):
        return False
    reacting = [r for r in story.readings if frame_cues.REACTION.search(r.sentence.text)]
    told = [
        r
        for r in story.readings
        if r.is_candidate and not frame_cues.REACTION.search(r.sentence.text)
    ]
    launched = any(r.realis_at is not None for r in story.readings)
    return launched and len(reacting) >= REACTING_SENTENCES and len(told) <= RECAP_SENTENCES


def _leads_with_reaction(reading: Reading) -> bool:
    """A reaction before any launch the sentence states ("the Council condemned the test")."""
    cue = frame_cues.REACTION.search(reading.sentence.text)
    if cue is None:
        return False
    realis = reading.realis_at - reading.sentence.start if reading.realis_at is not None else None
    return realis is None or cue.start() < realis


def _aftermath(story: Story) -> bool:
    """The news came days after the launch, which the story only recaps.

    Neither the headline nor the lede states a launch; the lede dates its own news
    ("on Sunday pledged", "on Friday began reviewing its alerts") after the launch's
    day, or the launch is told as last week's; and at most `RECAP_SENTENCES`
    sentences tell the launch. A summit, sanctions, a speech or a town's review of
    its alarms is then the news, and the launch its cause.
    """
    primary = story.primary
    if primary is None:
        return False
    top = headline_and_lede(story.readings)
    lede = [r for r in top if r.in_text and r.sentence.index >= 0]
    if not lede or primary in top or any(r.is_candidate or _firm_reason(r) for r in top):
        return False  # the top states the launch, or its own reason (a denial, a plan)
    told = [
        r
        for r in story.readings
        if r.is_candidate and not frame_cues.REACTION.search(r.sentence.text)
    ]
    if len(told) > RECAP_SENTENCES:
        return False
    launch = primary.best_day()
    if launch is None or launch.day is None:
        if _owned_day_is_recent(story):
            return False  # "Sunday's attack", on Sunday: the launch is today's news
        return bool(frame_cues.EARLIER_DAYS.search(primary.sentence.text))
    news = [m.day for m in lede[-1].dates if m.day and m.precision >= Precision.RELATIVE]
    return bool(news) and news[0] > launch.day


def _owned_day_is_recent(story: Story) -> bool:
    """A day that owns the launch ("Sunday's attack") dates it at or just before
    publication: a story that tells no day in its launch sentence is then today's news."""
    published = story.published
    if published is None:
        return False
    for reading in story.readings:
        owned = frame_cues.POSSESSIVE_DAY.search(reading.sentence.text)
        if owned is None:
            continue
        for mention in reading.dates:
            inside = owned.start() <= mention.start - reading.sentence.start < owned.end()
            if inside and mention.day is not None and 0 <= (published - mention.day).days <= 1:
                return True
    return False


def headline_and_lede(readings: list[Reading]) -> list[Reading]:
    """The headline and the lede: the title and the body's first sentence (its first two
    when the title is not apart from the text, since the first line may be the title)."""
    headline = [r for r in readings if not r.in_text or r.sentence.index < 0]
    body = [r for r in readings if r.in_text and r.sentence.index >= 0]
    return headline + body[: 2 - min(len(headline), 1)]


def _history(story: Story) -> bool:
    primary, published = story.primary, story.published
    if primary is None or published is None:
        return False
    return looks_back(story.readings, primary, published) or _disclosed_late(
        story, primary, published
    )


def _disclosed_late(story: Story, primary: Reading, published: date) -> bool:
    """A launch the lead itself dates long ago, disclosed or discussed now.

    "China tested a hypersonic missile in August, the paper reported" before the
    sentence that tells the flight, or "The failed test took place last year" right
    after it: the news is the disclosure, and the launch is history. A day of the
    launch's own, recent, keeps it news.
    """
    recent = published - timedelta(days=HISTORY_DAYS)
    telling = [primary, *(r for r in story.top if r.is_candidate)]
    days = [day for reading in telling for day in _own_days(reading)]
    if any(recent <= day <= published + timedelta(days=1) for day in days):
        return False
    told = [r for r in story.top if r.in_text and r.sentence.index >= 0 and r.realis_at is not None]
    past = [r for r in told if r.modality is Modality.HISTORICAL]
    if told and told[0] in past:
        return True  # the body's first launch is an old one
    return any(frame_cues.SAME_LAUNCH_REFERENCE.match(r.sentence.text) for r in past)


def _own_days(reading: Reading) -> list[date]:
    """The days a sentence gives its launch: not the days its report or statement came."""
    text, base = reading.sentence.text, reading.sentence.start
    return [
        m.day
        for m in reading.dates
        if m.day is not None
        and m.precision >= Precision.VAGUE
        and not m.is_report_date
        and not frame_cues.REPORT_DAY_BEFORE.search(
            text[max(0, m.start - base - 40) : m.start - base]
        )
    ]


CLASSIFIERS: tuple[tuple[Modality, Classifier], ...] = (
    (Modality.CIVIL_SPACE, _civil_space),
    (Modality.GROUND_TEST, _ground_test),
    (Modality.NEGATED, _contested),
    (Modality.REACTION, _reaction),
    (Modality.NOT_A_LAUNCH, premises.civil_drill),
    (Modality.NOT_A_LAUNCH, premises.space_fall),
    (Modality.REACTION, premises.aftermath_toll),
    (Modality.HISTORICAL, premises.campaign_summary),
)
"""Reasons an article that states a launch is not a report of it, first match wins;
then the headline's own reason (`frame_rejection`), then history."""


def classify(readings: list[Reading], primary: Reading, published: date | None) -> Modality | None:
    """Why the article is not a report of the launch it states, or None when it is."""
    story = Story(readings, primary, published)
    for modality, applies in CLASSIFIERS:
        if applies(story):
            return modality
    overruled = frame_rejection(readings, primary)
    if overruled is not None:
        return overruled
    return Modality.HISTORICAL if _history(story) else None


def reason(readings: list[Reading]) -> Modality | None:
    """Why an article that states no launch that happened speaks of launches at all."""
    base = rejection(readings)
    if base is None:
        return None
    story = Story(readings, None, None)
    for modality, applies in CLASSIFIERS:
        if applies(story):
            return modality
    return base


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
        if frame_cues.POSSESSIVE_DAY.search(reading.sentence.text):
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
    if any(frame_cues.PAST_FRAME.search(r.sentence.text) for r in lead):
        return True
    if primary in lead and frame_cues.NEWS_TENSE.search(primary.sentence.text):
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
    return (
        past_year or old_day or any(frame_cues.PAST_FRAME.search(r.sentence.text) for r in readings)
    )


def _in_lead(reading: Reading) -> bool:
    """The title or the first sentences, where "said on Friday" dates the news."""
    return not reading.in_text or reading.sentence.index < COMMERCIAL_LEAD


def frame_rejection(readings: list[Reading], primary: Reading) -> Modality | None:
    """Why the headline and first sentence overrule a launch stated later, if they do.

    The news is what the headline and lede say. When they speak of launches only
    as denied, planned, past or in another sense, and no launch that happened is
    stated there, a launch stated further down is background ("the missile had
    been fired by Ukrainian air defences" under "Russia denies firing missile").
    """
    frame = [r for r in readings if not r.in_text or r.sentence.index == 0]
    if primary in frame or any(r.is_candidate for r in frame):
        return None
    contrary = [r.modality for r in frame if r.modality is not None and _firm(r)]
    return contrary[0] if contrary else None


def _firm_reason(reading: Reading) -> bool:
    return reading.modality is not None and _firm(reading)


def _firm(reading: Reading) -> bool:
    """A reason strong enough to overrule a launch stated below it.

    A bare "test", or a named missile's test that "showcases readiness", is not:
    only a plan, a denial, the past, another sense of launch, a ground test, space
    news, a firing of shells or drones, or a parade, film or deal with no missile of
    its own named is.
    """
    if reading.modality is Modality.PLANNED and cues.FAILURE.search(reading.sentence.text):
        return False  # "launch fails, explodes in possible ICBM test": it flew
    if reading.modality is not Modality.NOT_A_LAUNCH:
        return True
    text = reading.sentence.text
    return bool(
        reading.commercial
        or premises.fires_no_missile(reading)
        or cues.STRONG_NOT_LAUNCH.search(text)
        or cues.OTHER_SENSE.search(text)
        or cues.SHOT_DOWN.search(text)
        or (cues.CONTEXT_NOT_LAUNCH.search(text) and not premises.names_missile(reading))
    )


def rejection(readings: list[Reading]) -> Modality | None:
    """Why launch language did not make a report: the reason its first occurrence gives."""
    reasons = [r.modality for r in readings if r.modality is not None and _firm(r)]
    if not reasons:
        reasons = [r.modality for r in readings if r.modality is not None]
    if not reasons:
        has_language = any(r.launch_language or r.about_missile for r in readings)
        return Modality.NOT_A_LAUNCH if has_language else None
    lead = [r.modality for r in readings[: LEAD_SENTENCES + 1] if r.modality in reasons]
    headline = [r.modality for r in readings[:1] if not r.in_text and _firm_reason(r)]
    if headline and headline[0] is not Modality.NOT_A_LAUNCH:
        return headline[0]  # "Pentagon delays ICBM test": the headline says why
    if Modality.NOT_A_LAUNCH in lead[:2]:
        return Modality.NOT_A_LAUNCH
    return lead[0] if lead else reasons[0]
