"""What the services of a benchmark run use: CPU and memory from /proc, lag from /metrics.

A `Monitor` thread samples each service's process tree (the parser's extraction
workers included) and its `/metrics` once a second, so a run reports CPU seconds,
peak memory and the consumer lag it saw.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.pipeline import SERVICES, Pipeline  # noqa: E402

CLOCK_TICK = os.sysconf("SC_CLK_TCK")


# --- the process trees of the services, from /proc ---------------------------------------


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, whichever of its threads started them."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(n) for n in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process, plus those of its children it has reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICK


def status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- sampling metrics and /proc every second ----------------------------------------------


@dataclass
class Usage:
    cpu_s: dict[int, float] = field(default_factory=dict)
    hwm_kib: dict[int, int] = field(default_factory=dict)
    peak_rss_kib: int = 0
    lag: list[int] = field(default_factory=list)
    main_pid: int = 0


class Monitor(threading.Thread):
    """Samples every service's process tree and consumer lag once a second."""

    def __init__(self, pipeline: Pipeline, ports: Mapping[str, int]) -> None:
        super().__init__(name="monitor", daemon=True)
        self._pipeline = pipeline
        self._ports = ports
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self.usage = {service: Usage() for service in SERVICES}
        self.counters: dict[str, dict[str, float]] = {service: {} for service in SERVICES}
        self.started = time.monotonic()
        self.ended = self.started

    def run(self) -> None:
        with httpx.Client(timeout=2.0) as client:
            while not self._halt.is_set():
                self.sample(client)
                self._halt.wait(1.0)

    def sample(self, client: httpx.Client) -> None:
        for service in SERVICES:
            process = self._pipeline.processes.get(service)
            if process is None or process.poll() is not None:
                continue
            usage = self.usage[service]
            usage.main_pid = process.pid
            rss = 0
            for pid in process_tree(process.pid):
                usage.cpu_s[pid] = max(usage.cpu_s.get(pid, 0.0), cpu_seconds(pid))
                usage.hwm_kib[pid] = max(usage.hwm_kib.get(pid, 0), status_kib(pid, "VmHWM"))
                rss += status_kib(pid, "VmRSS")
            usage.peak_rss_kib = max(usage.peak_rss_kib, rss)
            try:
                text = client.get(f"http://127.0.0.1:{self._ports[service]}/metrics").text
            except httpx.HTTPError:
                continue
            lag, counters = 0.0, {}
            for line in text.splitlines():
                if line.startswith("launchwatch_consumer_lag{"):
                    lag += float(line.rsplit(" ", 1)[1])
                elif line.startswith("launchwatch_") and not line.startswith("#"):
                    name, value = line.rsplit(" ", 1)
                    counters[name] = float(value)
            with self._lock:
                usage.lag.append(int(lag))
                self.counters[service] = counters
        self.ended = time.monotonic()

    def counter(self, service: str, name: str, **labels: str) -> float:
        """Sum of the samples of metric `name` whose labels include `labels`."""
        wanted = [f'{key}="{value}"' for key, value in labels.items()]
        with self._lock:
            items = list(self.counters[service].items())
        return sum(v for k, v in items if k.split("{")[0] == name and all(w in k for w in wanted))

    def finish(self) -> None:
        with httpx.Client(timeout=2.0) as client:
            self.sample(client)
        self._halt.set()
        self.join()
