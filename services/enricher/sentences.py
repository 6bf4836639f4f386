"""Splitting article text into sentences that keep their offsets.

Launch recognition reasons sentence by sentence (is this sentence about a
launch, and is it news, plan, history or denial?), and every fact points back
into the text, so each sentence remembers where it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "adm",
        "sgt",
        "rep",
        "sen",
        "gov",
        "pres",
        "prof",
        "jr",
        "sr",
        "vs",
        "etc",
        "inc",
        "co",
        "corp",
        "ltd",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "approx",
        "est",
        "dept",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"\u201d\u2019']?\s+(?=[\"\u201c\u2018']?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")
_OPENS_SENTENCE = re.compile(r"(?:The|It|Its|This|That|These|They|He|She|We|A|An|In|On)\s")
"""A word that opens a sentence, after a clock's "a.m." or "p.m." ("between midnight and 6
a.m. The test was announced ..."): the abbreviation ended the sentence too."""


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and where it starts in the article text."""

    index: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order; a line break always ends a sentence."""
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        begin = line.start()
        cursor = begin
        for boundary in _BOUNDARY.finditer(text, begin, line.end()):
            before = text[cursor : boundary.start()].rsplit(None, 1)
            last_word = before[-1].rstrip(".!?").lower() if before else ""
            abbreviated = last_word in _ABBREVIATIONS or (
                len(last_word) == 1 and last_word.isalpha()
            )
            if abbreviated and not _OPENS_SENTENCE.match(text, boundary.end()):
                continue
            _append(sentences, text, cursor, boundary.start())
            cursor = boundary.end()
        _append(sentences, text, cursor, line.end())
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    offset = start + chunk.index(stripped)
    sentences.append(Sentence(len(sentences), offset, stripped))
