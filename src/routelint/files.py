"""Find the files to lint, read and decode them (writing fixed text back is writes.py)."""
from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routelint.notebooks import Notebook

SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "build", "dist", ".tox", ".nox",
    "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".routelint_cache", ".eggs",
})
SUFFIXES = (".py", ".pyi", ".ipynb")  # what a folder is searched for, unless `include` says otherwise
NOTEBOOK_SUFFIX = ".ipynb"


class UnreadableFile(Exception):
    """A file that cannot be read or decoded; reported as RL001 and the run goes on."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str
    encoding: str  # as detected: "utf-8-sig" keeps a BOM on write
    digest: str = ""  # sha256 of the bytes read, for the result cache
    # A notebook: `text` is its code cells as one module (notebooks.py), `data` the file's bytes,
    # which a fix is written into.
    notebook: Notebook | None = None
    data: bytes = b""


class NotPython(UnreadableFile):
    """A notebook whose kernel is not Python (R, Julia): skipped with a warning, as ruff does."""


@dataclass(frozen=True)
class Pattern:
    """One .gitignore-style pattern, relative to the folder it was read in."""

    base: Path
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool

    def matches(self, path: Path, is_dir: bool) -> bool:
        if self.directory_only and not is_dir:
            return False
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return False
        return bool(self.regex.fullmatch(relative))


def compile_pattern(text: str, base: Path) -> Pattern | None:
    """Git's wildmatch rules: a pattern with a slash (not at the end) is anchored to its folder."""
    line = text.rstrip("\n").rstrip("\r")
    if not line.strip() or line.startswith("#"):
        return None
    line = re.sub(r"(?<!\\)\s+$", "", line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    if line.startswith("\\"):
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.rstrip("/")
    anchored = "/" in line
    line = line.lstrip("/")
    regex = _glob_to_regex(line)
    if not anchored:
        regex = f"(?:.*/)?{regex}"
    # A pattern that names a folder also covers everything inside it.
    return Pattern(base, re.compile(f"{regex}(?:/.*)?", re.DOTALL), negated, directory_only)


def _glob_to_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[":
            end = glob.find("]", i + 2)
            if end == -1:
                out.append(re.escape("["))
                i += 1
            else:
                out.append(_bracket_to_regex(glob[i + 1 : end]))
                i = end + 1
        elif glob[i] == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def _bracket_to_regex(body: str) -> str:
    """A bracket expression as a regex class that always compiles, whatever the pattern says.

    Every character is literal except `!`/`^` first (negation) and `a-z` ranges; a reversed
    range matches nothing, as in git. Like `*` and `?`, a bracket never matches a slash.
    """
    negated = body[:1] in ("!", "^")
    chars = body[1:] if negated else body
    parts, i = [], 0
    while i < len(chars):
        if chars[i] == "\\" and i + 1 < len(chars):
            i += 1
        if i + 2 < len(chars) and chars[i + 1] == "-":
            if chars[i] <= chars[i + 2]:
                parts.append(f"{re.escape(chars[i])}-{re.escape(chars[i + 2])}")
            i += 3
        else:
            parts.append(re.escape(chars[i]))
            i += 1
    if negated:
        return "[^/" + "".join(parts) + "]"
    return "[" + "".join(parts) + "]" if parts else "(?!)"


def is_ignored(path: Path, is_dir: bool, patterns: Sequence[Pattern]) -> bool:
    """The last matching pattern decides, as in .gitignore."""
    ignored = False
    for pattern in patterns:
        if pattern.matches(path, is_dir):
            ignored = not pattern.negated
    return ignored


def read_gitignore(folder: Path) -> list[Pattern]:
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [p for p in (compile_pattern(line, folder) for line in lines) if p is not None]


def parent_gitignores(start: Path) -> list[Pattern]:
    """The .gitignore files from the repository root down to `start` (exclusive)."""
    chain: list[Path] = []
    folder = start.parent
    while True:
        chain.append(folder)
        if (folder / ".git").exists() or folder.parent == folder:
            break
        folder = folder.parent
    if not (chain[-1] / ".git").exists():
        return []
    return [p for f in reversed(chain) for p in read_gitignore(f)]


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

    def selects(self, name: str, path: Path | None = None) -> bool:
        if name.endswith(self.suffixes):
            return True
        if not self.patterns:
            return False
        absolute = (path or Path(name)).absolute()
        return any(p.matches(absolute, False) for p in self.patterns)


def discover(
    paths: Iterable[Path], exclude: Sequence[Pattern], *, force_exclude: bool = False, selection: Selection = Selection()
) -> Iterator[tuple[Path, bool]]:
    """(path, named_explicitly) for every file to lint; directories are walked, not followed out."""
    for given in paths:
        if given.is_dir():
            root = given.resolve()
            inherited = parent_gitignores(given.absolute())
            yield from ((p, False) for p in _walk(given, root, exclude, inherited, selection))
        elif force_exclude and _excluded_file(given, exclude):
            continue
        else:
            yield given, True


def _excluded_file(path: Path, exclude: Sequence[Pattern]) -> bool:
    absolute = path.absolute()
    ignores = list(exclude) + parent_gitignores(absolute)
    for parent in [absolute, *absolute.parents]:
        if parent.name in SKIPPED_DIRS or is_ignored(parent, parent != absolute, ignores):
            return True
    return False


def _walk(
    folder: Path, root: Path, exclude: Sequence[Pattern], ignores: list[Pattern], selection: Selection = Selection()
) -> Iterator[Path]:
    """Depth first in name order, with a stack of its own: a tree may be nested deeper than
    Python's recursion limit."""
    stack = [(iter(_entries(folder)), ignores + read_gitignore(folder.absolute()))]
    while stack:
        entries, ignores = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
        except OSError:
            continue
        if (is_dir and entry.name in SKIPPED_DIRS) or (not is_dir and not selection.selects(entry.name, Path(entry.path))):
            continue  # decided by the name alone: no Path objects for the many files we skip
        path = Path(entry.path)
        absolute = path.absolute()
        if is_ignored(absolute, is_dir, ignores) or is_ignored(absolute, is_dir, exclude):
            continue
        if is_dir:
            stack.append((iter(_entries(path)), ignores + read_gitignore(absolute)))
            continue
        if is_link:
            target = _resolve(path)
            if target is not None and not _inside(target, root):
                continue  # never follow a link out of the tree we were given
            if target is None or not target.exists():
                yield path  # a dangling link or a loop: reading it reports why
                continue
        if not entry.is_file():
            continue  # a folder behind a link, a FIFO (reading one waits forever), a socket, a device
        yield path


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


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:
        return []


def _resolve(path: Path) -> Path | None:
    """Where a link leads (dangling links too), or None for a loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def decode(data: bytes, name: str = "<source>") -> tuple[str, str]:
    """(text, encoding), honouring a BOM and a PEP 263 coding cookie; newlines stay as they are."""
    if b"\0" in data:
        raise UnreadableFile("contains a NUL byte")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        reason = str(exc)
        if "invalid or missing encoding declaration" in reason:
            raise UnreadableFile("is not valid utf-8 and declares no other encoding") from None
        if "encoding problem" in reason:
            raise UnreadableFile("starts with a UTF-8 byte order mark but declares another encoding") from None
        raise UnreadableFile(f"declares an encoding Python does not know ({reason})") from None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"is not valid {encoding}: byte {exc.start}") from None
    except (UnicodeError, LookupError) as exc:  # a cookie naming a codec that is not a text encoding
        raise UnreadableFile(f"declares an encoding that cannot decode it ({encoding}: {exc})") from None


def plain_utf8(data: bytes) -> bool:
    """Whether `data` is a UTF-8 source without a BOM, a NUL or a coding cookie: its text is
    then exactly `data.decode()`, so a file can be screened on its bytes without decoding.
    Anything else goes through `decode` (which says why a file cannot be read)."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    head = data if second < 0 else data[:second]  # the two lines a cookie may stand on (PEP 263)
    if b"coding" in head or data.startswith(b"\xef\xbb\xbf") or b"\0" in data:
        return False
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_source(path: Path) -> SourceFile:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableFile("is a directory") from None
    except OSError as exc:
        raise UnreadableFile(_why_unreadable(path, exc)) from None
    return source_from_bytes(path, data)


def source_from_bytes(path: Path, data: bytes) -> SourceFile:
    """The Python text of a file's bytes: a .py file decoded, a notebook's code cells."""
    digest = hashlib.sha256(data).hexdigest()
    if path.name.endswith(NOTEBOOK_SUFFIX):
        return read_notebook_source(path, data, digest)
    text, encoding = decode(data, str(path))
    return SourceFile(path, text, encoding, digest)


def read_notebook_source(path: Path, data: bytes, digest: str = "") -> SourceFile:
    from routelint.notebooks import NotebookError, read_notebook

    try:
        notebook = read_notebook(data, str(path))
    except NotebookError as exc:
        raise UnreadableFile(f"is {exc}") from None
    if notebook.language is not None and notebook.language.lower() not in ("python", "python3", "ipython"):
        raise NotPython(f"is a {notebook.language} notebook, not Python")
    return SourceFile(path, notebook.text, "utf-8", digest, notebook, data)


def _why_unreadable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that leads in a loop"
    if exc.errno == errno.ENOENT and path.is_symlink():
        try:
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        except OSError:
            pass
    return f"cannot be read: {exc.strerror or exc}"
