"""Find the files to lint, read and decode them (writing fixed text back is writes.py)."""
from __future__ import annotations

import codecs
import errno
import functools
import hashlib
import os
import re
import stat
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from routelint.notebooks import Notebook

from routelint.lines import first_lines

SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "build", "dist", ".tox", ".nox",
    "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".routelint_cache", ".eggs",
})
SUFFIXES = (".py", ".pyi", ".ipynb")  # what a folder is searched for, unless `include` says otherwise
NOTEBOOK_SUFFIX = ".ipynb"
# A notebook's outputs (base64 images) may make it much larger than its code: past this its
# JSON is not read; the code itself is held to the engine's MAX_SOURCE_BYTES.
MAX_NOTEBOOK_BYTES = 64_000_000


class UnreadableFile(Exception):
    """A file that cannot be read or decoded; reported as RL001 and the run goes on."""


class NotRegular(UnreadableFile):
    """A FIFO, a device, a socket: never opened."""


class TooLarge(UnreadableFile):
    """Over the size limit: refused from its stat, never read whole."""

    def __init__(self, size: int, limit: int) -> None:
        # The words the engine uses for a file too large to parse (engine.py).
        megabytes = f"{size / 1_000_000:.1f} MB, more than {limit / 1_000_000:g} MB"
        super().__init__(f"is too large to parse ({megabytes}); exclude it or split it")
        self.size = size


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

    def matches(self, path: Path | str, is_dir: bool) -> bool:
        """`path`: absolute, as a Path or its text (the walk passes text: pathlib's relative_to
        was most of the time a tree with .gitignore files took to list)."""
        if self.directory_only and not is_dir:
            return False
        text = path if isinstance(path, str) else str(path)
        prefix = self._prefix
        if text.startswith(prefix):
            relative = text[len(prefix) :]
        elif text == prefix[:-1]:
            relative = "."
        else:
            return False
        return bool(self.regex.fullmatch(relative if os.sep == "/" else relative.replace(os.sep, "/")))

    @functools.cached_property
    def _prefix(self) -> str:
        return os.path.join(str(self.base), "")


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


