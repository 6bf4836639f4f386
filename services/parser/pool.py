"""Extraction in worker processes, each page under a time limit and a memory bound.

Extraction is CPU work and a pathological page can take seconds, gigabytes or
the interpreter itself; in the event loop it would starve the consumer's
heartbeats. `services.workers.WorkerPool` runs `page_text` in separate
processes (default: one per core), one page per worker at a time, so only the
page that overran or crashed its worker is charged: its article is still
written, flagged ``extraction-timeout`` or ``extraction-failed``, with the
feed's text standing in, and the pages beside it carry on untouched. The time
limit runs from the moment a worker starts the page, never while it queues.
"""

from __future__ import annotations

from collections.abc import Callable

from services.parser.extraction import PageText, page_text
from services.workers import TaskCrashed, TaskFailed, TaskTimeout, WorkerPool


class ExtractionTimeout(Exception):
    """A page took longer than the per-page limit."""


class ExtractionFailed(Exception):
    """The extractor failed on a page: it raised, ran out of memory or crashed its worker."""


class ExtractionPool:
    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout_s: float = 20.0,
        memory_mb: int = 1024,
        extract: Callable[[bytes, str | None, str | None], PageText] = page_text,
    ) -> None:
        self._extract = extract
        """Run in the workers; importable by module and name (they are spawned)."""
        self._pool = WorkerPool(workers, timeout_s=timeout_s, memory_mb=memory_mb, name="extract")

    @property
    def workers(self) -> int:
        return self._pool.workers

    @property
    def timeout_s(self) -> float:
        return self._pool.timeout_s

    @timeout_s.setter
    def timeout_s(self, value: float) -> None:
        self._pool.timeout_s = value

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return self._pool.pids()

    async def page_text(self, body: bytes, content_type: str | None, url: str | None) -> PageText:
        try:
            return await self._pool.run(self._extract, body, content_type, url)
        except TaskTimeout:
            raise ExtractionTimeout(
                f"extraction took longer than {self._pool.timeout_s:g}s"
            ) from None
        except (TaskCrashed, TaskFailed) as error:
            raise ExtractionFailed(str(error)) from None
        except Exception as error:  # the extractor's own bug on this page
            raise ExtractionFailed(f"{type(error).__name__}: {error}") from None

    def close(self) -> None:
        self._pool.close()
