"""The facts of a recognised launch report, each with the text it came from.

The launching state comes from who launched in the lead sentence ("North Korea
fired", "launched from Yemen"), then from what was launched (a Hwasong is
North Korea's). The type comes from the lead first, since later sentences may
name what the weapon is meant to counter. The date is the most precise date
phrase about the launch, read at the launch site; the saying date ("KCNA said on
Friday") stands in only when nothing dates the launch itself.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

from schemas import (
    Claim,
    EntityKind,
    LaunchFacts,
    MentionedLaunch,
    MissileType,
    Outcome,
    Place,
    RangeClass,
    Span,
)
from schemas.launches import FactName
from services.enricher import cues
from services.enricher.dates import DateMention, DateResolver, Precision
from services.enricher.gazetteer import Actor, Agency, Found, Gazetteer, Official, Site, Weapon
from services.enricher.quantities import count_before, quantities, singular_before
from services.enricher.recognition import Reading, Recognition, specific_type


class _Evidence:
    """Spans per fact, only for text that is part of the article (not a detached title)."""

    def __init__(self) -> None:
        self.spans: dict[FactName, list[Span]] = {}

    def add(self, fact: FactName, reading: Reading, start: int, end: int, text: str) -> None:
        if not reading.in_text:
            return
        spans = self.spans.setdefault(fact, [])
        span = Span(start=start, end=end, text=text)
        if span not in spans:
            spans.append(span)

    def frozen(self) -> dict[FactName, tuple[Span, ...]]:
        return {fact: tuple(spans) for fact, spans in self.spans.items()}


def extract_facts(
    recognition: Recognition, gazetteer: Gazetteer, published_at: datetime | None
) -> LaunchFacts | None:
    """The facts of the launch the article reports, or None when it reports none."""
    primary = recognition.primary
    if primary is None:
        return None
    event = recognition.event
    evidence = _Evidence()
    country = _country(primary, event, evidence)
    location, impact = _places(event, country, evidence)
    timezone = (location.timezone if location else None) or gazetteer.timezone_of(country)
    launch_date = _launch_date(event, published_at, timezone, evidence)
    missile_type, range_class, names = _weapon(event, evidence)
    return LaunchFacts(
        country=country,  # type: ignore[arg-type]
        launch_date=launch_date,
        missile_type=missile_type,
        range_class=range_class,
        weapon_names=names,
        count=_count(event, evidence),
        location=location,
        impact_area=impact,
        outcome=_outcome(event, evidence),
        officials=_officials(event, country, evidence),
        reported_by=_reported_by(event, evidence),
        claims=_claims(event),
        evidence=evidence.frozen(),
    )


def _event_part(reading: Reading, found: Found) -> bool:
    """Whether a name belongs to the reported launch, not an earlier one named after a cue."""
    return reading.passing_at is None or found.start < reading.passing_at


def _country(primary: Reading, event: list[Reading], evidence: _Evidence) -> str | None:
    text, base = primary.sentence.text, primary.sentence.start
    trigger = primary.realis_at if primary.realis_at is not None else base
    actors = [f for f in primary.founds if f.kind is EntityKind.ACTOR and _event_part(primary, f)]
    for found in actors:  # "launched from Yemen", "the test by Pyongyang"
        between = text[trigger - base : found.start - base]
        if found.start > trigger and cues.LAUNCHED_FROM.match(between):
            return _chosen_actor(primary, found, evidence)
    before = [f for f in actors if f.start < trigger]
    if before:
        chosen = before[-1]
        # "Israel and the United States tested": the first of a joint subject leads.
        while (index := before.index(chosen)) > 0 and _JOINT.match(
            text[before[index - 1].end - base : chosen.start - base]
        ):
            chosen = before[index - 1]
        return _chosen_actor(primary, chosen, evidence)
    for reading in event:
        for found in reading.weapons(before=reading.passing_at):
            entry = found.entry
            if isinstance(entry, Weapon) and entry.country:
                evidence.add("country", reading, found.start, found.end, found.text)
                return entry.country
    for reading in event:
        for found in reading.founds:
            if found.kind is EntityKind.OFFICIAL and isinstance(found.entry, Official):
                evidence.add("country", reading, found.start, found.end, found.text)
                return found.entry.country
    if actors:
        return _chosen_actor(primary, actors[0], evidence)
    tally: Counter[str] = Counter()
    for reading in event:
        tally.update(f.entry.country for f in reading.founds if isinstance(f.entry, Actor))
    return tally.most_common(1)[0][0] if tally else None


_JOINT = re.compile(r"^\s+(?:and|together with|with)\s+(?:the\s+)?$", re.IGNORECASE)


def _chosen_actor(reading: Reading, found: Found, evidence: _Evidence) -> str:
    assert isinstance(found.entry, Actor)
    evidence.add("country", reading, found.start, found.end, found.text)
    return found.entry.country


def _places(
    event: list[Reading], country: str | None, evidence: _Evidence
) -> tuple[Place | None, Place | None]:
    location: tuple[Reading, Found, Site] | None = None
    area: tuple[Reading, Found, Site] | None = None
    impact: tuple[Reading, Found, Site] | None = None
    for reading in event:
        base, text = reading.sentence.start, reading.sentence.text
        for found in reading.founds:
            site = found.entry
            if found.kind is not EntityKind.SITE or not isinstance(site, Site):
                continue
            if not _event_part(reading, found) or (found.local_only and site.country != country):
                continue
            prefix = text[max(0, found.start - base - 60) : found.start - base]
            if site.needs_cue and not cues.SITE_CUE.search(prefix):
                continue
            if cues.IMPACT_CUE.search(prefix):
                impact = impact or (reading, found, site)
                area = area or (reading, found, site)
            elif site.kind == "sea":
                area = area or (reading, found, site)
            else:
                location = location or (reading, found, site)
    chosen = location or area
    if chosen:
        evidence.add("location", chosen[0], chosen[1].start, chosen[1].end, chosen[1].text)
    if impact:
        evidence.add("impact_area", impact[0], impact[1].start, impact[1].end, impact[1].text)
    return (chosen[2].place() if chosen else None, impact[2].place() if impact else None)


def _launch_date(
    event: list[Reading], published_at: datetime | None, timezone: str | None, evidence: _Evidence
) -> date | None:
    resolver = DateResolver(published_at, timezone)
    best: tuple[Reading, DateMention] | None = None
    fallback: tuple[Reading, DateMention] | None = None
    for reading in event:
        sentence = reading.sentence
        limit = (reading.passing_at - sentence.start) if reading.passing_at else len(sentence.text)
        mentions = resolver.mentions(sentence.text[:limit], sentence.start)
        if reading is not event[0] and not (
            reading.is_candidate or cues.TRIGGER.search(sentence.text)
        ):
            continue
        for mention in mentions:
            if mention.day is None or mention.precision < Precision.VAGUE:
                continue
            if mention.is_report_date:
                if fallback is None or mention.precision > fallback[1].precision:
                    fallback = (reading, mention)
            elif best is None or mention.precision > best[1].precision:
                best = (reading, mention)
    chosen = best or fallback
    if chosen:
        reading, mention = chosen
        evidence.add("launch_date", reading, mention.start, mention.end, mention.text)
        return mention.day
    return resolver.publication_day()


def _weapon(
    event: list[Reading], evidence: _Evidence
) -> tuple[MissileType, RangeClass | None, tuple[str, ...]]:
    missile_type = MissileType.UNKNOWN
    range_class: RangeClass | None = None
    names: list[str] = []
    for reading in event:
        weapons = reading.weapons(before=reading.passing_at)
        for found in weapons:
            entry = found.entry
            if isinstance(entry, Weapon) and not entry.descriptive and entry.name not in names:
                names.append(entry.name)
                evidence.add("weapon_names", reading, found.start, found.end, found.text)
        if missile_type is MissileType.UNKNOWN:
            kind = specific_type(weapons)
            if kind:
                missile_type = MissileType(kind)
                for found in weapons:
                    if isinstance(found.entry, Weapon) and found.entry.missile_type == missile_type:
                        evidence.add("missile_type", reading, found.start, found.end, found.text)
                        break
    if missile_type in (
        MissileType.BALLISTIC,
        MissileType.HYPERSONIC,
        MissileType.ARTILLERY_ROCKET,
        MissileType.UNKNOWN,
    ):
        for reading in event:
            for found in reading.weapons(before=reading.passing_at):
                entry = found.entry
                if isinstance(entry, Weapon) and entry.range_class and range_class is None:
                    range_class = entry.range_class
                    evidence.add("range_class", reading, found.start, found.end, found.text)
    return missile_type, range_class, tuple(names)


def _count(event: list[Reading], evidence: _Evidence) -> int | None:
    for reading in event:
        if not (reading.is_candidate or reading is event[0]):
            continue
        base, text = reading.sentence.start, reading.sentence.text
        nouns = [(f.start, f.end) for f in reading.weapons(before=reading.passing_at)]
        nouns += [(base + m.start(), base + m.end()) for m in cues.MISSILE.finditer(text)]
        for start, end in sorted(nouns):
            if reading.passing_at is not None and start >= reading.passing_at:
                continue
            count = count_before(text[: start - base])
            if count is not None:
                evidence.add("count", reading, start, end, text[start - base : end - base])
                return count
    return _singular_count(event, evidence)


def _singular_count(event: list[Reading], evidence: _Evidence) -> int | None:
    """One missile when the sentence stating the launch names it in the singular.

    "Fired a long-range ballistic missile" is one; "fired ballistic missiles",
    "a barrage of rockets" are not counted. Headlines drop the article, so there
    a singular noun alone is enough. The first launch sentence that names what
    flew decides.
    """
    for reading in event:
        if not (reading.is_candidate or reading is event[0]) or reading.realis_at is None:
            continue
        base, text = reading.sentence.start, reading.sentence.text
        limit = reading.passing_at if reading.passing_at is not None else base + len(text)
        nouns = [(f.start, f.end) for f in reading.weapons(after=reading.realis_at, before=limit)]
        nouns += [
            (base + m.start(), base + m.end())
            for m in cues.MISSILE.finditer(text)
            if reading.realis_at <= base + m.start() < limit
        ]
        if not nouns:
            continue
        start, end = min(nouns)
        noun = text[start - base : end - base]
        headline = not reading.in_text or reading.sentence.index < 0
        prefix = text[: start - base]
        plural = noun.endswith(("s", "S")) and not noun.endswith(("ss", "SS"))
        if singular_before(prefix, noun) or (headline and not plural):
            evidence.add("count", reading, start, end, noun)
            return 1
        if plural:
            return None
    return None


def _outcome(event: list[Reading], evidence: _Evidence) -> Outcome:
    success: tuple[Reading, int, int, str] | None = None
    for reading in event:
        text, base = reading.sentence.text, reading.sentence.start
        limit = (reading.passing_at - base) if reading.passing_at else len(text)
        failure = cues.FAILURE.search(text, 0, limit)
        if failure:
            evidence.add(
                "outcome", reading, base + failure.start(), base + failure.end(), failure.group()
            )
            return Outcome.FAILURE
        found = cues.SUCCESS.search(text, 0, limit)
        if found and success is None:
            success = (reading, base + found.start(), base + found.end(), found.group())
    if success:
        evidence.add("outcome", *success)
        return Outcome.SUCCESS
    return Outcome.UNKNOWN


def _officials(event: list[Reading], country: str | None, evidence: _Evidence) -> tuple[str, ...]:
    names: list[str] = []
    for reading in event:
        text = reading.sentence.text
        if not (cues.PRESENCE.search(text) and (reading.launch_language or reading.about_missile)):
            continue
        for found in reading.founds:
            entry = found.entry
            if not isinstance(entry, Official) or not _event_part(reading, found):
                continue
            if country and entry.country != country:
                continue
            if entry.name not in names:
                names.append(entry.name)
            evidence.add("officials", reading, found.start, found.end, found.text)
    return tuple(names)


def _reported_by(event: list[Reading], evidence: _Evidence) -> tuple[str, ...]:
    names: list[str] = []
    for reading in event:
        for found in reading.founds:
            entry = found.entry
            if (
                isinstance(entry, Agency)
                and found.kind is EntityKind.AGENCY
                and _event_part(reading, found)
            ):
                if entry.name not in names:
                    names.append(entry.name)
                evidence.add("reported_by", reading, found.start, found.end, found.text)
    return tuple(names)


def _claims(event: list[Reading]) -> tuple[Claim, ...]:
    claims: list[Claim] = []
    for reading in event:
        text, base = reading.sentence.text, reading.sentence.start
        agencies = [f.entry.name for f in reading.founds if isinstance(f.entry, Agency)]
        for quantity in quantities(text):
            if reading.passing_at is not None and base + quantity.start >= reading.passing_at:
                continue
            span = (
                Span(
                    start=base + quantity.start,
                    end=base + quantity.end,
                    text=text[quantity.start : quantity.end],
                )
                if reading.in_text
                else None
            )
            claim = Claim(
                quantity=quantity.quantity,
                value=quantity.value,
                claimed_by=agencies[0] if agencies else None,
                span=span,
            )
            if all((c.quantity, c.value) != (claim.quantity, claim.value) for c in claims):
                claims.append(claim)
    return tuple(claims)


def extract_mentions(
    recognition: Recognition, published_at: datetime | None, timezone: str | None
) -> tuple[MentionedLaunch, ...]:
    """Earlier launches named in passing: context, never events."""
    resolver = DateResolver(published_at, timezone)
    groups: list[list[Reading]] = []
    for reading in recognition.mentions:
        if (
            groups
            and groups[-1][-1].sentence.index + 1 == reading.sentence.index
            and cues.ANAPHORA.search(reading.sentence.text)
        ):
            groups[-1].append(reading)
        else:
            groups.append([reading])
    mentions: list[MentionedLaunch] = []
    for group in groups:
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
        ranges = [
            f.entry.range_class
            for f in weapons
            if isinstance(f.entry, Weapon) and f.entry.range_class
        ]
        first = group[0]
        span = (
            Span(start=first.sentence.start, end=first.sentence.end, text=first.sentence.text)
            if first.in_text
            else None
        )
        if kind is None and day is None:
            continue
        mentions.append(
            MentionedLaunch(
                launch_date=day.day if day else None,
                missile_type=MissileType(kind) if kind else MissileType.UNKNOWN,
                range_class=ranges[0] if ranges else None,
                span=span,
            )
        )
    return tuple(mentions)
