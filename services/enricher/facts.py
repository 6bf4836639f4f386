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
from dataclasses import dataclass
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
from services.enricher.quantities import (
    count_before,
    one_of_many_or_a_kind,
    quantities,
    singular_before,
)
from services.enricher.recognition import Reading, Recognition, compatible_types, specific_type


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
    launch_date = _launch_date(
        event, published_at, timezone, evidence, recognition.readings, recognition.mentions
    )
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
        officials=_officials(event, country, evidence, recognition.readings, recognition.mentions),
        reported_by=_reported_by(
            event, evidence, recognition.readings, recognition.mentions, country, gazetteer
        ),
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
    owner = _owner_of_trigger(primary, actors, trigger)
    if owner is not None:  # "condemned Iran's launch": the possessive owns the launch
        return _chosen_actor(primary, owner, evidence)
    before = [f for f in actors if f.start < trigger]
    # A state that only reacts ("Britain, France and Germany condemned ...") did not
    # launch, unless no other state is named before the launch word.
    before = [
        f for f in before if not _REACTING.search(text[f.end - base : trigger - base])
    ] or before
    if before:
        chosen = before[-1]
        # "Israel and the United States tested": the first of a joint subject leads.
        while (index := before.index(chosen)) > 0 and _JOINT.match(
            text[before[index - 1].end - base : chosen.start - base]
        ):
            chosen = before[index - 1]
        return _chosen_actor(primary, chosen, evidence)
    for reading in event:
        for found in reading.founds:
            if found.kind is EntityKind.ACTOR and _operates(reading, found):
                return _chosen_actor(reading, found, evidence)
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
    launchers = [f for f in actors if not _TARGETED.search(text[: f.start - base][-40:])]
    if launchers:
        return _chosen_actor(primary, launchers[0], evidence)
    tally: Counter[str] = Counter()
    for reading in event:
        tally.update(f.entry.country for f in reading.founds if isinstance(f.entry, Actor))
    return tally.most_common(1)[0][0] if tally else None


_REACTING = re.compile(
    r"\b(?:said|says|condemn\w*|denounc\w*|critici[sz]\w*|protest\w*|urged|urges|called"
    r"|warned|accused|responded|reacted|voiced|expressed|slammed)\b",
    re.IGNORECASE,
)
"""A reaction between a state and the launch word: that state speaks of the launch
("Britain, France and Germany condemned ..."), it did not launch."""

_TARGETED = re.compile(
    r"\b(?:at|on|against|toward|towards|into|over|targeting|targeted|hit|struck)\s+(?!by\b)"
    r"(?:the\s+)?(?:[\w\-]+,?\s+){0,3}$",
    re.IGNORECASE,
)
"""A state named where the missiles went ("at Kyiv, Ukraine"): the target."""

_PLATFORM_AFTER = re.compile(
    r"^(?:[\u2019']s?)?\s+(?:[\w\-]+\s+){0,2}?(?:submarines?|warships?|destroyers?|frigates?"
    r"|missiles?|rockets?)\b(?!\s+(?:\w+\s+)?(?:said|says|reported|claimed|destroyed"
    r"|intercepted|shot))",
    re.IGNORECASE,
)


def _operates(reading: Reading, found: Found) -> bool:
    """A state named as the one whose submarine, navy or missile flew ("a British
    submarine", "the Royal Navy's Trident"): it launched, wherever the missile came from."""
    if not _event_part(reading, found):
        return False
    base, text = reading.sentence.start, reading.sentence.text
    if _TARGETED.search(text[: found.start - base][-40:]):
        return False
    after = text[found.end - base : found.end - base + 60]
    if _PLATFORM_AFTER.match(after):
        return True
    return isinstance(found.entry, Actor) and found.text.isupper() and found.text == "HMS"


_POSSESSIVE_TRIGGER = re.compile(r"^[\u2019']s?\s+(?:[\w\-]+\s+){0,3}$")


