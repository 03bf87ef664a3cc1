"""Per-file results kept between runs, so a second run over an unchanged tree is nearly free.

One JSON file per run configuration (routelint version, catalog digest, settings, today's date):
any change there starts a fresh file, so a changed catalog entry can never serve a stale result.
Inside, each file's entry is keyed by its path and holds its size, its stamp (mtime, ctime and
inode, as git's index keeps them) and the sha256 of its bytes. Same size and stamp: the entry
serves without reading the file (as ruff's cache does). Same size, another stamp (a checkout, a
formatter that changed nothing, an edit that put the mtime back): the file is read and its hash
compared. A file modified within RACY_NS before it was read may have changed again within the
same clock tick, so its entry is always checked by hash (git's "racy clean" rule). Written
atomically (temporary file, then rename), so two runs sharing the folder never see half a
cache; the last one to finish wins.

The cache is only ever an optimisation: a file that cannot be read, parsed or trusted entry by
entry is ignored (and rebuilt), a folder that cannot be written is left alone, and both become
one warning in `warnings` for the command line to print; they never cost the run its findings.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, astuple, dataclass
from pathlib import Path
from typing import Any

from routelint import cache_entries as stored
from routelint.cache_entries import Stamp
from routelint.facts import Incoming
from routelint.model import Finding
from routelint.project import Constant, FileFacts
from routelint.writes import replace_atomically

CACHE_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file marks a cache folder (https://bford.info/cachedir/).\n"
VERSION = "v11"  # v11: constants include private functions with a candidate string in a default (v10, never released: and calls of imported private functions); v9: those calls include classes built with one; v8: constants include calls of imported functions given a candidate string; v7: an entry's findings may be null (never linted alone); v6: findings keep used_in; v5: findings keep source and note; v4: notebooks; v3: entries keep ctime and inode
MAX_CACHE_BYTES = 256 * 1024 * 1024  # a larger cache file is not read (and is rebuilt)



def _key(path: Path) -> str:
    """str(path.absolute()), without pathlib's objects: a warm run looks up every file of the tree."""
    text = os.fspath(path)
    return text if os.path.isabs(text) else os.path.join(os.getcwd(), text)


def file_stamp(info: os.stat_result) -> Stamp:
    return info.st_mtime_ns, info.st_ctime_ns, info.st_ino


@dataclass(frozen=True)
class Reading:
    """What the cache keeps of one read of a file: the stat taken before the bytes were read
    (size and stamp), the sha256 of the bytes ('' when no cache asked for it) and when they
    were read (a stamp too close to it is not trusted)."""

    size: int
    stamp: Stamp
    digest: str
    read_ns: int

    @classmethod
    def of(cls, info: os.stat_result, digest: str, read_ns: int) -> Reading:
        return cls(info.st_size, file_stamp(info), digest, read_ns)


