"""Per-file results kept between runs, so a second run over an unchanged tree is nearly free.

One JSON file per run configuration (routelint version, catalog digest, settings, today's date):
any change there starts a fresh file, so a changed catalog entry can never serve a stale result.
Inside, each file is known by its path, size and mtime (the hash of its bytes is kept beside
them). Written atomically (temporary file, then rename), so
two runs sharing the folder never see half a cache; the last one to finish wins.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Mapping

from routelint.engine import Edit, Finding, Fix

CACHE_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file marks a cache folder (https://bford.info/cachedir/).\n"


class ResultCache:
    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder
        self.file = folder / "v1" / f"{hashlib.sha256(run_key.encode()).hexdigest()[:32]}.json"
        self.entries: dict[str, list[Any]] = self._load()
        self.changed = False

    def _load(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def lookup(self, path: Path, size: int, mtime_ns: int) -> tuple[Finding, ...] | None:
        """Findings stored for this file when its size and mtime have not changed since."""
        entry = self.entries.get(str(path.absolute()))
        if not isinstance(entry, list) or len(entry) != 4 or entry[:2] != [size, mtime_ns]:
            return None
        try:
            return tuple(_finding(f) for f in entry[3])
        except (KeyError, TypeError, ValueError):
            return None  # a cache written by something else: ignore it

    def store(self, path: Path, size: int, mtime_ns: int, digest: str, findings: tuple[Finding, ...]) -> None:
        self.entries[str(path.absolute())] = [size, mtime_ns, digest, [asdict(f) for f in findings]]
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


def _finding(data: Mapping[str, Any]) -> Finding:
    fix = data["fix"]
    if fix is not None:
        edits = tuple(Edit(e["content"], tuple(e["start"]), tuple(e["end"]), tuple(e["offsets"])) for e in fix["edits"])  # type: ignore[arg-type]
        fix = Fix(fix["applicability"], fix["message"], edits)
    return Finding(
        data["code"], data["name"], data["severity"], data["message"], data["path"],
        tuple(data["start"]), tuple(data["end"]), fix,  # type: ignore[arg-type]
    )
