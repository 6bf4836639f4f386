"""Earlier launches a report names in passing ("days after it fired an ICBM").

They are context for a reader, never events: each gets the type and day the
passing clause gives, and consecutive sentences that go on about it ("That
missile ...") join it.
"""

from __future__ import annotations

from datetime import datetime

from schemas import MentionedLaunch, MissileType, Span
from services.enricher import cues
from services.enricher.dates import DateMention, DateResolver, Precision
from services.enricher.gazetteer import Found, Weapon
from services.enricher.recognition import Reading, Recognition, specific_type


def extract_mentions(
    recognition: Recognition, published_at: datetime | None, timezone: str | None
) -> tuple[MentionedLaunch, ...]:
    """Earlier launches named in passing, each with what the article says of it."""
    resolver = DateResolver(published_at, timezone)
    mentions: list[MentionedLaunch] = []
    for group in _groups(recognition.mentions):
        mention = _mention(group, resolver)
        if mention is not None:
            mentions.append(mention)
    return tuple(mentions)


def _groups(readings: list[Reading]) -> list[list[Reading]]:
    groups: list[list[Reading]] = []
    for reading in readings:
        if (
            groups
            and groups[-1][-1].sentence.index + 1 == reading.sentence.index
            and cues.ANAPHORA.search(reading.sentence.text)
        ):
            groups[-1].append(reading)
        else:
            groups.append([reading])
    return groups


def _mention(group: list[Reading], resolver: DateResolver) -> MentionedLaunch | None:
    weapons: list[Found] = []
    day: DateMention | None = None
    for reading in group:
        after = reading.passing_at
        weapons += reading.weapons(after=after)
        text, base = reading.sentence.text, reading.sentence.start
        offset = (after - base) if after else 0
        for mention in resolver.mentions(text[offset:], base + offset):
            if (
                mention.day
                and mention.precision >= Precision.RELATIVE
                and not mention.is_report_date
            ):
                day = day or mention
    kind = specific_type(weapons)
    if kind is None and day is None:
        return None
    ranges = [
        f.entry.range_class for f in weapons if isinstance(f.entry, Weapon) and f.entry.range_class
    ]
    first = group[0]
    span = (
        Span(start=first.sentence.start, end=first.sentence.end, text=first.sentence.text)
        if first.in_text
        else None
    )
    return MentionedLaunch(
        launch_date=day.day if day else None,
        missile_type=MissileType(kind) if kind else MissileType.UNKNOWN,
        range_class=ranges[0] if ranges else None,
        span=span,
    )
