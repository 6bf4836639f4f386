"""Extraction in worker processes, each document under a time limit and a memory bound.

Extraction is CPU work and a pathological page can take seconds or gigabytes;
in the event loop it would starve the consumer's heartbeats. The pool runs
`page_text` in separate processes (default: one per core), started with
`spawn` so that no event-loop or Kafka state is inherited. A worker's address
space is capped (RLIMIT_AS), so a memory bomb fails that document alone. A
document that exceeds its time limit cannot be interrupted inside a process
pool, so the whole pool is replaced: the stuck worker is killed, and the other
documents in flight are retried by the runtime on the fresh pool. Workers die
with the parser, even when it is SIGKILLed (Linux).
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from services.parser.extraction import PageText, page_text

log = logging.getLogger(__name__)


class ExtractionTimeout(Exception):
    """A document took longer than the per-document limit."""


class ExtractionFailed(Exception):
    """The extractor failed on a document (e.g. ran out of its memory bound)."""


PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal a process gets when its parent dies."""


def _prepare_worker(megabytes: int, parent_pid: int) -> None:
    _exit_with_parent(parent_pid)
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _exit_with_parent(parent_pid: int) -> None:
    """Make the kernel kill this worker when the parser process dies.

    A parser that is SIGKILLed cannot shut its pool down, and an idle worker
    would wait on its pipe for ever, holding its memory. Linux can tie a
    child's life to its parent (``prctl(PR_SET_PDEATHSIG)``); no library
    offers that one call, so it is made through ctypes. Elsewhere nothing is
    done.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(0)  # the parser died before the request took effect


class ExtractionPool:
    def __init__(
        self, workers: int | None = None, *, timeout_s: float = 20.0, memory_mb: int = 1024
    ) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_prepare_worker,
            initargs=(self.memory_mb, os.getpid()),
        )

    async def page_text(self, body: bytes, content_type: str | None, url: str | None) -> PageText:
        loop = asyncio.get_running_loop()
        executor = self._executor
        future = loop.run_in_executor(executor, page_text, body, content_type, url)
        try:
            return await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError:
            self._replace(executor)
            raise ExtractionTimeout(f"extraction took longer than {self.timeout_s}s") from None
        except MemoryError:
            raise ExtractionFailed(f"extraction exceeded {self.memory_mb} MiB") from None
        except BrokenProcessPool:
            self._replace(executor)
            raise  # other documents' pool was replaced under them: the runtime retries

    def _replace(self, executor: ProcessPoolExecutor) -> None:
        if executor is not self._executor:
            return  # already replaced by another document's failure
        log.warning("replacing the extraction pool after a stuck or dead worker")
        self._executor = self._new_executor()
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
