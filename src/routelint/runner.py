"""The thin shell around the engine: files in, results out, fixes written."""
from __future__ import annotations

import difflib
import functools
import hashlib
import os
import posixpath
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal, TypedDict, TypeVar

from routelint.cache import ResultCache, Stamp, file_stamp
from routelint.checks import ALL_CHECKS
from routelint.config import Settings, enabled_codes
from routelint.engine import MAX_SOURCE_BYTES, PARSE_ERROR, Finding, FixError, Linter, unreadable
from routelint.facts import Incoming
from routelint.files import (
    NOTEBOOK_SUFFIX,
    NotPython,
    Problem,
    SourceFile,
    UnreadableFile,
    decode,
    discover,
    is_inside,
    is_python_named,
    plain_utf8,
    project_root,
    read_bytes,
    read_source,
    source_from_bytes,
)
from routelint.interrupts import held, start_worker
from routelint.lines import split_lines_keepends, strip_ending
from routelint.noqa import add_noqa
from routelint.notebook_json import screening_bytes
from routelint.notebooks import CellIndex, cell_index
from routelint.prefilter import file_bytes
from routelint.project import Constant, Neighbourhood, ProjectTable, build_table, neighbourhood, schedule
from routelint.suppress import file_is_skipped
from routelint.writes import CannotWrite, ChangedOnDisk, _encode, write_atomically

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


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


# Work per worker process below which starting processes costs more than it saves: files to
# parse, and files to read and prefilter (about a thousand times cheaper each). Measured with
# benchmarks/run.py on 2 cores (benchmarks/README.md).
MIN_FILES_PER_JOB = 16
MIN_SCREENS_PER_JOB = 256

