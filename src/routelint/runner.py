"""The thin shell around the engine: files in, results out, fixes written."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from routelint.config import Settings, enabled_codes
from routelint.engine import Finding, FixError, Linter, unreadable
from routelint.files import CannotWrite, ChangedOnDisk, SourceFile, UnreadableFile, decode, discover, read_source, write_atomically


@dataclass
class RunOutcome:
    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    unsafe_available: int = 0
    changed_files: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files left untouched, with the reason
    files_seen: int = 0


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.absolute().relative_to(cwd.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def run_paths(
    linter: Linter,
    settings: Settings,
    paths: Sequence[Path],
    *,
    cwd: Path,
    fix: bool = False,
    unsafe: bool = False,
    diff: bool = False,
    force_exclude: bool = False,
) -> RunOutcome:
    outcome = RunOutcome()
    all_codes = sorted(linter.rules)
    for path, _named in discover(paths, settings.exclude_patterns(), force_exclude=force_exclude):
        outcome.files_seen += 1
        shown = display_path(path, cwd)
        codes = enabled_codes(settings, all_codes, path)
        try:
            source = read_source(path)
        except UnreadableFile as exc:
            if "RL001" in codes:
                outcome.findings.append(unreadable(shown, f"cannot check this file: it {exc}"))
            continue
        _process(linter, source, shown, codes, outcome, fix=fix, unsafe=unsafe, diff=diff)
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def run_stdin(
    linter: Linter, settings: Settings, data: bytes, filename: str, *, cwd: Path, fix: bool, unsafe: bool, diff: bool
) -> tuple[RunOutcome, str | None]:
    """Lint (or fix) a buffer; returns the fixed text for --fix, to go to standard output."""
    outcome = RunOutcome(files_seen=1)
    path = Path(filename)
    shown = display_path(path, cwd)
    codes = enabled_codes(settings, sorted(linter.rules), path)
    try:
        text, encoding = decode(data, filename)
    except UnreadableFile as exc:
        outcome.findings.append(unreadable(shown, f"cannot check this input: it {exc}"))
        return outcome, data.decode("utf-8", "surrogateescape") if fix else None
    source = SourceFile(path, text, encoding)
    fixed_text = _process(linter, source, shown, codes, outcome, fix=fix or diff, unsafe=unsafe, diff=diff, write=False)
    return outcome, (fixed_text if fix else None)


def _process(
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
) -> str:
    if not (fix or diff):
        outcome.findings.extend(linter.lint_source(source.text, shown, enabled=codes).findings)
        return source.text
    try:
        result = linter.fix_source(source.text, shown, unsafe=unsafe, enabled=codes)
    except FixError as exc:
        outcome.errors.append(str(exc))
        outcome.findings.extend(linter.lint_source(source.text, shown, enabled=codes).findings)
        return source.text
    remaining = list(result.remaining.findings)
    if result.source != source.text:
        if diff:
            outcome.diffs.append(_unified_diff(source.text, result.source, shown))
            remaining = list(linter.lint_source(source.text, shown, enabled=codes).findings)
        elif write:
            try:
                write_atomically(source, result.source)
            except (CannotWrite, ChangedOnDisk, OSError) as exc:
                outcome.errors.append(f"{shown}: not written: {exc}")
                outcome.findings.extend(linter.lint_source(source.text, shown, enabled=codes).findings)
                return source.text
        if not diff:
            outcome.fixed += len(result.fixed)
            outcome.changed_files.append(shown)
    outcome.findings.extend(remaining)
    if not unsafe:
        outcome.unsafe_available += sum(1 for f in remaining if f.fix and f.fix.applicability == "unsafe")
    return result.source


def _unified_diff(before: str, after: str, shown: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)
