"""Who did what in one launch sentence: the launcher, and the states that only look on.

A sentence names several states: the one that fired, the one that detected or
condemned it, the target, the interceptor, a sponsor ("Iran-backed"). The
launcher is found by its role: "launched from Yemen" and "fired by the Houthis"
name it after the launch word; "Iran's satellite launch" owns the launch word;
otherwise it is the subject nearest before the launch word, once the states that
speak, defend, sponsor or are aimed at are set aside.
"""

from __future__ import annotations

import re

from schemas import EntityKind
from services.enricher import cues
from services.enricher.facts.context import event_part
from services.enricher.gazetteer import Actor, Agency, Found
from services.enricher.recognition import Reading

_I = re.IGNORECASE

REACTING = re.compile(
    r"\b(?:said|says|saying|stated|reported|reports|reporting|announced|confirmed|claim(?:s|ed)?|believ\w*"
    r"|estimated|detected|spotted|tracked|condemn\w*|denounc\w*|critici[sz]\w*|protest\w*"
    r"|urged|urges|called|warned|accused|responded|reacted|voiced|expressed|slammed|according)\b",
    _I,
)
"""A reaction between a state and the launch word: that state speaks of the launch
("Britain, France and Germany condemned ...", "Japan said ... was fired"), it did not
launch."""

_OWN_STATEMENT = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+){0,2}?(?:said|says|confirmed|confirms|announced"
    r"|announces|stated|states|claimed|claims|reported|reports)\s+(?:that\s+)?"
    r"(?:(?:it|they)\s+(?:[\w\-]+\s+){0,2}|(?:on|early|late|last|this)\s+\w+\s+)$",
    _I,
)
"""A state saying it launched itself ("South Korea's military confirmed it test-fired",
"confirmed that on Friday tested")."""

TARGETED = re.compile(
    r"\b(?:at|on|against|toward|towards|into|over|around|surrounding|encircling|targeting"
    r"|targeted|hit|struck)\s+(?!by\b)"
    r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)(?:the\s+)?"
    r"(?:(?!that\b|which\b|who\b|on\b)[\w\-]+,?\s+){0,3}$",
    _I,
)
"""A state named where the missiles went ("at Kyiv, Ukraine"), or where the drills that
fired them were held ("drills around Taiwan"): the target."""

_SPONSOR_AFTER = re.compile(
    r"^[\-\u2010\u2011\s]*(?:backed|supported|sponsored|aligned|allied|funded|armed|made)\b", _I
)
_SPONSOR_BEFORE = re.compile(
    r"\b(?:(?:backed|supported|sponsored|armed|funded|supplied)\s+by|(?:allied|aligned)\s+"
    r"(?:with|to)|prox(?:y|ies)\s+(?:of|for))\s+(?:the\s+)?$",
    _I,
)
"""A sponsor or supplier ("Iran-backed Houthis", "rebels backed by Iran") did not fire."""

_SPONSORED_NEXT = re.compile(
    r"^[\-\u2010\u2011\s]*(?:backed|supported|sponsored|aligned|allied|funded|armed)\s+"
    r"(?:[\w\-]+\s+)?$",
    _I,
)

_DEFENDING_AFTER = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+){0,2}?(?:air[\s\-]+)?(?:defen[cs]es?|interceptors?"
    r"|anti-missile|air force jets)\b",
    _I,
)
"""A state whose defences met the missiles ("Saudi air defences destroyed ...")."""

_POSSESSIVE_TRIGGER = re.compile(r"^[\u2019']s?\s+(?:[\w\-]+\s+){0,3}$")

_ITS_TRIGGER = re.compile(r"\b(?:its|their)\s+(?:[\w\-]+\s+){0,3}$", _I)

_JOINT = re.compile(r"^\s+(?:and|together with|with)\s+(?:the\s+)?$", _I)

_DIRECT_SUBJECT = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+){0,4}?(?:has\s+|had\s+|have\s+|on\s+\w+\s+)?$"
)
"""An organ right before the launch word is its subject ("the Russian Defence Ministry
test-fired", "Air Force Global Strike Command launched")."""


_RESPONSIBLE_AFTER = re.compile(
    r"^(?:[\u2019']s)?\s+(?:[\w\-]+\s+){0,3}?(?:(?:later|has|have|had|quickly)\s+)?"
    r"(?:(?:claim|accept|assume|admit)(?:s|ed|ing|ted|ting)?|took|tak(?:es|ing))\s+(?:full\s+)?"
    r"responsibility\b"
    r"|^(?:[\u2019']s)?\s+(?:[\w\-]+\s+){0,3}?(?:said|says|admitted|admits)\s+(?:that\s+)?"
    r"(?:it|they)\s+(?:was|were|is|are)\s+responsible\b",
    _I,
)
"""A state (or its force) owning the attack: "Iran later taking responsibility for the
strike", "the Revolutionary Guard claimed responsibility", "Iran says it was responsible"."""

_SPEAKER_AFTER = re.compile(
    r"^(?:[\u2019']s)?\s+(?:[\w\-]+\s+){0,3}?(?:said|says|saying|told|telling|reported"
    r"|reports|reporting|stated|confirmed|according)\b(?!\s+(?:that\s+)?(?:it|its|they|their)\b)",
    _I,
)
"""A state named as the one speaking ("an Iraqi official saying ..."): a witness, unless
it speaks of its own launch ("Pyongyang says its test ...")."""


