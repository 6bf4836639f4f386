"""Running the `launchwatch` command as a user does, against a broker and a topic prefix."""

from __future__ import annotations

import os
import subprocess
import sys


def launchwatch(*args: str, bootstrap: str, prefix: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "LAUNCHWATCH_KAFKA_BOOTSTRAP": bootstrap,
        "LAUNCHWATCH_TOPIC_PREFIX": prefix,
    }
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
