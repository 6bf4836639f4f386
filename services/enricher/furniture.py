"""Page furniture: what a page prints around the story, set aside before it is read.

Real pages carry more than the story: datelines ("SEOUL, Nov. 29 (Yonhap) --"),
bylines and author notes, desk and section names, time stamps, photo credits and
captions, subheads, "Related" link lists, copies of the headline. Read as prose they
push the real lead out of the lead window, and their places and dates pass for a
launch's. They are recognised line by line and left out of the sentences the
enricher reads; every sentence kept still points into the original text.

A dateline is not thrown away: its place and date say where and when the report
was filed, which is evidence for the report's time zone, never for the launch. It is
kept as the article's `ArticleFrame`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from schemas import Span
from services.enricher import cues
from services.enricher.dates import DateResolver
from services.enricher.sentences import Sentence, split_sentences

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"(?:{_MONTH}\s*{_DAY}|{_DAY}\s+{_MONTH})(?:,?\s*(?:19|20)\d{{2}})?\.?"
_PLACE_WORD = (
    r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d)[A-Z][A-Za-z.'\u2019\-]*"
)

DATELINE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:[ /]{_PLACE_WORD}){{0,3}})"
    r"(?:\s*\((?P<paren>[A-Z][\w .]{1,30})\))?(?:\s*\[[A-Z][\w .]{1,30}\])?"
    rf"(?:\s*,\s*(?P<region>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}}))?"
    rf"(?:\s*,?\s*(?P<date>{_DATE}))?"
    r"(?:\s*(?:\((?P<agency>[A-Z][^()\n]{1,60})\)|/(?P<slashed>[A-Z][^/\n]{1,24})/\.?))?"
    r"\s*(?P<sep>--|\u2014|\u2013|-(?=\s)|:|\u2022|\.\u2014|\.-)?\s*"
)
"""A dateline at the start of a line: place, region, date, agency, then a dash or colon."""

CAPS_DATELINE = re.compile(
    r"(?!(?:NORTH|SOUTH|EAST|WEST|NEW|UNITED|SAUDI|HONG)\s)"
    r"(?P<place>[A-Z]{4,}(?: [A-Z]{2,}){0,2})(?P<date>)(?P<agency>)(?P<slashed>)(?P<paren>)"
    r"\s+(?=[A-Z][a-z])"
)
"""A dateline in capitals with no dash: "WASHINGTON The administration said..."."""

DATELINE_PARAGRAPHS = 3
"""A dateline opens one of the first paragraphs of prose (a caption may come first)."""

_NOT_A_PLACE = frozenset(
    [
        "update",
        "updated",
        "breaking",
        "exclusive",
        "watch",
        "video",
        "photos",
        "photo",
        "analysis",
        "opinion",
        "editorial",
        "live",
        "file",
        "note",
        "correction",
        "urgent",
        "flash",
        "news",
        "related",
        "source",
        "image",
        "caption",
        "alert",
        "story",
        "summary",
    ]
)

TIMESTAMP_TOKEN = re.compile(
    rf"{_MONTH}|\b(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\d{4}-\d\d-\d\dT[\d:+]*|\d+(?:st|nd|rd|th)\b|\d[\d:.\-/+]*|\b[ap]\.?m\.?\b|\b(?:UTC|GMT|KST|JST|EST|EDT|ET|PST|PDT|MSK"
    r"|IST|CET|CEST|BST|SGT|HKT|local|time)\b[+\d]*|@\w+|\b(?:updated?|last|posted|published"
    r"|first|on|at|min|read|ago|minutes?|hours?|days?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f'\u2019\-]*")

BYLINE = re.compile(
    r"^\W*(?:By|Written by|Reported by|Posted by|Story by|Edited by|Words by)\s+[A-Z]"
    r"|^[A-Z][\w.\-]+(?: [A-Z][\w.\-]+){0,3} is an? (?:[\w\-]+ ){0,4}(?:journalist|reporter"
    r"|correspondent|writer|editor|contributor)\b"
)
CAPTION_START = re.compile(
    r"^\W*(?:FILE\b|File (?:photo|picture|image)|In this (?:photo|image|picture|handout|file)"
    r"|This (?:photo|image|picture)|An? (?:handout|file) (?:photo|picture|image)|Handout\b"
    r"|epa\d+|Screen ?grab|Screenshot|An? screen ?grab|Photo\s*:|Image\s*:|Pictured\b"
    r"|Representationa?l? [Ii]mage|An? (?:photo|picture|image) (?:taken|released|provided|made)"
    r"|Photograph\s*:|Courtesy of|\(?Courtesy\b|\(Image credit|\(Photo|\(File)"
)
"""How a caption or credit line begins ("FILE -", "In this photo", "A handout picture")."""
CREDIT = re.compile(
    r"Getty Images|AP Photo|/AP\b|/AFP\b|/Reuters\b|/REUTERS|/EPA\b|Image credit|Photo credit"
    r"|@via\b|\bfile (?:footage|photo|image|picture)|\bPHOTO\)?\s*$"
    r"|\((?:Reuters|AFP|AP|EPA|Yonhap|KCNA)\)\s*$"
)
SCENE = re.compile(
    r"\b(?:watch(?:es)?|walks?|stands?|looks? (?:at|on)|speaks?|is seen|are seen|passes|gather"
    r"|holds?|shows?|showing|launches|is launched|lifts off|blasts off|is fired)\b"
)
ENDS_WITH_DATED = re.compile(
    rf"(?:{_MONTH}\s*{_DAY}|{_DAY}\s+{_MONTH}),?\s*(?:19|20)\d{{2}}\.?(?:\s*\([^()]{{2,60}}\))?\s*$"
)
LINKS = re.compile(
    r"^\W*(?:Related\b|Also [Rr]ead|Read [Mm]ore|READ MORE|See [Aa]lso|More\s*:|Full Story"
    r"|[Ss]ource\s*:|\[?Copyright\b|\u00a9|Watch\s*:|Listen\b|Share\b|Follow us|Subscribe)"
)
DESK = re.compile(
    r"^\W*(?:Home\s*/|News|World|Comments?|Key events|Live feed|What we covered|You are here"
    r"|Powered by automated translation|Advertisement|Key [Hh]ighlights|Latest|Top stories)\W*$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SITE_NAME = re.compile(r"\b\w+\.(?:com|net|org|co\.\w\w|news)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\"\u201d]\s")
_PROSE_END = re.compile(r"[.!?:;\"\u201d\u2019')\u2026]\s*$")


class Kind(enum.StrEnum):
    """What a piece of furniture is; the reader needs none of them."""

    DATELINE = "dateline"
    BYLINE = "byline"
    TIMESTAMP = "timestamp"
    CREDIT = "credit"
    CAPTION = "caption"
    SUBHEAD = "subhead"
    LINKS = "links"
    DESK = "desk"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Piece:
    """One stretch of furniture in the article text."""

    kind: Kind
    start: int
    end: int


@dataclass(frozen=True)
class ArticleFrame:
    """Where and when the report says it was filed: its dateline.

    The place and date describe the report, not the launch. The date is resolved
    against the publication time (a dateline gives no year).
    """

    place: str
    day: date | None
    agency: str | None
    span: Span


@dataclass(frozen=True)
class Layout:
    """The article's prose sentences (numbered anew), the furniture, and the frame."""

    body: list[Sentence]
    furniture: list[Piece]
    frame: ArticleFrame | None


