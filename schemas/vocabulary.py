"""The closed vocabularies that messages share.

Every enumeration here is part of the wire contract: a consumer in any language
may switch on these strings. Adding a member is a compatible change for
producers but may surprise a strict consumer, so new members are announced in
``schemas/README.md``; removing or renaming one is a breaking change.
"""

from __future__ import annotations

import enum
import typing
from datetime import datetime
from typing import Annotated, Literal

import msgspec

UtcDateTime = Annotated[
    datetime,
    msgspec.Meta(tz=True, description="An instant, RFC 3339 with an offset; producers write UTC."),
]
"""A timezone-aware instant. Naive datetimes are refused on decode."""

Sha256Hex = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]

StableId = Annotated[
    str,
    msgspec.Meta(
        pattern="^[0-9a-f]{16,64}$",
        description="A stable identifier: hexadecimal digest of what identifies the object.",
    ),
]


class MissileType(enum.StrEnum):
    """What kind of weapon or vehicle was launched."""

    BALLISTIC = "ballistic"
    CRUISE = "cruise"
    HYPERSONIC = "hypersonic"
    SURFACE_TO_AIR = "surface-to-air"
    SPACE_LAUNCH = "space-launch"
    ARTILLERY_ROCKET = "artillery-rocket"
    UNKNOWN = "unknown"


class RangeClass(enum.StrEnum):
    """Range class of a ballistic missile, by the usual US/NATO convention."""

    SRBM = "SRBM"  # short range, under 1,000 km
    MRBM = "MRBM"  # medium range, 1,000-3,000 km
    IRBM = "IRBM"  # intermediate range, 3,000-5,500 km
    ICBM = "ICBM"  # intercontinental, over 5,500 km
    SLBM = "SLBM"  # submarine-launched, whatever its range


class Outcome(enum.StrEnum):
    """Whether the launch achieved what its operator intended, as reported."""

    SUCCESS = "success"
    FAILURE = "failure"
    UNKNOWN = "unknown"


class AlertKind(enum.StrEnum):
    """`new` is raised once per launch; `update` when its facts change materially."""

    NEW = "new"
    UPDATE = "update"


class ReceiverKind(enum.StrEnum):
    """Where alerts are delivered outside Kafka."""

    WEBHOOK = "webhook"
    """Any HTTP endpoint taking the alert as JSON."""
    SLACK = "slack"
    """A Slack-compatible incoming webhook."""
    ALERTMANAGER = "alertmanager"
    """Prometheus Alertmanager's v2 API."""


class DeliveryStatus(enum.StrEnum):
    """Where one alert stands with one receiver."""

    PENDING = "pending"
    DELIVERED = "delivered"
    EXPIRED = "expired"
    """Given up: still failing when the alert was too old to matter."""


class Modality(enum.StrEnum):
    """Why an article that speaks of launches is not a report of a new one.

    The list only grows: consumers must accept values they do not know yet (read
    an unknown one as "not a launch report, for a reason not listed here").
    """

    HISTORICAL = "historical"  # launches long past, mentioned as background
    PLANNED = "planned"  # expected, threatened, prepared, scheduled or hypothetical launches
    NEGATED = "negated"  # "did not launch", denials, claims contradicted, false alarms
    NOT_A_LAUNCH = "not-a-launch"  # products, ships, investigations, parades, purchases
    REACTION = "reaction"  # condemnations, Security Council meetings, sanctions, rallies
    GROUND_TEST = "ground-test"  # static engine or motor firings that fly nothing
    CIVIL_SPACE = "civil-space"  # launches by established civil or commercial space programmes


class FeedStatus(enum.StrEnum):
    """Health of a feed after its latest poll; `http` comes with the status code."""

    NEW = "new"
    OK = "ok"
    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    TIMEOUT = "timeout"
    HTTP = "http"
    TOO_LARGE = "too-large"
    PARSE = "parse"
    BLOCKED = "blocked"
    REFUSED = "refused"  # a construct refused for safety (XML entity declarations)
    INTERNAL = "internal"  # the fetcher failed to finish the poll; backs off like any failure
    GONE = "gone"


class ExtractionPath(enum.StrEnum):
    """Where an article's text came from, best first."""

    PAGE = "page"  # main-text extraction of the downloaded page
    PAGE_FALLBACK = "page-fallback"  # the extractor's recall-oriented second pass
    FEED_CONTENT = "feed-content"  # the feed entry's full content
    FEED_SUMMARY = "feed-summary"  # the feed entry's summary
    NONE = "none"  # nothing usable; the article carries a quality flag saying why


