"""CPU work from the open web in child processes, one task per worker, under time and memory limits.

Feeds (the fetcher) and pages (the parser) come from strangers: one of them can
make a parser spin for minutes, allocate gigabytes or abort the interpreter.
Run in the event loop, such work would starve the consumer's heartbeats; run
in a `concurrent.futures.ProcessPoolExecutor`, one dead worker breaks the
whole pool and fails every task in flight, and a task's time limit starts when
it is queued, so queued tasks pay for the ones ahead of them.

This pool keeps its own workers, each with its own pipe and one task at a
time, so it always knows which task a worker was running:

- A task's time limit runs from the moment its worker has received it (the
  worker says so), not from when it was queued. A task over its limit has its
  worker killed and raises `TaskTimeout`; only that task is charged.
- A worker that dies while running a task (a signal, an abort, the kernel)
  fails that task alone with `TaskCrashed`; the worker is replaced on the next
  task. A worker found dead while idle is replaced and the task goes to the new
  one, without being charged.
- Each worker's address space is capped (RLIMIT_AS): a memory bomb raises
  `TaskOutOfMemory` for its task, and the worker is recycled.
- An exception raised by the task is raised again in the caller, as itself
  when it can be pickled.
- Workers are started with ``spawn`` (no event-loop or Kafka state inherited)
  and die with their parent, even when it is SIGKILLed (Linux).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar, cast

log = logging.getLogger(__name__)

T = TypeVar("T")

PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal a process gets when its parent dies."""
START_LIMIT_S = 120.0
"""How long a worker may take to start and receive a task (interpreter start-up, imports)."""


class TaskTimeout(Exception):
    """The task ran longer than the pool's time limit; its worker was killed."""


class TaskFailed(Exception):
    """The task raised an exception that could not be carried back as itself."""


class TaskOutOfMemory(TaskFailed):
    """The task ran out of its worker's address-space limit."""


class TaskCrashed(Exception):
    """The worker died while running the task (killed by a signal, aborted, or out of memory)."""


class _WorkerGone(Exception):
    """The worker was dead before it received the task: not the task's doing."""


def _exit_with_parent(parent_pid: int) -> None:
    """Make the kernel kill this worker when its parent dies.

    A parent that is SIGKILLed cannot shut its pool down, and an idle worker
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
        os._exit(0)  # the parent died before the request took effect


def _serve(conn: Connection, megabytes: int, parent_pid: int) -> None:
    """A worker's life: receive a task, say it started, run it, send its outcome."""
    _exit_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group; stopping is the parent's decision (it
    # closes the pool), so a worker neither dies mid-task nor prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return  # the parent closed the pool
        conn.send(("started", None))
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as error:  # carried back to the caller
            reply = ("raised", error)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))
        except Exception as error:  # the result or exception cannot be pickled
            conn.send(("raised", TaskFailed(f"{type(error).__name__}: {error}")))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class WorkerPool:
    """``await pool.run(function, *args)`` in a worker; see the module docstring."""

    def __init__(
        self, workers: int | None = None, *, timeout_s: float, memory_mb: int, name: str
    ) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.name = name
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._slots: asyncio.Semaphore | None = None
        self._context = multiprocessing.get_context("spawn")

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        return [w.process.pid for w in [*self._idle, *self._busy] if w.process.pid is not None]

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve,
            args=(child_end, self.memory_mb, os.getpid()),
            name=f"{self.name}-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; raises the `Task*` errors above or the task's own."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            for _attempt in range(3):
                worker = self._idle.pop() if self._idle else self._start()
                self._busy.add(worker)
                try:
                    result = await self._run_on(worker, function, args)
                except _WorkerGone:
                    self._discard(worker)
                    continue
                except BaseException:
                    self._discard(worker)
                    raise
                self._busy.discard(worker)
                self._idle.append(worker)
                return result
            raise TaskCrashed(f"{self.name}: workers die before they can take a task")

    def _discard(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        worker.kill()

    async def _run_on(self, worker: _Worker, function: Callable[..., T], args: Any) -> T:
        try:
            # In a thread: a worker still starting reads its pipe only once it is up.
            await asyncio.wait_for(
                asyncio.to_thread(worker.conn.send, (function, args)), START_LIMIT_S
            )
            kind, _ = await asyncio.wait_for(self._receive(worker), START_LIMIT_S)
        except (EOFError, OSError, TimeoutError) as error:
            raise _WorkerGone(str(error)) from None
        try:
            kind, value = await asyncio.wait_for(self._receive(worker), self.timeout_s)
        except TimeoutError:
            log.warning("%s: a task ran over %gs; its worker is killed", self.name, self.timeout_s)
            raise TaskTimeout(f"took longer than {self.timeout_s:g}s") from None
        except (EOFError, OSError):
            code = worker.process.exitcode
            log.warning("%s: a worker died running a task (exit code %s)", self.name, code)
            raise TaskCrashed(f"the worker died (exit code {code})") from None
        if kind == "ok":
            return cast(T, value)
        if kind == "memory":
            raise TaskOutOfMemory(f"over the {self.memory_mb} MiB memory limit")
        assert isinstance(value, BaseException)
        raise value

    @staticmethod
    async def _receive(worker: _Worker) -> tuple[str, Any]:
        """The worker's next message, read once its pipe is readable (never blocks the loop)."""
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        descriptor = worker.conn.fileno()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(descriptor, wake)
        try:
            await readable
        finally:
            loop.remove_reader(descriptor)  # before anyone closes the pipe
        return cast(tuple[str, Any], worker.conn.recv())

    def close(self) -> None:
        """Stop every worker: idle ones are told to exit, busy ones are killed."""
        for worker in self._idle:
            with contextlib.suppress(OSError):
                worker.conn.close()
        for worker in self._idle:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
        for worker in list(self._busy):
            worker.kill()
        self._idle.clear()
        self._busy.clear()
