"""Worker processes for the runner's phases: started once, given the linter and the tasks once,
stopped at once on a signal."""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Callable, TypeVar

from routelint.engine import Linter
from routelint.interrupts import held, start_worker
from routelint.onefile import Task

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


# Work per worker process below which starting processes costs more than it saves: files to
# parse, and files to read and prefilter (about a thousand times cheaper each). Measured with
# benchmarks/run.py on 2 cores (benchmarks/README.md).
MIN_FILES_PER_JOB = 16
MIN_SCREENS_PER_JOB = 256

_T = TypeVar("_T")  # what a function mapped over the tasks returns


class Pool:
    """map() over indexes into `tasks`: in this process, or in worker processes when there is
    enough work per process to pay for starting them. The processes start on the first map that
    needs them and serve every later one. Workers get the linter and the tasks once: inherited
    where processes fork (nothing is copied), else the linter is rebuilt from its recipe."""

    def __init__(self, linter: Linter | None, jobs: int, tasks: Sequence[Task]) -> None:
        self.linter, self.jobs, self.tasks = linter, jobs, tasks
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.executor is None:
            return
        if kind is None:
            self.executor.shutdown()
            return
        with held():  # Ctrl-C, SIGTERM or an error: the workers stop now, not after the queue
            _stop(self.executor)

    def map(self, function: Callable[..., _T], indexes: Sequence[int], per_job: int) -> Iterator[_T]:
        if not indexes:
            return iter(())
        workers = min(self.jobs, len(indexes) // per_job)
        if workers <= 1 and self.executor is None:
            return (function(self.linter, self.tasks[i]) for i in indexes)
        size = max(1, len(indexes) // (self.jobs * 4))
        # Processes (and the executor's threads) start here with SIGINT and SIGTERM blocked, so a
        # signal cannot reach a worker before it has set its own handling (interrupts.start_worker).
        # Executor.map would cancel the queued chunks when the caller stops reading, and CPython
        # before 3.12 then fails in its own thread when _stop ends the workers.
        with held():
            executor = self._start(workers)
            chunks = [executor.submit(_in_worker, function, indexes[i : i + size]) for i in range(0, len(indexes), size)]
        return (result for chunk in chunks for result in chunk.result())

    def _start(self, workers: int) -> ProcessPoolExecutor:
        if self.executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            fork = "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if fork else "spawn")
            linter = self.linter if fork or self.linter is None else self.linter.recipe()
            self.executor = ProcessPoolExecutor(
                max(workers, 2), mp_context=context, initializer=_start_worker, initargs=(linter, self.tasks, os.getpid())
            )
        return self.executor


def _stop(executor: object) -> None:
    """End the worker processes at once: SIGTERM (a worker writing a fix finishes that write
    first, interrupts.held), then SIGKILL for any still there after a few seconds; the queued
    work is dropped."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # the executor's own, CPython 3.9-3.13
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
    executor.shutdown(wait=True)  # type: ignore[attr-defined]


_WORKER: dict[str, object] = {}  # the linter and tasks of a worker process, set by its initializer


def _start_worker(linter: object, tasks: Sequence[Task], parent: int) -> None:
    start_worker(parent)
    _WORKER["linter"] = linter if isinstance(linter, Linter) else Linter.from_recipe(linter)  # type: ignore[arg-type]
    _WORKER["tasks"] = tasks


def _in_worker(function: Callable[..., _T], indexes: Sequence[int]) -> list[_T]:
    return [function(_WORKER["linter"], _WORKER["tasks"][index]) for index in indexes]  # type: ignore[index]
