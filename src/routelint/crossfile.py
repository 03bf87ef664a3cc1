"""The cross-file driver: when names cross files, the project pass over the files given (and,
for a run over some files, the rest of their project that they involve), and a buffer on
standard input as a file of its project."""
from __future__ import annotations

import functools
import hashlib
import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import astuple, replace
from pathlib import Path
from typing import Callable

from routelint.cache import ResultCache
from routelint.checks import ALL_CHECKS
from routelint.config import ConfigError, Settings, enabled_codes
from routelint.configs import Configs
from routelint.discovery import SUFFIXES, Selection, discover, enclosing_project, is_inside, project_root
from routelint.engine import MAX_SOURCE_BYTES, Linter
from routelint.facts import Incoming
from routelint.files import SourceFile, UnreadableFile, read_bytes, read_source
from routelint.index import ProjectIndex
from routelint.model import Finding
from routelint.neighbourhood import Neighbourhood, neighbourhood
from routelint.onefile import Mode, RunOutcome, Task, display_paths, keep_source, process_file, read_task, served_from_cache
from routelint.patterns import Pattern, compile_pattern
from routelint.pool import MIN_FILES_PER_JOB, Pool
from routelint.project import Constant, ProjectTable, build_table
from routelint.project_pass import Step, file_step, given_files, project_pass


def context_files(
    paths: Sequence[Path], settings: Settings, cwd: Path, seen: set[str], configs: Configs | None = None
) -> list[Path]:
    """The rest of the project of the files given (discovery.project_root), excludes and .gitignore
    applied as to a folder named: where names they import are defined, and files that import
    theirs. Nothing when a folder given holds the whole project. With `configs`, the project
    is the files `settings` governs: a sub-project with a config of its own is another."""
    root = project_root(paths, settings.config_file, cwd)
    if any(os.path.isdir(given) and is_inside(root, given.absolute()) for given in paths):
        return []
    configs = configs or Configs.one(settings)
    where: list[Path] = [root]
    if settings.config_file is None and enclosing_project(str(root)) is None:
        # No project around the files (no config, no git work tree, no pyproject.toml or
        # setup.py): only the files in each one's own folder, not every tree below (a script in
        # /tmp or a downloads folder read thousands of files; found on an untuned corpus), and
        # not their common folder's (two files in two folders: found by review)
        folders = sorted({(cwd / given).absolute().parent for given in paths})
        where = []
        for folder in folders:
            try:
                where += sorted(folder / name for name in os.listdir(folder) if name.endswith(SUFFIXES) and os.path.isfile(folder / name))
            except OSError:
                continue
    found = discover(where, (), force_exclude=True, problems=[], seen=set(seen), governed=functools.partial(_context_rules, configs))
    return [path for path, _named in found if configs.for_file(path) is settings]


def _context_rules(configs: Configs, folder: Path) -> tuple[Sequence[Pattern], Selection]:
    """`Configs.rules`, but a folder whose config cannot be read is left out of the context: it
    governs none of the files given (theirs were read already), and a broken config in a
    sub-project the run only looks into must not fail the run (found on a PyPI sdist)."""
    try:
        return configs.rules(folder)
    except ConfigError:
        everything = compile_pattern("*", folder)
        assert everything is not None
        return [everything], Selection()


def beyond(
    linter: Linter, named: Mapping[str, str], context: Sequence[Path], settings: Settings, shown: Callable[[Path], str],
    cache: ResultCache | None = None,
) -> tuple[Neighbourhood, list[Task]] | None:
    """The files outside the run that its cross-file findings involve (neighbourhood.py),
    as tasks; None when there are none. `named`: the texts of the files given (normalized
    display path -> text; a buffer's own text), never read again from `context`. With a
    cache, what the others import, bind and mention comes from the project index (index.py)."""
    outside = {posixpath.normpath(shown(path)): path for path in context}
    for key in named:
        outside.pop(key, None)
    index = ProjectIndex(outside, linter.reportable, cache, listed=context)
    near = neighbourhood(named, outside, index.facts, linter.reportable)
    involved = sorted(near.holders | near.users)
    if not involved:
        return None
    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    return near, [
        Task(outside[key], shown(outside[key]), enabled_codes(settings, all_codes, outside[key]), settings.is_test_file(outside[key]))
        for key in involved
    ]


