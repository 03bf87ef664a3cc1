"""The thin shell around the engine: files in, results out, fixes written."""
from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from routelint.cache import Reading, ResultCache
from routelint.checks import ALL_CHECKS
from routelint.config import Settings, enabled_codes
from routelint.configs import Configs
from routelint.crossfile import (
    beyond,
    context_files,
    decided_crossing,
    given_texts,
    project_table,
    run_project,
    served_subset,
    subset_keys,
)
from routelint.discovery import Problem, discover, is_inside, is_python_named
from routelint.engine import Linter
from routelint.files import NOTEBOOK_SUFFIX, UnreadableFile, decode, plain_utf8, read_bytes
from routelint.model import Finding, unreadable
from routelint.notebook_json import screening_bytes
from routelint.onefile import (
    Mode,
    RunOutcome,
    Task,
    cannot_read,
    display_paths,
    process_file,
    read_task,
    served_from_cache,
)
from routelint.pool import MIN_FILES_PER_JOB, MIN_SCREENS_PER_JOB, Pool
from routelint.prefilter import file_bytes
from routelint.project import Constant, may_hold_constants
from routelint.suppress import file_is_skipped


def run_paths(
    linter: Linter | Callable[[Settings], Linter],
    settings: Settings | Configs,
    paths: Sequence[Path],
    *,
    cwd: Path,
    fix: bool = False,
    unsafe: bool = False,
    diff: bool = False,
    force_exclude: bool = False,
    jobs: int = 1,
    cache: ResultCache | Callable[[Settings], ResultCache | None] | None = None,
    add_noqa: bool = False,
) -> RunOutcome:
    """Lint (or fix) every file under `paths`. Output does not depend on `jobs`. `linter` may be
    a function that makes it for some settings, called only when some file is not served by the
    cache; `cache` too (one cache per settings).

    `settings`: one for every file, or `Configs`, which gives each file its nearest config's:
    the files are grouped by the settings that govern them, and each group goes through the
    same phases (`_run_group`), as a project of its own; the outcomes are merged.
    """
    started = time.perf_counter()
    configs = settings if isinstance(settings, Configs) else Configs.one(settings)
    shown = display_paths(cwd)
    seen: set[str] = set()
    files, warnings, problems = files_to_check(paths, configs, force_exclude, seen)
    outcome = RunOutcome(warnings=list(warnings))
    outcome.merge(_unlisted(problems, configs, shown))
    seconds = {"discover": time.perf_counter() - started}
    for governing, group in configs.group(files):
        provide = _provider(linter, governing)
        kept = cache(governing) if callable(cache) else cache
        piece = _run_group(
            provide, governing, group, paths, configs, seen, cwd=cwd, mode=Mode(fix, unsafe, diff, add_noqa), jobs=jobs, cache=kept,
        )
        outcome.merge(piece)
        for phase, spent in piece.seconds.items():
            seconds[phase] = seconds.get(phase, 0.0) + spent
    outcome.findings.sort(key=Finding.sort_key)
    outcome.seconds = seconds
    return outcome


