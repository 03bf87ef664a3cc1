"""Per-file results kept between runs, so a second run over an unchanged tree is nearly free.

One JSON file per run configuration (routelint version, catalog digest, settings, today's date):
any change there starts a fresh file, so a changed catalog entry can never serve a stale result.
Inside, each file's entry is keyed by its path and holds its size, mtime and the sha256 of its
bytes. Same size and mtime: the entry serves without reading the file (as ruff's cache does).
Same size, another mtime (a checkout, a formatter that changed nothing): the file is read and its
hash compared. A file modified within RACY_NS before it was read may have changed again within
the same mtime tick, so its entry is always checked by hash (git's "racy clean" rule). Written atomically
(temporary file, then rename), so two runs sharing the folder never see half a cache; the last
one to finish wins.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict, astuple
from pathlib import Path
from typing import Any, Mapping

from routelint.engine import Edit, Finding, Fix
from routelint.project import Constant

CACHE_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file marks a cache folder (https://bford.info/cachedir/).\n"


class ResultCache:
    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder
        self.file = folder / "v2" / f"{hashlib.sha256(run_key.encode()).hexdigest()[:32]}.json"
        self.entries: dict[str, list[Any]] = self._load()
        self.changed = False

    def _load(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def lookup(self, path: Path) -> tuple[tuple[Finding, ...], tuple[Constant, ...], str] | None:
        """(findings, module constants, sha256) stored for this file, if its bytes are the ones linted."""
        key = str(path.absolute())
        entry = self.entries.get(key)
        if not isinstance(entry, list) or len(entry) != 5:
            return None
        try:
            info = path.stat()
            if entry[0] != info.st_size:
                return None
            if entry[1] != info.st_mtime_ns:  # touched, or racy: compare the content
                if hashlib.sha256(path.read_bytes()).hexdigest() != entry[2]:
                    return None
                if not _racy(info.st_mtime_ns, time.time_ns()):
                    entry[1] = info.st_mtime_ns
                    self.changed = True
            return tuple(_finding(f) for f in entry[3]), tuple(Constant(*c) for c in entry[4]), str(entry[2])
        except OSError:
            return None
        except (KeyError, TypeError, ValueError):
            return None  # a cache written by something else: ignore it

    def store(
        self,
        path: Path,
        size: int,
        mtime_ns: int,
        digest: str,
        read_ns: int,
        findings: tuple[Finding, ...],
        constants: tuple[Constant, ...],
    ) -> None:
        """`read_ns`: when the bytes were read (after the stat that gave size and mtime)."""
        stamp = -1 if _racy(mtime_ns, read_ns) else mtime_ns
        self.entries[str(path.absolute())] = [size, stamp, digest, [asdict(f) for f in findings], [list(astuple(c)) for c in constants]]
        self.changed = True

    def decision(self, key: str) -> bool | None:
        """Whether names crossed files the last time this set of files, with these contents and
        these constants, was linted (runner._crossing); None when not known."""
        entry = self.entries.get(_DECISION)
        return entry[1] if isinstance(entry, list) and len(entry) == 2 and entry[0] == key and isinstance(entry[1], bool) else None

    def remember(self, key: str, crosses: bool) -> None:
        self.entries[_DECISION] = [key, crosses]
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHE_TAG), (".gitignore", "# Created by routelint\n*\n")):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.entries, stream, separators=(",", ":"))
            os.replace(temporary, self.file)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


# Linux stamps files with a coarse clock (one tick is up to ~10 ms); two seconds covers it and
# the slower clocks of network filesystems.
RACY_NS = 2_000_000_000


_DECISION = "\0crossing"  # not a path: no file is named with a NUL


def _racy(mtime_ns: int, read_ns: int) -> bool:
    """Whether the file may have changed again after it was read without its mtime moving."""
    return read_ns - mtime_ns < RACY_NS


def _finding(data: Mapping[str, Any]) -> Finding:
    fix = data["fix"]
    if fix is not None:
        edits = tuple(Edit(e["content"], tuple(e["start"]), tuple(e["end"]), tuple(e["offsets"])) for e in fix["edits"])  # type: ignore[arg-type]
        fix = Fix(fix["applicability"], fix["message"], edits)
    return Finding(
        data["code"], data["name"], data["severity"], data["message"], data["path"],
        tuple(data["start"]), tuple(data["end"]), fix,  # type: ignore[arg-type]
    )
