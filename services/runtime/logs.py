"""JSON log lines on stderr, one object per line, for any log collector.

python-json-logger does the formatting; this module only decides the fields
(time, level, logger, message, service, and whatever `extra` a call adds).
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route every logger to one JSON handler tagged with `service`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            static_fields={"service": service},
            timestamp="time",  # ISO 8601, UTC
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Libraries that log every request or reconnection at INFO: only their problems show.
    for chatty in ("aiokafka", "httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
