"""Run possibly-slow SymPy work in worker processes that are killed on a deadline.

A thread or signal cannot interrupt SymPy (or GMP) stuck in C code, but the
operating system can kill a process. Workers are forked once and reused; a
worker that misses its deadline is killed and replaced on the next call. The
calls themselves are parent-chosen functions with parsed nodes as arguments,
never student text. Each worker also gets an address-space limit so one
runaway computation cannot take the machine's memory with it.

>>> import operator
>>> with Sandbox(workers=1) as box:
...     box.run([(operator.add, (1, 2))])
[Outcome(status='ok', value=3)]
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from lstm_sym.checker import limits

Call = tuple[Callable[..., Any], tuple]
MEMORY_HEADROOM = 2 << 30  # bytes a worker may add to what it inherits


@dataclass(frozen=True)
class Outcome:
    """Result of one call: status "ok" (with value), "timeout" or "error"."""

    status: str
    value: Any = None


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/status") as status:
            line = next(row for row in status if row.startswith("VmSize:"))
        inherited = int(line.split()[1]) * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = inherited + MEMORY_HEADROOM
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, OSError, StopIteration, ValueError):
        pass  # not Linux: the time limit still applies


def _serve(conn: Connection) -> None:
    _limit_memory()
    while True:
        try:
            call = conn.recv()
        except (EOFError, OSError):
            return
        if call is None:
            return
        function, args = call
        try:
            outcome = Outcome("ok", function(*args))
        except BaseException as exc:  # noqa: BLE001 - report anything, keep serving
            outcome = Outcome("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(outcome)
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send(Outcome("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


def _context() -> multiprocessing.context.BaseContext:
    # fork starts in milliseconds with SymPy already imported; spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class Sandbox:
    """A small pool of killable worker processes."""

    def __init__(self, workers: int = 2, timeout: float = limits.WORKER_TIMEOUT) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Sandbox:  # noqa: PYI034 - final class in practice
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop all idle workers (busy ones do not exist between calls)."""
        with self._lock:
            while self._idle:
                self._idle.pop().stop()

    def run(self, calls: list[Call], timeout: float | None = None) -> list[Outcome]:
        """Run `calls` on the workers; each gets `timeout` seconds from its start.

        >>> import time
        >>> with Sandbox(workers=1, timeout=0.2) as box:
        ...     box.run([(time.sleep, (30,))])[0].status
        'timeout'
        """
        timeout = self.timeout if timeout is None else timeout
        with self._lock:
            return self._run(calls, timeout)

    def _run(self, calls: list[Call], timeout: float) -> list[Outcome]:
        results: list[Outcome | None] = [None] * len(calls)
        pending = deque(enumerate(calls))
        busy: dict[Connection, tuple[_Worker, int, float]] = {}
        context = _context()
        while pending or busy:
            while pending and len(busy) < self.size:
                index, call = pending.popleft()
                worker = self._idle.pop() if self._idle else _Worker(context)
                try:
                    worker.conn.send(call)
                except OSError:  # the worker died while idle: replace it once
                    worker.kill()
                    worker = _Worker(context)
                    worker.conn.send(call)
                busy[worker.conn] = (worker, index, time.monotonic() + timeout)
            soonest = min(deadline for _, _, deadline in busy.values())
            for conn in wait(list(busy), timeout=max(0.0, soonest - time.monotonic())):
                worker, index, _ = busy.pop(conn)
                try:
                    results[index] = conn.recv()
                    self._idle.append(worker)
                except (EOFError, OSError):  # killed by the memory limit, for instance
                    results[index] = Outcome("error", "worker died")
                    worker.kill()
            now = time.monotonic()
            for conn, (worker, index, deadline) in list(busy.items()):
                if now >= deadline:
                    del busy[conn]
                    worker.kill()
                    results[index] = Outcome("timeout")
        return [r if r is not None else Outcome("error", "lost") for r in results]


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> Sandbox:
    """The process-wide sandbox the checker uses (created on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox()
            atexit.register(_shared.close)
        return _shared
