"""One file, start to end: read it, lint or fix it, write it back, and keep what the report needs."""
from __future__ import annotations

import difflib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TypedDict

from routelint.engine import Linter
from routelint.facts import Incoming
from routelint.files import NotPython, SourceFile, UnreadableFile, read_source, source_from_bytes
from routelint.fixing import FixError
from routelint.interrupts import held
from routelint.lines import split_lines_keepends, strip_ending
from routelint.model import PARSE_ERROR, Finding, unreadable
from routelint.noqa import add_noqa
from routelint.notebooks import CellIndex, cell_index
from routelint.project import Constant, ProjectTable
from routelint.writes import CannotWrite, ChangedOnDisk, _encode, write_atomically


@dataclass
class RunOutcome:
    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    unsafe_available: int = 0
    changed_files: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    noqa_added: int = 0  # --add-noqa: directives written
    errors: list[str] = field(default_factory=list)  # files left untouched, with the reason
    files_seen: int = 0
    # The text the findings of each file refer to, kept only for files with findings: the full
    # and SARIF formats quote it, and a clean run keeps nothing.
    sources: dict[str, str] = field(default_factory=dict)
    # For each notebook with findings, what the output needs to name its cells (notebooks.py).
    notebooks: dict[str, CellIndex] = field(default_factory=dict)
    # For standard error (what was skipped on purpose: an ignored .gitignore, a folder with no
    # file to lint); the exit code is the findings'.
    warnings: list[str] = field(default_factory=list)
    # Files not given to the run whose findings it reports: a literal there is used in a file
    # that was given (the project pass); such a file is never written.
    outside: set[str] = field(default_factory=set)
    parsed: int = 0  # files that needed LibCST (the rest were settled by the prefilter)
    cache_hits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase, for --verbose

    def merge(self, other: RunOutcome) -> None:
        self.findings.extend(other.findings)
        self.fixed += other.fixed
        self.unsafe_available += other.unsafe_available
        self.changed_files.extend(other.changed_files)
        self.diffs.extend(other.diffs)
        self.noqa_added += other.noqa_added
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)
        self.files_seen += other.files_seen
        self.sources.update(other.sources)
        self.notebooks.update(other.notebooks)
        self.outside.update(other.outside)
        self.parsed += other.parsed
        self.cache_hits += other.cache_hits


@dataclass(frozen=True)
class Mode:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False
    add_noqa: bool = False


@dataclass(frozen=True)
class Task:
    path: Path
    shown: str
    codes: frozenset[str]
    test_file: bool | None = None  # whether `test-code` applies (Settings.is_test_file)


def read_task(task: Task) -> tuple[SourceFile, os.stat_result, int] | RunOutcome:
    """The file's text, stat (taken before reading) and read time, or a finished outcome for a
    file that cannot be read."""
    read_ns = time.time_ns()
    try:
        info = task.path.stat()
    except OSError:
        info = None
    try:
        source = read_source(task.path)  # it says why a file cannot be read
        return source, info if info is not None else task.path.stat(), read_ns
    except (UnreadableFile, OSError) as exc:
        return cannot_read(task, exc)


def cannot_read(task: Task, exc: Exception) -> RunOutcome:
    if isinstance(exc, NotPython):  # not read: said on standard error, not counted as seen
        return RunOutcome(warnings=[f"warning: skipped {task.shown}: it {exc}"])
    piece = RunOutcome(files_seen=1)
    if "RL001" in task.codes:
        piece.findings.append(unreadable(task.shown, f"cannot check this file: it {exc}"))
    return piece


class _Reach(TypedDict):
    """What process_file hands to every lint_source / fix_source call."""

    project: ProjectTable | None
    incoming: Sequence[Incoming]
    cells: CellIndex | None
    test_file: bool | None


