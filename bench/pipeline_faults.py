"""The long fault-injection run: the whole stack, many kills, a broker restart, then a count.

The same scenario as tests/integration/test_pipeline_faults.py, bigger: the
fetcher, parser and enricher run as separate processes on a broker of their
own, news arrives in waves, random services are SIGKILLed and restarted during
every wave and the broker is restarted once. Prints what read_committed readers
find afterwards: articles enriched, launches, `new` alerts, duplicates.

    python bench/pipeline_faults.py [--launches 30] [--waves 5] [--kills-per-wave 4]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.faults import FaultReport, fault_run
from tests.kafka_broker import start_broker, stop_broker


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--launches", type=int, default=30)
    parser.add_argument("--reports", type=int, default=3, help="reports per launch")
    parser.add_argument("--others", type=int, default=30, help="stories that are not launches")
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--kills-per-wave", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="launchwatch-bench-faults-") as workdir:
        broker, started = start_broker(Path(workdir))
        if started.returncode != 0:
            print(started.stderr, file=sys.stderr)
            return 1
        bootstrap = started.stdout.strip().splitlines()[-1]
        began = time.monotonic()
        try:
            report = asyncio.run(
                fault_run(
                    broker,
                    bootstrap,
                    launches=args.launches,
                    reports=args.reports,
                    others=args.others,
                    waves=args.waves,
                    kills_per_wave=args.kills_per_wave,
                )
            )
        finally:
            stop_broker(broker)
    show(report, time.monotonic() - began)
    return 0 if verdict(report) else 1


def verdict(report: FaultReport) -> bool:
    launches = {(event.country, event.launch_date) for event in report.events.values()}
    return (
        len(report.enriched) == report.articles
        and launches == report.launches
        and set(report.new_alerts) == set(report.events)
        and report.duplicate_new_alerts == 0
        and not any(report.dead_letters.values())
    )


def show(report: FaultReport, seconds: float) -> None:
    table = Table("figure", "value", title="Fault injection: the whole stack on real Kafka")
    rows = [
        ("articles published", report.articles),
        ("articles on news.enriched", len(report.enriched)),
        ("launches published", len(report.launches)),
        ("launch events", len(report.events)),
        ("new alerts", sum(report.new_alerts.values())),
        ("duplicate new alerts", report.duplicate_new_alerts),
        ("SIGKILLs survived", report.kills),
        ("broker restarts survived", report.broker_restarts),
        ("process starts", ", ".join(f"{k} {v}" for k, v in report.process_starts.items())),
        ("dead letters", sum(report.dead_letters.values())),
        ("records checked", report.records_checked),
        ("run time", f"{seconds:.0f} s"),
        ("verdict", "PASS" if verdict(report) else "FAIL"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    Console().print(table)


if __name__ == "__main__":
    sys.exit(main())