def _run_group(
    provide: Callable[[], Linter], settings: Settings, files: Sequence[Path], paths: Sequence[Path], configs: Configs,
    seen: set[str], *, cwd: Path, mode: Mode, jobs: int, cache: ResultCache | None,
) -> RunOutcome:
    """The files one settings governs, as a project: the cache; the prefilter, over each file's
    bytes (in worker processes when there are many files); LibCST on the candidates (in worker
    processes when there are many). Names can cross files (a constant imported from another
    linted file): when they do, every file is linted again, in the project's order
    (project.py). Linting decides that from the constants of the candidates that may hold some
    (linted alone first), so a file that holds none is linted once, alone or in the project
    pass; fixing decides it before anything is written. `paths`: as given to the run, for the
    rest of the project (`context_files`)."""
    cache = cache if mode == Mode() else None
    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    same_everywhere = None if settings.per_file_ignores else enabled_codes(settings, all_codes)
    shown = display_paths(cwd)
    tasks = [
        Task(
            path, shown(path), same_everywhere if same_everywhere is not None else enabled_codes(settings, all_codes, path),
            settings.is_test_file(path),
        )
        for path in files
    ]
    seconds: dict[str, float] = {}
    outcome = RunOutcome()
    constants: dict[str, tuple[Constant, ...]] = {}  # display path -> module constants
    digests: dict[int, str] = {}  # task index -> sha256 of the bytes, with the cache
    plain: dict[str, RunOutcome] = {}  # a file's outcome linted alone, for the project pass to reuse
    pending: list[int] = []  # indexes into tasks
    partial: list[int] = []  # cached with its constants, but never linted alone
    for index, task in enumerate(tasks):
        cached = _cached(cache, task) if cache is not None else None
        if cached is None:
            pending.append(index)
            continue
        digests[index] = cached[2]
        if cached[1]:
            constants[task.shown] = cached[1]
        if cached[0] is None:
            partial.append(index)
            continue
        outcome.merge(cached[0])
        plain[posixpath.normpath(task.shown)] = cached[0]
    context = context_files(paths, settings, cwd, seen, configs) if tasks else []
    if partial:
        if cache is not None and not pending and not context:  # no file changed: the project's findings stand
            served_whole = decided_crossing(tasks, constants, cache, digests, {})[2]
            if served_whole is not None:
                return served_whole
        pending = sorted(pending + partial)  # else they are linted (or their first round served) anew
    made = provide() if pending else None
    results: list[tuple[int, tuple[RunOutcome, Reading | None, tuple[Constant, ...]]]] = []
    candidates: list[int] = []
    screened_at: dict[int, Reading] = {}  # candidates' readings, for those that skip the plain lint
    holders: set[int] = set()  # candidates that may hold module constants
    with Pool(made, jobs, tasks) as pool:
        phase = time.perf_counter()
        screen = functools.partial(_screen, digest=cache is not None)
        for index, screened in zip(pending, pool.map(screen, pending, MIN_SCREENS_PER_JOB)):
            if screened.candidate:
                candidates.append(index)
                if screened.reading is not None:
                    screened_at[index] = screened.reading
                if screened.holds:
                    holders.add(index)
                continue
            settled = screened.outcome if screened.outcome is not None else RunOutcome(files_seen=1)
            outcome.merge(settled)  # with RL001 when it cannot be read, or its bytes cannot be decoded
            plain[posixpath.normpath(tasks[index].shown)] = settled
            if screened.reading is not None:  # settled by its bytes: as cacheable as a finding
                digests[index] = screened.reading.digest
                if cache is not None:
                    findings = tuple(screened.outcome.findings) if screened.outcome is not None else ()
                    cache.store(tasks[index].path, screened.reading, findings, ())
        seconds["prefilter"] = time.perf_counter() - phase
        phase = time.perf_counter()
        project = None
        near = beyond(provide(), given_texts(tasks), context, settings, shown, cache) if context else None
        if near is None and mode != Mode() and len(tasks) > 1 and candidates:  # decided before anything is written
            project = project_table(provide(), tasks, [tasks[i] for i in candidates])
        decided = None  # the key the cache keeps the crossing decision (and the project's findings) under
        waiting: list[int] = []  # candidates whose plain lint waits for the decision
        if project is None and near is None:
            # Constants are kept with cached results too: a later run over more files decides
            # from them whether names cross.
            wanted = mode == Mode() and (len(tasks) > 1 or cache is not None)
            work = functools.partial(_lint, mode=mode, digest=cache is not None, constants=wanted)
            deciding = mode == Mode() and len(tasks) > 1
            if deciding:
                # Whether names cross is decided from the files that may hold constants alone:
                # when they do, the others are linted once, in the project pass, not twice.
                waiting = [index for index in candidates if index not in holders]
                for index in waiting:
                    digests[index] = screened_at[index].digest
            first = [index for index in candidates if index in holders] if deciding else candidates
            results = list(zip(first, pool.map(work, first, MIN_FILES_PER_JOB)))
            _record(tasks, results, plain, constants, digests)
            if deciding and constants:
                project, decided, served_outcome = decided_crossing(tasks, constants, cache, digests, seconds)
                if served_outcome is not None:  # no file changed since the project pass that found these
                    _store(cache, tasks, results, waiting, screened_at)
                    served_outcome.warnings.extend(w for w in outcome.warnings if w not in served_outcome.warnings)
                    return served_outcome
            if project is None and waiting:
                later = list(zip(waiting, pool.map(work, waiting, MIN_FILES_PER_JOB)))
                _record(tasks, later, plain, constants, digests)
                results += later
                waiting = []
        seconds["parse and check"] = time.perf_counter() - phase
    if project is not None or near is not None:
        # Names cross files: lint in the project's order, serially and without the cache (a
        # file's findings then depend on the files that use its names).
        phase = time.perf_counter()
        if near is not None:
            # A run over some files: served whole while none of them, nor of the files past them
            # that their findings involve, changed (pre-commit and editors name the same files).
            keys = subset_keys(tasks, near[1], near[0].table) if cache is not None else None
            served = cache.project_findings(*keys) if cache is not None and keys is not None else None
            if served is not None:
                return served_subset(tasks, near[1], served, {**seconds, "project": time.perf_counter() - phase})
            crossed = run_project(made or provide(), [*tasks, *near[1]], near[0].table, mode, near[0], jobs)
            if cache is not None and keys is not None and not crossed.errors and not crossed.warnings:
                cache.remember(*keys, True, tuple(crossed.findings))
        else:
            assert project is not None
            crossed = run_project(
                made or provide(), tasks, project, mode, jobs=jobs, plain=plain, cache=cache,
                digests={posixpath.normpath(tasks[i].shown): digest for i, digest in digests.items() if digest},
            )
            if cache is not None:
                if decided is not None:  # served as a whole while no file changes
                    cache.remember(*decided, True, tuple(crossed.findings))
                # Each file's outcome linted alone is cached too: a run over other files, or
                # the next project pass's first round, starts from it.
                _store(cache, tasks, results, waiting, screened_at)
        crossed.findings.sort(key=Finding.sort_key)
        crossed.seconds = {**seconds, "project": time.perf_counter() - phase}
        return crossed
    for _index, (piece, _reading, _found) in results:
        outcome.merge(piece)
    _store(cache, tasks, results, waiting, screened_at)
    outcome.findings.sort(key=Finding.sort_key)
    outcome.seconds = seconds
    return outcome


