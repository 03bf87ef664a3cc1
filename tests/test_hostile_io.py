"""Files and folders that fight back (issue 12): what --fix keeps of a file, a file edited while
it is fixed, FIFOs, devices and huge files, folders that cannot be read, paths longer than the
system allows, coding cookies Python refuses, and a file reached twice.

As in tests/test_hostile.py every run is a real process (python -m routelint) with the date
pinned, so a hang or a crash fails one test: each asserts the exit code, the output and that no
traceback was printed. Races cannot be timed from outside, so those few are injected in process.
"""
from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ENV = {**os.environ, "ROUTELINT_TODAY": "2026-11-25"}
LABEL = b'MODEL = "GPT Image 2"\n'  # RL101 with a safe fix to gpt-image-2
FIXED = b'MODEL = "gpt-image-2"\n'
RL101 = ':1:9: RL101 "GPT Image 2" is a product label'

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, links, owners and modes as POSIX has them")


def routelint(
    cwd: Path, *args: str, timeout: float = 60, prefix: Sequence[str] = (), memory: int | None = None
) -> subprocess.CompletedProcess:
    """`memory`: a cap on the child's address space, so that reading something whole fails fast."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    done = subprocess.run(
        [*prefix, sys.executable, "-m", "routelint", *args], cwd=cwd, env=ENV, capture_output=True, text=True,
        timeout=timeout, preexec_fn=limit, check=False,
    )
    assert done.returncode in (0, 1, 2), f"exit {done.returncode}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-3000:]
    return done


# --- FIFOs, devices and files too large to read (C5) --------------------------------------------
def test_a_fifo_named_on_the_command_line_is_rl001_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "app.py")  # no writer: opening it for reading would wait forever
    done = routelint(tmp_path, "app.py", timeout=30)
    assert done.returncode == 1
    assert done.stdout.startswith("app.py:1:1: RL001 cannot check this file: it is not a regular file (a FIFO)\n")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "over-1-mib"])
def test_a_gitignore_that_cannot_be_read_sanely_is_ignored_with_a_warning(tmp_path: Path, kind: str) -> None:
    gitignore = tmp_path / ".gitignore"
    if kind == "fifo":
        os.mkfifo(gitignore)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", gitignore)  # endless: read whole, it ate memory until it failed
    else:
        gitignore.write_bytes(b"app.py\n" + b"#" * (1 << 20))
    (tmp_path / "app.py").write_bytes(LABEL)
    done = routelint(tmp_path, ".", timeout=30, memory=1 << 30)
    assert done.returncode == 1 and done.stdout.startswith("app.py" + RL101)
    assert f"routelint: warning: ignoring {gitignore}: it " in done.stderr


def test_a_file_over_the_size_limit_is_refused_from_its_stat(tmp_path: Path) -> None:
    with open(tmp_path / "huge.py", "wb") as stream:
        stream.truncate(3 << 30)  # 3 GiB, sparse: read whole it took 3.1 GB of memory
    (tmp_path / "at_limit.py").write_bytes(b"#" * 1_999_999 + b"\n")  # exactly 2,000,000 bytes: checked
    (tmp_path / "past_limit.py").write_bytes(b"#" * 2_000_000 + b"\n")  # no model string, still refused
    done = routelint(tmp_path, ".", timeout=60, memory=1 << 30)
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        "huge.py:1:1: RL001 cannot check this file: it is too large to parse (3221.2 MB, more than 2 MB); exclude it or split it",
        "past_limit.py:1:1: RL001 cannot check this file: it is too large to parse (2.0 MB, more than 2 MB); exclude it or split it",
    ]