def _owner_of_trigger(reading: Reading, actors: list[Found], trigger: int) -> Found | None:
    """The state whose possessive owns the launch word ("Iran's satellite launch")."""
    base = reading.sentence.start
    for found in reversed(actors):
        if found.end <= trigger and _POSSESSIVE_TRIGGER.match(
            reading.sentence.text[found.end - base : trigger - base]
        ):
            return found
    return None


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
    event: list[Reading],
    published_at: datetime | None,
    timezone: str | None,
    evidence: _Evidence,
    readings: list[Reading],
    passing: list[Reading],
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
    if best is None:
        kind = next((k for r in event if (k := specific_type(r.weapons()))), None)
        best = _dated_elsewhere([r for r in readings if r not in passing], resolver, kind)
    chosen = best or fallback
    if chosen:
        reading, mention = chosen
        evidence.add("launch_date", reading, mention.start, mention.end, mention.text)
        return mention.day
    return resolver.publication_day()


_RECENT_DAYS = 10


def _dated_elsewhere(
    readings: list[Reading], resolver: DateResolver, kind: str | None
) -> tuple[Reading, DateMention] | None:
    """A recent day the article gives its launch outside the launch sentences.

    "Tuesday's attack" names the day of the attack wherever it stands; a calendar
    day ("on January 30") in a sentence about the missiles, not a plan or a passing
    mention, dates the launch when the launch sentences do not.
    """
    published = resolver.publication_day()
    if published is None:
        return None
    readings = [r for r in readings if _same_kind(r, kind)]
    for reading in readings:
        base, text = reading.sentence.start, reading.sentence.text
        owned = cues.POSSESSIVE_DAY.search(text)
        if owned and reading.passing_at is None:
            for mention in resolver.mentions(
                text[owned.start() : owned.end()], base + owned.start()
            ):
                if mention.day is not None and mention.precision >= Precision.RELATIVE:
                    return reading, mention
    for reading in readings:
        if reading.modality is not None or not reading.about_missile:
            continue
        base, text = reading.sentence.start, reading.sentence.text
        limit = (reading.passing_at - base) if reading.passing_at else len(text)
        for mention in resolver.mentions(text[:limit], base):
            if (
                mention.day is not None
                and not mention.is_report_date
                and mention.precision == Precision.CALENDAR
                and 0 <= (published - mention.day).days <= _RECENT_DAYS
            ):
                return reading, mention
    return None


def _same_kind(reading: Reading, kind: str | None) -> bool:
    """Whether a sentence can speak of the reported launch: no other type of missile."""
    other = specific_type(reading.weapons())
    return kind is None or other is None or compatible_types(kind, other)


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
    from_description = not names or all(
        isinstance(f.entry, Weapon) and f.entry.descriptive
        for r in event
        for f in r.weapons(before=r.passing_at)
        if isinstance(f.entry, Weapon) and f.entry.missile_type == missile_type
    )
    if missile_type in (MissileType.UNKNOWN, MissileType.BALLISTIC) and from_description:
        orbit = _reaches_orbit(event)
        if orbit is not None:
            evidence.add("missile_type", *orbit)
            return MissileType.SPACE_LAUNCH, None, tuple(names)
    if missile_type is MissileType.UNKNOWN and _rockets_fired(event[0]):
        missile_type = MissileType.ARTILLERY_ROCKET
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
        stated = _stated_range(
            event, evidence, override=range_class is None and missile_type is MissileType.BALLISTIC
        )
        if stated is not None and range_class is not RangeClass.SLBM:
            named_class = any(
                isinstance(f.entry, Weapon) and not f.entry.descriptive and f.entry.range_class
                for r in event
                for f in r.weapons(before=r.passing_at)
            )
            if range_class is None or not named_class:
                range_class = stated
    return missile_type, range_class, tuple(names)


_ORBIT = re.compile(
    r"\b(?:(?:into|in|reached|entered|achieved|to)\s+(?:an?\s+|its\s+|the\s+)?(?:[\w\-]+\s+){0,2}?"
    r"orbit|orbital)\b",
    re.IGNORECASE,
)
_SATELLITE = re.compile(r"\bsatellites?\b", re.IGNORECASE)