def files_to_check(
    paths: Sequence[Path], settings: Settings | Configs, force_exclude: bool, seen: set[str] | None = None
) -> tuple[list[Path], list[str], list[Problem]]:
    """The files to lint; a warning for each path given that yields none: a folder with no file
    to lint, a file that is neither Python nor a notebook (as ruff warns), so that a run never
    reports a clean result for something it did not read; and what discovery could not look
    into (folders that cannot be listed, .gitignore files ignored). Each folder's exclude and
    include are those of the settings that govern it."""
    files: list[Path] = []
    warnings: list[str] = []
    problems: list[Problem] = []
    configs = settings if isinstance(settings, Configs) else Configs.one(settings)
    seen = set() if seen is None else seen  # discover's keys: each file once over all the paths given
    for given in paths:
        found = 0
        for path, named in discover(
            [given], (), force_exclude=force_exclude, problems=problems, seen=seen, governed=configs.rules
        ):
            if named and not (configs.rules(path.absolute().parent)[1].selects(path.name, path) or is_python_named(path)):
                warnings.append(f"warning: skipped {given}: not a Python source or notebook (include or extend-include can add it)")
                continue
            found += 1
            files.append(path)
        if not found and os.path.isdir(given) and not _holds_something(given, seen, problems):
            warnings.append(f"warning: No Python files found under {given}")
    return files, warnings, problems


def _holds_something(folder: Path, seen: set[str], problems: Sequence[Problem]) -> bool:
    """Whether a folder that yielded no file still holds some: files an earlier path already
    gave (`routelint . ./sub`), or folders that could not be listed (reported as RL001)."""
    prefix = str(folder.resolve()).rstrip(os.sep) + os.sep
    return any(key.startswith(prefix) for key in seen) or any(is_inside(p.path.absolute(), folder.absolute()) for p in problems)


def _unlisted(problems: Sequence[Problem], configs: Configs, shown: Callable[[Path], str]) -> RunOutcome:
    """What discovery could not look into: RL001 for a folder that cannot be listed (unless
    RL001 is off there), a warning for the rest."""
    piece = RunOutcome()
    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    for problem in problems:
        if problem.warning:
            piece.warnings.append(f"warning: {problem.message}")
        elif "RL001" in enabled_codes(configs.for_folder(problem.path.absolute().parent), all_codes, problem.path):
            piece.findings.append(unreadable(shown(problem.path), problem.message))
    return piece


def _provider(linter: Linter | Callable[[Settings], Linter], settings: Settings) -> Callable[[], Linter]:
    if isinstance(linter, Linter):
        return lambda: linter
    return functools.partial(linter, settings)


@dataclass(frozen=True)
class Screened:
    """What the screen says of one file (in a worker process: small and picklable). A candidate
    goes on to be linted; a settled file comes back with its reading for the cache and, when
    it cannot be read or decoded, the outcome that says so (RL001; no reading when it could
    not be read at all)."""

    candidate: bool = False
    reading: Reading | None = None
    outcome: RunOutcome | None = None
    holds: bool = False  # a candidate that may hold module constants (project.may_hold_constants)


