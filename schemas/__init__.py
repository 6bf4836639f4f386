"""launchwatch's message contract: what every topic carries, and how.

Import from here, not from the submodules::

    from schemas import RawArticle, topic_for, encode, decode

* Messages (msgspec Structs, frozen, keyword-only): `FeedSubscription`,
  `FeedState`, `RawArticle`, `Article`, `EnrichedArticle`, `LaunchEvent`,
  `LaunchAlert`, `AlertDelivery`, and the parts they are built from.
* Vocabularies: `MissileType`, `RangeClass`, `Outcome`, `AlertKind`,
  `Modality`, `ReceiverKind`, `DeliveryStatus`, `FeedStatus`, `ExtractionPath`,
  `EntityKind`, `CountryCode`.
* The topic registry: `TOPICS`, `topic_named`, `topic_for`.
* The wire format: `encode`, `decode` and the `WireError` tree.
* The web service's API documents: `EventPage`, `EventCollection` (`schemas.web`).

The evolution rules are in ``schemas/README.md``.
"""

from schemas.articles import Article, FeedEntry, RawArticle
from schemas.deliveries import AlertDelivery
from schemas.feeds import FeedState, FeedSubscription
from schemas.launches import (
    Claim,
    EnrichedArticle,
    Entity,
    LaunchAlert,
    LaunchEvent,
    LaunchFactFields,
    LaunchFacts,
    LaunchReport,
    MentionedLaunch,
    Place,
    Span,
)
from schemas.message import Message, Part
from schemas.topics import MESSAGE_TYPES, TOPICS, Topic, topic_for, topic_named
from schemas.vocabulary import (
    COUNTRY_CODES,
    AlertKind,
    CountryCode,
    DeliveryStatus,
    EntityKind,
    ExtractionPath,
    FeedStatus,
    MissileType,
    Modality,
    Outcome,
    RangeClass,
    ReceiverKind,
)
from schemas.web import (
    API_DOCUMENTS,
    ApiDocument,
    EventCollection,
    EventFeature,
    EventPage,
    EventProperties,
    Point,
)
from schemas.wire import (
    EncodedRecord,
    InvalidMessage,
    UndecodableMessage,
    WireError,
    WrongMessageType,
    decode,
    encode,
    header,
)

__all__ = [
    "API_DOCUMENTS",
    "COUNTRY_CODES",
    "MESSAGE_TYPES",
    "TOPICS",
    "AlertDelivery",
    "AlertKind",
    "ApiDocument",
    "Article",
    "Claim",
    "CountryCode",
    "DeliveryStatus",
    "EncodedRecord",
    "EnrichedArticle",
    "Entity",
    "EntityKind",
    "EventCollection",
    "EventFeature",
    "EventPage",
    "EventProperties",
    "ExtractionPath",
    "FeedEntry",
    "FeedState",
    "FeedStatus",
    "FeedSubscription",
    "InvalidMessage",
    "LaunchAlert",
    "LaunchEvent",
    "LaunchFactFields",
    "LaunchFacts",
    "LaunchReport",
    "MentionedLaunch",
    "Message",
    "MissileType",
    "Modality",
    "Outcome",
    "Part",
    "Place",
    "Point",
    "RangeClass",
    "RawArticle",
    "ReceiverKind",
    "Span",
    "Topic",
    "UndecodableMessage",
    "WireError",
    "WrongMessageType",
    "decode",
    "encode",
    "header",
    "topic_for",
    "topic_named",
]
