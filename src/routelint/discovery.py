"""Which files a run reads: folders walked in name order with their .gitignore files, `exclude`
and `include`; files named on the command line; the project's top folder. What cannot be looked
into is a `Problem`, reported, never skipped in silence. (Reading a file is files.py's.)"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from routelint.files import NotRegular, TooLarge, UnreadableFile, read_bytes, why_unreadable
from routelint.patterns import Ignores, Pattern, compile_pattern, is_ignored

SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "build", "dist", ".tox", ".nox",
    "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".routelint_cache", ".eggs",
})


SUFFIXES = (".py", ".pyi", ".ipynb")  # what a folder is searched for, unless `include` says otherwise


# Past this a .gitignore is not read (git itself skips pattern files over 100 MiB, with a
# warning); patterns are matched one by one against every path, so a million lines would cost
# more than the walk they save.
MAX_GITIGNORE_BYTES = 1 << 20


@dataclass(frozen=True)
class Problem:
    """Something discovery could not look into, so that it is reported instead of skipped in
    silence: RL001 at `path` when files may hide behind it (a folder that cannot be listed), else
    a warning on standard error (a .gitignore that was ignored: that only means more files linted)."""

    path: Path
    message: str  # after "RL001 " or "routelint: warning: "
    warning: bool = False


def read_gitignore(folder: Path, problems: list[Problem]) -> list[Pattern]:
    """The patterns of folder/.gitignore; none when it is missing or cannot be read. One that is
    not a regular file (a FIFO, a link to /dev/zero) or is over MAX_GITIGNORE_BYTES is ignored
    whole, with a warning in `problems`."""
    path = folder / ".gitignore"
    try:
        data, _info = read_bytes(path, MAX_GITIGNORE_BYTES)
    except TooLarge as exc:
        _note(problems, Problem(path, f"ignoring {path}: it is larger than {MAX_GITIGNORE_BYTES >> 20} MiB ({exc.size:,} bytes)", warning=True))
        return []
    except NotRegular as exc:
        _note(problems, Problem(path, f"ignoring {path}: it {exc}", warning=True))
        return []
    except UnreadableFile as exc:
        if not isinstance(exc.__cause__, FileNotFoundError):  # there, but not readable: say so
            _note(problems, Problem(path, f"ignoring {path}: it {exc}", warning=True))
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    return [p for p in (compile_pattern(line, folder) for line in lines) if p is not None]


def _note(problems: list[Problem], problem: Problem) -> None:
    """Once: a parent folder's .gitignore is read again for every path named."""
    if problem not in problems:
        problems.append(problem)


def parent_gitignores(start: Path, problems: list[Problem]) -> list[Pattern]:
    """The .gitignore files from the repository root down to `start` (exclusive)."""
    chain: list[Path] = []
    folder = start.parent
    while True:
        chain.append(folder)
        if os.path.exists(folder / ".git") or folder.parent == folder:
            break
        folder = folder.parent
    if not os.path.exists(chain[-1] / ".git"):
        return []
    return [p for f in reversed(chain) for p in read_gitignore(f, problems)]


PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")  # a project's top, as ruff and pip read it


def project_root(paths: Sequence[Path], config_file: Path | None, cwd: Path) -> Path:
    """The folder a run over some files looks in for the rest of their project: the config
    file's folder, else the top of the git work tree the paths are in, else the nearest folder
    above them that holds a pyproject.toml, setup.py or setup.cfg, else their common parent
    (of which crossfile.context_files then reads only the files directly in it). Never the
    working folder as such: a run from a home folder must not read all of it."""
    if config_file is not None:
        return config_file.parent.absolute()
    absolute = [(cwd / p).absolute() for p in paths]
    folders = [p if os.path.isdir(p) else p.parent for p in absolute]
    try:
        common = Path(os.path.commonpath([str(f) for f in folders])) if folders else cwd.absolute()
    except ValueError:  # different drives
        return folders[0]
    found = enclosing_project(str(common))
    return Path(found) if found is not None else common