class ResultCache:
    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder
        name = hashlib.sha256(run_key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.file = folder / VERSION / f"{name}.json"
        self.warnings: list[str] = []  # for the command line, after the report
        self.entries: dict[str, Any] = self._load()
        self.changed = False
        self.rejected = 0  # entries that did not have the shape this version writes

    def _load(self) -> dict[str, Any]:
        try:
            with open(self.file, "rb") as stream:
                if os.fstat(stream.fileno()).st_size > MAX_CACHE_BYTES:
                    raise ValueError(f"larger than {MAX_CACHE_BYTES // (1024 * 1024)} MiB")
                data = json.loads(stream.read())
        except (FileNotFoundError, NotADirectoryError):  # none yet (saving says why, if it cannot)
            return {}
        except OSError as exc:
            self._warn_ignored(exc.strerror or str(exc))
            return {}
        except RecursionError:
            self._warn_ignored("nested too deeply")
            return {}
        except MemoryError:
            self._warn_ignored("too large to read")
            return {}
        except ValueError as exc:  # not JSON, not UTF-8, or a number with too many digits
            self._warn_ignored(str(exc)[:200])
            return {}
        if not isinstance(data, dict):
            self._warn_ignored("not a JSON object")
            return {}
        return data

    def _drop(self, key: str) -> None:
        """Drop a damaged entry, counted for one warning after the run."""
        del self.entries[key]
        self.rejected += 1
        self.changed = True

    def _warn_ignored(self, reason: str) -> None:
        self.warnings.append(f"cache ignored and rebuilt: {self.file}: {reason}")

    def lookup(self, path: Path) -> tuple[tuple[Finding, ...] | None, tuple[Constant, ...], str] | None:
        """(findings, module constants, sha256) stored for this file, if its bytes are the ones linted.
        The findings are None for a file whose outcome alone was never worked out (`store`)."""
        key = _key(path)
        raw = self.entries.get(key)
        if raw is None:
            return None
        entry = stored.entry(raw)
        if entry is None:  # written by something else, or damaged: never trusted, and dropped
            self._drop(key)
            return None
        size, stamp, digest, findings, constants = entry
        return (findings, constants, digest) if self._unchanged(path, raw, size, stamp, digest) else None

    def _unchanged(self, path: Path, raw: list[Any], size: int, stamp: Stamp, digest: str) -> bool:
        """Whether the file still has the bytes an entry was made from: the same size and stamp,
        or the same sha256 (then the entry takes the new stamp, unless it is racy)."""
        try:
            info = os.stat(path)
            if size != info.st_size:
                return False
            if stamp != file_stamp(info):  # touched, moved, or racy: compare the content
                if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                    return False
                if not _racy(info, time.time_ns()):
                    raw[1:4] = file_stamp(info)
                    self.changed = True
        except OSError:
            return False
        return True

    def lookup_facts(self, path: Path) -> FileFacts | None:
        """The project index's facts of a file (index.py), if its bytes are the ones read."""
        key = _FACTS + _key(path)
        raw = self.entries.get(key)
        if raw is None:
            return None
        entry = stored.facts_entry(raw)
        if entry is None:
            self._drop(key)
            return None
        size, stamp, digest, facts = entry
        return facts if self._unchanged(path, raw, size, stamp, digest) else None

    def store_facts(self, path: Path, reading: Reading, facts: FileFacts) -> None:
        mtime_ns, ctime_ns, inode = reading.stamp
        if reading.read_ns - max(mtime_ns, ctime_ns) < RACY_NS:
            mtime_ns = -1  # no stamp to trust: always hashed
        self.entries[_FACTS + _key(path)] = [
            reading.size, mtime_ns, ctime_ns, inode, reading.digest, *stored.facts_out(facts),
        ]
        self.changed = True

    def forget_facts(self, folder: Path, kept: set[Path]) -> None:
        """Drop the index's entries of files under `folder` other than `kept` (deleted, moved,
        or excluded since), so the index holds the project as it is."""
        prefix = _FACTS + _key(folder).rstrip(os.sep) + os.sep
        keep = {_FACTS + _key(path) for path in kept}
        gone = [key for key in self.entries if key.startswith(prefix) and key not in keep]
        for key in gone:
            del self.entries[key]
        self.changed = self.changed or bool(gone)

    def store(
        self, path: Path, reading: Reading, findings: tuple[Finding, ...] | None, constants: tuple[Constant, ...]
    ) -> None:
        """`findings`: the file's outcome linted alone; None for a file that went straight to the
        project pass (its constants, none, are known without linting it: runner._run_group)."""
        mtime_ns, ctime_ns, inode = reading.stamp
        if reading.read_ns - max(mtime_ns, ctime_ns) < RACY_NS:
            mtime_ns = -1  # no stamp to trust: always hashed
        self.entries[_key(path)] = [
            reading.size, mtime_ns, ctime_ns, inode, reading.digest,
            None if findings is None else [asdict(f) for f in findings], [list(astuple(c)) for c in constants],
        ]
        self.changed = True

    def lookup_round(self, path: Path, digest: str, shape: str) -> tuple[tuple[Finding, ...], tuple[tuple[str, Incoming], ...]] | None:
        """A project pass's first-round findings and exports of a file that takes names from
        other files (crossfile.run_project), if kept for these contents and this table shape."""
        slot = _ROUND + _key(path)
        raw = self.entries.get(slot)
        if raw is None:
            return None
        kept = stored.round_entry(raw)
        if kept is None:
            self._drop(slot)
            return None
        if kept[0] != digest or kept[1] != shape:
            return None
        return kept[2], kept[3]

    def store_round(
        self, path: Path, digest: str, shape: str, findings: tuple[Finding, ...], exports: tuple[tuple[str, Incoming], ...]
    ) -> None:
        self.entries[_ROUND + _key(path)] = [
            digest, shape, [asdict(f) for f in findings], [stored.export_out(target, use) for target, use in exports],
        ]
        self.changed = True

    def decision(self, files: str, key: str) -> bool | None:
        """Whether names crossed files the last time this set of files (`files`: a digest of
        their paths), with these contents and these constants (`key`), was linted
        (crossfile.crossing); None when not known."""
        entry = self.entries.get(_DECISION + files)
        if isinstance(entry, list) and len(entry) in (2, 3) and entry[0] == key and isinstance(entry[1], bool):
            return entry[1]
        return None

    def project_findings(self, files: str, key: str) -> tuple[Finding, ...] | None:
        """The findings of the project pass the last time this set of files, with these contents
        and these constants, was linted, when names crossed; None when not known."""
        entry = self.entries.get(_DECISION + files)
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] == key and entry[1] is True):
            return None
        if not isinstance(entry[2], list):
            return None
        parsed = stored.each(entry[2], stored.finding)
        if parsed is None:
            self._drop(_DECISION + files)
        return parsed

    def remember(self, files: str, key: str, crosses: bool, findings: tuple[Finding, ...] | None = None) -> None:
        """The decision for this set of files; with `findings`, the project pass's findings too.
        The last MAX_DECISIONS sets of files are kept (`routelint src/`, `routelint tests/` and
        pre-commit's runs each have their own)."""
        slot = _DECISION + files
        self.entries.pop(slot, None)  # the newest last: JSON keeps the order
        self.entries[slot] = [key, crosses] if findings is None else [key, crosses, [asdict(f) for f in findings]]
        slots = [name for name in self.entries if name.startswith(_DECISION)]
        for old in slots[:-MAX_DECISIONS]:
            del self.entries[old]
        self.changed = True

    def save(self) -> None:
        """Write the cache; any failure (a read-only tree, a file where the folder should be, a
        full disk) becomes a warning, never an error: the run's results are already out."""
        if self.rejected:
            self.warnings.append(f"cache: {self.rejected} damaged entr{'y' if self.rejected == 1 else 'ies'} in {self.file} ignored and rebuilt")
        if not self.changed:
            return
        try:
            self._write()
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the cache is optional
            if isinstance(exc, OSError) and exc.strerror:
                reason = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
            else:
                reason = f"{type(exc).__name__}: {exc}"
            self.warnings.append(f"cache not written: {reason}")

    def _write(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHE_TAG), (".gitignore", "# Created by routelint\n*\n")):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        entries = self.entries
        replace_atomically(
            self.file, lambda stream, _name: stream.write(json.dumps(entries, separators=(",", ":")).encode("utf-8")), prefix=".", suffix=".tmp"
        )


# Linux stamps files with a coarse clock (one tick is up to ~10 ms); two seconds covers it and
# the slower clocks of network filesystems.
RACY_NS = 2_000_000_000


_DECISION = "\0crossing\0"  # not a path: no file is named with a NUL
MAX_DECISIONS = 64  # sets of files: whole trees, and the subsets pre-commit and editors name
_ROUND = "\0round\0"  # + a file's absolute path: its first round in the project pass
_FACTS = "\0facts\0"  # + a file's absolute path: its entry in the project index


def _racy(info: os.stat_result, read_ns: int) -> bool:
    """Whether the file may have changed again after it was read without its stamp moving."""
    return read_ns - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS
