"""Stories in which a launch is a premise, not the news.

A launch report says, in its lead, that a state fired a missile or rocket just now.
Many stories speak of missiles and state no such thing, though a sentence of theirs
may read like a launch:

- a civil-defence drill ("an evacuation drill assuming a missile had landed"), where
  the launch is the exercise's scenario;
- a firing of things that are not missiles: artillery shells, rounds, drones;
- the aftermath of hostilities that have ended: a toll, a review, after a ceasefire;
- a campaign summary: launches told over days or weeks, by a story written once the
  fighting was over;
- a re-entry: a spent rocket body, or other space debris, falling back to Earth, the
  launch that put it up only its past.

Each is one classifier of the article-level registry (`classification.CLASSIFIERS`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from services.enricher import cues
from services.enricher.dates import Precision
from services.enricher.gazetteer import Weapon

if TYPE_CHECKING:
    from services.enricher.classification import Story
    from services.enricher.reading import Reading

_I = re.IGNORECASE

CIVIL_DRILL = re.compile(
    r"\b(?:evacuation|shelter(?:ing)?|air[\s\-]raid|civil[\s\-]defen[cs]e|civil[\s\-]protection"
    r"|emergency[\s\-]response|J-?Alert|siren|disaster|preparedness)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:drills?|exercises?|rehearsals?|tests?|trainings?)\b"
    r"|\b(?:drills?|exercises?|rehearsals?)\s+(?:[\w\-]+\s+){0,3}?(?:for|against|in case of"
    r"|simulating|assuming|on the assumption)\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+){0,3}?"
    r"(?:missile|rocket|ballistic)\w*"
    r"|\b(?:take|took|taking)\s+part\s+in\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+){0,2}?drills?\b",
    _I,
)
"""A drill that rehearses the response to a launch ("an evacuation drill for a missile
launch", "a siren test"): the people drilled shelter, nobody fires."""

NOT_A_MISSILE = re.compile(
    r"\b(?:artillery\s+(?:shells?|rounds?|fire|barrages?)|shells|shelling|rounds\s+off"
    r"|(?:\d+|hundreds of|dozens of|about \d+)\s+(?:artillery\s+)?rounds|mortars?(?:\s+rounds?)?"
    r"|howitzers?|gunfire|warning shots?|drones?|fireworks?|flares?|fireballs?|meteors?)\b",
    _I,
)
"""What is fired, or seen in the sky, that is not a missile or rocket: a sentence firing
only these ("fired artillery shells near the sea border") reports no launch."""

HOSTILITIES_OVER = re.compile(
    r"\b(?:cease-?fire|truce)\s+(?:that\s+|which\s+)?(?:had\s+|has\s+)?(?:came|come|took|taken"
    r"|went|gone)\s+(?:into\s+)?(?:effect|force|hold)"
    r"|\b(?:ended|ending|ends|end)\s+(?:in|with)\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:cease-?fire|truce)\b"
    r"|\b(?:after|since|following|under)\s+(?:the|a)\s+(?:[\w\-]+\s+){0,2}?(?:cease-?fire|truce)\b"
    r"|\b(?:which|that)\s+lasted\s+(?:\w+\s+){0,2}?(?:hours|days|weeks)\b"
    r"|\b(?:fighting|war|conflict|hostilities|operation|escalation)\s+(?:has\s+|had\s+)?ended\b",
    _I,
)
"""Hostilities that are over: a ceasefire in effect, a war that "ended in a truce"."""

CAMPAIGN = re.compile(
    r"\b(?:began|begun|started)\s+(?:launching|firing|shooting)\b"
    r"|\bduring\s+(?:the|its|their)\s+(?:recent\s+|latest\s+|\d+-day\s+|[\w\-]+-day\s+)?"
    r"(?:war|conflict|fighting|operation|escalation|hostilities|campaign|offensive|round)\b"
    r"|\b(?:in|over|during)\s+(?:the\s+)?(?:recent|past|last)\s+(?:\w+\s+)?(?:days|weeks|months)\b"
    r"|\ban\s+array\s+of\b|\bin\s+total\b|\ba\s+total\s+of\b",
    _I,
)
"""Launches told as a campaign over a period ("began launching rocket salvos", "during
the recent operation", "in recent weeks"), not as one launch."""

TOLL = re.compile(
    r"\b(?:dead|deaths?|killed|casualt(?:y|ies)|injured|wounded|toll|damage[ds]?|lives)\b", _I
)
"""A toll: what a story written after the fighting counts."""

SPACE_FALL = re.compile(
    r"\bre-?ent(?:ry|ries|ers?|ered|ering)\b(?!\s+(?:vehicles?|technolog\w*|capabilit\w*|shields?"
    r"|heat\w*|bod(?:y|ies)\s+of\s+(?:the|its|a)\s+(?:missile|warhead)))"
    r"|\b(?:space|orbital)\s+(?:debris|junk)\b|\borbital\s+decay\b"
    r"|\buncontrolled\s+(?:descent|fall|return|plunge)\b"
    r"|\b(?:fell|falls?|falling|plunged?|plunging|tumbl\w+|came|comes|coming)\s+(?:back\s+)?"
    r"(?:down\s+)?(?:to|from|out\s+of)\s+(?:the\s+)?(?:earth|orbit|space)\b"
    r"|\b(?:rocket|booster|core|upper)\s+(?:body|bodies|stages?)\b(?![\s\-]+(?:separat|engine|ignit))",
    _I,
)
"""Something from space falling back to Earth: a re-entry, space debris, a rocket body or
spent stage, an uncontrolled descent. "The warhead survived re-entry" in a missile
test is not one: a re-entry vehicle or technology belongs to a missile's flight."""

FALL_TOLD = re.compile(
    r"(?:(?:missiles?|rockets?|projectiles?|debris|remnants?|pieces?|parts?|stages?|bod(?:y|ies))"
    r"\s+(?:\w+ly\s+)?)?(?:crash|f[ae]ll|land|came\s+down|comes\s+down|plung|re-?ent|burn"
    r"|splash)",
    _I,
)
"""A launch word that is the fall itself ("rocket landed in the ocean", "fell"), which a
re-entry story states and a launch report does not lead with."""

DEBRIS_OF = re.compile(
    r"\b(?:debris|remnants?|pieces?|parts?|wreckage|chunks?|fragments?)\s+(?:of|from)\b", _I
)
"""Debris as the subject ("debris from a rocket launched last month"): the launch word that
follows dates what fell, it tells no launch."""

RECENT_DAYS = 1
"""A launch day this close to publication is today's news, whatever else the story says."""


def _top(story: Story) -> list[Reading]:
    """The headline and the body's first sentences."""
    return story.top


def _told_as_news(reading: Reading) -> bool:
    """States a launch by a finite verb ("North Korea fires missile"), not a premise."""
    return reading.is_candidate and reading.told_by_verb


def civil_drill(story: Story) -> bool:
    """The lead is a drill rehearsing the response to a launch, and tells none as news.

    "Residents took part in an evacuation drill for a missile launch" and "a drill
    assuming a ballistic missile had landed" report no launch; "North Korea fires a
    missile as Japan holds an evacuation drill" does, and its verb says so.
    """
    top = _top(story)
    if not any(CIVIL_DRILL.search(r.sentence.text) for r in story.leads or top[:2]):
        return False
    return not any(_told_as_news(r) and not _told_by_drill(r) for r in top)


def _told_by_drill(reading: Reading) -> bool:
    """The launch word comes after a drill that frames it ("a drill for a missile launch",
    "a drill held after a series of launches"), not before one ("fired a missile as
    residents took part in a drill")."""
    drill = CIVIL_DRILL.search(reading.sentence.text)
    if drill is None or reading.realis_at is None:
        return False
    return reading.realis_at - reading.sentence.start > drill.start()


def aftermath_toll(story: Story) -> bool:
    """A toll or review after the hostilities ended, the launches only its cause.

    The headline or lede counts the dead or the damage, the story says the fighting
    is over (a ceasefire in effect), and no sentence at the top tells a launch as news.
    """
    top = _top(story)
    lead = story.leads or top[:2]
    if not any(TOLL.search(r.sentence.text) for r in lead):
        return False
    if not any(HOSTILITIES_OVER.search(r.sentence.text) for r in top):
        return False
    return not any(_told_as_news(r) for r in lead)


def campaign_summary(story: Story) -> bool:
    """Launches told as a campaign that is over, in a story with no launch of today.

    The top tells the launches over a period ("began launching rocket salvos on May
    10", "during the operation"), the story says the fighting ended, and no launch
    sentence at the top is dated at publication.
    """
    top = _top(story)
    if not any(CAMPAIGN.search(r.sentence.text) for r in top):
        return False
    if not any(HOSTILITIES_OVER.search(r.sentence.text) for r in story.readings):
        return False
    return not _dated_at_publication(story)


def _dated_at_publication(story: Story) -> bool:
    """A launch sentence at the top gives its launch a day at or just before publication."""
    published = story.published
    if published is None:
        return True
    telling = [r for r in _top(story) if r.realis_at is not None]
    return any(
        m.day is not None
        and not m.is_report_date
        and m.precision >= Precision.RELATIVE
        and published - timedelta(days=RECENT_DAYS) <= m.day <= published + timedelta(days=1)
        for r in telling
        for m in r.dates
    )


def space_fall(story: Story) -> bool:
    """A re-entry story: something from space falls back, and no launch is told as news.

    The headline or the first sentences tell a rocket body, spent stage or debris
    coming down ("remnants of the rocket landed in the ocean after re-entry", "space
    junk set to fall to Earth"), and every launch the top states is that fall, or is
    told in a sentence whose debris is its subject ("debris from a rocket launched last
    week re-entered"). A missile fired at the top ("fired an ICBM that re-entered the
    atmosphere off Japan") keeps the story a launch report, and so does a named missile.
    """
    top = _top(story)
    if any(_told_as_news(r) and not _told_as_fall(r) for r in top):
        return False
    if story.primary is not None and names_missile(story.primary):
        return False
    return any(_falls_from_space(r.sentence.text) for r in top)


_SPACE_FALL_STEMS = ("re-ent", "reent", "debris", "junk", "orbit", "uncontrolled", "earth", "space",
                     "stage", "bod")  # fmt: skip
"""One of these is in every `SPACE_FALL` match (lower-cased): a sentence without them is
not searched."""


def _falls_from_space(text: str) -> bool:
    return cues.has_any(text.lower(), _SPACE_FALL_STEMS) and bool(SPACE_FALL.search(text))


def _told_as_fall(reading: Reading) -> bool:
    """The sentence's launch word is a fall, or comes after the debris it speaks of."""
    if reading.realis_at is None:
        return False
    at = reading.realis_at - reading.sentence.start
    if FALL_TOLD.match(reading.sentence.text, at):
        return True
    before = reading.sentence.text[:at]
    return bool(SPACE_FALL.search(before) or DEBRIS_OF.search(before))


def names_missile(reading: Reading) -> bool:
    """A named missile (not a space launcher) is among the sentence's weapons."""
    return any(
        isinstance(f.entry, Weapon)
        and not f.entry.descriptive
        and str(f.entry.missile_type) != "space-launch"
        for f in reading.weapons()
    )


def fires_no_missile(reading: Reading) -> bool:
    """A sentence that fires only shells, rounds or drones: no missile word, something else
    fired."""
    return not reading.about_missile and bool(NOT_A_MISSILE.search(reading.sentence.text))
