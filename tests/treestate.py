"""What a folder holds, to compare before and after a run (test_hostile, test_safety)."""
from __future__ import annotations

import os
import stat
from pathlib import Path


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under root: kind, mode bits and content (bytes, or a link's target)."""
    state: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                state[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                state[key] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
            else:
                state[key] = ("other", stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode))
    return state
