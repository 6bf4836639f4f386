"""The stream services `launchwatch run` knows, by name."""

from __future__ import annotations

from typing import Any

from services.parser import PARSER
from services.runtime.service import ServiceSpec

SERVICES: dict[str, ServiceSpec[Any]] = {
    PARSER.name: PARSER,
}
