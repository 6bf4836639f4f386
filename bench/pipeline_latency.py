"""Whole-pipeline latency and throughput: news appearing in feeds -> `new` launch alerts.

The fetcher, parser and enricher run as separate processes (`launchwatch run
...`) on a private Apache Kafka broker, under a fresh topic prefix per run.
News sites are served on loopback: `--hosts` sites (127.0.0.1, 127.0.0.2, ...),
`--feeds` Atom/RSS feeds in all, spread evenly over the sites, all subscribed
with `launchwatch feeds add`. Each service gets a fixed HTTP port; its
`/metrics` is scraped every second (consumer lag), and its process tree (the
parser's extraction workers included) is read from /proc (CPU, memory).

Phase 1, latency. For `--duration` seconds one article appears in a feed every
0.5/rate to 1.5/rate seconds (generated launch news: about half are reports of
distinct launches, two reports each, the rest other stories). The moment each
article appears is recorded. Afterwards, read_committed readers of the topics
give, per `new` LaunchAlert, the alert latency (alert record timestamp minus
the appearance of the launch's first article), split into the wait for the
poll (`RawArticle.fetched_at` of the alert's article, which is the start of the
poll that found it, minus that appearance) and the processing after the poll
(alert minus `fetched_at`); and per article, appearance -> its EnrichedArticle
record. Two runs: the service defaults except the loopback allowance (floor
60 s; a freshly subscribed feed's second poll comes about 90 s after its
first), then the same with the poll floor `--poll-min-s` and the ceiling
`--poll-max-s` (twice the floor unless given), so that every feed is polled
every floor..ceiling seconds however quiet it has been.

Phase 2, throughput. A backlog of `--backlog` articles appears at once, with
the loopback settings of the integration tests (poll every 1-2 s, no spacing
between requests to one host) and 1, then 2, parser workers; stage rates come
from the record timestamps on news.raw, news.articles and news.enriched.

    python bench/pipeline_latency.py [--feeds 40] [--hosts 40] [--duration 60] [--rate 1.33]
                                     [--backlog 2000] [--poll-min-s 1] [--poll-max-s S] [--quick]

`--quick` (about 40 s): 10 feeds, 20 articles over 10 s with the short polls
only, a backlog of 100 with one parser worker.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # sibling benchmarks, by their file names

from pipeline_figures import distinct_ms, latency, percentiles, stage_rate  # noqa: E402
from pipeline_rig import (  # noqa: E402
    LOOPBACK,
    TEST_LOOPBACK,
    Run,
    console,
    newsroom,
    run_pipeline,
    trickle,
)

from tests.integration.pipeline import SERVICES  # noqa: E402
from tests.kafka_broker import start_broker, stop_broker  # noqa: E402


def show_latency(runs: Sequence[Run]) -> None:
    table = Table(
        "run",
        "measure (seconds)",
        "n",
        "p50",
        "p95",
        "p99",
        title="Phase 1: latency from an article appearing in a feed",
    )
    for run in runs:
        figures = latency(run)
        rows = [
            ("new alert: first report appears -> alert", figures.alert_total),
            ("  waiting for the poll (appears -> fetched_at)", figures.alert_wait),
            ("  processing (fetched_at -> alert)", figures.alert_processing),
            ("article: appears -> news.enriched", figures.article_enriched),
            ("  waiting for the poll", figures.article_wait),
            ("  processing (fetched_at -> news.enriched)", figures.article_processing),
            *((f"    {hop}", values) for hop, values in sorted(figures.hops.items())),
        ]
        for number, (label, values) in enumerate(rows):
            table.add_row(run.name if number == 0 else "", label, *percentiles(values))
        if figures.missing_alerts or not run.complete:
            table.add_row("", f"[red]launches without a new alert: {figures.missing_alerts}[/red]")
        table.add_section()
    console.print(table)


def show_throughput(runs: Sequence[Run], backlog_appeared: Mapping[str, float]) -> None:
    table = Table(
        "run",
        "stage (topic)",
        "records",
        "articles/s, 5th-95th pct record",
        "backlog appears -> first record, s",
        "first -> last record, s",
        "max lag of its input",
        title="Phase 2: throughput on a backlog published at once",
    )
    for run in runs:
        # Rates over distinct articles: the first record of each (a redelivery may repeat one).
        stages = {
            "fetcher (news.raw)": distinct_ms([(ms, m.url) for ms, m in run.raw]),
            "parser (news.articles)": distinct_ms([(ms, m.url) for ms, m in run.articles]),
            "enricher (news.enriched)": distinct_ms([(ms, m.url) for ms, m in run.enriched]),
        }
        lags = {stage: max(run.usage[stage.split()[0]].lag, default=0) for stage in stages}
        published = backlog_appeared[run.name]
        for number, (stage, stamps) in enumerate(stages.items()):
            rate, span = stage_rate(stamps)
            table.add_row(
                run.name if number == 0 else "",
                stage,
                str(len(stamps)),
                f"{rate:.1f}",
                f"{stamps[0] / 1000 - published:.1f}" if stamps else "-",
                f"{span:.1f}",
                str(lags[stage]) if number else "- (feeds)",
            )
        last = max((ms for ms, _ in run.enriched), default=0) / 1000
        pages = [len(m.body or b"") for _, m in run.raw]
        words = [m.word_count for _, m in run.articles]
        table.add_row(
            "",
            "whole pipeline: backlog appears -> last enriched",
            str(len(stages["enricher (news.enriched)"])),
            f"{len(run.appeared) / (last - published):.1f}" if last > published else "-",
            "-",
            f"{last - published:.1f}",
            "",
        )
        queued = max(stages, key=lambda stage: lags[stage])
        table.add_row(
            "",
            f"[bold]bottleneck (the backlog queued before it): {queued.split()[0]}[/bold]",
            "",
            "",
            "",
            "",
            "",
        )
        table.add_row(
            "",
            f"pages: mean {sum(pages) / max(1, len(pages)) / 1024:.1f} KiB, "
            f"mean {sum(words) / max(1, len(words)):.0f} words",
            "",
            "",
            "",
            "",
            "",
        )
        table.add_section()
    console.print(table)


def show_resources(runs: Sequence[Run]) -> None:
    table = Table(
        "run",
        "service",
        "processes",
        "CPU s (main process)",
        "CPU % of one core",
        "peak RSS MiB (sum of VmHWM)",
        "peak sampled RSS MiB",
        "lag max",
        "lag final",
        title="Resources over each run (process trees; lag summed over owned partitions)",
    )
    for run in runs:
        for number, service in enumerate(SERVICES):
            usage = run.usage[service]
            cpu = sum(usage.cpu_s.values())
            table.add_row(
                run.name if number == 0 else "",
                service,
                str(len(usage.cpu_s)),
                f"{cpu:.1f} ({usage.cpu_s.get(usage.main_pid, 0.0):.1f} main)",
                f"{100 * cpu / run.wall_s:.0f}" if run.wall_s else "-",
                f"{sum(usage.hwm_kib.values()) / 1024:.0f}",
                f"{usage.peak_rss_kib / 1024:.0f}",
                str(max(usage.lag, default=0)),
                str(usage.lag[-1] if usage.lag else "-"),
            )
        table.add_section()
    console.print(table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=40, help="feeds in all")
    parser.add_argument("--hosts", type=int, default=40, help="sites (loopback addresses)")
    parser.add_argument("--duration", type=float, default=60.0, help="phase 1 seconds")
    parser.add_argument("--rate", type=float, default=4 / 3, help="phase 1 articles per second")
    parser.add_argument("--backlog", type=int, default=2000, help="phase 2 articles")
    parser.add_argument(
        "--poll-min-s", type=float, default=1.0, help="poll floor of the second latency run"
    )
    parser.add_argument(
        "--poll-max-s", type=float, help="poll ceiling of that run (default: twice the floor)"
    )
    parser.add_argument("--skip-defaults", action="store_true", help="no run with default polls")
    parser.add_argument("--quick", action="store_true", help="a short run to check the script")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rate, args.backlog, args.skip_defaults = 10.0, 2.0, 100, True
        args.feeds = args.hosts = 10
    if args.feeds % args.hosts:
        parser.error("--feeds must be a multiple of --hosts")
    count = max(4, round(args.duration * args.rate))
    ceiling = args.poll_max_s if args.poll_max_s is not None else 2 * args.poll_min_s
    floor = {
        "LAUNCHWATCH_POLL_MIN_S": f"{args.poll_min_s:g}",
        "LAUNCHWATCH_POLL_MAX_S": f"{ceiling:g}",
    }
    latency_runs = [] if args.skip_defaults else [Run("service defaults", dict(LOOPBACK), [])]
    floor_name = ", ".join(f"{k.removeprefix('LAUNCHWATCH_')}={v}" for k, v in floor.items())
    latency_runs.append(Run(floor_name, {**LOOPBACK, **floor}, []))
    throughput_runs = [
        Run(
            f"{workers} parser worker(s)",
            {**LOOPBACK, **TEST_LOOPBACK, "LAUNCHWATCH_PARSER_WORKERS": str(workers)},
            [],
        )
        for workers in ((1,) if args.quick else (1, 2))
    ]
    console.print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {args.feeds} feeds on "
        f"{args.hosts} loopback sites; phase 1: {count} articles over {args.duration:g} s; "
        f"phase 2: backlog of {args.backlog}"
    )
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="launchwatch-bench-latency-") as work:
        workdir = Path(work)
        broker, started = start_broker(workdir / "kafka")
        if started.returncode != 0:
            print(started.stderr, file=sys.stderr)
            return 1
        bootstrap = started.stdout.strip().splitlines()[-1]
        backlog_appeared: dict[str, float] = {}
        try:
            for number, run in enumerate(latency_runs):
                run.stories = newsroom(count, seed=number, prefix=f"l{number}")
                poll_min = float(run.settings.get("LAUNCHWATCH_POLL_MIN_S", "60"))
                console.print(f"phase 1, {run.name} ...")
                run_pipeline(
                    run,
                    bootstrap,
                    workdir,
                    hosts=args.hosts,
                    feeds=args.feeds,
                    schedule=trickle(run.stories, args.rate, seed=number),
                    drain_s=2.5 * poll_min + 60,
                )
            for number, run in enumerate(throughput_runs):
                run.stories = newsroom(args.backlog, seed=100 + number, prefix=f"t{number}")
                console.print(f"phase 2, {run.name} ...")
                run_pipeline(
                    run,
                    bootstrap,
                    workdir,
                    hosts=args.hosts,
                    feeds=args.feeds,
                    schedule=[(0.0, [s.article for s in run.stories])],
                    drain_s=300,
                )
                backlog_appeared[run.name] = min(run.appeared.values())
        finally:
            stop_broker(broker)
    show_latency(latency_runs)
    show_throughput(throughput_runs, backlog_appeared)
    show_resources([*latency_runs, *throughput_runs])
    console.print(
        f"run time {time.monotonic() - began:.0f} s; load average now "
        + " ".join(f"{value:.2f}" for value in os.getloadavg())
    )
    return 0 if all(run.complete for run in [*latency_runs, *throughput_runs]) else 1


if __name__ == "__main__":
    sys.exit(main())
