"""`launchwatch demo`, the README's first command: three seed launches, three alerts, a table.

Run as a user runs it (a subprocess, output to a pipe), once on the in-memory
transport and once through the real broker.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

LAUNCHES = {"2025-10-28": "cruise", "2025-08-23": "surface-to-air", "2025-02-26": "cruise"}


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "demo", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def check_output(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for stage in ("fetched", "parsed", "enriched"):
        assert f"{stage}: 8/8 articles" in out
    assert len(re.findall(r"ALERT new · event [0-9a-f]{12}", out)) == 3
    assert "ALERT update" not in out
    table = out[out.index("Launch events") :]
    rows = [line for line in table.splitlines() if re.search(r"│ [0-9a-f]{12} ", line)]
    assert len(rows) == 3
    for date, missile_type in LAUNCHES.items():
        (row,) = [line for line in rows if date in line]
        assert "│ KP " in row
        assert f"│ {missile_type} " in row
    assert "2025-10-22" not in table  # mentioned in passing, never an event
    assert "8 articles, 3 launch events, 3 new alerts, 0 updates" in out


def test_demo_in_memory() -> None:
    check_output(run_demo())


@pytest.mark.kafka
def test_demo_through_kafka_leaves_no_topics_behind(kafka_bootstrap: str) -> None:
    check_output(run_demo("--kafka", kafka_bootstrap))
    # Deleted topics leave the brokers' metadata a moment after the deletion is acknowledged.
    deadline = time.monotonic() + 15
    while True:
        left = [name for name in _topics(kafka_bootstrap) if name.startswith("demo-")]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not left


def _topics(bootstrap: str) -> list[str]:
    listing = subprocess.run(
        ["kcat", "-b", bootstrap, "-L", "-J"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return [topic["topic"] for topic in json.loads(listing.stdout)["topics"]]