def _screen(linter: Linter, task: Task, *, digest: bool) -> Screened:
    """Whether the prefilter (or a directive, RL100) leaves a file to lint; `digest`: whether a
    settled file's bytes are hashed for the cache."""
    read_ns = time.time_ns()
    try:
        data, info = read_bytes(task.path)  # never a FIFO or a device; never past the size limit
    except UnreadableFile as exc:
        return Screened(outcome=cannot_read(task, exc))
    if task.path.name.endswith(NOTEBOOK_SUFFIX):
        # The raw JSON, its escapes undone: a notebook without a candidate is never parsed.
        # Whether it is a notebook at all is for the lint phase to say.
        if linter.screens(screening_bytes(data)):  # its constants are for the lint to find
            return Screened(candidate=True, reading=_reading(info, data, digest, read_ns), holds=True)
        return Screened(reading=_reading(info, data, digest, read_ns))
    if plain_utf8(data):
        probe = data  # a UTF-8 file's bytes are what the prefilter reads of its text
        text = None
    else:
        try:
            text, _encoding = decode(data, str(task.path))
        except UnreadableFile as exc:  # the bytes say why: as cacheable as a finding
            return Screened(reading=_reading(info, data, digest, read_ns), outcome=cannot_read(task, exc))
        probe = file_bytes(text)
    if linter.screens(probe):
        source = text if text is not None else data.decode("utf-8")
        if not file_is_skipped(source):
            holds = may_hold_constants(source, linter.reportable)
            return Screened(candidate=True, reading=_reading(info, data, digest, read_ns), holds=holds)
    return Screened(reading=_reading(info, data, digest, read_ns))


def _reading(info: os.stat_result, data: bytes, digest: bool, read_ns: int) -> Reading:
    """Stat before read, so that a later change shows in the stamp, and the read time tells
    whether the stamp can be trusted."""
    return Reading.of(info, hashlib.sha256(data).hexdigest() if digest else "", read_ns)


def _lint(
    linter: Linter, task: Task, *, mode: Mode, digest: bool, constants: bool
) -> tuple[RunOutcome, Reading | None, tuple[Constant, ...]]:
    """One candidate file, start to end: its outcome, its reading for the cache, and its module
    constants (`constants`)."""
    read = read_task(task)
    if isinstance(read, RunOutcome):
        return read, None, ()
    source, info, read_ns = read
    piece = RunOutcome(files_seen=1)
    _, _, found = process_file(
        linter, source, task.shown, task.codes, piece, fix=mode.fix, unsafe=mode.unsafe, diff=mode.diff, constants=constants,
        noqa=mode.add_noqa, test_file=task.test_file,
    )
    return piece, Reading.of(info, source.digest if digest else "", read_ns), found


def _record(
    tasks: Sequence[Task], results: Sequence[tuple[int, tuple[RunOutcome, Reading | None, tuple[Constant, ...]]]],
    plain: dict[str, RunOutcome], constants: dict[str, tuple[Constant, ...]], digests: dict[int, str],
) -> None:
    """What the plain lint of some candidates tells the rest of the run."""
    for index, (piece, reading, found) in results:
        plain[posixpath.normpath(tasks[index].shown)] = piece
        if found:
            constants[tasks[index].shown] = found
        if reading is not None:
            digests[index] = reading.digest


def _store(
    cache: ResultCache | None, tasks: Sequence[Task],
    results: Sequence[tuple[int, tuple[RunOutcome, Reading | None, tuple[Constant, ...]]]],
    waiting: Sequence[int], screened_at: dict[int, Reading],
) -> None:
    """Each file linted alone, with its outcome; each that went to the project pass without
    (it holds no constants: the next run can decide without reading it)."""
    if cache is None:
        return
    for index, (piece, reading, found) in results:
        if reading is not None:
            cache.store(tasks[index].path, reading, tuple(piece.findings), found)
    for index in waiting:
        cache.store(tasks[index].path, screened_at[index], None, ())


def _cached(cache: ResultCache, task: Task) -> tuple[RunOutcome | None, tuple[Constant, ...], str] | None:
    """What the cache holds of a file: its outcome linted alone (None when it was never linted
    alone), its module constants and its sha256."""
    found = cache.lookup(task.path)
    if found is None:
        return None
    findings, constants, digest = found
    return (served_from_cache(task, findings) if findings is not None else None), constants, digest
