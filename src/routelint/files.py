"""Read and decode the files to lint: regular files only, size refused from `stat`, a BOM and a
PEP 263 cookie honoured as Python does, notebooks as their code (finding them is discovery.py's,
writing fixed text back writes.py's)."""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routelint.notebooks import Notebook

from routelint.lines import first_lines

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
        raise UnreadableFile(why_unreadable(path, exc)) from exc  # the cause says whether it exists at all
    try:
        with open(descriptor, "rb") as stream:
            info = os.fstat(descriptor)
            _check_kind(info, limit)
            if _O_NONBLOCK:
                os.set_blocking(descriptor, True)
            data = stream.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(why_unreadable(path, exc)) from exc
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


def why_unreadable(path: Path, exc: OSError) -> str:
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