def _reaches_orbit(event: list[Reading]) -> tuple[Reading, int, int, str] | None:
    """A rocket that carried a satellite into orbit is a space launch, not a missile."""
    for reading in event:
        if not (reading.is_candidate or reading is event[0]):
            continue
        base, text = reading.sentence.start, reading.sentence.text
        limit = (reading.passing_at - base) if reading.passing_at else len(text)
        found = _ORBIT.search(text, 0, limit)
        if found and _SATELLITE.search(text, 0, limit):
            return reading, base + found.start(), base + found.end(), found.group()
    return None


_ROCKETS = re.compile(r"\brockets\b", re.IGNORECASE)


def _rockets_fired(primary: Reading) -> bool:
    """Unnamed "rockets" fired (a barrage at a town) are artillery rockets."""
    text = primary.sentence.text
    return bool(_ROCKETS.search(text)) and not _SATELLITE.search(text)


_RANGE_CLASSES = (
    (1000.0, RangeClass.SRBM),
    (3000.0, RangeClass.MRBM),
    (5500.0, RangeClass.IRBM),
)


def _stated_range(
    event: list[Reading], evidence: _Evidence, *, override: bool
) -> RangeClass | None:
    """The class a stated range gives ("a range of about 5,000 km" is IRBM range).

    A stated range decides over a description ("long-range"); a flight distance
    ("flew 450 km") only gives the class when nothing else does, since test
    flights are often lofted short of the full range.
    """
    for reading in event:
        base, text = reading.sentence.start, reading.sentence.text
        for quantity in quantities(text):
            if quantity.quantity != "range_km":
                continue
            if reading.passing_at is not None and base + quantity.start >= reading.passing_at:
                continue
            capability = text[quantity.start : quantity.start + 12].lower().startswith("range")
            if not (capability or override):
                continue
            value = quantity.value
            chosen = next((c for limit, c in _RANGE_CLASSES if value < limit), RangeClass.ICBM)
            evidence.add(
                "range_class",
                reading,
                base + quantity.start,
                base + quantity.end,
                text[quantity.start : quantity.end],
            )
            return chosen
    return None


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
    return _definite_singular(event, evidence)


