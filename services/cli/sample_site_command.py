"""`launchwatch sample-site`: the bundled news site, on its own (for compose and demos)."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Mapping
from typing import Any

from services.sample_site import SampleSite


def register(commands: Any) -> None:
    site = commands.add_parser("sample-site", help="serve the bundled sample news site")
    site.add_argument("--host", default="127.0.0.1", help="address to listen on")
    site.add_argument("--port", type=int, default=8090, help="port (0 = any free port)")
    site.set_defaults(run=run_site)


def run_site(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    with SampleSite(args.host, args.port) as site:
        print(f"sample news site on {site.base_url}", flush=True)
        for url in site.feed_urls:
            print(f"  feed: {url}", flush=True)
        stopped.wait()
    return 0