def process_file(
    linter: Linter,
    source: SourceFile,
    shown: str,
    codes: frozenset[str],
    outcome: RunOutcome,
    *,
    fix: bool,
    unsafe: bool,
    diff: bool,
    write: bool = True,
    project: ProjectTable | None = None,
    incoming: Sequence[Incoming] = (),
    constants: bool = False,
    noqa: bool = False,
    test_file: bool | None = None,
) -> tuple[str, Sequence[tuple[str, Incoming]], tuple[Constant, ...]]:
    """Lint or fix one file into `outcome`; returns its text after fixing, its exports (the
    uses it makes of other files' names, for the project pass) and, when linting with
    `constants`, its module constants."""
    cells = source.notebook.index if source.notebook is not None else None
    reach: _Reach = {"project": project, "incoming": incoming, "cells": cells, "test_file": test_file}
    if noqa:
        return _add_noqa(linter, source, shown, codes, outcome, reach)
    if not (fix or diff):
        result = linter.lint_source(source.text, shown, enabled=codes, constants=constants, **reach)
        outcome.parsed += result.parsed
        _add(outcome, source, shown, source.text, result.findings, codes)
        return source.text, result.exports, result.constants
    try:
        fixed = linter.fix_source(source.text, shown, unsafe=unsafe, enabled=codes, **reach)
    except FixError as exc:
        outcome.errors.append(str(exc))
        failed = linter.lint_source(source.text, shown, enabled=codes, **reach)
        _add(outcome, source, shown, source.text, failed.findings, codes)
        return source.text, failed.exports, ()
    exports = fixed.remaining.exports
    remaining = list(fixed.remaining.findings)
    remaining_text = fixed.source
    if fixed.source != source.text:
        if diff:
            outcome.diffs.append(_unified_diff(source, fixed.source, shown))
            remaining = list(linter.lint_source(source.text, shown, enabled=codes, **reach).findings)
            remaining_text = source.text
        elif write:
            try:
                with held():  # a signal ends the run after this write, not during it
                    write_atomically(source, fixed.source)
            except (CannotWrite, ChangedOnDisk, OSError) as exc:
                outcome.errors.append(f"{shown}: not written: {_reason(exc, source.path)}")
                _add(outcome, source, shown, source.text, linter.lint_source(source.text, shown, enabled=codes, **reach).findings, codes)
                return source.text, exports, ()
        if not diff:
            outcome.fixed += len(fixed.fixed)
            outcome.changed_files.append(shown)
    _add(outcome, source, shown, remaining_text, remaining, codes)
    if not unsafe:
        outcome.unsafe_available += sum(1 for f in remaining if f.fix and f.fix.applicability == "unsafe")
    return fixed.source, exports, ()


def _add_noqa(
    linter: Linter, source: SourceFile, shown: str, codes: frozenset[str], outcome: RunOutcome, reach: _Reach
) -> tuple[str, Sequence[tuple[str, Incoming]], tuple[Constant, ...]]:
    """--add-noqa for one file: a directive for each line where a finding starts, written as a
    fix is; what cannot be silenced (RL001, a line ending inside a string) stays a finding."""
    result = linter.lint_source(source.text, shown, enabled=codes, **reach)
    wanted: dict[int, set[str]] = {}
    for finding in result.findings:
        if finding.code != PARSE_ERROR:
            wanted.setdefault(finding.start[0], set()).add(finding.code)
    text, refused = add_noqa(source.text, wanted) if wanted else (source.text, set())
    remaining = [f for f in result.findings if f.code == PARSE_ERROR or f.start[0] in refused]
    for line in sorted(refused):
        outcome.warnings.append(f"warning: {shown}:{line}: no noqa directive added: the line ends inside a string or a continuation")
    if text != source.text:
        try:
            with held():  # a signal ends the run after this write, not during it
                write_atomically(source, text)
        except (CannotWrite, ChangedOnDisk, OSError) as exc:
            outcome.errors.append(f"{shown}: not written: {_reason(exc, source.path)}")
            _add(outcome, source, shown, source.text, result.findings, codes)
            return source.text, result.exports, ()
        outcome.noqa_added += len(wanted) - len(refused)
        outcome.changed_files.append(shown)
    _add(outcome, source, shown, text, remaining, codes)
    return text, result.exports, ()


