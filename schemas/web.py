"""The documents of the web service's query API: `/api/events` and `/api/events.geojson`.

They are HTTP responses, not topic values, but part of the same contract: a
tool that reads the API relies on them as a consumer relies on a topic, so
they are msgspec Structs exported as JSON Schemas beside the messages'
(``jsonschema/EventPage.v1.schema.json``, ``jsonschema/EventCollection.v1.schema.json``).
An event in either document is the `LaunchEvent` as ``launch.events`` carries
it, or derived from it; events merged into another (``merged_into`` set) are
left out, their survivor stands for them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

import msgspec

from schemas.launches import LaunchEvent
from schemas.vocabulary import CountryCode, MissileType, Outcome, RangeClass, StableId, UtcDateTime

Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]


class ApiDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A response of the web service's API; versioned like a message."""

    major_version: ClassVar[int] = 1


class EventPage(ApiDocument, frozen=True, kw_only=True):
    """`/api/events`: one page of the launch events that match the filters, latest launch first.

    Filters (query parameters): ``country`` (ISO 3166-1 alpha-2), ``type`` (a missile
    type), ``since`` and ``until`` (ISO dates, inclusive, on the launch date or, when
    it is unknown, the day of the first report); paging: ``offset`` and ``limit``.
    """

    total: Annotated[int, msgspec.Meta(ge=0)]
    """Events that match the filters, on every page."""
    offset: Annotated[int, msgspec.Meta(ge=0)]
    limit: Annotated[int, msgspec.Meta(ge=1)]
    next: str | None = None
    """The URL of the next page (path and query), or null on the last page."""
    events: tuple[LaunchEvent, ...] = ()


class Point(msgspec.Struct, frozen=True, kw_only=True):
    """A GeoJSON Point (RFC 7946): longitude, then latitude, in WGS 84."""

    type: Literal["Point"] = "Point"
    coordinates: tuple[Longitude, Latitude]


class EventProperties(msgspec.Struct, frozen=True, kw_only=True):
    """What a GIS tool shows of an event beside its point."""

    event_id: StableId
    revision: int
    url: str
    """The event's page, relative to the service."""
    country: CountryCode | None = None
    launch_date: date | None = None
    missile_type: MissileType = MissileType.UNKNOWN
    range_class: RangeClass | None = None
    count: int | None = None
    outcome: Outcome = Outcome.UNKNOWN
    place: str | None = None
    """The site's or the country's name."""
    precision: Literal["site", "country"]
    """``site``: the point is the launch site; ``country``: only the launching state is
    known, and the point is its centre, `uncertainty_km` around it."""
    uncertainty_km: float | None = None
    report_count: int = 0
    first_reported_at: UtcDateTime
    last_reported_at: UtcDateTime


class EventFeature(msgspec.Struct, frozen=True, kw_only=True):
    """One event as a GeoJSON Feature; its id is the event id."""

    type: Literal["Feature"] = "Feature"
    id: StableId
    geometry: Point
    properties: EventProperties


class EventCollection(ApiDocument, frozen=True, kw_only=True):
    """`/api/events.geojson`: the events that can be placed, as a GeoJSON FeatureCollection.

    Takes the filters of `/api/events`, without paging. Events whose launching state
    is unknown and whose site has no coordinates have no place and are left out.
    """

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: tuple[EventFeature, ...] = ()


API_DOCUMENTS: tuple[type[ApiDocument], ...] = (EventPage, EventCollection)
"""The API's documents, exported as JSON Schemas with the messages."""
