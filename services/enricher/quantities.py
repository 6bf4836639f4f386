"""Numbers in launch reports: how many missiles, and the claimed flight figures.

"Two", "a barrage of" and "several" differ: only a number is a count. Range,
apogee, flight time and speed are claims, kept with whoever made them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from schemas.launches import ClaimQuantity

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "fifteen": 15, "twenty": 20,
    "a pair of": 2, "a couple of": 2, "dozens of": None, "single": 1,
}  # fmt: skip
_NUMBER = r"(?P<number>\d{1,3}|" + "|".join(re.escape(w) for w in NUMBER_WORDS) + ")"
COUNT_BEFORE = re.compile(
    r"\b"
    + _NUMBER
    + r"\s+(?:(?:more|new|newly|developed|newly-developed|\w+-range|ballistic|cruise"
    r"|strategic|tactical|hypersonic|short|long|medium|advanced|sea-to-surface|[\w\-.]+)\s+){0,3}$",
    re.IGNORECASE,
)
"""A number ending just before a weapon noun ("two newly developed ... missiles")."""

_APPROX = (
    r"(?:(?:about|around|some|approximately|roughly|more than|over|up to|nearly"
    r"|almost|an estimated|at least)\s+)?"
)
_AMOUNT = (
    r"(?P<value>\d{1,3}(?:,\d{3})*(?:\.\d+)?|"
    + "|".join(w for w in NUMBER_WORDS if " " not in w and w != "single")
    + ")"
)
_DISTANCE_UNIT = r"\s*(?P<unit>km|kilometers|kilometres|miles|mi)\b"

_PATTERNS: list[tuple[ClaimQuantity, re.Pattern[str]]] = [
    (
        "apogee_km",
        re.compile(
            r"\b(?:altitude|apogee|height)\s+of\s+"
            + _APPROX
            + _AMOUNT
            + _DISTANCE_UNIT
            + r"|\b"
            + _AMOUNT.replace("value", "value2")
            + r"\s*(?P<unit2>km|kilometers|kilometres|miles)"
            r"\s+(?:high|in altitude|into space)",
            re.IGNORECASE,
        ),
    ),
    (
        "range_km",
        re.compile(
            r"\b(?:flew|flying|flown|traveled|travelled|traveling|travelling|covered"
            r"|range of|distance of"
            r"|flight of|flew for)\s+" + _APPROX + _AMOUNT + _DISTANCE_UNIT,
            re.IGNORECASE,
        ),
    ),
    (
        "flight_time_s",
        re.compile(
            r"\b(?:flew|flying|flight(?:\s+time)?(?:\s+of)?|airborne|for|lasting)\s+(?:for\s+)?"
            + _APPROX
            + _AMOUNT
            + r"\s*(?P<unit>hours?|minutes?|mins?|seconds?)\b"
            r"(?:\s+(?:and\s+)?(?P<minutes>\d{1,2})\s*minutes?)?",
            re.IGNORECASE,
        ),
    ),
    (
        "speed_mach",
        re.compile(
            r"\bMach\s*(?P<value>\d{1,2}(?:\.\d+)?)\b|\b"
            + _AMOUNT.replace("value", "value2")
            + r"\s+times the speed of sound",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True)
class Quantity:
    """A claimed figure and where in the sentence it was stated."""

    quantity: ClaimQuantity
    value: float
    start: int
    end: int


def _number(text: str) -> float | None:
    lowered = text.lower().replace(",", "")
    if lowered in NUMBER_WORDS:
        value = NUMBER_WORDS[lowered]
        return float(value) if value is not None else None
    try:
        return float(lowered)
    except ValueError:
        return None


_NAME_BEFORE = re.compile(r"(?:[\-\u2010\u2011]|\b[A-Z][\w\-]*\s)$")
"""A number glued to a name ("Hwasong-18", "Qaem-100", "Arrow 3") is part of the name."""

_LAST_COUNT = re.compile(r"(?s).*" + COUNT_BEFORE.pattern, re.IGNORECASE)
"""The number nearest the noun: "five of the nine missiles" counts nine."""

_LOWER_BOUND_BEFORE = re.compile(r"\b(?:more\s+than|over|in\s+excess\s+of)\s+$", re.IGNORECASE)
_NOT_THE_COUNT_BETWEEN = re.compile(r"\b(?:of|more|other|additional|further)\b", re.IGNORECASE)
"""Words between a number and its noun that make it a part or an increment ("56 of the
missiles", "six more missiles"), not the number launched."""
_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$", re.IGNORECASE
)