_THE_MISSILE = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w\-]+\s+){0,2}?(?P<noun>missile|rocket)\b(?!s\b|\s+(?:programme"
    r"|program|forces?|launchers?|units?|systems?|technology|development|arsenal|industry|tests|base"
    r"|sites?|attacks|strikes|fire|alerts?|sirens?)\b)",
    re.IGNORECASE,
)
_PLURAL_FIRED = re.compile(r"\b(?:missiles|rockets|projectiles)\b", re.IGNORECASE)
_FIRED_BEFORE = re.compile(
    r"\b(?:fired|launched|test-fired|test-launched|lobbed|shot)\b[^.;]{0,40}$", re.IGNORECASE
)
_FLEW_AFTER = re.compile(
    r"\s+(?:was\s+|had\s+)?(?:launched|fired|flew|fell|landed|splashed|hit|struck"
    r"|travell?ed|reached|exploded|crashed)\b",
    re.IGNORECASE,
)


def _flown(before: str, after: str) -> bool:
    """Whether a singular weapon noun is the one that flew, not a kind or a quality of it."""
    if one_of_many_or_a_kind(before):
        return False
    return bool(_FIRED_BEFORE.search(before) or _FLEW_AFTER.match(after))


def _definite_singular(event: list[Reading], evidence: _Evidence) -> int | None:
    """One missile when the report's sentences speak of "the missile" and never of missiles.

    An analysis or a follow-up names the launch and then "the missile was launched" or
    "fired a rocket"; the noun must be what flew, not a kind of weapon ("a test of a
    cruise missile") or a quality ("the missile was nuclear-capable"). Any plural in the
    launch's sentences leaves the count open.
    """
    chosen: tuple[Reading, re.Match[str]] | None = None
    for reading in event:
        base, text = reading.sentence.start, reading.sentence.text
        limit = (reading.passing_at - base) if reading.passing_at is not None else len(text)
        if _PLURAL_FIRED.search(text, 0, limit):
            return None
        found = _THE_MISSILE.search(text, 0, limit)
        if found and not _flown(text[: found.start()], text[found.end() :]):
            found = None  # "a test of a cruise missile", "the missile was nuclear-capable"
        if found and chosen is None:
            chosen = (reading, found)
    if chosen is None:
        return None
    reading, found = chosen
    base = reading.sentence.start
    evidence.add(
        "count", reading, base + found.start("noun"), base + found.end("noun"), found["noun"]
    )
    return 1


def _outcome(event: list[Reading], evidence: _Evidence) -> Outcome:
    success: tuple[Reading, int, int, str] | None = None
    for reading in event:
        text, base = reading.sentence.text, reading.sentence.start
        limit = (reading.passing_at - base) if reading.passing_at else len(text)
        failure = cues.FAILURE.search(text, 0, limit)
        if failure and cues.EARLIER_FAILURE.search(text):
            failure = None  # "has failed in several previous attempts": not this launch
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


def _officials(
    event: list[Reading],
    country: str | None,
    evidence: _Evidence,
    readings: list[Reading] | None = None,
    mentions: list[Reading] | None = None,
) -> tuple[str, ...]:
    """The people the report places at the launch, in the order it names them.

    A known official in a launch sentence with an attending word nearer than a
    remote one ("congratulated") is present; so is anyone, known or not, whom a
    sentence of the report makes the subject of an attending verb, the agent of a
    passive one or a member of an accompanying list, there or in a sentence after
    the launch ("He was accompanied by ..."). Spokesmen, analysts and those who only
    speak of the launch are not present.
    """
    names: list[str] = []

    def add(name: str, reading: Reading, start: int, end: int, text: str) -> None:
        lowered = name.lower()
        if any(
            lowered == n.lower() or set(lowered.split()) <= set(n.lower().split()) for n in names
        ):
            return
        names.append(name)
        evidence.add("officials", reading, start, end, text)

    for reading in event:
        text = reading.sentence.text
        if not (cues.PRESENCE.search(text) and (reading.launch_language or reading.about_missile)):
            continue
        for found in reading.founds:
            entry = found.entry
            if not isinstance(entry, Official) or not _event_part(reading, found):
                continue
            if not _present(reading, found) or _speaks(reading, found.start, found.end):
                continue
            if country and entry.country != country:
                continue
            add(entry.name, reading, found.start, found.end, found.text)
    passing = mentions or []
    ordered = sorted(
        [r for r in (readings or list(event)) if r not in passing] or list(event),
        key=lambda r: r.sentence.index,
    )
    known = _known_people(ordered)
    previous_present = -10
    for reading in ordered:
        if reading not in event and reading.modality is not None:
            continue
        launchish = (
            reading in event
            or reading.launch_language
            or reading.about_missile
            or bool(_LAUNCH_WORDS.search(reading.sentence.text))
            or reading.sentence.index == previous_present + 1
        )
        if not launchish:
            continue
        for person in _present_people(reading, known):
            if person.official is not None and country and person.official.country != country:
                continue
            add(person.name, reading, person.start, person.end, person.text)
            previous_present = reading.sentence.index
    return tuple(names)


_LAUNCH_WORDS = re.compile(
    r"\b(?:test(?:-fir\w+|-launch\w*|s|ed|ing)?|launch\w*|fir(?:e|ed|ing)|drills?|exercises?"
    r"|lift-?off|flight|salvo|strike)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Person:
    start: int
    end: int
    text: str
    name: str
    official: Official | None


def _known_people(readings: list[Reading]) -> dict[str, str]:
    """Full names the report gives, by each of their words ("Kim" -> "Kim Jong Un").

    A relative named by the tie ("his daughter Kim Ju Ae") is not who a bare
    family name refers to.
    """
    known: dict[str, str] = {}
    for reading in readings:
        base, text = reading.sentence.start, reading.sentence.text
        full = [
            f.entry.name
            for f in reading.founds
            if isinstance(f.entry, Official)
            and not _RELATIVE_BEFORE.search(text[max(0, f.start - base - 30) : f.start - base])
        ]
        full += [
            m["name"]
            for m in cues.TITLED_NAME.finditer(text)
            if not _RELATIVE_BEFORE.search(text[: m.start("name")])
        ]
        for name in full:
            parts = name.replace("-", " ").split()
            for part in (parts[0], parts[-1]):
                known.setdefault(part, name)
    return known


_RELATIVE_BEFORE = re.compile(r"\b(?:daughter|sister|wife|son|brother)\s*$", re.IGNORECASE)


_SURNAME = re.compile(r"(?<![\w\-])[A-Z][a-z]+(?![\w\-])")


def _present_people(reading: Reading, known: dict[str, str]) -> list[_Person]:
    """The people a sentence places at the launch by its construction."""
    base, text = reading.sentence.start, reading.sentence.text
    limit = (reading.passing_at - base) if reading.passing_at is not None else len(text)
    people = [p for p in _people(reading, known) if p.start - base < limit]
    present: list[_Person] = []
    groups: list[list[_Person]] = []
    for person in people:
        if groups:
            last = groups[-1][-1]
            between = text[last.end - base : person.start - base]
            if _LIST_LINK.match(between):
                groups[-1].append(person)
                continue
        groups.append([person])
    for group in groups:
        first, last = group[0], group[-1]
        prefix = text[max(0, first.start - base - 90) : first.start - base]
        prefix = _TITLE_TAIL.sub("", prefix)
        if cues.SPOKESPERSON_BEFORE.search(prefix) or cues.UNSAID_PRESENCE_BEFORE.search(prefix):
            continue
        after = text[last.end - base : last.end - base + 140]
        together = bool(cues.PRESENT_BEFORE.search(prefix) or cues.PRESENT_AFTER.match(after))
        for person in group:
            own_after = text[person.end - base : person.end - base + 140]
            if cues.NOT_PRESENT_AFTER.match(own_after):
                continue
            if together or cues.PRESENT_AFTER.match(own_after):
                present.append(person)
    return present


_TITLE_TAIL = re.compile(r"(?:\s*(?:his|her|the)?\s*" + cues.TITLE + r")\s*$")
_LIST_LINK = re.compile(
    r"^(?:,\s*|\s+and\s+|,\s+and\s+|\s+as\s+well\s+as\s+)(?:(?:his|her|the)\s+)?"
    r"(?:" + cues.TITLE + r")?\s*$"
)


def _people(reading: Reading, known: dict[str, str]) -> list[_Person]:
    """Known officials, titled names and names in accompanying phrases of a sentence."""
    base, text = reading.sentence.start, reading.sentence.text
    people: dict[int, _Person] = {}
    others = [(f.start, f.end) for f in reading.founds if f.kind is not EntityKind.OFFICIAL]
    for found in reading.founds:
        if isinstance(found.entry, Official):
            people[found.start] = _Person(
                found.start, found.end, found.text, found.entry.name, found.entry
            )

    def generic(start: int, end: int, name: str) -> None:
        if any(s < end and start < e for s, e in others) or cues.NOT_A_PERSON_WORD.search(name):
            return
        if any(p.start <= start < p.end or start <= p.start < end for p in people.values()):
            return
        people[start] = _Person(start, end, name, " ".join(name.split()), None)

    for match in cues.TITLED_NAME.finditer(text):
        generic(base + match.start("name"), base + match.end("name"), match["name"])
    for match in _ACCOMPANYING.finditer(text):
        generic(base + match.start("name"), base + match.end("name"), match["name"])
    for match in _SURNAME.finditer(text):
        name = known.get(match.group())
        if name is None or not cues.PRESENT_AFTER.match(text[match.end() : match.end() + 140]):
            continue
        start, end = base + match.start(), base + match.end()
        if any(p.start <= start < p.end for p in people.values()):
            continue
        people[start] = _Person(start, end, match.group(), name, None)
    return [people[k] for k in sorted(people)]


_ACCOMPANYING = re.compile(
    r"(?:(?<=\bby )|(?<=presence of )|(?<=, )|(?<= and )|(?<=including ))"
    r"(?P<name>" + cues.PERSON_NAME + r")\b"
)
"""A capitalised run that may be a name in a list; kept only where a presence
construction claims it."""


def _speaks(reading: Reading, start: int, end: int) -> bool:
    """A spokesman or analyst named, or a person whose own verb is a saying one."""
    base, text = reading.sentence.start, reading.sentence.text
    prefix = _TITLE_TAIL.sub("", text[max(0, start - base - 90) : start - base])
    return bool(
        cues.SPOKESPERSON_BEFORE.search(prefix)
        or cues.UNSAID_PRESENCE_BEFORE.search(prefix)
        or cues.NOT_PRESENT_AFTER.match(text[end - base : end - base + 140])
    )


def _present(reading: Reading, found: Found) -> bool:
    """An official the sentence places at the launch, not one who spoke of it from afar.

    The presence word nearest the name decides against a congratulation or a
    condemnation in the same sentence.
    """
    base, text = reading.sentence.start, reading.sentence.text
    at = found.start - base
    presence = [m for m in cues.PRESENCE.finditer(text)]
    remote = [m for m in cues.REMOTE.finditer(text)]
    if not remote:
        return bool(presence)
    if not presence:
        return False
    nearest_presence = min(abs(m.start() - at) for m in presence)
    nearest_remote = min(abs(m.start() - at) for m in remote)
    return nearest_presence < nearest_remote


def _reported_by(
    event: list[Reading],
    evidence: _Evidence,
    readings: list[Reading] | None = None,
    mentions: list[Reading] | None = None,
    country: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> tuple[str, ...]:
    """Who the launch claims are attributed to.

    An agency named in a sentence about the launch is a source; elsewhere in the
    report it is one when the sentence attributes a statement to it ("Central
    Command said", "according to Yonhap"). A launching organ or armed group is
    a source only where a statement is attributed to it. "The defence ministry
    said" stands for the launching state's ministry.
    """
    names: list[str] = []
    passing = mentions or []
    ordered = list(event) + [r for r in (readings or []) if r not in event and r not in passing]
    for reading in ordered:
        in_event = reading in event
        if not in_event and reading.modality is not None:
            continue
        for found in reading.founds:
            entry = found.entry
            if not (isinstance(entry, Agency) and found.kind is EntityKind.AGENCY):
                continue
            if in_event and not _event_part(reading, found):
                continue
            if (entry.attributed_only or not in_event) and not _attributed(
                reading, found.start, found.end
            ):
                continue
            if entry.name not in names:
                names.append(entry.name)
            evidence.add("reported_by", reading, found.start, found.end, found.text)
        ministry = _own_ministry(country, gazetteer)
        if ministry is None:
            continue
        base, text = reading.sentence.start, reading.sentence.text
        for match in cues.GENERIC_MINISTRY.finditer(text):
            start, end = base + match.start(), base + match.end()
            if _attributed(reading, start, end) and ministry not in names:
                names.append(ministry)
                evidence.add("reported_by", reading, start, end, match.group())
    return tuple(names)


def _attributed(reading: Reading, start: int, end: int) -> bool:
    """Whether the sentence attributes a statement to the name at start..end."""
    base, text = reading.sentence.start, reading.sentence.text
    after = text[end - base : end - base + 80]
    before = text[max(0, start - base - 60) : start - base]
    return bool(cues.ATTRIBUTED_AFTER.match(after) or cues.ATTRIBUTED_BEFORE.search(before))


def _own_ministry(country: str | None, gazetteer: Gazetteer | None) -> str | None:
    """The launching state's defence ministry, as the gazetteer names it."""
    if country is None or gazetteer is None:
        return None
    for agency in gazetteer.agencies:
        lowered = agency.name.lower()
        if agency.country == country and "ministry" in lowered and not agency.attributed_only:
            return agency.name
    return None


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
