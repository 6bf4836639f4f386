"""The stream services `launchwatch run` knows, by name."""

from __future__ import annotations

from services.parser import PARSER
from services.runtime.spec import ServiceSpec

SERVICES: dict[str, ServiceSpec] = {
    PARSER.name: PARSER,
}
