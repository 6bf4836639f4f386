"""Finding gazetteer names in text: whole words, longest match, exact offsets.

News spells one name many ways ("KN-23", "KN 23", "KN23"; straight or curly apostrophes),
so an alias becomes a small pattern that tolerates those variants. Every alias is
tried at every word start and overlapping hits are resolved longest first, so
"North Korean" wins over "the North" and "short-range ballistic missile" over
"ballistic missile".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_SEPARATOR = r"[\s\-\u2010\u2011\u2013]?"
_APOSTROPHE = "['\u2019]"


def alias_pattern(alias: str, *, plural: bool) -> str:
    """The regular expression for one alias (without word boundaries)."""
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
    pattern = "".join(parts)
    if plural and alias[-1:].isalnum():
        pattern += "(?:e?s)?"
    return pattern


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
    """Matches many aliases at once; each alias points at one or more entries."""

    def __init__(self, aliases: Iterable[tuple[str, T, bool]]) -> None:
        """`aliases`: (alias, entry, plural allowed)."""
        by_key: dict[tuple[bool, str], list[T]] = {}
        patterns: dict[tuple[bool, str], str] = {}
        for alias, entry, plural in aliases:
            sensitive = is_case_sensitive(alias)
            key = (sensitive, alias if sensitive else alias.lower())
            by_key.setdefault(key, [])
            if entry not in by_key[key]:
                by_key[key].append(entry)
            patterns[key] = alias_pattern(alias, plural=plural)
        self._entries = {key: tuple(entries) for key, entries in by_key.items()}
        # One pattern per (case rule, first two letters, or the first alone when the
        # second may be spelt several ways): a word start only tries the aliases
        # that can begin there.
        buckets: dict[tuple[bool, str], list[tuple[bool, str]]] = {}
        for key in patterns:
            sensitive, alias = key
            buckets.setdefault((sensitive, _prefix(alias)), []).append(key)
        self._patterns: dict[tuple[bool, str], tuple[re.Pattern[str], list[tuple[bool, str]]]] = {}
        for bucket, keys in buckets.items():
            keys.sort(key=lambda key: len(key[1]), reverse=True)
            alternation = "|".join(
                f"(?P<a{index}>{patterns[key]})" for index, key in enumerate(keys)
            )
            flags = 0 if bucket[0] else re.IGNORECASE
            self._patterns[bucket] = (re.compile(rf"(?:{alternation})(?!\w)", flags), keys)

    def find(self, text: str) -> list[Hit[T]]:
        """Non-overlapping hits in text order, the longest winning where names overlap."""
        candidates: list[tuple[int, int, tuple[bool, str]]] = []
        patterns = self._patterns
        for word in _WORD_START.finditer(text):
            position = word.start()
            char, pair = text[position], text[position : position + 2]
            lower, lower_pair = char.lower(), pair.lower()
            for bucket in ((True, pair), (True, char), (False, lower_pair), (False, lower)):
                found = patterns.get(bucket)
                if found is None:
                    continue
                compiled, keys = found
                match = compiled.match(text, position)
                if match is None or match.lastgroup is None:
                    continue
                candidates.append((position, match.end(), keys[int(match.lastgroup[1:])]))
        return [
            Hit(start, end, text[start:end], self._entries[key])
            for start, end, key in _longest_first(candidates)
        ]


_WORD_START = re.compile(r"(?<![\w\-])\w")


def _prefix(alias: str) -> str:
    """The letters every spelling of `alias` begins with (lower case when case is free)."""
    start = alias[:2] if len(alias) >= 2 and alias[:2].isalnum() else alias[:1]
    return start if is_case_sensitive(alias) else start.lower()


def _longest_first(
    candidates: Sequence[tuple[int, int, tuple[bool, str]]],
) -> list[tuple[int, int, tuple[bool, str]]]:
    chosen: list[tuple[int, int, tuple[bool, str]]] = []
    taken: list[tuple[int, int]] = []
    for candidate in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        start, end, _ = candidate
        if all(end <= s or start >= e for s, e in taken):
            chosen.append(candidate)
            taken.append((start, end))
    return sorted(chosen)