def is_ignored(path: Path | str, is_dir: bool, patterns: Sequence[Pattern]) -> bool:
    """The last matching pattern decides, as in .gitignore."""
    ignored = False
    for pattern in patterns:
        if pattern.matches(path, is_dir):
            ignored = not pattern.negated
    return ignored


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
    above them that holds a pyproject.toml, setup.py or setup.cfg, else their common parent.
    Never the working folder as such: a run from a home folder must not read all of it."""
    if config_file is not None:
        return config_file.parent.absolute()
    absolute = [(cwd / p).absolute() for p in paths]
    folders = [p if os.path.isdir(p) else p.parent for p in absolute]
    try:
        common = Path(os.path.commonpath([str(f) for f in folders])) if folders else cwd.absolute()
    except ValueError:  # different drives
        return folders[0]
    chain = [common, *common.parents]
    for folder in chain:
        if os.path.exists(folder / ".git"):
            return folder
    for folder in chain:
        if any(os.path.isfile(folder / marker) for marker in PROJECT_MARKERS):
            return folder
    return common


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
    stack = [
        (iter(_entries(folder, problems)), ignores + read_gitignore(folder.absolute(), problems), os.path.join(root, ""), rules(folder.absolute()))
    ]
    while stack:
        entries, ignores, prefix, (exclude, selection) = stack[-1]  # prefix: the folder's resolved path and a separator
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
        text = str(absolute)
        if is_ignored(text, is_dir, ignores) or is_ignored(text, is_dir, exclude):
            continue
        if is_dir:
            inner = prefix + entry.name + os.sep
            stack.append((iter(_entries(path, problems)), ignores + read_gitignore(absolute, problems), inner, rules(absolute)))
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
        problems.append(Problem(folder, f"cannot check this folder: it {_why_unreadable(folder, exc)}"))
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


def decode(data: bytes, name: str = "<source>") -> tuple[str, str]:
    """(text, encoding), honouring a BOM and a PEP 263 coding cookie as Python does; newlines
    stay as they are.

    The cookie is looked for on the first two lines as Python splits them (`\\r` ends a line:
    `tokenize.detect_encoding` alone would read a CR-only file as one line, and take any
    "coding:" in it for a cookie). A cookie naming an encoding in which the cookie itself does
    not read back (utf-16, utf-32, EBCDIC) is refused, as Python refuses the file, instead of
    decoding it to garbage.
    """
    if b"\0" in data:
        raise UnreadableFile("contains a NUL byte")
    head = first_lines(data, 2)
    encoding = _declared(head)
    if encoding not in ("utf-8", "utf-8-sig") and not _reads_back(b"".join(head), encoding):
        raise UnreadableFile(
            f"declares the encoding {encoding}, in which that declaration does not read back (Python refuses the file)"
        )
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"is not valid {encoding}: byte {exc.start}") from None
    except (UnicodeError, LookupError) as exc:  # a cookie naming a codec that is not a text encoding
        raise UnreadableFile(f"declares an encoding that cannot decode it ({encoding}: {exc})") from None


def _declared(head: list[bytes]) -> str:
    """The encoding the BOM or the cookie on these (at most two) lines declares; utf-8 if none."""
    try:
        return tokenize.detect_encoding(iter([*head, b""]).__next__)[0]
    except SyntaxError as exc:
        reason = str(exc)
        if "invalid or missing encoding declaration" in reason:
            raise UnreadableFile("is not valid utf-8 and declares no other encoding") from None
        if "encoding problem" in reason:
            raise UnreadableFile("starts with a UTF-8 byte order mark but declares another encoding") from None
        raise UnreadableFile(f"declares an encoding Python does not know ({reason})") from None


def _reads_back(head: bytes, encoding: str) -> bool:
    """Whether the first lines, decoded in the encoding their cookie declares, still declare it."""
    try:
        lines = first_lines(head.decode(encoding, errors="replace"), 2)
    except (LookupError, UnicodeError):
        return True  # not a text encoding at all ("undefined" raises on any input): decoding the file says so
    try:
        again = _declared([line.encode("utf-8", "surrogatepass") for line in lines])
    except UnreadableFile:
        return False
    return codecs.lookup(again).name == codecs.lookup(encoding).name


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


def read_source(path: Path, limit: int | None = None) -> SourceFile:
    """The file's Python text (a notebook's code cells)."""
    data, _info = read_bytes(path, limit)
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


def read_bytes(path: Path, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `limit` bytes, and its stat taken on the open file
    before reading. The default limit is the engine's MAX_SOURCE_BYTES, and MAX_NOTEBOOK_BYTES
    for a notebook, whose outputs may make it much larger than its code (which the engine then
    holds to MAX_SOURCE_BYTES).

    What is not a regular file is never opened: opening a FIFO waits for a writer forever, a
    device may do anything on open, /dev/zero never ends. A file over the limit is refused from
    its stat, never read whole (a 3 GB sparse file used to take 3 GB of memory). The kind and
    size are checked again on the open descriptor, which is opened with O_NONBLOCK so that a
    FIFO swapped in after the first check cannot block the open, and at most `limit` + 1 bytes
    are read, so a file that grows meanwhile is refused too.
    """
    if limit is None and path.name.endswith(NOTEBOOK_SUFFIX):
        limit = MAX_NOTEBOOK_BYTES
    elif limit is None:
        from routelint.engine import MAX_SOURCE_BYTES  # imported here: config imports this module

        limit = MAX_SOURCE_BYTES
    try:
        _check_kind(os.stat(path), limit)
        descriptor = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as exc:
        raise UnreadableFile(_why_unreadable(path, exc)) from exc  # the cause says whether it exists at all
    try:
        with open(descriptor, "rb") as stream:
            info = os.fstat(descriptor)
            _check_kind(info, limit)
            if _O_NONBLOCK:
                os.set_blocking(descriptor, True)
            data = stream.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(_why_unreadable(path, exc)) from exc
    if len(data) > limit:
        raise TooLarge(len(data), limit)
    return data, info


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _check_kind(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("is a directory")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "an unknown kind of file")
        raise NotRegular(f"is not a regular file ({kind})")
    if info.st_size > limit:
        raise TooLarge(info.st_size, limit)


def _why_unreadable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return f"has a path longer than the system allows ({len(os.fsencode(path)):,} bytes)"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that leads in a loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        try:
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        except OSError:
            pass
    return f"cannot be read: {exc.strerror or exc}"
