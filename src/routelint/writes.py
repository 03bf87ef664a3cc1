"""Write fixed text back to a file without losing a byte outside the fix."""
from __future__ import annotations

import os
import stat
import tempfile

from routelint.files import SourceFile, UnreadableFile, decode


class ChangedOnDisk(Exception):
    """The file changed since it was read: a fix would overwrite someone's work."""


class CannotWrite(Exception):
    """Writing the fixed text would change more than the fix (the file's encoding cannot hold it,
    or does not give back the file's own bytes); the file is left untouched."""


def write_atomically(original: SourceFile, text: str) -> None:
    """Temporary file in the same folder, then rename; keeps mode bits, encoding and BOM.

    Only a file whose bytes are exactly its text encoded again is written, so that every byte
    outside the fix stays as it was (an encoding such as utf-7 or unicode_escape may not).
    """
    target = original.path.resolve()  # a symlink stays a symlink: we write the file it names
    current = target.read_bytes()
    if current != _encode(original, original.text):
        try:
            unchanged = decode(current, str(target))[0] == original.text
        except UnreadableFile:
            unchanged = False
        if not unchanged:
            raise ChangedOnDisk(f"{original.path}: changed on disk since it was read; left untouched")
        raise CannotWrite(f"{original.path}: {original.encoding} does not give back the file's own bytes; left untouched")
    data = _encode(original, text)
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".routelint", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


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