def enclosing_project(folder: str) -> str | None:
    """The top of the git work tree holding `folder` (absolute), else the nearest folder at or
    above it with a pyproject.toml, setup.py or setup.cfg; None for neither."""
    chain = [folder]
    while os.path.dirname(chain[-1]) != chain[-1]:
        chain.append(os.path.dirname(chain[-1]))
    found = next((f for f in chain if os.path.exists(os.path.join(f, ".git"))), None)
    return found or next((f for f in chain if any(os.path.isfile(os.path.join(f, m)) for m in PROJECT_MARKERS)), None)


@dataclass(frozen=True)
class Selection:
    """Which files a folder is searched for (ruff's `include` / `extend-include`): `*.ext`
    patterns are decided by the name alone (most of a tree is skipped without a Path object);
    any other pattern is matched as a .gitignore pattern is."""

    suffixes: tuple[str, ...] = SUFFIXES
    patterns: tuple[Pattern, ...] = ()

    @classmethod
    def of(cls, globs: Iterable[str], base: Path) -> Selection:
        suffixes, patterns = [], []
        for glob in globs:
            if re.fullmatch(r"\*\.[\w.-]+", glob):
                suffixes.append(glob[1:])
            else:
                pattern = compile_pattern(glob, base)
                if pattern is not None:
                    patterns.append(pattern)
        return cls(tuple(suffixes), tuple(patterns))

    def selects(self, name: str, path: Path | str | None = None) -> bool:
        """`path`: the file, or the text of its absolute path (the walk's, which makes no Path
        for the files it skips)."""
        if name.endswith(self.suffixes):
            return True
        if not self.patterns:
            return False
        absolute = path if isinstance(path, str) else str((path or Path(name)).absolute())
        return any(p.matches(absolute, False) for p in self.patterns)


# The exclude patterns and the include selection that apply in a folder (absolute).
Governed = Callable[[Path], tuple[Sequence[Pattern], Selection]]


def discover(
    paths: Iterable[Path], exclude: Sequence[Pattern], *, force_exclude: bool = False, problems: list[Problem] | None = None,
    selection: Selection = Selection(), seen: set[str] | None = None, governed: Governed | None = None,
) -> Iterator[tuple[Path, bool]]:
    """(path, named_explicitly) for every file to lint; directories are walked, not followed out.

    Each file comes once, under the first name it is found by: a file named twice, inside a
    folder also named, or reached again through a symbolic link is the same file (keyed by its
    resolved path, so hard links stay separate files). `seen` holds those keys, for a caller
    that discovers its paths one by one. Folders that cannot be listed and .gitignore files
    that were ignored go to `problems`.

    `governed`: the exclude patterns and the selection that apply in a folder, when they depend
    on the folder (each folder has its nearest config's, configs.py); else `exclude` and
    `selection` apply everywhere. A folder is excluded by the patterns of the folder holding it.
    """
    problems = [] if problems is None else problems
    seen = set() if seen is None else seen
    rules: Governed = governed or (lambda _folder: (exclude, selection))
    for given in paths:
        if os.path.isdir(given):  # False for a path too long to look at: reading it says so
            root = given.resolve()
            inherited = parent_gitignores(given.absolute(), problems)
            walked = _walk(given, root, rules, inherited, problems)
            yield from ((path, False) for path, key in walked if _first(key, seen))
        elif force_exclude and _excluded_file(given, rules(given.absolute().parent)[0], problems):
            continue
        else:
            target = _resolve(given)
            if _first(None if target is None else str(target), seen):
                yield given, True


def _first(key: str | None, seen: set[str]) -> bool:
    """Whether a file is met for the first time (one that cannot be resolved always is: reading
    it says why)."""
    if key is None:
        return True
    if key in seen:
        return False
    seen.add(key)
    return True


def _excluded_file(path: Path, exclude: Sequence[Pattern], problems: list[Problem]) -> bool:
    absolute = path.absolute()
    ignores = list(exclude) + parent_gitignores(absolute, problems)
    for parent in [absolute, *absolute.parents]:
        if parent.name in SKIPPED_DIRS or is_ignored(parent, parent != absolute, ignores):
            return True
    return False


