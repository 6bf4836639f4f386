"""Starting launchwatch processes for tests, as an operator would: a command and its variables.

Every process a test starts is killed when the test leaves its block, whatever
happened, so a failing test never leaves a service running against the broker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]


def kafka_environment(
    bootstrap: str, prefix: str, group_id: str, **settings: str
) -> dict[str, str]:
    """The variables of a service on a test's topics: broker, prefix, group, quick timings.

    `settings` are further settings by field name (``poll_min_s="1"``).
    """
    return {
        **os.environ,
        "LAUNCHWATCH_KAFKA_BOOTSTRAP": bootstrap,
        "LAUNCHWATCH_TOPIC_PREFIX": prefix,
        "LAUNCHWATCH_GROUP_ID": group_id,
        "LAUNCHWATCH_SESSION_TIMEOUT_S": "6",
        "LAUNCHWATCH_HTTP_HOST": "127.0.0.1",
        "LAUNCHWATCH_HTTP_PORT": "0",
        **{f"LAUNCHWATCH_{name.upper()}": value for name, value in settings.items()},
    }


def start(
    arguments: Sequence[str], environment: Mapping[str, str], *, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """``python -m services.cli ARGUMENTS`` (or ``-m module ...`` when the first is ``-m``)."""
    command = list(arguments) if arguments[0] == "-m" else ["-m", "services.cli", *arguments]
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=dict(environment),
        stdout=subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )


@contextmanager
def running(
    arguments: Sequence[str], environment: Mapping[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    """The process of `start`, killed when the block ends if it is still running."""
    process = start(arguments, environment)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
