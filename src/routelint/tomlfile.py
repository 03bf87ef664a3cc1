"""The one TOML reader: the config, the catalog and the catalog generator read through it, so a
file that is missing, not UTF-8, malformed or nested too deeply is said the same way everywhere
(the caller turns `TomlError` into its own error: a config or a catalog error)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib


class TomlError(Exception):
    """A TOML file that cannot be read or parsed; the message names the file."""


def read_toml(path: Path, *, what: str = "") -> dict[str, Any]:
    """The file's table. `what` names the kind of file in the message ("catalog file")."""
    return parse_toml(path, read_toml_bytes(path, what=what))


def read_toml_bytes(path: Path, *, what: str = "") -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TomlError(f"{path}: cannot read{' ' + what if what else ''}: {exc.strerror or exc}") from None


def parse_toml(path: Path | str, raw: bytes | str) -> dict[str, Any]:
    """`raw` (the bytes or text of `path`) as a table."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise TomlError(f"{path}: invalid TOML: not UTF-8 (byte {exc.start})") from None
    try:
        table: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise TomlError(f"{path}: invalid TOML: nested too deeply") from None
    return table