_T = TypeVar("_T")  # what a function mapped over the tasks returns


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.absolute().relative_to(cwd.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _display_paths(cwd: Path) -> Callable[[Path], str]:
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


def run_paths(
    linter: Linter | Callable[[], Linter],
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
    add_noqa: bool = False,
) -> RunOutcome:
    """Lint (or fix) every file under `paths`. Output does not depend on `jobs`. `linter` may be
    a function that makes it, called only when some file is not served by the cache.

    Phases: the cache; the prefilter, over each file's bytes (in worker processes when there are
    many files); LibCST on the candidates (in worker processes when there are many). Names can
    cross files (a constant imported from another linted file): when they do, every file is
    linted again, in the project's order (project.py). Linting decides that from the constants
    the candidates hold; fixing decides it first, before anything is written.
    """
    started = time.perf_counter()
    provide = _provider(linter)
    mode = Mode(fix, unsafe, diff, add_noqa)
    cache = cache if mode == Mode() else None
    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    same_everywhere = None if settings.per_file_ignores else enabled_codes(settings, all_codes)
    shown = _display_paths(cwd)
    seen: set[str] = set()
    files, warnings, problems = files_to_check(paths, settings, force_exclude, seen)
    tasks = [
        Task(path, shown(path), same_everywhere if same_everywhere is not None else enabled_codes(settings, all_codes, path))
        for path in files
    ]
    context = _context_files(paths, settings, cwd, seen) if tasks else []
    seconds = {"discover": time.perf_counter() - started}
    unlisted = _unlisted(problems, settings, all_codes, shown)
    unlisted.warnings[:0] = warnings
    outcome = RunOutcome()
    outcome.merge(unlisted)
    constants: dict[str, tuple[Constant, ...]] = {}  # display path -> module constants
    digests: dict[int, str] = {}  # task index -> sha256 of the bytes, with the cache
    plain: dict[str, RunOutcome] = {}  # a file's outcome linted alone, for the project pass to reuse
    pending: list[int] = []  # indexes into tasks
    for index, task in enumerate(tasks):
        cached = _cached(cache, task) if cache is not None else None
        if cached is None:
            pending.append(index)
            continue
        outcome.merge(cached[0])
        plain[posixpath.normpath(task.shown)] = cached[0]
        digests[index] = cached[2]
        if cached[1]:
            constants[task.shown] = cached[1]
    made = provide() if pending else None
    results: list[tuple[RunOutcome, tuple[int, Stamp, str, int] | None, tuple[Constant, ...]]] = []
    candidates: list[int] = []
    with _Pool(made, jobs, tasks) as pool:
        phase = time.perf_counter()
        screen = functools.partial(_screen, digest=cache is not None)
        for index, screened in zip(pending, pool.map(screen, pending, MIN_SCREENS_PER_JOB)):
            if screened is True:
                candidates.append(index)
            elif isinstance(screened, RunOutcome):  # cannot be read at all: nothing to cache
                outcome.merge(screened)
            elif isinstance(screened[0], RunOutcome):  # RL001 for its bytes
                outcome.merge(screened[0])
                digests[index] = screened[1][2]
                if cache is not None:
                    cache.store(tasks[index].path, *screened[1], tuple(screened[0].findings), ())
            else:
                outcome.files_seen += 1
                digests[index] = screened[2]
                if cache is not None:
                    cache.store(tasks[index].path, *screened, (), ())
        seconds["prefilter"] = time.perf_counter() - phase
        phase = time.perf_counter()
        project = None
        near = _beyond(provide(), tasks, context, settings, all_codes, shown) if context else None
        if near is None and mode != Mode() and len(tasks) > 1 and candidates:  # decided before anything is written
            project = _project_table(provide(), tasks, [tasks[i] for i in candidates])
        if project is None and near is None:
            # Constants are kept with cached results too: a later run over more files decides
            # from them whether names cross.
            wanted = mode == Mode() and (len(tasks) > 1 or cache is not None)
            work = functools.partial(_lint, mode=mode, digest=cache is not None, constants=wanted)
            results = list(pool.map(work, candidates, MIN_FILES_PER_JOB))
        seconds["parse and check"] = time.perf_counter() - phase
    for index, (piece, stamp, found) in zip(candidates, results):
        plain[posixpath.normpath(tasks[index].shown)] = piece
        if found:
            constants[tasks[index].shown] = found
        if stamp is not None:
            digests[index] = stamp[2]
    decided = None  # the key the cache keeps the crossing decision (and the project's findings) under
    if project is None and near is None and mode == Mode() and len(tasks) > 1 and constants:
        project, decided = _crossing(tasks, constants, cache, digests)
        served = cache.project_findings(*decided) if cache is not None and decided is not None and project is not None else None
        if served is not None:  # no file changed since the project pass that found these
            served_outcome = _served_project(tasks, served, unlisted, {**seconds, "project": 0.0})
            served_outcome.warnings.extend(w for w in outcome.warnings if w not in served_outcome.warnings)
            return served_outcome
    if project is not None or near is not None:
        # Names cross files: lint in the project's order, serially and without the cache (a
        # file's findings then depend on the files that use its names).
        phase = time.perf_counter()
        if near is not None:
            crossed = _run_project(made or provide(), [*tasks, *near[1]], near[0].table, mode, near[0], jobs)
        else:
            assert project is not None
            crossed = _run_project(
                made or provide(), tasks, project, mode, jobs=jobs, plain=plain, cache=cache,
                digests={posixpath.normpath(tasks[i].shown): digest for i, digest in digests.items() if digest},
            )
            if cache is not None:
                if decided is not None:  # served as a whole while no file changes
                    cache.remember(*decided, True, tuple(crossed.findings))
                # Each file's outcome linted alone is cached too: a run over other files, or
                # the next project pass's first round, starts from it.
                for index, (piece, stamp, found) in zip(candidates, results):
                    if stamp is not None:
                        cache.store(tasks[index].path, *stamp, tuple(piece.findings), found)
        crossed.merge(unlisted)
        crossed.findings.sort(key=Finding.sort_key)
        crossed.seconds = {**seconds, "project": time.perf_counter() - phase}
        return crossed
    for index, (piece, stamp, found) in zip(candidates, results):
        outcome.merge(piece)
        if cache is not None and stamp is not None:
            cache.store(tasks[index].path, *stamp, tuple(piece.findings), found)
    outcome.findings.sort(key=Finding.sort_key)
    outcome.seconds = seconds
    return outcome


def files_to_check(
    paths: Sequence[Path], settings: Settings, force_exclude: bool, seen: set[str] | None = None
) -> tuple[list[Path], list[str], list[Problem]]:
    """The files to lint; a warning for each path given that yields none: a folder with no file
    to lint, a file that is neither Python nor a notebook (as ruff warns), so that a run never
    reports a clean result for something it did not read; and what discovery could not look
    into (folders that cannot be listed, .gitignore files ignored)."""
    files: list[Path] = []
    warnings: list[str] = []
    problems: list[Problem] = []
    selection, exclude = settings.selection(), settings.exclude_patterns()
    seen = set() if seen is None else seen  # discover's keys: each file once over all the paths given
    for given in paths:
        found = 0
        for path, named in discover(
            [given], exclude, force_exclude=force_exclude, problems=problems, selection=selection, seen=seen
        ):
            if named and not (selection.selects(path.name, path) or is_python_named(path)):
                warnings.append(f"warning: skipped {given}: not a Python source or notebook (include or extend-include can add it)")
                continue
            found += 1
            files.append(path)
        if not found and os.path.isdir(given) and not _holds_something(given, seen, problems):
            warnings.append(f"warning: No Python files found under {given}")
    return files, warnings, problems


def _context_files(paths: Sequence[Path], settings: Settings, cwd: Path, seen: set[str]) -> list[Path]:
    """The rest of the project of the files given (files.project_root), excludes and .gitignore
    applied as to a folder named: where names they import are defined, and files that import
    theirs. Nothing when a folder given holds the whole project."""
    root = project_root(paths, settings.config_file, cwd)
    if any(os.path.isdir(given) and is_inside(root, given.absolute()) for given in paths):
        return []
    found = discover(
        [root], settings.exclude_patterns(), force_exclude=True, problems=[], selection=settings.selection(), seen=set(seen)
    )
    return [path for path, _named in found]


def _beyond(
    linter: Linter, tasks: Sequence[Task], context: Sequence[Path], settings: Settings, all_codes: Sequence[str],
    shown: Callable[[Path], str],
) -> tuple[Neighbourhood, list[Task]] | None:
    """The files outside the run that its cross-file findings involve (project.neighbourhood),
    as tasks; None when there are none."""
    outside = {posixpath.normpath(shown(path)): path for path in context}
    named = {posixpath.normpath(key): text for key, text in _all_texts(tasks, {}).items() if len(text) <= MAX_SOURCE_BYTES}
    near = neighbourhood(named, outside, _reader(outside), linter.reportable)
    involved = sorted(near.holders | near.users)
    if not involved:
        return None
    return near, [Task(outside[key], shown(outside[key]), enabled_codes(settings, all_codes, outside[key])) for key in involved]


def _reader(files: Mapping[str, Path]) -> Callable[[str], str | None]:
    """The text of a file of the project by its key, for project.neighbourhood; None for a file
    that cannot be read or is too large to parse (it holds no constants then)."""

    def read(key: str) -> str | None:
        path = files.get(key)
        if path is None:
            return None
        try:
            text = read_source(path).text
        except UnreadableFile:
            return None
        return text if len(text) <= MAX_SOURCE_BYTES else None

    return read


def _holds_something(folder: Path, seen: set[str], problems: Sequence[Problem]) -> bool:
    """Whether a folder that yielded no file still holds some: files an earlier path already
    gave (`routelint . ./sub`), or folders that could not be listed (reported as RL001)."""
    prefix = str(folder.resolve()).rstrip(os.sep) + os.sep
    return any(key.startswith(prefix) for key in seen) or any(is_inside(p.path.absolute(), folder.absolute()) for p in problems)


def _unlisted(problems: Sequence[Problem], settings: Settings, all_codes: Sequence[str], shown: Callable[[Path], str]) -> RunOutcome:
    """What discovery could not look into: RL001 for a folder that cannot be listed (unless
    RL001 is off there), a warning for the rest."""
    piece = RunOutcome()
    for problem in problems:
        if problem.warning:
            piece.warnings.append(f"warning: {problem.message}")
        elif "RL001" in enabled_codes(settings, all_codes, problem.path):
            piece.findings.append(unreadable(shown(problem.path), problem.message))
    return piece


def _provider(linter: Linter | Callable[[], Linter]) -> Callable[[], Linter]:
    return (lambda: linter) if isinstance(linter, Linter) else linter


def _screen(
    linter: Linter, task: Task, *, digest: bool
) -> Literal[True] | RunOutcome | tuple[RunOutcome, tuple[int, Stamp, str, int]] | tuple[int, Stamp, str, int]:
    """True for a file the prefilter cannot settle; else a clean file's (size, mtime, digest)
    for the cache; (outcome, stamp) for a file whose bytes cannot be decoded (RL001); the
    outcome of a file that cannot be read. Small values: this runs in worker processes, and
    most files come back as one tuple."""
    read_ns = time.time_ns()
    try:
        data, info = read_bytes(task.path)  # never a FIFO or a device; never past the size limit
    except UnreadableFile as exc:
        return _cannot_read(task, exc)
    if task.path.name.endswith(NOTEBOOK_SUFFIX):
        # The raw JSON, its escapes undone: a notebook without a candidate is never parsed.
        # Whether it is a notebook at all is for the lint phase to say.
        if linter.prefilter.matches(screening_bytes(data)):
            return True
        return _stamp(info, data, digest, read_ns)
    if plain_utf8(data):
        probe = data  # a UTF-8 file's bytes are what the prefilter reads of its text
        text = None
    else:
        try:
            text, _encoding = decode(data, str(task.path))
        except UnreadableFile as exc:  # the bytes say why: as cacheable as a finding
            return _cannot_read(task, exc), _stamp(info, data, digest, read_ns)
        probe = file_bytes(text)
    if linter.prefilter.matches(probe) and not file_is_skipped(text if text is not None else data.decode("utf-8")):
        return True
    return _stamp(info, data, digest, read_ns)


def _stamp(info: os.stat_result, data: bytes, digest: bool, read_ns: int) -> tuple[int, Stamp, str, int]:
    """(size, stamp, sha256, when it was read) for the cache: stat before read, so that a later
    change shows in the stamp, and the read time tells whether the stamp can be trusted."""
    return info.st_size, file_stamp(info), hashlib.sha256(data).hexdigest() if digest else "", read_ns


def _lint(
    linter: Linter, task: Task, *, mode: Mode, digest: bool, constants: bool
) -> tuple[RunOutcome, tuple[int, Stamp, str, int] | None, tuple[Constant, ...]]:
    """One candidate file, start to end: its outcome, (size, mtime, digest) for the cache, and
    its module constants (`constants`)."""
    read = _read(task)
    if isinstance(read, RunOutcome):
        return read, None, ()
    source, info, read_ns = read
    piece = RunOutcome(files_seen=1)
    _, _, found = _process(
        linter, source, task.shown, task.codes, piece, fix=mode.fix, unsafe=mode.unsafe, diff=mode.diff, constants=constants,
        noqa=mode.add_noqa,
    )
    return piece, (info.st_size, file_stamp(info), source.digest if digest else "", read_ns), found


def _read(task: Task) -> tuple[SourceFile, os.stat_result, int] | RunOutcome:
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
        return _cannot_read(task, exc)


def _cannot_read(task: Task, exc: Exception) -> RunOutcome:
    if isinstance(exc, NotPython):  # not read: said on standard error, not counted as seen
        return RunOutcome(warnings=[f"warning: skipped {task.shown}: it {exc}"])
    piece = RunOutcome(files_seen=1)
    if "RL001" in task.codes:
        piece.findings.append(unreadable(task.shown, f"cannot check this file: it {exc}"))
    return piece


def _cached(cache: ResultCache, task: Task) -> tuple[RunOutcome, tuple[Constant, ...], str] | None:
    found = cache.lookup(task.path)
    if found is None:
        return None
    findings, constants, digest = found
    piece = RunOutcome(files_seen=1, cache_hits=1)
    piece.findings.extend(replace(f, path=task.shown) for f in findings)
    if piece.findings:
        try:
            _keep_source(piece, task.shown, read_source(task.path), piece.findings)
        except UnreadableFile:
            pass
    return piece, constants, digest


class _Pool:
    """map() over indexes into `tasks`: in this process, or in worker processes when there is
    enough work per process to pay for starting them. The processes start on the first map that
    needs them and serve every later one. Workers get the linter and the tasks once: inherited
    where processes fork (nothing is copied), else the linter is rebuilt from its recipe."""

    def __init__(self, linter: Linter | None, jobs: int, tasks: Sequence[Task]) -> None:
        self.linter, self.jobs, self.tasks = linter, jobs, tasks
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.executor is None:
            return
        if kind is None:
            self.executor.shutdown()
            return
        with held():  # Ctrl-C, SIGTERM or an error: the workers stop now, not after the queue
            _stop(self.executor)

    def map(self, function: Callable[..., _T], indexes: Sequence[int], per_job: int) -> Iterator[_T]:
        if not indexes:
            return iter(())
        workers = min(self.jobs, len(indexes) // per_job)
        if workers <= 1 and self.executor is None:
            return (function(self.linter, self.tasks[i]) for i in indexes)
        size = max(1, len(indexes) // (self.jobs * 4))
        # Processes (and the executor's threads) start here with SIGINT and SIGTERM blocked, so a
        # signal cannot reach a worker before it has set its own handling (interrupts.start_worker).
        # Executor.map would cancel the queued chunks when the caller stops reading, and CPython
        # before 3.12 then fails in its own thread when _stop ends the workers.
        with held():
            executor = self._start(workers)
            chunks = [executor.submit(_in_worker, function, indexes[i : i + size]) for i in range(0, len(indexes), size)]
        return (result for chunk in chunks for result in chunk.result())

    def _start(self, workers: int) -> ProcessPoolExecutor:
        if self.executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            fork = "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if fork else "spawn")
            linter = self.linter if fork or self.linter is None else self.linter.recipe()
            self.executor = ProcessPoolExecutor(
                max(workers, 2), mp_context=context, initializer=_start_worker, initargs=(linter, self.tasks, os.getpid())
            )
        return self.executor


def _stop(executor: object) -> None:
    """End the worker processes at once: SIGTERM (a worker writing a fix finishes that write
    first, interrupts.held), then SIGKILL for any still there after a few seconds; the queued
    work is dropped."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # the executor's own, CPython 3.9-3.13
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
    executor.shutdown(wait=True)  # type: ignore[attr-defined]


_WORKER: dict[str, object] = {}  # the linter and tasks of a worker process, set by its initializer


def _start_worker(linter: object, tasks: Sequence[Task], parent: int) -> None:
    start_worker(parent)
    _WORKER["linter"] = linter if isinstance(linter, Linter) else Linter.from_recipe(linter)  # type: ignore[arg-type]
    _WORKER["tasks"] = tasks


def _in_worker(function: Callable[..., _T], indexes: Sequence[int]) -> list[_T]:
    return [function(_WORKER["linter"], _WORKER["tasks"][index]) for index in indexes]  # type: ignore[index]


def _project_table(linter: Linter, tasks: Sequence[Task], candidates: Sequence[Task]) -> ProjectTable | None:
    """Module constants of the candidate files; None unless some file uses a name another file
    binds (then every file stands alone, and the usual path applies). Used before fixing."""
    texts: dict[str, str] = {}
    for task in candidates:
        try:
            texts[task.shown] = read_source(task.path).text
        except UnreadableFile:
            continue
    # A file too large to parse is reported by the engine (RL001); it holds no constants here.
    kept = {shown: text for shown, text in texts.items() if len(text) <= MAX_SOURCE_BYTES}
    table = build_table(((task.shown, kept.get(task.shown)) for task in tasks), linter.reportable)
    if not table.constants:
        return None
    return table if table.crosses(_all_texts(tasks, texts)) else None


def _crossing(
    tasks: Sequence[Task], constants: Mapping[str, tuple[Constant, ...]], cache: ResultCache | None, digests: Mapping[int, str]
) -> tuple[ProjectTable | None, tuple[str, str] | None]:
    """The project table, when some file mentions a constant another file holds (else None),
    and the cache's keys for this set of files and for their contents. Deciding reads every file again;
    with the cache, a decision stands while no file changes."""
    table = ProjectTable(frozenset(posixpath.normpath(t.shown) for t in tasks), {posixpath.normpath(k): v for k, v in constants.items()})
    keys = None
    if cache is not None and len(digests) == len(tasks):
        parts = [(task.shown, digests[i]) for i, task in enumerate(tasks)], sorted((k, [astuple(c) for c in v]) for k, v in constants.items())
        files = hashlib.sha256(repr(sorted(task.shown for task in tasks)).encode("utf-8", "surrogatepass")).hexdigest()
        keys = files, hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
        known = cache.decision(*keys)
        if known is not None:
            return (table if known else None), keys
    crosses = table.crosses(_all_texts(tasks, {}))
    if cache is not None and keys is not None:
        cache.remember(*keys, crosses)
    return (table if crosses else None), keys


def _served_project(tasks: Sequence[Task], findings: Sequence[Finding], unlisted: RunOutcome, seconds: dict[str, float]) -> RunOutcome:
    """A project pass's outcome from the cache: the same files, with the same contents."""
    outcome = RunOutcome(files_seen=len(tasks), cache_hits=len(tasks))
    outcome.findings.extend(findings)
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for task in tasks:
        if task.shown in by_path:
            try:
                _keep_source(outcome, task.shown, read_source(task.path), by_path[task.shown])
            except UnreadableFile:
                pass
    outcome.merge(unlisted)
    outcome.findings.sort(key=Finding.sort_key)
    outcome.seconds = seconds
    return outcome


def _all_texts(tasks: Sequence[Task], known: Mapping[str, str]) -> dict[str, str]:
    texts = dict(known)
    for task in tasks:
        if task.shown not in texts:
            try:
                texts[task.shown] = read_source(task.path).text
            except UnreadableFile:
                continue
    return texts


def _run_project(
    linter: Linter, tasks: Sequence[Task], project: ProjectTable, mode: Mode, near: Neighbourhood | None = None,
    jobs: int = 1, plain: Mapping[str, RunOutcome] | None = None, cache: ResultCache | None = None,
    digests: Mapping[str, str] | None = None,
) -> RunOutcome:
    """Lint (or fix) every file; names one file imports from another reach across (project.py).

    Every file is linted once knowing no uses of its names (in worker processes when linting
    and there are many); then each file that other files use names of is linted again with
    those uses, and so on as uses arrive through files that import a name and export it again
    (project.schedule). Its earlier result is replaced; fixes it already wrote stay, and are
    counted. Fixing runs one file at a time, files that hold constants last.

    With `near`, the tasks past the files given are the rest of the project their findings
    involve: such a file is only read, and of its findings only those at a literal used in a
    file given are kept (its other findings are its own, for a run that names it).

    `plain`: outcomes of files linted alone in this run (or served by the cache). The first
    round keeps those of files that take no name from another file: they are the same. With
    `cache` and `digests` (key -> sha256 of the file), the first round of a file that does take
    names is kept in the cache under its contents and the table's shape (ProjectTable.shape),
    which is all it depends on.
    """
    files = {posixpath.normpath(task.shown): task for task in tasks}
    given = frozenset(files) - (near.holders | near.users) if near is not None else frozenset(files)
    users = near.users if near is not None else frozenset()
    results: dict[str, RunOutcome] = {}
    lint_file = functools.partial(_project_file, project=project, mode=mode, given=given, users=users, whole=near is None)

    def process(key: str, incoming: tuple[Incoming, ...]) -> Sequence[tuple[str, Incoming]]:
        single, exports = lint_file(linter, files[key], incoming=incoming)
        earlier = results.get(key)
        if single is None:
            results.pop(key, None)
            return exports
        if earlier is not None and not mode.diff:  # linted again: fixes written the first time still count
            single.fixed += earlier.fixed
            single.changed_files = sorted(set(single.changed_files) | set(earlier.changed_files))
        results[key] = single
        return exports

    first: dict[str, Sequence[tuple[str, Incoming]]] | None = None
    if mode == Mode():  # nothing is written: the first round can run in parallel
        first = {}
        known = frozenset(plain or ())
        shape = project.shape() if cache is not None and near is None else None
        pending: list[int] = []
        for index, task in enumerate(tasks):
            key = posixpath.normpath(task.shown)
            digest = (digests or {}).get(key)
            kept = cache.lookup_round(task.path, digest, shape) if cache is not None and shape and digest else None
            if kept is None:
                pending.append(index)
                continue
            served = RunOutcome(files_seen=1, cache_hits=1)
            served.findings.extend(replace(f, path=task.shown) for f in kept[0])
            if served.findings:
                try:
                    _keep_source(served, task.shown, read_source(task.path), served.findings)
                except UnreadableFile:
                    pass
            results[key], first[key] = served, kept[1]
        first_round = functools.partial(_first_round, lint_file=lint_file, project=project, known=known)
        with _Pool(linter, jobs, tasks) as pool:
            for index, done in zip(pending, pool.map(first_round, pending, MIN_FILES_PER_JOB)):
                task = tasks[index]
                key = posixpath.normpath(task.shown)
                if done is None:  # as linted alone
                    results[key] = plain[key]  # type: ignore[index]
                    continue
                single, first[key] = done
                if single is not None:
                    results[key] = single
                    digest = (digests or {}).get(key)
                    if cache is not None and shape and digest and not single.errors and not single.warnings:
                        cache.store_round(task.path, digest, shape, tuple(single.findings), tuple(first[key]))
    schedule(list(files), set(project.constants), process, first)
    outcome = RunOutcome()
    for key in files:  # in the order files were found
        if key in results:
            outcome.merge(results[key])
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def _first_round(
    linter: Linter, task: Task, *, lint_file: Callable[..., tuple[RunOutcome | None, Sequence[tuple[str, Incoming]]]],
    project: ProjectTable, known: frozenset[str],
) -> tuple[RunOutcome | None, Sequence[tuple[str, Incoming]]] | None:
    """A file's first lint in the project pass; None when its outcome linted alone stands (it
    takes no name from another file, and no file's uses of its names are known yet)."""
    if posixpath.normpath(task.shown) in known:
        try:
            text = read_source(task.path).text
        except UnreadableFile:
            text = None
        if text is not None and not (project.mentioned_in(file_bytes(text)) and project.mentions(task.shown, text)):
            return None
    return lint_file(linter, task)


def _project_file(
    linter: Linter, task: Task, *, project: ProjectTable, mode: Mode, given: frozenset[str], users: frozenset[str],
    whole: bool, incoming: tuple[Incoming, ...] = (),
) -> tuple[RunOutcome | None, Sequence[tuple[str, Incoming]]]:
    """One file of the project pass: its outcome (None: nothing of it is reported) and exports."""
    if not whole and posixpath.normpath(task.shown) not in given:
        return _outside(linter, task, project, incoming, given, posixpath.normpath(task.shown) in users)
    single = RunOutcome(files_seen=1)
    read = _read(task)
    if isinstance(read, RunOutcome):
        return read, ()
    _, exports, _ = _process(
        linter, read[0], task.shown, task.codes, single, fix=mode.fix, unsafe=mode.unsafe, diff=mode.diff,
        project=project, incoming=incoming, noqa=mode.add_noqa,
    )
    return single, exports


def _outside(
    linter: Linter, task: Task, project: ProjectTable, incoming: Sequence[Incoming], given: frozenset[str], user: bool
) -> tuple[RunOutcome | None, Sequence[tuple[str, Incoming]]]:
    """A file past those given: its uses of their names go to them (through it, when it imports
    a name and passes it on); of its own literals, only the uses made in files given are
    reported. Never written, so its findings offer no fix."""
    # A literal is judged once per rule, for the first use: those made in files given go first.
    incoming = sorted(incoming, key=lambda use: use.target.origin is None or posixpath.normpath(use.target.origin) not in given)
    if not incoming and not user:
        return None, ()
    read = _read(task)
    if isinstance(read, RunOutcome):
        return None, ()
    source = read[0]
    cells = source.notebook.index if source.notebook is not None else None
    result = linter.lint_source(source.text, task.shown, enabled=task.codes, project=project, incoming=incoming, cells=cells)
    kept = [
        replace(f, fix=None) for f in result.findings if f.used_in is not None and posixpath.normpath(f.used_in) in given
    ]
    piece = RunOutcome(parsed=result.parsed)
    if kept:
        piece.findings.extend(kept)
        piece.outside.add(task.shown)
        _keep_source(piece, task.shown, source, kept)
    return piece, result.exports


def run_stdin(
    linter: Linter, settings: Settings, data: bytes, filename: str, *, cwd: Path, fix: bool, unsafe: bool, diff: bool
) -> tuple[RunOutcome, bytes | None]:
    """Lint (or fix) a buffer; for --fix, the bytes to go to standard output: the fixed text in
    the input's own encoding (its BOM and coding cookie kept), or the input as it came when it
    cannot be fixed or written back exactly (the rules files follow, files.write_atomically)."""
    outcome = RunOutcome(files_seen=1)
    path = Path(filename)
    shown = display_path(path, cwd)
    codes = enabled_codes(settings, sorted(linter.rules), path)
    try:
        source = source_from_bytes(path, data)  # a notebook when the name says .ipynb
    except NotPython as exc:
        outcome = RunOutcome(warnings=[f"warning: skipped {shown}: it {exc}"])
        return outcome, data if fix else None
    except UnreadableFile as exc:
        outcome.findings.append(unreadable(shown, f"cannot check this input: it {exc}"))
        return outcome, data if fix else None
    text, encoding = source.text, source.encoding
    # The buffer is a file of its project: names it imports, and its names other files use.
    table, incoming, elsewhere = _stdin_project(linter, settings, source, shown, codes, cwd) if filename != "-" else (None, (), None)
    if elsewhere is not None:
        outcome.merge(elsewhere)
    if fix and _encoded(source, text) != data:
        outcome.errors.append(f"{shown}: {encoding} does not give back the input's own bytes; left unchanged")
        fix = False
        if not diff:
            _process(linter, source, shown, codes, outcome, fix=False, unsafe=unsafe, diff=False, project=table, incoming=incoming)
            return outcome, data
    fixed_text, _, _ = _process(
        linter, source, shown, codes, outcome, fix=fix or diff, unsafe=unsafe, diff=diff, write=False, project=table,
        incoming=incoming,
    )
    if not fix:
        return outcome, None
    encoded = _encoded(source, fixed_text)
    if encoded is None:  # a fix the input's encoding cannot hold: nothing is applied
        unchanged = RunOutcome(files_seen=1, errors=[f"{shown}: the fixed text cannot be written in {encoding}; left unchanged"])
        if elsewhere is not None:
            unchanged.merge(elsewhere)
        _process(linter, source, shown, codes, unchanged, fix=False, unsafe=unsafe, diff=False, project=table, incoming=incoming)
        return unchanged, data
    return outcome, encoded


def _stdin_project(
    linter: Linter, settings: Settings, source: SourceFile, shown: str, codes: frozenset[str], cwd: Path
) -> tuple[ProjectTable | None, tuple[Incoming, ...], RunOutcome | None]:
    """What a buffer named `shown` takes from the rest of its project and gives to it (an
    editor's unsaved file, `--stdin-filename`): the project table, the uses other files make of
    its names, and the findings at literals of other files that it uses (no fix: those files are
    not written). The copy of the buffer on disk is not read."""
    key = posixpath.normpath(shown)
    as_shown = _display_paths(cwd)
    context = _context_files([source.path], settings, cwd, set())
    outside = {posixpath.normpath(as_shown(path)): path for path in context}
    outside.pop(key, None)
    if len(source.text) > MAX_SOURCE_BYTES:
        return None, (), None
    near = neighbourhood({key: source.text}, outside, _reader(outside), linter.reportable)
    involved = sorted(near.holders | near.users)
    if not involved:
        return None, (), None
    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    tasks = {k: Task(outside[k], as_shown(outside[k]), enabled_codes(settings, all_codes, outside[k])) for k in involved}
    cells = source.notebook.index if source.notebook is not None else None
    given = frozenset({key})
    uses: list[tuple[Incoming, ...]] = [()]
    pieces: dict[str, RunOutcome] = {}

    def process(name: str, incoming: tuple[Incoming, ...]) -> Sequence[tuple[str, Incoming]]:
        if name == key:
            uses[0] = incoming
            return linter.lint_source(source.text, shown, enabled=codes, project=near.table, incoming=incoming, cells=cells).exports
        piece, exports = _outside(linter, tasks[name], near.table, incoming, given, name in near.users)
        if piece is None:
            pieces.pop(name, None)
        else:
            pieces[name] = piece
        return exports

    schedule([key, *involved], set(near.table.constants), process)
    elsewhere = RunOutcome()
    for name in involved:
        if name in pieces:
            elsewhere.merge(pieces[name])
    return near.table, uses[0], elsewhere


def _encoded(source: SourceFile, text: str) -> bytes | None:
    """`text` in the source's encoding (with its BOM), as a fixed file is written; None if it cannot be."""
    try:
        return _encode(source, text)
    except CannotWrite:
        return None


class _Reach(TypedDict):
    """What _process hands to every lint_source / fix_source call."""

    project: ProjectTable | None
    incoming: Sequence[Incoming]
    cells: CellIndex | None


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
    constants: bool = False,
    noqa: bool = False,
) -> tuple[str, Sequence[tuple[str, Incoming]], tuple[Constant, ...]]:
    """Lint or fix one file into `outcome`; returns its text after fixing, its exports (the
    uses it makes of other files' names, for the project pass) and, when linting with
    `constants`, its module constants."""
    cells = source.notebook.index if source.notebook is not None else None
    reach: _Reach = {"project": project, "incoming": incoming, "cells": cells}
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
        _keep_source(outcome, shown, source, findings)


def _keep_source(outcome: RunOutcome, shown: str, source: SourceFile, findings: Sequence[Finding]) -> None:
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