def responsible(reading: Reading, founds: list[Found]) -> Found | None:
    """The state the sentence says owned the attack, if it says so."""
    base, text = reading.sentence.start, reading.sentence.text
    for found in founds:
        if found.kind is EntityKind.ACTOR and _RESPONSIBLE_AFTER.match(
            text[found.end - base : found.end - base + 80]
        ):
            return found
    return None


def speaks(reading: Reading, found: Found) -> bool:
    """The state is named as a speaker or source of the report."""
    base, text = reading.sentence.start, reading.sentence.text
    return bool(_SPEAKER_AFTER.match(text[found.end - base : found.end - base + 60]))


def launcher(reading: Reading, founds: list[Found]) -> Found | None:
    """The state or organ the sentence makes the launcher, if its roles say so."""
    if reading.realis_at is None:
        return None
    text, base = reading.sentence.text, reading.sentence.start
    trigger = _attack_trigger(reading, founds, reading.realis_at)
    actors = [f for f in founds if f.kind is EntityKind.ACTOR and event_part(reading, f)]
    for index, found in enumerate(actors):  # "launched from Yemen", "the test by Pyongyang"
        between = text[trigger - base : found.start - base]
        if found.start > trigger and cues.LAUNCHED_FROM.match(between):
            sponsored = actors[index + 1] if index + 1 < len(actors) else None
            if sponsored is not None and _SPONSORED_NEXT.match(
                text[found.end - base : sponsored.start - base]
            ):
                return sponsored  # "fired by Iran-backed Houthi rebels"
            return found
    owner = _owner_of_trigger(reading, actors, trigger)
    if owner is not None:  # "condemned Iran's launch": the possessive owns the launch
        return owner
    organs = [f for f in founds if _organ_subject(reading, f, trigger)]
    subjects = sorted(
        [f for f in actors if f.start < trigger and _may_launch(reading, f, trigger)] + organs,
        key=lambda f: f.start,
    )
    if not subjects:
        return None
    # "Russia had notified the United States of its test": "its" is the subject's.
    own = _ITS_TRIGGER.search(text[: trigger - base])
    chosen = subjects[0] if own else subjects[-1]
    # "Israel and the United States tested": the first of a joint subject leads.
    while (index := subjects.index(chosen)) > 0 and _JOINT.match(
        text[subjects[index - 1].end - base : chosen.start - base]
    ):
        chosen = subjects[index - 1]
    return chosen


_LAUNCHED_DEFENCE = re.compile(r"^\s*(?:(?:its|their|the|an?)\s+)?(?:[\w\-]+\s+){0,2}?$", _I)


def _attack_trigger(reading: Reading, founds: list[Found], trigger: int) -> int:
    """The launch word of the attack, when the first one launches the defence.

    "Israel launched its Iron Dome batteries at rockets fired by Islamic Jihad":
    the interceptors were launched at the rockets, and the rockets' launch word
    ("fired by") names who attacked.
    """
    base, text = reading.sentence.start, reading.sentence.text
    for found in founds:
        if found.start <= trigger or not reading.is_interceptor(found):
            continue
        after_word = cues.TRIGGER.match(text, trigger - base)
        if after_word is None or not _LAUNCHED_DEFENCE.match(
            text[after_word.end() : found.start - base]
        ):
            continue
        later = cues.TRIGGER.search(text, found.end - base)
        return base + later.start() if later else trigger
    return trigger


def is_targeted(reading: Reading, found: Found) -> bool:
    base, text = reading.sentence.start, reading.sentence.text
    return bool(TARGETED.search(text[: found.start - base][-40:]))


def _may_launch(reading: Reading, found: Found, trigger: int) -> bool:
    """A state before the launch word that does not only react, defend, sponsor or suffer."""
    base, text = reading.sentence.start, reading.sentence.text
    between = text[found.end - base : trigger - base]
    if REACTING.search(between) and not _OWN_STATEMENT.match(between):
        return False
    before = text[max(0, found.start - base - 40) : found.start - base]
    return not (
        is_targeted(reading, found)
        or _SPONSOR_AFTER.match(text[found.end - base : found.end - base + 20])
        or _SPONSOR_BEFORE.search(before)
        or _DEFENDING_AFTER.match(text[found.end - base : found.end - base + 40])
        or cues.INTERCEPTING_AFTER.match(between)
    )


def _organ_subject(reading: Reading, found: Found, trigger: int) -> bool:
    """A state organ (a ministry, a command, a military) that is the launch word's subject."""
    if found.kind is not EntityKind.AGENCY or not isinstance(found.entry, Agency):
        return False
    if found.entry.attributed_only or found.end > trigger or not event_part(reading, found):
        return False
    base = reading.sentence.start
    between = reading.sentence.text[found.end - base : trigger - base]
    if _OWN_STATEMENT.match(between):
        return True
    return bool(_DIRECT_SUBJECT.match(between)) and not REACTING.search(between)


def _owner_of_trigger(reading: Reading, actors: list[Found], trigger: int) -> Found | None:
    """The state whose possessive owns the launch word ("Iran's satellite launch")."""
    base = reading.sentence.start
    for found in reversed(actors):
        if found.end <= trigger and _POSSESSIVE_TRIGGER.match(
            reading.sentence.text[found.end - base : trigger - base]
        ):
            return found
    return None


def country_of(found: Found) -> str:
    """The launching state a state or organ stands for."""
    entry = found.entry
    assert isinstance(entry, (Actor, Agency))
    return entry.country
