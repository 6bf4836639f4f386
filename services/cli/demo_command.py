"""`launchwatch demo`: feeds to alerts in one process, in well under a minute.

With ``--serve`` the web view runs beside the pipeline; its URL is printed at
the start, and it stays up after the run until Ctrl-C.

Exit codes: 0 when every sample article came through, 1 when the time ran out
(or a service failed) first.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from rich.console import Console

from services.demo import DemoResult, DemoWeb, TerminalView, run_demo
from services.runtime.logs import configure_logging
from services.runtime.settings import CLIENT_SETTINGS, RuntimeSettings, add_arguments, load

DEMO_KAFKA_SETTINGS = CLIENT_SETTINGS - {
    "kafka_bootstrap",
    "topic_prefix",
    "kafka_connect_timeout_s",
}
"""How `--kafka` is reached (TLS, SASL); the broker is `--kafka`, the prefix the demo's own."""


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="run the whole pipeline in one process against the bundled sample site"
    )
    demo.add_argument(
        "--kafka",
        metavar="BOOTSTRAP",
        help="go through this Kafka broker instead of the in-memory transport",
    )
    demo.add_argument("--timeout", type=float, default=60.0, help="give up after this many seconds")
    demo.add_argument(
        "--serve",
        action="store_true",
        help="also run the web view (map, launch pages, feed) and keep it up until Ctrl-C",
    )
    demo.add_argument(
        "--port", type=int, default=8084, help="port of the web view with --serve (0 = any)"
    )
    add_arguments(demo, RuntimeSettings, DEMO_KAFKA_SETTINGS)
    demo.set_defaults(run=run)


def run(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    configure_logging("demo", "ERROR")
    logging.getLogger("services").setLevel(logging.ERROR)
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)  # a log or a pipe: room for the table, no wrapping
    security = load(RuntimeSettings, args, environ).kafka_security() if args.kafka else None
    where = f"Kafka at {args.kafka}" if args.kafka else "the in-memory transport"
    console.print(f"launchwatch demo: sample news site → fetcher → parser → enricher, on {where}")
    with TerminalView(console) as view:
        web = None
        if args.serve:

            async def hold(result: DemoResult) -> None:
                view.summary(result)
                console.print("the web view stays up until Ctrl-C")
                await asyncio.Event().wait()

            def listening(url: str) -> None:
                console.print(f"web view: [bold]{url}[/]")

            web = DemoWeb(hold=hold, port=args.port, on_listening=listening)
        try:
            result = asyncio.run(
                run_demo(
                    kafka_bootstrap=args.kafka,
                    timeout_s=args.timeout,
                    observer=view.observer(),
                    web=web,
                    kafka_security=security,
                )
            )
        except KeyboardInterrupt:
            console.print("stopped")
            return 0
    view.summary(result)
    if not result.finished:
        console.print(f"[red]not every article came through within {args.timeout:.0f}s[/]")
        return 1
    return 0
