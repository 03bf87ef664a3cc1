"""Ctrl-C and SIGTERM: the run stops, its worker processes with it, and no fix is cut short.

- The command line turns SIGINT into KeyboardInterrupt and SIGTERM into `Terminated`; it exits
  130 / 143 with one line on standard error (cli.main).
- A fix being written (`held()`) is finished first: the signal is acted on right after it.
  Writes are atomic anyway (a temporary file, then a rename); this keeps the temporary file from
  being left behind and the run from stopping between a write and its report.
- Worker processes (`start_worker()`) ignore SIGINT (a terminal sends it to the whole process
  group: the parent decides), die on SIGTERM, which the parent sends when it stops (pool.Pool),
  and, on Linux, get SIGTERM when the parent dies, however it dies (prctl PR_SET_PDEATHSIG).
- Helper threads (the parser's large stack) start with both signals blocked
  (`unsignalled_threads()`): only the main thread, the one `held()` masks, may take them.
"""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Callable

EXIT_SIGINT, EXIT_SIGTERM = 128 + 2, 128 + 15
_HELD = signal.SIGINT, signal.SIGTERM
_state = {"depth": 0, "pending": 0}


class Terminated(BaseException):
    """SIGTERM reached the main process. A BaseException, like KeyboardInterrupt: nothing that
    handles errors (`except Exception`) may swallow it."""


def _raise_for(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated


def _handler(signum: int, _frame: FrameType | None) -> None:
    if _state["depth"]:
        _state["pending"] = _state["pending"] or signum
        return
    _raise_for(signum)


@contextmanager
def handled() -> Iterator[None]:
    """For the length of a run: SIGINT raises KeyboardInterrupt and SIGTERM `Terminated`, except
    inside `held()`. A signal the caller chose to ignore (nohup, `&` in a script) stays ignored;
    outside the main thread (a test's runner) nothing is installed."""
    installed: dict[signal.Signals, Callable[[int, FrameType | None], object] | int | None] = {}
    try:
        for signum in _HELD:
            try:
                if signal.getsignal(signum) is not signal.SIG_IGN:
                    installed[signum] = signal.signal(signum, _handler)
            except (ValueError, OSError):  # not the main thread
                pass
        yield
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)


class held:
    """Delay SIGINT and SIGTERM until the block is done: for a write, and for stopping workers.

    In this process's Python handlers the signal is remembered and raised at the end (unless an
    exception is already on its way out); where the handler is the system's (a worker's SIGTERM)
    the signal is blocked, and delivered when the block ends."""

    def __enter__(self) -> held:
        self.mask = None
        if hasattr(signal, "pthread_sigmask"):
            self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        _state["depth"] += 1
        return self

    def __exit__(self, kind: object, *_exc: object) -> None:
        _state["depth"] -= 1
        if self.mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)  # a blocked default action happens here
        if _state["depth"] == 0 and _state["pending"]:
            signum, _state["pending"] = _state["pending"], 0
            if kind is None:
                _raise_for(signum)


@contextmanager
def unsignalled_threads() -> Iterator[None]:
    """Threads started in this block never take SIGINT or SIGTERM (they inherit a mask that
    blocks them): the kernel gives a process-wide signal to any thread not blocking it, and in a
    worker, where SIGTERM's action is the system's, that would end the process in the middle of
    a write `held()` holds on the main thread. Python runs its own handlers on the main thread
    whichever thread the signal reached, so nothing is lost."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def start_worker(parent: int) -> None:
    """In a worker process, first thing: ignore SIGINT, end on SIGTERM, end with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's handler
    if hasattr(signal, "pthread_sigmask"):  # a worker forked inside held() must not stay deaf
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _state["depth"], _state["pending"] = 0, 0
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no libc to ask (a static or unusual build)
            pass
    if os.getppid() != parent:  # the parent died before prctl: nobody will read the results
        os._exit(EXIT_SIGTERM)
