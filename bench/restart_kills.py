"""Latency and recovery with random SIGKILLs: the whole stack, static membership on.

The set-up of bench/pipeline_latency.py (fetcher, parser and enricher as
separate processes on a private broker, news sites on loopback, one article
appearing every 0.5/rate to 1.5/rate seconds, polls every 1-2 s), with every
service a static group member (`LAUNCHWATCH_GROUP_INSTANCE_ID=<service>-0`).
Every `--kill-every` seconds a service is SIGKILLed (each in turn, in a random
order each round) and started again at once, as an orchestrator restarts a
crashed container, under the same instance id. Reported afterwards:

* publication -> `new` alert and fetch (`RawArticle.fetched_at`) -> alert,
  p50/p95/p99 over every launch;
* per kill, the restarted process's exec -> `/readyz` and kill -> the next
  record it handled (the first record on its output topic written after the
  kill: news.raw, news.articles or news.enriched);
* the delivery check: launches without a `new` alert, and repeated `new`
  alerts.

    python bench/restart_kills.py [--duration 90] [--rate 1] [--kill-every 8] [--seed 1]
                                  [--dynamic]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # sibling benchmarks, by their file names

from pipeline_figures import latency, percentiles  # noqa: E402
from pipeline_rig import (  # noqa: E402
    LOOPBACK,
    TEST_LOOPBACK,
    Run,
    Sites,
    cli,
    console,
    environment,
    newsroom,
    read_outcome,
    ready,
    trickle,
    wait_until,
)

from schemas import AlertKind  # noqa: E402
from tests.integration.pipeline import SERVICES, Pipeline  # noqa: E402
from tests.kafka_broker import free_port, start_broker, stop_broker  # noqa: E402

OUTPUT = {"fetcher": "raw", "parser": "articles", "enricher": "enriched"}
"""The Run field holding each service's output records, (timestamp ms, message)."""


@dataclass
class Kill:
    service: str
    killed_at: float
    """Wall-clock seconds, like record timestamps."""
    exec_at: float = 0.0
    ready_at: float | None = None


def watch_ready(kill: Kill, port: int, give_up_s: float = 30.0) -> None:
    """Record when the restarted process first answers /readyz with 200."""
    deadline = time.time() + give_up_s
    with httpx.Client(timeout=0.5) as client:
        while time.time() < deadline:
            try:
                if client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    kill.ready_at = time.time()
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.02)


def killing(
    pipeline: Pipeline,
    ports: dict[str, int],
    every_s: float,
    until: float,
    rng: random.Random,
) -> list[Kill]:
    """SIGKILL a random service every `every_s` seconds until `until`; restart it at once."""
    kills: list[Kill] = []
    watchers: list[threading.Thread] = []
    victims: list[str] = []
    while time.monotonic() + every_s < until:
        time.sleep(every_s * rng.uniform(0.75, 1.25))
        if not victims:  # each service in turn, in a random order each round
            victims = rng.sample(SERVICES, len(SERVICES))
        kill = Kill(victims.pop(), time.time())
        pipeline.kill(kill.service)
        pipeline.keep_running()
        kill.exec_at = time.time()
        kills.append(kill)
        watcher = threading.Thread(target=watch_ready, args=(kill, ports[kill.service]))
        watcher.start()
        watchers.append(watcher)
    for watcher in watchers:
        watcher.join()
    return kills


