"""The thin shell around the engine: files in, results out, fixes written."""
from __future__ import annotations

import difflib
import functools
import os
import posixpath
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

from routelint.cache import ResultCache
from routelint.config import Settings, enabled_codes
from routelint.engine import MAX_SOURCE_BYTES, Finding, FixError, Linter, unreadable
from routelint.facts import Incoming
from routelint.files import CannotWrite, ChangedOnDisk, SourceFile, UnreadableFile, decode, discover, read_source, write_atomically
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
    # The text the findings of each file refer to, kept only for files with findings: the full
    # and SARIF formats quote it, and a clean run keeps nothing.
    sources: dict[str, str] = field(default_factory=dict)
    parsed: int = 0  # files that needed LibCST (the rest were settled by the prefilter)
    cache_hits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase, for --verbose

    def merge(self, other: RunOutcome) -> None:
        self.findings.extend(other.findings)
        self.fixed += other.fixed
        self.unsafe_available += other.unsafe_available
        self.changed_files.extend(other.changed_files)
        self.diffs.extend(other.diffs)
        self.errors.extend(other.errors)
        self.files_seen += other.files_seen
        self.sources.update(other.sources)
        self.parsed += other.parsed
        self.cache_hits += other.cache_hits


@dataclass(frozen=True)
class Mode:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False


@dataclass(frozen=True)
class Task:
    path: Path
    shown: str
    codes: frozenset[str]