def lay_out(text: str, published_at: datetime | None) -> Layout:
    """Separates the furniture of `text` from its prose."""
    pieces: list[Piece] = []
    frame: ArticleFrame | None = None
    seen: set[str] = set()
    lines = list(re.finditer(r"[^\n]+", text))
    prose = 0  # datelines open the first paragraphs, never the later ones
    for number, line in enumerate(lines):
        content = line.group().strip()
        if not content:
            continue
        start = line.start() + line.group().index(content)
        end = start + len(content)
        kind = _line_kind(content, prose > 0, number == len(lines) - 1, content in seen)
        seen.add(content)
        stamped = DATELINE.match(content) if kind is Kind.TIMESTAMP and frame is None else None
        if stamped is not None and (stamped["agency"] or stamped["slashed"] or stamped["paren"]):
            frame = _frame(text, start, stamped, published_at)
        if kind is None and prose < DATELINE_PARAGRAPHS:
            dateline = _dateline(content)
            if dateline is not None:
                cut = dateline.end()
                if frame is None:
                    frame = _frame(text, start, dateline, published_at)
                rest = content[cut:]
                if not rest or _is_timestamp(rest):
                    pieces.append(Piece(Kind.DATELINE, start, end))
                    continue
                pieces.append(Piece(Kind.DATELINE, start, start + cut))
                content = rest
        if kind is not None:
            pieces.append(Piece(kind, start, end))
        elif _is_prose(content):
            prose += 1
    return Layout(_body(text, pieces), pieces, frame)