def given_texts(tasks: Sequence[Task]) -> dict[str, str]:
    """The texts of the files given, by normalized display path, for `beyond` (a file too large
    to parse holds no constants)."""
    return {posixpath.normpath(key): text for key, text in all_texts(tasks, {}).items() if len(text) <= MAX_SOURCE_BYTES}


def project_table(linter: Linter, tasks: Sequence[Task], candidates: Sequence[Task]) -> ProjectTable | None:
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
    table = build_table(((task.shown, kept.get(task.shown)) for task in tasks), linter.reportable, (t.shown for t in tasks if t.test_file))
    if not table.constants:
        return None
    return table if table.crosses(all_texts(tasks, texts)) else None


def crossing(
    tasks: Sequence[Task], constants: Mapping[str, tuple[Constant, ...]], cache: ResultCache | None, digests: Mapping[int, str]
) -> tuple[ProjectTable | None, tuple[str, str] | None]:
    """The project table, when some file mentions a constant another file holds (else None),
    and the cache's keys for this set of files and for their contents. Deciding reads every file again;
    with the cache, a decision stands while no file changes."""
    table = ProjectTable(
        frozenset(posixpath.normpath(t.shown) for t in tasks), {posixpath.normpath(k): v for k, v in constants.items()},
        frozenset(posixpath.normpath(t.shown) for t in tasks if t.test_file),
    )
    keys = None
    if cache is not None and len(digests) == len(tasks):
        parts = [(task.shown, digests[i]) for i, task in enumerate(tasks)], sorted((k, [astuple(c) for c in v]) for k, v in constants.items())
        files = hashlib.sha256(repr(sorted(task.shown for task in tasks)).encode("utf-8", "surrogatepass")).hexdigest()
        keys = files, hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
        known = cache.decision(*keys)
        if known is not None:
            return (table if known else None), keys
    crosses = table.crosses(all_texts(tasks, {}))
    if cache is not None and keys is not None:
        cache.remember(*keys, crosses)
    return (table if crosses else None), keys


def decided_crossing(
    tasks: Sequence[Task], constants: Mapping[str, tuple[Constant, ...]], cache: ResultCache | None,
    digests: Mapping[int, str], seconds: Mapping[str, float],
) -> tuple[ProjectTable | None, tuple[str, str] | None, RunOutcome | None]:
    """`crossing`, and the project pass's outcome when the cache holds it for these very files
    and contents: a run where nothing changed is served without linting again."""
    project, keys = crossing(tasks, constants, cache, digests)
    served = cache.project_findings(*keys) if cache is not None and keys is not None and project is not None else None
    outcome = served_project(tasks, served, {**seconds, "project": 0.0}) if served is not None else None
    return project, keys, outcome