# Files to parse per worker process below which starting processes costs more than it saves.
# Reading and prefiltering stay in this process: measured here, spreading them over processes
# cost more in pickling than it saved (benchmarks/README.md).
MIN_FILES_PER_JOB = 16


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
    jobs: int = 1,
    cache: ResultCache | None = None,
) -> RunOutcome:
    """Lint (or fix) every file under `paths`. Output does not depend on `jobs`."""
    started = time.perf_counter()
    mode = Mode(fix, unsafe, diff)
    all_codes = sorted(linter.rules)
    same_everywhere = None if settings.per_file_ignores else enabled_codes(settings, all_codes)
    tasks = [
        Task(path, display_path(path, cwd), same_everywhere if same_everywhere is not None else enabled_codes(settings, all_codes, path))
        for path, _named in discover(paths, settings.exclude_patterns(), force_exclude=force_exclude)
    ]
    discovered = time.perf_counter()
    settled = RunOutcome()
    candidates: list[tuple[Task, tuple[SourceFile, os.stat_result]]] = []
    for task in tasks:
        cached = _cached(cache, task) if cache is not None and mode == Mode() else None
        read = _read(task) if cached is None else None
        if cached is not None:
            settled.merge(cached)
        elif isinstance(read, RunOutcome):
            settled.merge(read)  # unreadable: RL001, nothing to cache
        elif linter.needs_parse(read[0].text):  # type: ignore[index]
            candidates.append((task, read))  # type: ignore[arg-type]
        else:
            settled.merge(RunOutcome(files_seen=1))
            if cache is not None and mode == Mode():
                cache.store(task.path, read[1].st_size, read[1].st_mtime_ns, read[0].digest, ())  # type: ignore[index]
    screened = time.perf_counter()
    project = _project_table(linter, tasks, candidates) if len(tasks) > 1 and candidates else None
    if project is not None:
        # Names cross files here: lint in the project's order, serially and without the cache
        # (a file's findings then depend on the files that use its names).
        outcome = _run_project(linter, tasks, project, mode)
        outcome.seconds = {"discover": discovered - started, "prefilter": screened - discovered, "project": time.perf_counter() - screened}
        return outcome
    outcome = settled
    # Only the files the prefilter could not settle are worth a process: a low-hit tree is
    # finished here, a high-hit one spreads its parsing over the CPUs (workers read the files
    # again rather than receive them pickled).
    workers = min(jobs, len(candidates) // MIN_FILES_PER_JOB)
    if workers > 1:
        work = functools.partial(_process_work, mode=mode)
        results = _in_processes(linter, [task for task, _ in candidates], workers, work)
    else:
        results = (_process_path(linter, task, mode, read) for task, read in candidates)
    for (task, _), (piece, stamp) in zip(candidates, results):
        outcome.merge(piece)
        if cache is not None and stamp is not None and mode == Mode():
            cache.store(task.path, stamp[0], stamp[1], stamp[2], tuple(piece.findings))
    outcome.findings.sort(key=Finding.sort_key)
    outcome.seconds = {
        "discover": discovered - started,
        "prefilter": screened - discovered,
        "parse and check": time.perf_counter() - screened,
    }
    return outcome


def _read(task: Task) -> tuple[SourceFile, os.stat_result] | RunOutcome:
    """The file's text and stat, or a finished outcome for a file that cannot be read."""
    try:
        source = read_source(task.path)  # first: it says why a file cannot be read
        return source, task.path.stat()
    except (UnreadableFile, OSError) as exc:
        piece = RunOutcome(files_seen=1)
        if "RL001" in task.codes:
            piece.findings.append(unreadable(task.shown, f"cannot check this file: it {exc}"))
        return piece


def _cached(cache: ResultCache, task: Task) -> RunOutcome | None:
    try:
        info = task.path.stat()
    except OSError:
        return None
    found = cache.lookup(task.path, info.st_size, info.st_mtime_ns)
    if found is None:
        return None
    piece = RunOutcome(files_seen=1, cache_hits=1)
    piece.findings.extend(replace(f, path=task.shown) for f in found)
    if piece.findings:
        try:
            piece.sources[task.shown] = read_source(task.path).text
        except UnreadableFile:
            pass
    return piece


def _process_path(
    linter: Linter, task: Task, mode: Mode, read: tuple[SourceFile, os.stat_result] | None = None
) -> tuple[RunOutcome, tuple[int, int, str] | None]:
    """One file, start to end (`read`: its text and stat, when already read); returns its
    outcome and (size, mtime, digest) for the cache."""
    read = read if read is not None else _read(task)
    if isinstance(read, RunOutcome):
        return read, None
    source, info = read
    piece = RunOutcome(files_seen=1)
    _process(linter, source, task.shown, task.codes, piece, fix=mode.fix, unsafe=mode.unsafe, diff=mode.diff)
    return piece, (info.st_size, info.st_mtime_ns, source.digest)


def _in_processes(linter: Linter, tasks: list[Task], workers: int, work: Callable) -> Iterator:
    """Chunks of files to worker processes, results in input order. Each worker builds the same
    linter from its recipe (plain values, so any start method works); fork where the platform
    has it, because it starts fastest."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if "fork" in methods:
        import routelint.extract  # noqa: F401  (LibCST, once, inherited by every worker)
    chunk = max(1, len(tasks) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(linter.recipe(),)) as pool:
        yield from pool.map(work, tasks, chunksize=chunk)


_WORKER: dict[str, Linter] = {}  # the one linter of a worker process, set by its initializer


def _start_worker(recipe: object) -> None:
    _WORKER["linter"] = Linter.from_recipe(recipe)


def _process_work(task: Task, mode: Mode) -> tuple[RunOutcome, object]:
    return _process_path(_WORKER["linter"], task, mode)


def _project_table(
    linter: Linter, tasks: Sequence[Task], candidates: Sequence[tuple[Task, tuple[SourceFile, os.stat_result]]]
) -> ProjectTable | None:
    """Module constants of the candidate files; None unless some file uses a name another file
    binds (then every file stands alone, and the usual path with its cache applies). The other
    files are read again only when there are constants to look for."""
    # A file too large to parse is reported by the engine (RL001); it holds no constants here.
    texts = {task.shown: read[0].text for task, read in candidates if len(read[0].text) <= MAX_SOURCE_BYTES}
    table = build_table(((task.shown, texts.get(task.shown)) for task in tasks), linter.reportable)
    if not table.constants:
        return None
    for task in tasks:
        if task.shown not in texts:
            try:
                texts[task.shown] = read_source(task.path).text
            except UnreadableFile:
                continue
    return table if table.crosses(texts) else None


def _run_project(linter: Linter, tasks: Sequence[Task], project: ProjectTable, mode: Mode) -> RunOutcome:
    """Lint (or fix) every file; names one file imports from another reach across (project.py).

    Files that hold module constants are linted after the others, so that the uses other files
    make of their names are known; a file that learns of more uses later is linted again (its
    earlier result is replaced; fixes it already wrote stay, and are counted).
    """
    files = {posixpath.normpath(task.shown): task for task in tasks}
    results: dict[str, RunOutcome] = {}

    def process(key: str, incoming: tuple[Incoming, ...]) -> Sequence[tuple[str, Incoming]]:
        task = files[key]
        single = RunOutcome(files_seen=1)
        exports: Sequence[tuple[str, Incoming]] = ()
        read = _read(task)
        if isinstance(read, RunOutcome):
            single = read
        else:
            _, exports = _process(
                linter, read[0], task.shown, task.codes, single, fix=mode.fix, unsafe=mode.unsafe, diff=mode.diff,
                project=project, incoming=incoming,
            )
        earlier = results.get(key)
        if earlier is not None and not mode.diff:  # linted again: fixes written the first time still count
            single.fixed += earlier.fixed
            single.changed_files = sorted(set(single.changed_files) | set(earlier.changed_files))
        results[key] = single
        return exports

    schedule(list(files), set(project.constants), process)
    outcome = RunOutcome()
    for key in files:  # in the order files were found
        if key in results:
            outcome.merge(results[key])
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
    fixed_text, _ = _process(
        linter, source, shown, codes, outcome, fix=fix or diff, unsafe=unsafe, diff=diff, write=False
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
    project: ProjectTable | None = None,
    incoming: Sequence[Incoming] = (),
) -> tuple[str, Sequence[tuple[str, Incoming]]]:
    """Lint or fix one file into `outcome`; returns its text after fixing, and its exports (the
    uses it makes of other files' names, for the project pass)."""
    reach = {"project": project, "incoming": incoming}
    if not (fix or diff):
        result = linter.lint_source(source.text, shown, enabled=codes, **reach)
        outcome.parsed += result.parsed
        _add(outcome, shown, source.text, result.findings)
        return source.text, result.exports
    try:
        fixed = linter.fix_source(source.text, shown, unsafe=unsafe, enabled=codes, **reach)
    except FixError as exc:
        outcome.errors.append(str(exc))
        failed = linter.lint_source(source.text, shown, enabled=codes, **reach)
        _add(outcome, shown, source.text, failed.findings)
        return source.text, failed.exports
    exports = fixed.remaining.exports
    remaining = list(fixed.remaining.findings)
    remaining_text = fixed.source
    if fixed.source != source.text:
        if diff:
            outcome.diffs.append(_unified_diff(source.text, fixed.source, shown))
            remaining = list(linter.lint_source(source.text, shown, enabled=codes, **reach).findings)
            remaining_text = source.text
        elif write:
            try:
                write_atomically(source, fixed.source)
            except (CannotWrite, ChangedOnDisk, OSError) as exc:
                outcome.errors.append(f"{shown}: not written: {exc}")
                _add(outcome, shown, source.text, linter.lint_source(source.text, shown, enabled=codes, **reach).findings)
                return source.text, exports
        if not diff:
            outcome.fixed += len(fixed.fixed)
            outcome.changed_files.append(shown)
    _add(outcome, shown, remaining_text, remaining)
    if not unsafe:
        outcome.unsafe_available += sum(1 for f in remaining if f.fix and f.fix.applicability == "unsafe")
    return fixed.source, exports


def _add(outcome: RunOutcome, shown: str, text: str, findings: Sequence[Finding]) -> None:
    outcome.findings.extend(findings)
    if findings:
        outcome.sources[shown] = text


def _unified_diff(before: str, after: str, shown: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)
