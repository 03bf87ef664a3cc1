"""Write fixed text back to a file without losing a byte outside the fix, or anything the file
is besides its bytes: its hard links, owner, group, mode, extended attributes and ACLs."""
from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from routelint.files import SourceFile, UnreadableFile, decode, read_bytes


class ChangedOnDisk(Exception):
    """The file changed since it was read: a fix would overwrite someone's work."""


class CannotWrite(Exception):
    """Writing the fixed text would change more than the fix (the file's encoding cannot hold it,
    or does not give back the file's own bytes), or the user may not write the file; the file
    is left untouched."""


class _KeepsLess(Exception):
    """The temporary file cannot be given everything the file has (another owner, an attribute
    only a privileged process may set): the file is written through in place instead."""


def write_atomically(original: SourceFile, text: str) -> None:
    """Write `text` over the file `original` was read from, in its encoding and BOM.

    Only a file whose bytes are exactly its text encoded again is written, so that every byte
    outside the fix stays as it was (an encoding such as utf-7 or unicode_escape may not). A file
    the user may not write is refused (CannotWrite), even when its folder would let a rename
    replace it. A symbolic link stays a link: the file it names is written.

    How: a temporary file in the same folder gets the new bytes and the file's mode, owner, group
    and extended attributes (ACLs are the system.posix_acl_* attributes), then replaces the file
    by a rename, so that a reader sees the old file or the new one, never half of one. A file with
    several hard links is written through in place instead (truncated and rewritten through its
    one inode), because a rename would split it from its other names; so is a file whose owner
    or attributes the temporary file cannot be given (only root may give a file to another
    user). Space is reserved before an in-place write, but a crash in the middle of one leaves
    the file half written: that is the price of keeping the links.

    The file is checked again just before the rename (or the in-place write): the same inode,
    size, mtime and ctime as when it was compared, and the same bytes. What remains is the time
    between that check and the rename, a few system calls, and a writer that already holds the
    file open: its later writes go to the replaced inode (after a rename) or interleave with ours
    (in place). Only a lock the editor honours too could close that, and editors take none.
    """
    target = original.path.resolve()
    try:
        current, before = read_bytes(target)
    except UnreadableFile as exc:
        raise ChangedOnDisk(f"{original.path}: changed on disk since it was read ({exc}); left untouched") from None
    if current != _encode(original, original.text):
        try:
            unchanged = decode(current, str(target))[0] == original.text
        except UnreadableFile:
            unchanged = False
        if not unchanged:
            raise ChangedOnDisk(f"{original.path}: changed on disk since it was read; left untouched")
        raise CannotWrite(f"{original.path}: {original.encoding} does not give back the file's own bytes; left untouched")
    if not os.access(target, os.W_OK):
        raise CannotWrite(f"{original.path}: you may not write this file (its mode, owner or file system says so); left untouched")
    data = _encode(original, text)
    expected = _Expected(original.path, before, hashlib.sha256(current).digest())
    if before.st_nlink > 1:
        _write_in_place(target, data, expected)
        return
    try:
        _replace(target, data, before, expected)
    except _KeepsLess:
        _write_in_place(target, data, expected)


@dataclass(frozen=True)
class _Expected:
    """What the file was when it was compared with the text that was fixed; `check` raises
    ChangedOnDisk when the file is no longer that."""

    shown: Path
    info: os.stat_result
    digest: bytes  # sha256 of its bytes

    def check(self, info: os.stat_result, data: bytes) -> None:
        fields = ("st_dev", "st_ino", "st_size", "st_mtime_ns", "st_ctime_ns")
        if any(getattr(info, name) != getattr(self.info, name) for name in fields) or hashlib.sha256(data).digest() != self.digest:
            raise ChangedOnDisk(f"{self.shown}: changed on disk while it was being fixed; left untouched")