def served_project(tasks: Sequence[Task], findings: Sequence[Finding], seconds: dict[str, float]) -> RunOutcome:
    """A project pass's outcome from the cache: the same files, with the same contents."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    outcome = RunOutcome()
    for task in tasks:
        outcome.merge(served_from_cache(task, by_path.get(task.shown, ())))
    outcome.findings.sort(key=Finding.sort_key)
    outcome.seconds = seconds
    return outcome


def subset_keys(tasks: Sequence[Task], involved: Sequence[Task], table: ProjectTable) -> tuple[str, str] | None:
    """The cache's keys for a run over some files of a project: the files given (`files`), and
    the contents of those and of the files past them that their findings involve, with the
    table's shape (`key`). The neighbourhood is worked out anew each run (by text, no parse):
    a file that becomes involved changes the key, and one that is not cannot change the
    findings. None when a file cannot be read (its RL001 is not cached)."""
    digests = []
    for task in [*tasks, *involved]:
        try:
            data, _info = read_bytes(task.path)
        except UnreadableFile:
            return None
        digests.append((task.shown, hashlib.sha256(data).hexdigest()))
    files = hashlib.sha256(repr(("subset", sorted(task.shown for task in tasks))).encode("utf-8", "surrogatepass")).hexdigest()
    parts = repr((sorted(digests), table.shape()))
    return files, hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()


def served_subset(tasks: Sequence[Task], involved: Sequence[Task], findings: Sequence[Finding], seconds: dict[str, float]) -> RunOutcome:
    """A run over some files served from the cache: the files given as from the cache, and the
    findings at the literals of the files past them (`_outside`: never fixed, said in the summary)."""
    outcome = served_project(tasks, [f for f in findings if f.path in {t.shown for t in tasks}], seconds)
    for task in involved:
        kept = [f for f in findings if f.path == task.shown]
        if not kept:
            continue
        piece = RunOutcome()
        piece.findings.extend(kept)
        piece.outside.add(task.shown)
        try:
            keep_source(piece, task.shown, read_source(task.path), kept)
        except UnreadableFile:
            pass
        outcome.merge(piece)
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def all_texts(tasks: Sequence[Task], known: Mapping[str, str]) -> dict[str, str]:
    texts = dict(known)
    for task in tasks:
        if task.shown not in texts:
            try:
                texts[task.shown] = read_source(task.path).text
            except UnreadableFile:
                continue
    return texts


def run_project(
    linter: Linter, tasks: Sequence[Task], project: ProjectTable, mode: Mode, near: Neighbourhood | None = None,
    jobs: int = 1, plain: Mapping[str, RunOutcome] | None = None, cache: ResultCache | None = None,
    digests: Mapping[str, str] | None = None,
) -> RunOutcome:
    """Lint (or fix) every file; names one file imports from another reach across (project.py).

    Every file is linted once knowing no uses of its names (in worker processes when linting
    and there are many); then each file that other files use names of is linted again with
    those uses, and so on as uses arrive through files that import a name and export it again
    (project_pass.py). Its earlier result is replaced; fixes it already wrote stay, and are
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
    given = given_files(files, near)
    inside = functools.partial(_project_file, project=project, mode=mode)
    first: dict[str, Step[RunOutcome]] | None = None
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
            first[key] = served_from_cache(task, kept[0]), kept[1]
        first_round = functools.partial(_first_round, inside=inside, project=project, known=known, near=near, given=given)
        with Pool(linter, jobs, tasks) as pool:
            for index, (done, takes) in zip(pending, pool.map(first_round, pending, MIN_FILES_PER_JOB)):
                task = tasks[index]
                key = posixpath.normpath(task.shown)
                if done is None:  # as linted alone
                    first[key] = plain[key], ()  # type: ignore[index]
                    continue
                first[key] = single, exports = done
                digest = (digests or {}).get(key)
                # Only the first round of a file that takes names is kept: the table's shape does
                # not say which files bind or re-export each name, and a file that takes none
                # now may take one once another file binds it (found by review).
                if takes and single is not None and cache is not None and shape and digest and not single.errors and not single.warnings:
                    cache.store_round(task.path, digest, shape, tuple(single.findings), tuple(exports))
    passed = project_pass(
        list(files), project, lambda key, incoming: inside(linter, files[key], incoming=incoming),
        outside=lambda key, incoming: _outside(linter, files[key], project, incoming, given), near=near, first=first,
        again=None if mode.diff else _fixes_stay,
    )
    outcome = RunOutcome()
    for result in passed.results.values():  # in the order files were found
        outcome.merge(result)
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def _fixes_stay(earlier: RunOutcome, later: RunOutcome) -> RunOutcome:
    """A file linted again: the fixes written the first time still count."""
    later.fixed += earlier.fixed
    later.changed_files = sorted(set(later.changed_files) | set(earlier.changed_files))
    return later


def _first_round(
    linter: Linter, task: Task, *, inside: Callable[..., Step[RunOutcome]], project: ProjectTable, known: frozenset[str],
    near: Neighbourhood | None, given: frozenset[str],
) -> tuple[Step[RunOutcome] | None, bool]:
    """A file's first lint in the project pass, and whether the file takes names from another
    file; no lint when its outcome linted alone stands (it takes none, and no file's uses of its
    names are known yet). A file never linted alone (it holds no constants) is linted either way."""
    key = posixpath.normpath(task.shown)
    try:
        text: str | None = read_source(task.path).text
    except UnreadableFile:
        text = None
    takes = text is None or bool(project.mentions(task.shown, text)) or project.calls_out(task.shown)
    if key in known and not takes:
        return None, False
    return file_step(
        key, (), lambda _, incoming: inside(linter, task, incoming=incoming),
        lambda _, incoming: _outside(linter, task, project, incoming, given), near, given,
    )[1], takes


