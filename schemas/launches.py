"""Tagged articles, launch events and launch alerts.

An `EnrichedArticle` is written for every article; when it reports a launch it
carries `LaunchFacts`. Reports of one real-world launch merge into one
`LaunchEvent` (compacted, keyed by ``event_id``), and the first report of a
launch raises exactly one `LaunchAlert` of kind ``new``.

How a consumer sees a merge. Reports of one launch sometimes start two events
(they disagreed on the date, the type or the launching state) before a later
report shows them to be one; each of the two has then raised its `new` alert.
When that happens, in one transaction:

* the event first reported survives: its next revision holds the reports and
  facts of both, and lists the other in ``merged_from``;
* the survivor raises an ``update`` alert whose ``merged_event_ids`` names the
  absorbed event (raised even when other updates are switched off); never a
  second ``new``;
* the absorbed event is written once more, with ``merged_into`` set to the
  survivor's id. That is its final revision: no report joins it again, and its
  key stays on ``launch.events`` as a pointer to the survivor.

A consumer that keeps one record per launch drops (or redirects) an event whose
``merged_into`` is set, and treats an alert's ``merged_event_ids`` as "these
earlier alerts were about this launch". Reports already written to
``news.enriched`` keep the event id they were given; follow ``merged_into`` from
it. A consumer that ignores the new fields sees one more revision of each event
and one more `update` alert, as before.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec

from schemas.message import Message, Part
from schemas.vocabulary import (
    AlertKind,
    CountryCode,
    EntityKind,
    MissileType,
    Modality,
    Outcome,
    RangeClass,
    StableId,
    UtcDateTime,
)

NonNegativeInt = Annotated[int, msgspec.Meta(ge=0)]
Confidence = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]


class Span(Part, frozen=True, kw_only=True):
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: NonNegativeInt
    end: NonNegativeInt
    text: str


class Entity(Part, frozen=True, kw_only=True):
    """A name found in the text and what it refers to."""

    kind: EntityKind
    span: Span
    canonical: str
    """The gazetteer's name for it (e.g. `KCNA` for "Korean Central News Agency")."""
    country: CountryCode | None = None
    confidence: Confidence = 1.0


class Place(Part, frozen=True, kw_only=True):
    """A launch site, area or impact area; coordinates when the gazetteer knows them."""

    name: str
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    timezone: str | None = None
    """IANA time zone, which decides the local launch date."""


ClaimQuantity = Literal["range_km", "apogee_km", "flight_time_s", "speed_mach"]

PartOfDay = Literal["night", "morning", "afternoon", "evening"]
"""A coarse time of day at the launch site: night 00-05, morning 05-12, afternoon 12-17,
evening 17-24 (local clock)."""


class Claim(Part, frozen=True, kw_only=True):
    """A figure someone asserts about the flight, with who asserts it."""

    quantity: ClaimQuantity
    value: float
    claimed_by: str | None = None
    span: Span | None = None


class LaunchFactFields(Part, frozen=True, kw_only=True):
    """The facts of one launch: shared by a report, an event and an alert."""

    country: CountryCode | None = None
    launch_date: date | None = None
    """Local calendar date at the launch site."""
    missile_type: MissileType = MissileType.UNKNOWN
    range_class: RangeClass | None = None
    weapon_names: tuple[str, ...] = ()
    count: Annotated[int, msgspec.Meta(ge=1)] | None = None
    location: Place | None = None
    impact_area: Place | None = None
    outcome: Outcome = Outcome.UNKNOWN
    officials: tuple[str, ...] = ()
    reported_by: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    time_of_day: PartOfDay | None = None
    """When in the local day at the launch site it was launched: what keeps apart one
    state's launches late one evening and early the next morning."""


FACT_FIELDS: tuple[str, ...] = tuple(
    field.name for field in msgspec.structs.fields(LaunchFactFields)
)
"""The launch facts' names, in the schema's order: every copy of the facts derives from this."""


def launch_facts(source: LaunchFactFields) -> dict[str, Any]:
    """The launch facts of a report, event or alert, to build another of them with."""
    return {name: getattr(source, name) for name in FACT_FIELDS}