def run_with_kills(
    run: Run,
    bootstrap: str,
    workdir: Path,
    *,
    hosts: int,
    rate: float,
    every_s: float,
    seed: int,
    static: bool = True,
) -> list[Kill]:
    prefix = f"kills{uuid.uuid4().hex[:8]}."
    cli("topics", "create", bootstrap=bootstrap, prefix=prefix)
    ports = {service: free_port() for service in SERVICES}
    schedule = trickle(run.stories, rate, seed)
    launches = {s.launch for s in run.stories if s.launch is not None}
    log_path = workdir / f"{prefix}log"
    with Sites(run.stories, hosts=hosts, feeds=hosts) as sites, log_path.open("wb") as log:
        cli("feeds", "add", *sites.feed_urls, bootstrap=bootstrap, prefix=prefix)
        pipeline = Pipeline(
            environment(bootstrap, prefix, run.settings),
            per_service={
                service: {
                    "LAUNCHWATCH_HTTP_PORT": str(port),
                    "LAUNCHWATCH_GROUP_INSTANCE_ID": f"{service}-0" if static else "",
                }
                for service, port in ports.items()
            },
            log=log,
        )
        pipeline.keep_running()
        try:
            if not wait_until("the services to be ready", lambda: ready(ports), 120):
                raise RuntimeError(f"services not ready; see {log_path}")
            time.sleep(3)  # the first polls of every feed
            start = time.monotonic()
            end = start + schedule[-1][0]
            kills: list[Kill] = []
            killer = threading.Thread(
                target=lambda: kills.extend(
                    killing(pipeline, ports, every_s, end, random.Random(seed))
                )
            )
            killer.start()
            for offset, articles in schedule:
                time.sleep(max(0.0, start + offset - time.monotonic()))
                sites.publish(articles)
            killer.join()

            def alerted() -> bool:
                pipeline.keep_running()
                asyncio.run(read_outcome(run, bootstrap, prefix))
                new = {a.event_id for _, a in run.alerts if a.kind is AlertKind.NEW}
                return len(run.enriched) >= len(run.stories) and len(new) >= len(launches)

            run.complete = wait_until("every article and alert", alerted, 120)
        finally:
            pipeline.stop()
            run.appeared = dict(sites.appeared)
    asyncio.run(read_outcome(run, bootstrap, prefix))
    return kills


def recovery(run: Run, kill: Kill) -> float | None:
    """Kill -> the first record the restarted service wrote, in seconds."""
    records: list[tuple[int, object]] = getattr(run, OUTPUT[kill.service])
    after = [ms / 1000 for ms, _ in records if ms / 1000 > kill.exec_at]
    return min(after) - kill.killed_at if after else None


def show(run: Run, kills: list[Kill]) -> None:
    figures = latency(run)
    console.print("[bold]latency with random SIGKILLs (seconds): n, p50, p95, p99[/bold]")
    for label, values in (
        ("publication -> new alert", figures.alert_total),
        ("fetch (fetched_at) -> new alert", figures.alert_processing),
        ("publication -> news.enriched (every article)", figures.article_enriched),
    ):
        console.print(f"  {label:48s}", *percentiles(values))
    new = Counter(a.event_id for _, a in run.alerts if a.kind is AlertKind.NEW)
    console.print(
        f"  launches without a new alert: {figures.missing_alerts}; "
        f"repeated new alerts: {sum(n - 1 for n in new.values())}"
    )
    console.print("[bold]kills: service, exec -> /readyz, kill -> next record handled[/bold]")
    for kill in kills:
        ready_s = f"{kill.ready_at - kill.exec_at:.2f}" if kill.ready_at else "-"
        handled = recovery(run, kill)
        console.print(
            f"  {kill.service:9s} {ready_s:>6s} s  {'-' if handled is None else f'{handled:.2f}'} s"
        )
    for service in SERVICES:
        values = [r for k in kills if k.service == service and (r := recovery(run, k))]
        console.print(f"  {service:9s} recovery n, p50, p95, p99:", *percentiles(values))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=90.0, help="seconds of news")
    parser.add_argument("--rate", type=float, default=1.0, help="articles per second")
    parser.add_argument("--hosts", type=int, default=10, help="sites, one feed each")
    parser.add_argument("--kill-every", type=float, default=8.0, help="seconds between kills")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--dynamic", action="store_true", help="no instance ids: dynamic membership, to compare"
    )
    args = parser.parse_args()
    stories = newsroom(max(4, round(args.duration * args.rate)), seed=args.seed, prefix="k")
    run = Run("random SIGKILLs", {**LOOPBACK, **TEST_LOOPBACK}, stories)
    with tempfile.TemporaryDirectory(prefix="launchwatch-bench-kills-") as work:
        broker, started = start_broker(Path(work) / "kafka")
        if started.returncode != 0:
            print(started.stderr, file=sys.stderr)
            return 1
        try:
            kills = run_with_kills(
                run,
                started.stdout.strip().splitlines()[-1],
                Path(work),
                hosts=args.hosts,
                rate=args.rate,
                every_s=args.kill_every,
                seed=args.seed,
                static=not args.dynamic,
            )
        finally:
            stop_broker(broker)
    show(run, kills)
    return 0 if run.complete else 1


if __name__ == "__main__":
    sys.exit(main())
