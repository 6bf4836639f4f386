"""A stream service process for crash and shutdown tests.

It runs the shared runtime exactly as a real service does (`serve`, settings
from `LAUNCHWATCH_*`, signals, health server) with a handler that tags each
article after a short pause, so that a kill lands mid-stream.

    python -m tests.integration.tagger_process
"""

from __future__ import annotations

import asyncio
import os
import sys

from schemas import Article, Message
from services.runtime.service import serve
from services.runtime.settings import RuntimeSettings, load
from services.runtime.spec import ServiceSpec, StageSpec, plain
from tests.streams import tag

PAUSE_S = float(os.environ.get("TAGGER_PAUSE_S", "0.01"))


async def slow_tag(message: Article) -> list[Message]:
    await asyncio.sleep(PAUSE_S)
    return tag(message)


TAGGER = ServiceSpec(
    name="tagger",
    stages=(StageSpec(name="tagger", consumes=Article, open=plain(slow_tag)),),
    http_port=0,
)


def main() -> int:
    settings = load(RuntimeSettings, environ=os.environ)
    return asyncio.run(serve(TAGGER, settings))


if __name__ == "__main__":
    sys.exit(main())
