"""The stream services `launchwatch run` knows, by name."""

from __future__ import annotations

from services.enricher.service import ENRICHER
from services.fetcher.service import FETCHER
from services.parser import PARSER
from services.runtime.spec import ServiceSpec

SERVICES: dict[str, ServiceSpec] = {
    FETCHER.name: FETCHER,
    PARSER.name: PARSER,
    ENRICHER.name: ENRICHER,
}
