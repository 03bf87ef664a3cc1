"""Run one command and measure it: wall time, peak memory, and its output.

Peak memory is not taken from this process's own wait4(): on exec, Linux keeps the high-water RSS
of the image the child was forked (or vforked) from, so every child would report at least this
Python's RSS. GNU time forks from a tiny process and reports the child's own peak (%M); where it
is missing, only the sampled sum over the process group is reported."""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_mb: float | None  # peak RSS of the largest single process (GNU time %M), when measured
    tree_rss_mb: float | None  # peak of the summed RSS of the whole process group, when sampled
    returncode: int
    stdout: str
    stderr: str


GNU_TIME = "/usr/bin/time"


def memory_measurable() -> bool:
    return os.access(GNU_TIME, os.X_OK) or tree_sampling_available()


def run(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], memory: bool = False) -> Sample:
    """Run argv to completion. Output goes to files, not pipes, so a full pipe never stalls it.

    With memory=True the run is wrapped in GNU time and its process group is sampled; keep such
    runs out of the timed samples.
    """
    sample_tree = memory and tree_sampling_available()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as rss:
        if memory and os.access(GNU_TIME, os.X_OK):
            argv = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv]
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        sampler = _TreeSampler(proc.pid) if sample_tree else None
        if sampler is not None:
            sampler.start()
        proc.wait()
        seconds = time.perf_counter() - start
        if sampler is not None:
            sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        kib = rss.read().decode().strip().splitlines()
    max_rss = int(kib[-1]) / 1024 if kib and kib[-1].isdigit() else None
    tree = sampler.peak_bytes / 2**20 if sampler is not None and sampler.peak_bytes else None
    return Sample(seconds, max_rss, tree, proc.returncode, stdout, stderr)


class _TreeSampler(threading.Thread):
    """Polls /proc for the processes of the child's session and keeps the peak of their RSS sum.

    The child runs in a new session (start_new_session), so its worker processes share its
    process group. Sampling misses peaks shorter than the interval; RSS counts shared pages once
    per process, so forked workers are over-counted rather than under-counted.
    """

    def __init__(self, pgid: int, interval: float = 0.02, slow_interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pgid = pgid
        self.interval = interval
        self.slow_interval = slow_interval  # after the first second, poll less (less CPU taken from the run)
        self.peak_bytes = 0
        self._done = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self._done.is_set():
            self.peak_bytes = max(self.peak_bytes, self._tree_rss())
            self._done.wait(self.interval if time.perf_counter() - start < 1 else self.slow_interval)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _tree_rss(self) -> int:
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            # After the command name: state ppid pgrp ...; rss is field 24 of stat (index 21 here).
            if int(fields[2]) == self.pgid:
                total += int(fields[21]) * _PAGE
        return total


def tree_sampling_available() -> bool:
    return os.path.isdir("/proc") and os.path.exists(f"/proc/{os.getpid()}/stat")
