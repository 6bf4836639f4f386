"""`launchwatch schemas export DIR`: JSON Schemas and the AsyncAPI document."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schemas.export import export


def register(commands: Any) -> None:
    group = commands.add_parser("schemas", help="export the message contract")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    command = actions.add_parser("export", help="write JSON Schemas and asyncapi.json to DIR")
    command.add_argument("directory", type=Path)
    command.set_defaults(run=run_export)


def run_export(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    for path in export(args.directory):
        print(path)
    return 0
