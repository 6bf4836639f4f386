"""Extraction workers die with their parser, even when the parser is SIGKILLed.

A killed parser cannot shut its pool down; without the kernel's help its idle
workers would wait on their pipes for ever, each holding its memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PARSER_THAT_DIES = """
import asyncio
from services.parser.pool import ExtractionPool

async def main() -> None:
    pool = ExtractionPool(2, timeout_s=60)
    await asyncio.gather(*(pool.page_text(b"<p>x</p>", "text/html", None) for _ in range(4)))
    print(" ".join(str(pid) for pid in pool.pids()), flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (Path("/proc") / str(pid) / "stat").read_text().split()[2] != "Z"


def test_workers_do_not_outlive_a_killed_parser() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", PARSER_THAT_DIES], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as parser:
        assert parser.stdout is not None
        workers = [int(pid) for pid in parser.stdout.readline().split()]
        assert len(workers) == 2
        assert all(alive(pid) for pid in workers)
        parser.kill()
    for _ in range(100):
        if not any(alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "the workers died with the parser"