FactName = Literal[
    "country",
    "launch_date",
    "missile_type",
    "range_class",
    "weapon_names",
    "count",
    "location",
    "impact_area",
    "outcome",
    "officials",
    "reported_by",
]


class LaunchFacts(LaunchFactFields, frozen=True, kw_only=True):
    """The facts one article reports, each with the text it came from."""

    event_id: StableId | None = None
    """The event the report was merged into."""
    evidence: dict[FactName, tuple[Span, ...]] = msgspec.field(default_factory=dict)


class MentionedLaunch(Part, frozen=True, kw_only=True):
    """An earlier launch named in passing: context, never an event or an alert."""

    launch_date: date | None = None
    missile_type: MissileType = MissileType.UNKNOWN
    range_class: RangeClass | None = None
    span: Span | None = None


class EnrichedArticle(Message, frozen=True, kw_only=True):
    """An article with its tags, and its launch facts when it reports a launch."""

    article_id: StableId
    url: str
    title: str | None = None
    published_at: UtcDateTime | None = None
    entities: tuple[Entity, ...] = ()
    is_launch_report: bool = False
    rejected_as: Modality | None = None
    """Why launch language in the article did not make it a report."""
    launch: LaunchFacts | None = None
    mentions_other_launches: tuple[MentionedLaunch, ...] = ()
    enriched_at: UtcDateTime


UNKNOWN_COUNTRY_KEY = "unknown"

CountryKey = Annotated[
    str,
    msgspec.Meta(
        pattern="^([A-Z]{2}|unknown)$",
        description="ISO 3166-1 alpha-2 code of the launching state, or `unknown`.",
    ),
]


class LaunchReport(Message, frozen=True, kw_only=True):
    """A launch report on its way to correlation, keyed by the launching country.

    Articles are keyed by their own id, so the reports of one launch start out
    on many partitions; re-keyed by the launching state's theatre they meet in
    one partition, where one member of the enricher's correlation stage sees all
    of them, even when they disagree on which state launched.
    """

    country_key: CountryKey
    """The correlation key: the ISO code of the first state of the launching state's
    theatre (states whose launches reports confuse, e.g. `KP` for North Korea, South
    Korea and Japan), the launching state's own code when it is in no theatre, or
    `unknown` while it is not identified."""
    report: EnrichedArticle


class LaunchEvent(LaunchFactFields, Message, frozen=True, kw_only=True):
    """The current best view of one real-world launch and the reports behind it."""

    event_id: StableId
    revision: Annotated[int, msgspec.Meta(ge=1)] = 1
    """Grows by one whenever a report changes the event."""
    article_ids: tuple[StableId, ...] = ()
    article_urls: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    """Sites (host names) that reported the launch."""
    report_count: NonNegativeInt = 0
    first_reported_at: UtcDateTime
    last_reported_at: UtcDateTime
    merged_into: StableId | None = None
    """Set on the final revision of an event found to be the same launch as another:
    the event that absorbed it (its reports and facts). No report joins it again."""
    merged_from: tuple[StableId, ...] = ()
    """The events this one absorbed, earliest first: each of them raised a `new` alert."""


class LaunchAlert(LaunchFactFields, Message, frozen=True, kw_only=True):
    """A notification for analysts: a new launch, or a material change to one."""

    alert_id: StableId
    """Deterministic from event, kind and revision: a redelivery repeats the same id."""
    kind: AlertKind
    event_id: StableId
    revision: Annotated[int, msgspec.Meta(ge=1)] = 1
    changed: tuple[FactName, ...] = ()
    """For `update`: the facts that changed materially."""
    headline: str
    article_urls: tuple[str, ...] = ()
    """The reports behind the launch: an analyst's first click."""
    raised_at: UtcDateTime
    merged_event_ids: tuple[StableId, ...] = ()
    """For `update`: the events this revision absorbed, found to be the same launch.
    Each raised its own `new` alert earlier; from now on they are this event."""