def _reason(exc: BaseException, path: Path) -> str:
    """Why a write failed, without the file name the writer's message starts with (the caller
    names the file once)."""
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def _add(
    outcome: RunOutcome, source: SourceFile, shown: str, text: str, findings: Sequence[Finding], codes: frozenset[str]
) -> None:
    """The findings of one file; `text` is the file's text they refer to (after fixes)."""
    findings = [*_cell_problems(source, shown, codes), *findings]
    outcome.findings.extend(findings)
    if findings:
        if text != source.text:  # after fixes, the positions are the fixed file's
            if source.notebook is not None:  # read again from its fixed bytes: its JSON moved
                source = source_from_bytes(source.path, _encode(source, text))
            else:
                source = replace(source, text=text)
        keep_source(outcome, shown, source, findings)


def served_from_cache(task: Task, findings: Sequence[Finding]) -> RunOutcome:
    """One file's outcome from the cache: its findings, and (when it has some) its text for the
    report, read again now."""
    piece = RunOutcome(files_seen=1, cache_hits=1)
    piece.findings.extend(replace(f, path=task.shown) for f in findings)
    if piece.findings:
        try:
            keep_source(piece, task.shown, read_source(task.path), piece.findings)
        except UnreadableFile:
            pass
    return piece


def keep_source(outcome: RunOutcome, shown: str, source: SourceFile, findings: Sequence[Finding]) -> None:
    outcome.sources[shown] = source.text if source.notebook is None else source.notebook.written_text
    if source.notebook is not None:
        positions = [position for f in findings if f.path == shown for position in (f.start, f.end)]
        outcome.notebooks[shown] = cell_index(source.data, source.notebook, positions)


def _cell_problems(source: SourceFile, shown: str, codes: frozenset[str]) -> list[Finding]:
    """RL001 for each notebook cell that does not parse even with IPython syntax masked: it was
    linted as blank lines, and the other cells were linted."""
    notebook = source.notebook
    if notebook is None or not notebook.problems or PARSE_ERROR not in codes:
        return []
    first = {cell.index: cell.first_line for cell in notebook.cells}
    return [
        unreadable(shown, f"cannot check cell {index}: {message}", (first[index] + line - 1, 1))
        for index, line, message in notebook.problems
    ]


def _unified_diff(source: SourceFile, after: str, shown: str) -> str:
    """A unified diff of the fix; for a notebook, one per changed cell (as ruff shows them),
    of the cell's lines as written (a masked line never changes)."""
    notebook = source.notebook
    if notebook is None:
        return _diff_lines(split_lines_keepends(source.text), split_lines_keepends(after), f"a/{shown}", f"b/{shown}")
    before_lines, after_lines = split_lines_keepends(source.text), split_lines_keepends(after)
    chunks = []
    for cell, pieces in zip(notebook.cells, notebook.pieces):
        span = slice(cell.first_line - 1, cell.first_line - 1 + cell.line_count)
        if before_lines[span] == after_lines[span]:
            continue
        written = split_lines_keepends("".join(p.value for p in pieces))
        changed = [
            line if old == new else (new if line.endswith(("\n", "\r")) else strip_ending(new))
            for line, old, new in zip(written, before_lines[span], after_lines[span])
        ]
        chunks.append(_diff_lines(written, changed, f"a/{shown}:cell {cell.index}", f"b/{shown}:cell {cell.index}"))
    return "".join(chunks)


def _diff_lines(before: list[str], after: list[str], old: str, new: str) -> str:
    lines = difflib.unified_diff(before, after, old, new)
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def encode_as_read(source: SourceFile, text: str) -> bytes | None:
    """`text` in the source's encoding (with its BOM), as a fixed file is written; None if it cannot be."""
    try:
        return _encode(source, text)
    except CannotWrite:
        return None


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.absolute().relative_to(cwd.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def display_paths(cwd: Path) -> Callable[[Path], str]:
    """display_path for many paths: string operations on pathlib's already normalized text
    (pathlib's relative_to was a tenth of a run served from the cache)."""
    root = str(cwd.absolute())
    prefix = root.rstrip(os.sep) + os.sep

    def shown(path: Path) -> str:
        text = str(path)
        if not path.is_absolute():
            return display_path(path, cwd) if text.startswith("..") else text.replace(os.sep, "/")
        return text[len(prefix) :].replace(os.sep, "/") if text.startswith(prefix) else path.as_posix()

    return shown
