"""Finding gazetteer names in text: whole words, longest match, exact offsets.

News spells one name many ways ("KN-23", "KN 23", "KN23"; straight or curly apostrophes),
so an alias becomes a small pattern that tolerates those variants. Every alias is
tried at every word start and overlapping hits are resolved longest first, so
"North Korean" wins over "the North" and "short-range ballistic missile" over
"ballistic missile".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_SEPARATOR = r"[\s\-\u2010\u2011\u2013]?"
_APOSTROPHE = "['\u2019]"


def alias_pattern(alias: str, *, plural: bool) -> str:
    """The regular expression for one alias (without word boundaries)."""
    return "".join(_alias_parts(alias, plural=plural))


def is_case_sensitive(alias: str) -> bool:
    """Proper names and acronyms keep their capitals ("US" is not "us"); descriptions do not."""
    return any(char.isupper() for char in alias)


@dataclass(frozen=True)
class Hit(Generic[T]):
    """One name found in the text and every gazetteer entry that bears it."""

    start: int
    end: int
    text: str
    entries: tuple[T, ...]


class AliasMatcher(Generic[T]):
    """Matches many aliases at once; each alias points at one or more entries.

    Most word starts begin no name. One pass of the regular expression engine
    finds the word starts where some alias matches; only there are the aliases
    that share the word's first letters tried, in Python, to tell which.
    """

    def __init__(
        self,
        aliases: Iterable[tuple[str, T, bool]],
        case_free: Callable[[str, T], bool] | None = None,
    ) -> None:
        """`aliases`: (alias, entry, plural allowed); `case_free`: which proper names
        also match in capitals or in lower case ("NORTH Korea", "north korea")."""
        by_key: dict[_Key, list[T]] = {}
        spelled: dict[str, list[T]] = {}
        patterns: dict[_Key, list[str]] = {}
        for alias, entry, plural in aliases:
            sensitive = is_case_sensitive(alias) and not (case_free and case_free(alias, entry))
            key = (sensitive, alias if sensitive else alias.lower())
            for entries in (by_key.setdefault(key, []), spelled.setdefault(alias, [])):
                if entry not in entries:
                    entries.append(entry)
            patterns[key] = _alias_parts(alias, plural=plural)
        # A name written as one entry spells it (an agency's "Yemen's Houthis") names
        # every entry so spelled, those whose alias also matches in any case included.
        self._entries = {
            key: tuple(spelled[key[1]] if key[0] else entries) for key, entries in by_key.items()
        }
        rules: dict[tuple[bool, int], dict[str, list[_Key]]] = {}
        for key in patterns:
            prefix = _prefix(key[1])
            rules.setdefault((key[0], len(prefix)), {}).setdefault(prefix, []).append(key)
        order = sorted(rules, key=lambda rule: (not rule[0], -rule[1]))
        self._rules = [_Rule.build(*rule, rules[rule], patterns) for rule in order]
        either = "|".join(rule.starts for rule in self._rules)
        self._starts = re.compile(rf"{_WORD_START}(?=(?:{either})(?!\w))")

    def find(self, text: str) -> list[Hit[T]]:
        """Non-overlapping hits in text order, the longest winning where names overlap."""
        candidates: list[tuple[int, int, int, _Key]] = []
        for start in self._starts.finditer(text):
            position = start.start()
            for rank, rule in enumerate(self._rules):
                prefix = text[position : position + rule.width]
                bucket = rule.buckets.get(prefix if rule.sensitive else prefix.lower())
                match = bucket[0].match(text, position) if bucket else None
                if bucket is None or match is None or match.lastgroup is None:
                    continue
                key = bucket[1][int(match.lastgroup[1:])]
                candidates.append((position, rank, match.end(), key))
        return [
            Hit(start, end, text[start:end], self._entries[key])
            for start, end, key in _longest_first(candidates)
        ]


_Key = tuple[bool, str]
"""An alias as matched: (case kept, the alias, lower-cased when case is free)."""

_WORD_START = r"(?<!\w)(?<!\w-)"
"""A word begins after neither a letter nor a hyphen joined to one ("anti-Iran" names no
state), but may begin straight after a dateline's dash ("(Jiji Press)--North Korea")."""


@dataclass(frozen=True)
class _Rule:
    """The aliases that keep case or not, in buckets by their first letter or two.

    In a bucket the longer aliases come first; `starts` is the pattern (without
    word boundaries) that any alias of the rule matches.
    """

    sensitive: bool
    width: int
    starts: str
    buckets: dict[str, tuple[re.Pattern[str], list[_Key]]]

    @classmethod
    def build(
        cls,
        sensitive: bool,
        width: int,
        buckets: dict[str, list[_Key]],
        patterns: dict[_Key, list[str]],
    ) -> _Rule:
        compiled: dict[str, tuple[re.Pattern[str], list[_Key]]] = {}
        by_first: dict[str, list[str]] = {}
        flags = 0 if sensitive else re.IGNORECASE
        for prefix, keys in buckets.items():
            keys.sort(key=lambda key: len(key[1]), reverse=True)
            rests = ["".join(patterns[key][width:]) for key in keys]
            alternation = "|".join(f"(?P<a{index}>{rest})" for index, rest in enumerate(rests))
            pattern = rf"{re.escape(prefix)}(?:{alternation})(?!\w)"
            compiled[prefix] = (re.compile(pattern, flags), keys)
            rest = "|".join(rests) if sensitive else "(?i:" + "|".join(rests) + ")"
            by_first.setdefault(prefix[0], []).append(
                f"{_letters(prefix[1:], sensitive)}(?:{rest})"
            )
        # Each branch opens on a plain character or class, which the engine checks
        # before entering it: a word start costs one test per first letter.
        starts = "|".join(
            f"{_letters(first, sensitive)}(?:{'|'.join(rests)})"
            for first, rests in by_first.items()
        )
        return cls(sensitive, width, starts, compiled)


def _letters(text: str, sensitive: bool) -> str:
    """`text` as a pattern, each cased letter as a class of both cases when case is free."""
    if sensitive:
        return re.escape(text)
    return "".join(
        f"[{char}{char.upper()}]"
        if char.upper() != char and len(char.upper()) == 1
        else re.escape(char)
        for char in text
    )


def _alias_parts(alias: str, *, plural: bool) -> list[str]:
    """`alias_pattern`, one part per character of the alias, and the plural ending."""
    parts: list[str] = []
    for char in alias:
        if char == "-":
            parts.append(_SEPARATOR)
        elif char == " ":
            parts.append(r"[\s\-]+" if parts and parts[-1] != _SEPARATOR else r"\s+")
        elif char in "'\u2019":
            parts.append(_APOSTROPHE)
        else:
            parts.append(re.escape(char))
    parts.append("(?:e?s)?" if plural and alias[-1:].isalnum() else "")
    return parts


def _prefix(alias: str) -> str:
    """The letters every spelling of `alias` begins with (lower case when case is free)."""
    start = alias[:2] if len(alias) >= 2 and alias[:2].isalnum() else alias[:1]
    return start if is_case_sensitive(alias) else start.lower()


def _longest_first(
    candidates: Sequence[tuple[int, int, int, _Key]],
) -> list[tuple[int, int, _Key]]:
    """Overlaps resolved longest first; at one span, the rule tried first wins."""
    chosen: list[tuple[int, int, _Key]] = []
    taken: list[tuple[int, int]] = []
    for start, _, end, key in sorted(candidates, key=lambda c: (c[0] - c[2], c[0], c[1])):
        if all(end <= s or start >= e for s, e in taken):
            chosen.append((start, end, key))
            taken.append((start, end))
    return sorted(chosen)