class EntityKind(enum.StrEnum):
    """What a tagged span of text names."""

    ACTOR = "actor"  # a state or armed group
    WEAPON = "weapon"  # a weapon system, by name or description
    SITE = "site"  # a launch site, area or impact area
    OFFICIAL = "official"  # a person holding office
    AGENCY = "agency"  # who a claim is attributed to: news agency, ministry, command


CountryCode = Literal[
    "AD",
    "AE",
    "AF",
    "AG",
    "AI",
    "AL",
    "AM",
    "AO",
    "AQ",
    "AR",
    "AS",
    "AT",
    "AU",
    "AW",
    "AX",
    "AZ",
    "BA",
    "BB",
    "BD",
    "BE",
    "BF",
    "BG",
    "BH",
    "BI",
    "BJ",
    "BL",
    "BM",
    "BN",
    "BO",
    "BQ",
    "BR",
    "BS",
    "BT",
    "BV",
    "BW",
    "BY",
    "BZ",
    "CA",
    "CC",
    "CD",
    "CF",
    "CG",
    "CH",
    "CI",
    "CK",
    "CL",
    "CM",
    "CN",
    "CO",
    "CR",
    "CU",
    "CV",
    "CW",
    "CX",
    "CY",
    "CZ",
    "DE",
    "DJ",
    "DK",
    "DM",
    "DO",
    "DZ",
    "EC",
    "EE",
    "EG",
    "EH",
    "ER",
    "ES",
    "ET",
    "FI",
    "FJ",
    "FK",
    "FM",
    "FO",
    "FR",
    "GA",
    "GB",
    "GD",
    "GE",
    "GF",
    "GG",
    "GH",
    "GI",
    "GL",
    "GM",
    "GN",
    "GP",
    "GQ",
    "GR",
    "GS",
    "GT",
    "GU",
    "GW",
    "GY",
    "HK",
    "HM",
    "HN",
    "HR",
    "HT",
    "HU",
    "ID",
    "IE",
    "IL",
    "IM",
    "IN",
    "IO",
    "IQ",
    "IR",
    "IS",
    "IT",
    "JE",
    "JM",
    "JO",
    "JP",
    "KE",
    "KG",
    "KH",
    "KI",
    "KM",
    "KN",
    "KP",
    "KR",
    "KW",
    "KY",
    "KZ",
    "LA",
    "LB",
    "LC",
    "LI",
    "LK",
    "LR",
    "LS",
    "LT",
    "LU",
    "LV",
    "LY",
    "MA",
    "MC",
    "MD",
    "ME",
    "MF",
    "MG",
    "MH",
    "MK",
    "ML",
    "MM",
    "MN",
    "MO",
    "MP",
    "MQ",
    "MR",
    "MS",
    "MT",
    "MU",
    "MV",
    "MW",
    "MX",
    "MY",
    "MZ",
    "NA",
    "NC",
    "NE",
    "NF",
    "NG",
    "NI",
    "NL",
    "NO",
    "NP",
    "NR",
    "NU",
    "NZ",
    "OM",
    "PA",
    "PE",
    "PF",
    "PG",
    "PH",
    "PK",
    "PL",
    "PM",
    "PN",
    "PR",
    "PS",
    "PT",
    "PW",
    "PY",
    "QA",
    "RE",
    "RO",
    "RS",
    "RU",
    "RW",
    "SA",
    "SB",
    "SC",
    "SD",
    "SE",
    "SG",
    "SH",
    "SI",
    "SJ",
    "SK",
    "SL",
    "SM",
    "SN",
    "SO",
    "SR",
    "SS",
    "ST",
    "SV",
    "SX",
    "SY",
    "SZ",
    "TC",
    "TD",
    "TF",
    "TG",
    "TH",
    "TJ",
    "TK",
    "TL",
    "TM",
    "TN",
    "TO",
    "TR",
    "TT",
    "TV",
    "TW",
    "TZ",
    "UA",
    "UG",
    "UM",
    "US",
    "UY",
    "UZ",
    "VA",
    "VC",
    "VE",
    "VG",
    "VI",
    "VN",
    "VU",
    "WF",
    "WS",
    "YE",
    "YT",
    "ZA",
    "ZM",
    "ZW",
]
"""ISO 3166-1 alpha-2, the launching state (the Houthis are `YE`)."""

COUNTRY_CODES: frozenset[str] = frozenset(typing.get_args(CountryCode))
