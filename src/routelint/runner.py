"""The thin shell around the engine: files in, results out, fixes written."""
from __future__ import annotations

import difflib
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from routelint.config import Settings, enabled_codes
from routelint.engine import Finding, FixError, Linter, unreadable
from routelint.facts import Incoming
from routelint.files import ChangedOnDisk, SourceFile, UnreadableFile, decode, discover, read_source, write_atomically
from routelint.project import ProjectTable, build_table, schedule


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
    """Lint (or fix) every file; names one file imports from another reach across (project.py).

    Files that hold module constants are linted after the others, so that the uses other files
    make of their names are known; a file that learns of more uses later is linted again (its
    earlier result is replaced; fixes it already wrote stay, and are counted).
    """
    outcome = RunOutcome()
    all_codes = sorted(linter.rules)
    found = discover(paths, settings.exclude_patterns(), force_exclude=force_exclude)
    files = {posixpath.normpath(shown): (path, shown) for path, shown in ((p, display_path(p, cwd)) for p, _ in found)}
    outcome.files_seen = len(files)
    project = _project_table(linter, list(files.values())) if len(files) > 1 else None
    results: dict[str, RunOutcome] = {}

    def process(key: str, incoming: tuple[Incoming, ...]) -> Sequence[tuple[str, Incoming]]:
        path, shown = files[key]
        codes = enabled_codes(settings, all_codes, path)
        single = RunOutcome()
        exports: Sequence[tuple[str, Incoming]] = ()
        try:
            source = read_source(path)
        except UnreadableFile as exc:
            if "RL001" in codes:
                single.findings.append(unreadable(shown, f"cannot check this file: it {exc}"))
        else:
            exports = _process(  # type: ignore[assignment]
                linter, source, shown, codes, single, fix=fix, unsafe=unsafe, diff=diff, project=project, incoming=incoming
            )
        earlier = results.get(key)
        if earlier is not None and not diff:  # linted again: fixes written the first time still count
            single.fixed += earlier.fixed
            single.changed_files = sorted(set(single.changed_files) | set(earlier.changed_files))
        results[key] = single
        return exports

    schedule(list(files), set(project.constants) if project else set(), process)
    for single in (results[key] for key in files if key in results):  # in the order files were found
        outcome.findings.extend(single.findings)
        outcome.fixed += single.fixed
        outcome.unsafe_available += single.unsafe_available
        outcome.changed_files.extend(single.changed_files)
        outcome.diffs.extend(single.diffs)
        outcome.errors.extend(single.errors)
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def _project_table(linter: Linter, files: Sequence[tuple[Path, str]]) -> ProjectTable:
    """The first, cheap pass: module constants of the files that have a candidate string."""

    def sources() -> Iterator[tuple[str, str | None]]:
        for path, shown in files:
            try:
                text = read_source(path).text
            except UnreadableFile:
                text = None
            if text is not None and not linter.prefilter.search(text.encode("utf-8", "surrogatepass")):
                text = None
            yield shown, text

    return build_table(sources(), linter.reportable)


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
    fixed_text = _process(
        linter, source, shown, codes, outcome, fix=fix or diff, unsafe=unsafe, diff=diff, write=False, text_out=True
    )
    return outcome, (fixed_text if fix else None)  # type: ignore[return-value]


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
    text_out: bool = False,
    project: ProjectTable | None = None,
    incoming: Sequence[Incoming] = (),
) -> object:
    """Lint or fix one file into `outcome`; returns its exports (or, with text_out, the fixed text)."""
    reach = {"project": project, "incoming": incoming}
    if not (fix or diff):
        result = linter.lint_source(source.text, shown, enabled=codes, **reach)
        outcome.findings.extend(result.findings)
        return source.text if text_out else result.exports
    try:
        fixed = linter.fix_source(source.text, shown, unsafe=unsafe, enabled=codes, **reach)
    except FixError as exc:
        outcome.errors.append(str(exc))
        result = linter.lint_source(source.text, shown, enabled=codes, **reach)
        outcome.findings.extend(result.findings)
        return source.text if text_out else result.exports
    exports = fixed.remaining.exports
    remaining = list(fixed.remaining.findings)
    if fixed.source != source.text:
        if diff:
            outcome.diffs.append(_unified_diff(source.text, fixed.source, shown))
            remaining = list(linter.lint_source(source.text, shown, enabled=codes, **reach).findings)
        elif write:
            try:
                write_atomically(source, fixed.source)
            except (ChangedOnDisk, OSError) as exc:
                outcome.errors.append(f"{shown}: not written: {exc}")
                outcome.findings.extend(linter.lint_source(source.text, shown, enabled=codes, **reach).findings)
                return source.text if text_out else exports
        if not diff:
            outcome.fixed += len(fixed.fixed)
            outcome.changed_files.append(shown)
    outcome.findings.extend(remaining)
    if not unsafe:
        outcome.unsafe_available += sum(1 for f in remaining if f.fix and f.fix.applicability == "unsafe")
    return fixed.source if text_out else exports


def _unified_diff(before: str, after: str, shown: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)