def _walk(
    folder: Path, root: Path, rules: Governed, ignores: list[Pattern], problems: list[Problem]
) -> Iterator[tuple[Path, str | None]]:
    """(path, resolved path or None) of the files under `folder`, depth first in name order,
    with a stack of its own: a tree may be nested deeper than Python's recursion limit. A
    folder's resolved path is its parent's plus its name (links to folders are not followed),
    so only links cost a resolve."""
    top = folder.absolute()
    stack = [_folder(iter(_entries(folder, problems)), ignores + read_gitignore(top, problems), os.path.join(root, ""), os.path.join(top, ""), rules(top))]
    while stack:
        # prefix: the folder's resolved path and a separator; shown: its absolute (unresolved) path and one
        entries, ignores, prefix, shown, selection, ignored = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
        except OSError:
            continue
        text = shown + entry.name  # str(Path(entry.path).absolute()), without making either Path
        if (is_dir and entry.name in SKIPPED_DIRS) or (not is_dir and not selection.selects(entry.name, text)):
            continue  # decided by the name alone: no Path objects for the many files we skip
        if ignored(text, is_dir):
            continue
        path = Path(entry.path)
        if is_dir:
            absolute = Path(text)
            inner = prefix + entry.name + os.sep
            stack.append(_folder(iter(_entries(path, problems)), ignores + read_gitignore(absolute, problems), inner, text + os.sep, rules(absolute)))
            continue
        key: str | None = prefix + entry.name
        if is_link:
            target = _resolve(path)
            if target is not None and not is_inside(target, root):
                continue  # never follow a link out of the tree we were given
            if target is None or not os.path.exists(target):
                yield path, None  # a dangling link or a loop: reading it reports why
                continue
            key = str(target)
        if not entry.is_file():
            continue  # a folder behind a link, a FIFO (reading one waits forever), a socket, a device
        yield path, key


@functools.lru_cache(maxsize=256)
def _ignores(patterns: tuple[Pattern, ...]) -> Ignores:
    """One matcher per list of patterns: most folders of a tree share their parent's."""
    return Ignores(patterns)


def _folder(
    entries: Iterator[os.DirEntry[str]], ignores: list[Pattern], prefix: str, shown: str, governed: tuple[Sequence[Pattern], Selection]
) -> tuple[Iterator[os.DirEntry[str]], list[Pattern], str, str, Selection, Callable[[str, bool], bool]]:
    """One folder of the walk: what its entries are judged by (the .gitignore patterns, then the
    config's excludes: the last matching pattern of either list decides)."""
    exclude, selection = governed
    by_gitignore, by_exclude = _ignores(tuple(ignores)), _ignores(tuple(exclude))
    return entries, ignores, prefix, shown, selection, lambda text, is_dir: by_gitignore(text, is_dir) or by_exclude(text, is_dir)


def is_python_named(path: Path) -> bool:
    """Whether a file named on the command line is one routelint reads without `include`
    saying so: a Python suffix, or no suffix and a Python shebang (pre-commit passes such
    scripts as `python`)."""
    if path.name.endswith((*SUFFIXES, ".pyw")):
        return True
    if path.suffix:
        return False
    try:
        with open(path, "rb") as stream:
            first = stream.readline(200)
    except OSError:
        return True  # reading it says why it cannot be read
    return first.startswith(b"#!") and b"python" in first


def _entries(folder: Path, problems: list[Problem]) -> list[os.DirEntry[str]]:
    """The entries of `folder` in name order; a folder that cannot be listed (no permission, a
    path longer than the system allows) is a problem: what it holds is unknown."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(folder, f"cannot check this folder: it {why_unreadable(folder, exc)}"))
        return []


def may_exist(path: Path) -> bool:
    """False only when the system says `path` is not there; a path it cannot look at (too long,
    in a folder that cannot be searched) may be, and reading it will say why not."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        pass
    return True


def _resolve(path: Path) -> Path | None:
    """Where a link leads (dangling links too), or None for a loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def is_inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
