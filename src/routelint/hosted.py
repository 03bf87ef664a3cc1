"""routelint run by another linter (flake8, Fixit): one file at a time, through the same driver as
a buffer on standard input, so a file still sees the rest of its project.

The host hands over one file's text. Its findings are the ones placed in that file: a model
string used here whose literal is in another file is reported when the host checks that file
(the project's other files are read for it), which is where its fix goes.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routelint.config import Settings
    from routelint.engine import Finding, Linter


@functools.lru_cache(maxsize=8)
def _setup(cwd: str, today: dt.date) -> tuple[Settings, Linter]:
    """The settings (the config found from the working folder, as the command line finds it)
    and the linter, once per process: a host calls once per file."""
    from routelint import config as cfg
    from routelint.engine import Linter

    settings = cfg.load_settings(None, cwd=Path(cwd))
    return settings, Linter.for_settings(settings, today)


def file_findings(filename: str, text: str | None = None, *, cwd: Path | None = None) -> list[Finding]:
    """The findings placed in one file, as `routelint FILE` reports them there. `text`: the file's
    text as the host read it, when it is not the file on disk (an unsaved buffer, standard
    input); otherwise the file's own bytes are read, so its encoding is honoured."""
    from routelint import config as cfg
    from routelint.onefile import display_path
    from routelint.runner import run_stdin

    folder = (cwd or Path.cwd()).absolute()
    settings, linter = _setup(str(folder), cfg.resolve_today(None))
    path = Path(filename)
    data = None
    if text is None or _same_text(path, text):
        try:
            data = path.read_bytes()
        except OSError:
            data = None
    if data is None:
        if text is None:
            return []
        data = text.encode("utf-8", "surrogatepass")
    listing = functools.partial(_project_files, str(folder), today=cfg.resolve_today(None))
    outcome, _ = run_stdin(
        linter, settings, data, filename, cwd=folder, fix=False, unsafe=False, diff=False, listing=lambda path: listing(str(path))
    )
    shown = display_path(path, folder)
    return [finding for finding in outcome.findings if finding.path == shown]


def _project_files(cwd: str, path: str, *, today: dt.date) -> tuple[Path, ...]:
    """The files of the project `path` is in, listed once per project and process: flake8 asks
    for every file of a tree, and listing the tree again for each was most of its time."""
    from routelint.files import project_root

    settings, _linter = _setup(cwd, today)
    root = project_root([Path(path)], settings.config_file, Path(cwd))
    return _listed(cwd, str(root), today)


@functools.lru_cache(maxsize=8)
def _listed(cwd: str, root: str, today: dt.date) -> tuple[Path, ...]:
    from routelint.files import discover

    settings, _linter = _setup(cwd, today)
    found = discover([Path(root)], settings.exclude_patterns(), force_exclude=True, problems=[], selection=settings.selection())
    return tuple(path for path, _named in found)


def _same_text(path: Path, text: str) -> bool:
    """Whether the file on disk holds `text` (then its bytes, with their encoding, are used)."""
    from routelint.files import UnreadableFile, read_source

    try:
        return read_source(path).text == text
    except (UnreadableFile, OSError):
        return False