def _line_kind(line: str, in_body: bool, last: bool, repeated: bool) -> Kind | None:
    """The furniture a whole line is, if it is."""
    if repeated:
        return Kind.DUPLICATE
    if len(line) > 320:  # a paragraph: only a long caption or an author's note
        if CAPTION_START.search(line):
            return Kind.CREDIT
        return Kind.BYLINE if BYLINE.search(line) else None
    words = _WORD.findall(line)
    if BYLINE.search(line) and len(words) <= 40:
        return Kind.BYLINE
    if LINKS.search(line) and len(words) <= 30:
        return Kind.LINKS
    if DESK.match(line):
        return Kind.DESK
    if CAPTION_START.search(line) or (len(words) <= 45 and CREDIT.search(line)):
        return Kind.CREDIT
    if _is_timestamp(line):
        return Kind.TIMESTAMP
    dated = len(words) <= 40 and ENDS_WITH_DATED.search(line[-90:])
    if dated and (SCENE.search(line) or line.rstrip().endswith(")")):
        return Kind.CAPTION
    if len(words) > 8 or last or cues.TRIGGER.search(line):
        return None  # the checks below are for short lines
    if not in_body and len(words) <= 8 and _SITE_NAME.search(line):
        return Kind.DESK  # "SpaceWar.com - Your World At War"
    if not in_body and len(words) <= 3 and not line.endswith("."):
        return Kind.DESK  # a section, an outlet or a label before the story
    if not in_body and len(words) <= 4 and all(w[0].isupper() for w in words):
        return Kind.BYLINE  # a name before the story
    if _PROSE_END.search(line):
        return None
    if in_body and len(words) <= 7:
        return Kind.SUBHEAD
    return None


def _is_timestamp(line: str) -> bool:
    """A line of dates and clock times, perhaps with a place or an agency."""
    if len(line) > 140 or not _DIGIT.search(line):
        return False
    residue = _WORD.findall(TIMESTAMP_TOKEN.sub(" ", line))
    if len(residue) <= 2:
        return True
    return len(residue) <= 6 and all(w[0].isupper() or w in ("of", "and") for w in residue)


def _dateline(line: str) -> re.Match[str] | None:
    match = DATELINE.match(line)
    if match is not None and _valid(match, line):
        return match
    match = CAPS_DATELINE.match(line)
    rest = line[match.end() :] if match else ""
    if match and match["place"].lower() not in _NOT_A_PLACE and _is_prose(rest):
        return match
    return None


def _valid(match: re.Match[str], line: str) -> bool:
    place = match["place"]
    if place.split()[0].lower().strip(".") in _NOT_A_PLACE:
        return False
    rest = line[match.end() :]
    if match["agency"] or match["slashed"] or match["paren"]:
        return True
    if ".com" in place.lower() or len(rest.split()) < 6 or not _is_prose(rest):
        return False
    if not rest[0].isupper() and rest[0] not in "\"\u201c'":
        return False
    sep = match["sep"]
    if sep:
        if sep == ":":
            return bool(match["date"]) or " " not in place
        return place.isupper() or bool(match["date"] or match["region"]) or " " not in place
    return bool(match["date"]) and "," in line[: match.start("date")]


def _frame(
    text: str, offset: int, match: re.Match[str], published_at: datetime | None
) -> ArticleFrame:
    day = None
    if match["date"]:
        mentions = DateResolver(published_at, None).mentions(match["date"])
        day = next((m.day for m in mentions if m.day is not None), None)
    end = offset + len(match.group().rstrip())
    return ArticleFrame(
        place=match["place"],
        day=day,
        agency=match["agency"] or match["slashed"] or match["paren"] or None,
        span=Span(start=offset, end=end, text=text[offset:end]),
    )


def _is_prose(line: str) -> bool:
    """A line of the story itself: long enough to be a sentence, not a headline."""
    return line.count(" ") >= 11 and bool(_SENTENCE_END.search(line + " "))


def _body(text: str, pieces: list[Piece]) -> list[Sentence]:
    """The sentences outside furniture, numbered from 0, each pointing into `text`."""
    body: list[Sentence] = []
    ordered = sorted(pieces, key=lambda piece: piece.start)
    for sentence in split_sentences(text):
        start, end = sentence.start, sentence.end
        for piece in ordered:
            if piece.start <= start < piece.end:
                start = piece.end
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        body.append(Sentence(len(body), start, text[start:end]))
    return body