def _project_file(
    linter: Linter, task: Task, *, project: ProjectTable, mode: Mode, incoming: tuple[Incoming, ...] = (),
) -> Step[RunOutcome]:
    """One file given, in the project pass: its outcome and exports."""
    single = RunOutcome(files_seen=1)
    read = read_task(task)
    if isinstance(read, RunOutcome):
        return read, ()
    _, exports, _ = process_file(
        linter, read[0], task.shown, task.codes, single, fix=mode.fix, unsafe=mode.unsafe, diff=mode.diff,
        project=project, incoming=incoming, noqa=mode.add_noqa, test_file=task.test_file,
    )
    return single, exports


def _outside(
    linter: Linter, task: Task, project: ProjectTable, incoming: Sequence[Incoming], given: frozenset[str]
) -> Step[RunOutcome]:
    """A file past those given (project_pass.file_step says when it is linted: its uses of their
    names go to them, through it when it imports a name and passes it on); of its own literals,
    only the uses made in files given are reported. Never written, so its findings offer no fix."""
    read = read_task(task)
    if isinstance(read, RunOutcome):
        return None, ()
    source = read[0]
    cells = source.notebook.index if source.notebook is not None else None
    result = linter.lint_source(
        source.text, task.shown, enabled=task.codes, project=project, incoming=incoming, cells=cells, test_file=task.test_file
    )
    kept = [
        replace(f, fix=None) for f in result.findings if f.used_in is not None and posixpath.normpath(f.used_in) in given
    ]
    piece = RunOutcome()  # not a file given: neither seen nor parsed in the run's statistics
    if kept:
        piece.findings.extend(kept)
        piece.outside.add(task.shown)
        keep_source(piece, task.shown, source, kept)
    return piece, result.exports


def stdin_project(
    linter: Linter, settings: Settings, source: SourceFile, shown: str, codes: frozenset[str], cwd: Path,
    listing: Callable[[Path], Sequence[Path]] | None = None, configs: Configs | None = None,
) -> tuple[ProjectTable | None, tuple[Incoming, ...], RunOutcome | None]:
    """What a buffer named `shown` takes from the rest of its project and gives to it (an
    editor's unsaved file, `--stdin-filename`): the project table, the uses other files make of
    its names, and the findings at literals of other files that it uses (no fix: those files are
    not written). The copy of the buffer on disk is not read. `listing`: the files of the
    project of a path, for a host that checks many files in one process and lists each
    project once (hosted.py); by default the project is listed now (the files `settings`
    governs among `configs`)."""
    key = posixpath.normpath(shown)
    if len(source.text) > MAX_SOURCE_BYTES:
        return None, (), None
    context = listing(source.path) if listing is not None else context_files([source.path], settings, cwd, set(), configs)
    found = beyond(linter, {key: source.text}, context, settings, display_paths(cwd))
    if found is None:
        return None, (), None
    near, involved_tasks = found
    tasks = {posixpath.normpath(task.shown): task for task in involved_tasks}
    cells = source.notebook.index if source.notebook is not None else None
    given = frozenset({key})

    def buffer(_: str, incoming: tuple[Incoming, ...]) -> Step[RunOutcome]:
        return None, linter.lint_source(source.text, shown, enabled=codes, project=near.table, incoming=incoming, cells=cells).exports

    passed = project_pass(
        [key, *tasks], near.table, buffer, near=near,
        outside=lambda name, incoming: _outside(linter, tasks[name], near.table, incoming, given),
    )
    elsewhere = RunOutcome()
    for piece in passed.results.values():
        elsewhere.merge(piece)
    return near.table, passed.incoming.get(key, ()), elsewhere