def _replace(target: Path, data: bytes, before: os.stat_result, expected: _Expected) -> None:
    def fill(stream: BinaryIO, temporary: str) -> None:
        stream.write(data)
        stream.flush()
        _copy_metadata(target, stream.fileno(), temporary, before)
        try:
            current, now = read_bytes(target)
        except UnreadableFile as exc:
            raise ChangedOnDisk(f"{expected.shown}: changed on disk while it was being fixed ({exc}); left untouched") from None
        expected.check(now, current)

    replace_atomically(target, fill)


def replace_atomically(target: Path, fill: Callable[[BinaryIO, str], object], *, prefix: str | None = None, suffix: str = ".routelint") -> None:
    """The one atomic writer: `fill(stream, name)` writes a temporary file in `target`'s folder
    (and may check, or give it attributes, before it counts), which then replaces `target` by a
    rename; whatever goes wrong, no temporary file is left behind. Fixed sources and the cache
    are both written so."""
    handle, temporary = tempfile.mkstemp(prefix=prefix if prefix is not None else f".{target.name}.", suffix=suffix, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            fill(stream, temporary)
        os.replace(temporary, target)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise


def _copy_metadata(source: Path, descriptor: int, temporary: str, before: os.stat_result) -> None:
    """Give the open temporary file the extended attributes, owner, group and mode of `source`,
    in that order: setting an ACL attribute needs its owner, a change of owner clears the
    set-user-ID and set-group-ID bits, and only then is the mode final."""
    if hasattr(os, "listxattr"):  # Linux
        try:
            wanted = {name: os.getxattr(source, name) for name in _xattrs(source)}
            present = set(_xattrs(descriptor))
            for name in sorted(present - set(wanted)):
                os.removexattr(descriptor, name)  # inherited, e.g. from the folder's default ACL
            for name, value in wanted.items():
                if name not in present or os.getxattr(descriptor, name) != value:
                    os.setxattr(descriptor, name, value)
        except OSError as exc:
            raise _KeepsLess(str(exc)) from None
    if hasattr(os, "fchown"):
        now = os.fstat(descriptor)
        if (now.st_uid, now.st_gid) != (before.st_uid, before.st_gid):
            try:
                os.fchown(descriptor, before.st_uid, before.st_gid)
            except OSError as exc:  # only root may give a file away
                raise _KeepsLess(str(exc)) from None
    os.chmod(descriptor if os.chmod in os.supports_fd else temporary, stat.S_IMODE(before.st_mode))


def _xattrs(where: Path | int) -> list[str]:
    """The extended attributes' names; none on a file system that has none (not a reason to
    give up the rename)."""
    try:
        return os.listxattr(where)
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            return []
        raise


def _write_in_place(target: Path, data: bytes, expected: _Expected) -> None:
    """Rewrite the file's one inode: every name, owner and attribute stays."""
    descriptor = os.open(target, os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
    with open(descriptor, "r+b") as stream:
        current = stream.read(expected.info.st_size + 1)
        expected.check(os.fstat(descriptor), current)
        if len(data) > len(current) and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(descriptor, 0, len(data))  # a full disk fails here, before a byte is written
            except OSError as exc:
                if exc.errno not in _UNSUPPORTED:
                    raise
        stream.seek(0)
        stream.write(data)
        stream.truncate(len(data))


_UNSUPPORTED = {getattr(errno, name, -1) for name in ("EOPNOTSUPP", "ENOTSUP", "EINVAL")}  # the file system cannot


def _encode(original: SourceFile, text: str) -> bytes:
    if original.notebook is not None:  # the notebook's own bytes, with only the fixed strings changed
        from routelint.notebooks import NotebookError, write_fixed

        try:
            return write_fixed(original.data, original.notebook, text)
        except NotebookError as exc:
            raise CannotWrite(f"{original.path}: {exc}") from None
    try:
        return text.encode(original.encoding)
    except (UnicodeError, LookupError) as exc:
        raise CannotWrite(f"{original.path}: the fixed text cannot be written in {original.encoding} ({exc}); left untouched") from None
