"""A service asked to stop while its stages are still opening stops cleanly.

Opening can take a while (reaching the brokers, rebuilding state from a table);
a SIGTERM then must not kill the process with the signal's default action, which
would read as a crash to whoever supervises it, but end `serve` with exit code 0
and close what was already open.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from schemas import Article
from services.runtime import InMemoryTransport
from services.runtime.service import serve
from services.runtime.settings import RuntimeSettings
from services.runtime.spec import ServiceSpec, Stage, StageContext, StageSpec


@pytest.mark.asyncio
async def test_sigterm_while_a_stage_opens_ends_serve_with_zero_and_closes_it() -> None:
    opening = asyncio.Event()
    closed = asyncio.Event()

    @asynccontextmanager
    async def open_slowly(settings: Any, context: StageContext) -> AsyncIterator[Stage[Article]]:
        try:
            opening.set()
            await asyncio.Event().wait()  # e.g. a state rebuild that takes its time
            yield Stage(lambda article: [])
        finally:
            closed.set()

    stage = StageSpec(name="slow", consumes=Article, open=open_slowly)
    spec = ServiceSpec(name="slow", stages=(stage,), http_port=0)
    served = asyncio.create_task(serve(spec, RuntimeSettings(), transport=InMemoryTransport()))
    await asyncio.wait_for(opening.wait(), timeout=5)
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(served, timeout=5) == 0
    assert closed.is_set()
