"""`launchwatch`, the one command: run services, manage topics, tail, export schemas.

Each subcommand lives in its own module and registers itself on the parser;
this module only assembles them and maps errors to exit codes.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from services.catalog import SERVICES
from services.cli import (
    demo_command,
    enrich_command,
    extract_command,
    feeds_command,
    run_command,
    sample_site_command,
    schemas_command,
    tail_command,
    topics_command,
)
from services.runtime import ConfigurationError, TransportError
from services.runtime.settings import RuntimeSettings, known_variables
from services.runtime.settings_rules import unknown_variables

EXIT_BROKER = 1
EXIT_CONFIG = 2

SETTINGS_TYPES: tuple[type[Any], ...] = (
    RuntimeSettings,
    *(spec.settings_type for spec in SERVICES.values()),
)
"""Every settings class: a variable none of them reads is most likely misspelt."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="launchwatch",
        description="Turns news feeds into structured, real-time launch alerts.",
    )
    parser.add_argument(
        "--version", action="version", version=f"launchwatch {metadata.version('launchwatch')}"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_command.register(commands)
    topics_command.register(commands)
    feeds_command.register(commands)
    tail_command.register(commands)
    schemas_command.register(commands)
    extract_command.register(commands)
    enrich_command.register(commands)
    sample_site_command.register(commands)
    demo_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The Kafka client's own log lines would repeat, in pieces, the one error printed here.
    logging.getLogger("aiokafka").addHandler(logging.NullHandler())
    parser = build_parser()
    args = parser.parse_args(argv)
    for warning in unknown_variables(os.environ, known_variables(*SETTINGS_TYPES)):
        print(f"launchwatch: warning: {warning}", file=sys.stderr)
    try:
        result: int = args.run(args, os.environ)
        return result
    except ConfigurationError as error:
        print(f"launchwatch: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except TransportError as error:
        print(f"launchwatch: {error}", file=sys.stderr)
        return EXIT_BROKER
    except KeyboardInterrupt:
        return 130
