"""`launchwatch run SERVICE`: one stream service as a long-running process.

The shared settings and the service's own are flags and `LAUNCHWATCH_*`
variables; `launchwatch run SERVICE --help` lists them with their variables.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from services.catalog import SERVICES
from services.cli.feeds_command import subscribe_file
from services.runtime.service import serve
from services.runtime.settings import RuntimeSettings, add_arguments, load


def register(commands: Any) -> None:
    run = commands.add_parser("run", help="run one stream service")
    services = run.add_subparsers(dest="service", required=True, metavar="SERVICE")
    for name, spec in SERVICES.items():
        service = services.add_parser(name, help=f"the {name}")
        add_arguments(service, RuntimeSettings)
        add_arguments(service, spec.settings_type)
        if name == "fetcher":
            service.add_argument(
                "--feeds", type=Path, help="subscribe to the feeds of this OPML or text file first"
            )
        service.set_defaults(run=run_service)


def run_service(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    spec = SERVICES[args.service]
    settings = load(RuntimeSettings, args, environ)
    own = load(spec.settings_type, args, environ)
    if getattr(args, "feeds", None) is not None:
        code = subscribe_file(args.feeds, settings)
        if code:
            return code
    return asyncio.run(serve(spec, settings, own))
