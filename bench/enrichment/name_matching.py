"""Whether two ways of writing a name (a person, an agency, a source) mean the same one.

Reports name the same source in many forms ("JCS", "South Korea's Joint Chiefs of
Staff", "the South Korean military"), so the written-set scorer compares `officials`
and `reported_by` on normalised word tokens, initials and alias groups rather than on
strings (rules in README.md, "Name matching").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence


def names_of(value: object) -> list[str]:
    """The names of a predicted list: plain strings, or objects with a `name`."""
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append(item["name"])
    return out


_STOPWORDS = frozenset({"the", "of", "and", "for", "s", "a", "an", "on", "at"})
_SYNONYMS = {
    "defense": "defence",
    "organisation": "organization",
    "korean": "korea",
    "japanese": "japan",
    "chinese": "china",
    "russian": "russia",
    "iranian": "iran",
    "indian": "india",
    "pakistani": "pakistan",
    "israeli": "israel",
    "french": "france",
    "ukrainian": "ukraine",
    "american": "us",
    "u": "us",
    "usa": "us",
    "houthi": "houthis",
    "guard": "guards",
    "forces": "force",
    "ministry": "ministry",
}

# Names that refer to the same source or person although no rule below would find it.
# Each group lists normalised forms (see _tokens); the first is only a label.
ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("jcs", "joint chiefs staff", "south korea military", "south korea joint chiefs"),
    ("kcna", "korea central news agency", "north korea state media", "rodong sinmun"),
    ("japan defence ministry", "japan ministry defence", "japan mod", "japan government"),
    ("centcom", "us central command", "central command"),
    ("indopacom", "us indo pacific command", "indo pacific command", "inpacom"),
    ("idf", "israel defence force", "israel military", "israel army"),
    ("pentagon", "us department defence", "department defence", "us defence department"),
    (
        "irgc",
        "islamic revolutionary guards corps",
        "revolutionary guards",
        "iran revolutionary guards",
    ),
    ("houthis", "yahya saree", "saree", "houthis military", "ansar allah", "al masirah"),
    ("hezbollah", "hizbollah", "hizballah"),
    ("russia defence ministry", "russia ministry defence", "russia mod"),
    ("ukraine air force", "ukraine military", "ukraine armed force"),
    ("afgsc", "air force global strike command", "global strike command", "us air force"),
    ("france armed force ministry", "france ministry armed force", "france defence ministry"),
    ("dga", "direction generale armement", "france defence procurement agency"),
    ("israel defence ministry", "israel ministry defence", "imod"),
    ("imdo", "israel missile defence organization"),
    ("ispr", "inter services public relations", "pakistan military"),
    ("irna", "islamic republic news agency"),
    ("tasnim", "tasnim news agency"),
    ("xinhua", "xinhua news agency"),
    (
        "china defence ministry",
        "china ministry national defence",
        "china national defence ministry",
    ),
    ("india defence ministry", "india ministry defence", "mod india"),
    ("drdo", "defence research development organization"),
    ("us space command", "space command", "spacecom"),
)


def _tokens(name: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['\u2019]s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    return tuple(_SYNONYMS.get(w, w) for w in words if w not in _STOPWORDS)


_ALIAS_INDEX: dict[tuple[str, ...], int] = {
    _tokens(form): group for group, forms in enumerate(ALIAS_GROUPS) for form in forms
}


def _forms(name: str) -> list[tuple[str, ...]]:
    tokens = _tokens(name)
    group = _ALIAS_INDEX.get(tokens)
    if group is None:
        return [tokens]
    return [tokens, *(_tokens(form) for form in ALIAS_GROUPS[group])]


def _forms_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    initials = "".join(word[0] for word in long_)
    if len(short) == 1 and len(short[0]) >= 3 and len(long_) >= 2 and short[0] == initials:
        return True
    return len(short) >= 2 and set(short) <= set(long_)


def names_match(a: str, b: str) -> bool:
    """Whether two names denote the same person or source (see README.md)."""
    return any(_forms_match(x, y) for x in _forms(a) for y in _forms(b))


def match_sets(predicted: Sequence[str], gold: Sequence[str]) -> int:
    """Number of one-to-one matches between predicted and gold names."""
    unmatched = list(gold)
    hits = 0
    for name in predicted:
        for i, candidate in enumerate(unmatched):
            if names_match(name, candidate):
                del unmatched[i]
                hits += 1
                break
    return hits