@dataclass(frozen=True)
class StatedCount:
    """A number stated before a weapon noun, and how to read it."""

    value: int
    start: int
    """Where the number begins in the prefix."""
    lower_bound: bool
    """"More than 20": a later, larger figure for the same launch is the count."""


def stated_count(prefix: str) -> StatedCount | None:
    """The count stated just before a weapon noun whose text starts after `prefix`, if any.

    The number nearest the noun is read; a part ("56 of the"), an increment ("six more"),
    a day of a month ("March 24") or a number glued to a name ("Hwasong-18") is not a count.
    """
    offset = max(0, len(prefix) - 80)
    window = prefix[offset:]
    match = _LAST_COUNT.match(window)
    if match is None:
        return None
    before = window[: match.start("number")]
    if _NAME_BEFORE.search(before) or _MONTH_BEFORE.search(before):
        return None
    if _NOT_THE_COUNT_BETWEEN.search(window, match.end("number")):
        return None
    value = _number(match["number"])
    if value is None or not 1 <= value <= 500:
        return None
    lower = bool(_LOWER_BOUND_BEFORE.search(before))
    return StatedCount(int(value), offset + match.start("number"), lower)


def count_before(prefix: str) -> int | None:
    """The count stated just before a weapon noun whose text starts after `prefix`."""
    stated = stated_count(prefix)
    return stated.value if stated else None


SINGULAR_BEFORE = re.compile(
    r"\b(?:a|an|one|single|the|its|this|their|another)\s+(?:[\w\u2019\u201c\u201d'\"\-.]+\s+){0,5}$",
    re.IGNORECASE,
)
""""a long-range ballistic missile", "the new Hwasong-19": one missile."""


_NOT_ONE_BEFORE = re.compile(
    r"\b(?:(?:barrage|salvo|volley|series|wave|waves|number|string|round|rounds|dozens|hundreds"
    r"|batch|couple|pair|one|some|each|any|all|none|two|three|four|five|six|several|both"
    r"|tests?|test-firing|trials?|development|kind|type|class)\s+of"
    r"|(?:missiles?|rockets?|drones?|projectiles?|weapons?|\d+)\s+(?:and|or)"
    r"|several|multiple|more|other)\s+(?:[\w\-]+\s+){0,3}$",
    re.IGNORECASE,
)
"""A noun that is one of many ("a barrage of", "drones and", "several other"), or a kind
of weapon rather than a number of them ("a test of a new cruise missile")."""


def one_of_many_or_a_kind(prefix: str) -> bool:
    """Whether a weapon noun after `prefix` is one of many, or a kind of weapon."""
    return bool(_NOT_ONE_BEFORE.search(prefix[-80:]))


def singular_before(prefix: str, noun: str) -> bool:
    """Whether a weapon noun that starts after `prefix` names exactly one missile."""
    if noun.endswith(("s", "S")) and not noun.endswith(("ss", "SS")):
        return False
    prefix = prefix[-80:].rstrip(_QUOTES)  # a "projectile", the second 'Hwasong-14'
    if one_of_many_or_a_kind(prefix):
        return False
    return bool(SINGULAR_BEFORE.search(prefix))


_QUOTES = "'\"\u2018\u2019\u201c\u201d"


_UNIT_HINT = re.compile(
    r"km|kilomet|mile|\bmi\b|hour|min|second|mach|speed of sound", re.IGNORECASE
)
"""Every figure names its unit: a sentence without one has no figure to look for."""


@lru_cache(maxsize=256)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every range, apogee, flight time and speed figure in `text`.

    The range class and the claims read the same sentences, so the figures of about
    one article's sentences are kept.
    """
    if not _UNIT_HINT.search(text):
        return ()
    found: list[Quantity] = []
    for quantity, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            raw = groups.get("value") or groups.get("value2")
            if raw is None:
                continue
            value = _number(raw)
            if value is None:
                continue
            unit = (groups.get("unit") or groups.get("unit2") or "").lower()
            if unit in ("miles", "mi"):
                value *= 1.609344
            elif unit.startswith("hour"):
                value = value * 3600 + int(groups.get("minutes") or 0) * 60
            elif unit.startswith("min"):
                value *= 60
            found.append(Quantity(quantity, round(value, 1), match.start(), match.end()))
    return tuple(found)
