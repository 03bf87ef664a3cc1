"""routelint run by another linter (flake8, Fixit): one file at a time, through the same driver as
a buffer on standard input, so a file still sees the rest of its project.

The host hands over one file's text. Its findings are the ones placed in that file: a model
string used here whose literal is in another file is reported when the host checks that file
(the project's other files are read for it), which is where its fix goes. Each file is checked
with the settings of the nearest config above it, as the command line checks it (configs.py).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routelint.configs import Configs
    from routelint.model import Finding
    from routelint.onefile import RunOutcome


@functools.lru_cache(maxsize=8)
def _configs(cwd: str) -> Configs:
    """The configs seen from the working folder, once per process: a host calls once per file,
    and each folder's config is then looked up once."""
    from routelint.configs import Configs

    return Configs(cwd=Path(cwd))


def file_findings(
    filename: str, text: str | None = None, *, cwd: Path | None = None, today: str | None = None,
) -> list[Finding]:
    """The findings placed in one file, as `routelint FILE` reports them there. `text`: the file's
    text as the host read it, when it is not the file on disk (an unsaved buffer, standard
    input); otherwise the file's own bytes are read, so its encoding is honoured. `today`: as
    `--today` (default: ROUTELINT_TODAY, else today)."""
    from routelint.onefile import display_path

    found = _run(filename, text, cwd=cwd, today=today, fix=False, unsafe=False)
    if found is None:
        return []
    outcome, _ = found
    shown = display_path(Path(filename), (cwd or Path.cwd()).absolute())
    return [finding for finding in outcome.findings if finding.path == shown]


def file_fixed(filename: str, text: str, *, cwd: Path | None = None, today: str | None = None, unsafe: bool = False) -> str | None:
    """The text `routelint --fix` (with `unsafe`, `--unsafe-fixes`) makes of one buffer, through
    the same driver as `--stdin-filename`; None when it cannot be fixed (its encoding cannot
    hold the fix) or is not Python. Nothing is written."""
    from routelint.files import UnreadableFile, source_from_bytes

    found = _run(filename, text, cwd=cwd, today=today, fix=True, unsafe=unsafe, prefer_disk=False)
    if found is None:
        return None
    outcome, fixed = found
    if fixed is None or outcome.errors:
        return None
    try:
        return source_from_bytes(Path(filename), fixed).text
    except UnreadableFile:
        return None


def _run(
    filename: str, text: str | None, *, cwd: Path | None, today: str | None, fix: bool, unsafe: bool, prefer_disk: bool = True,
) -> tuple[RunOutcome, bytes | None] | None:
    from routelint import config as cfg
    from routelint.buffer import run_stdin

    folder = (cwd or Path.cwd()).absolute()
    configs = _configs(str(folder))
    path = Path(filename)
    settings = configs.for_file(path)
    linter = configs.linter(settings, cfg.resolve_today(today))
    data = None
    if text is None or (prefer_disk and _same_text(path, text)):
        try:
            data = path.read_bytes()
        except OSError:
            data = None
    if data is None:
        if text is None:
            return None
        data = text.encode("utf-8", "surrogatepass")
    return run_stdin(
        linter, settings, data, filename, cwd=folder, fix=fix, unsafe=unsafe, diff=False,
        listing=lambda path: _project_files(str(folder), str(path)), configs=configs,
    )


def _project_files(cwd: str, path: str) -> tuple[Path, ...]:
    """The files of the project `path` is in, listed once per project and process: flake8 asks
    for every file of a tree, and listing the tree again for each was most of its time."""
    from routelint.discovery import project_root

    settings = _configs(cwd).for_file(Path(path))
    root = project_root([Path(path)], settings.config_file, Path(cwd))
    return _listed(cwd, str(root))


def forget_listings() -> None:
    """A file was saved, maybe new to its project: list the projects again at the next check."""
    _listed.cache_clear()


@functools.lru_cache(maxsize=8)
def _listed(cwd: str, root: str) -> tuple[Path, ...]:
    """The files under `root` that its settings govern (a sub-project with a config of its own
    is another project)."""
    from routelint.discovery import discover

    configs = _configs(cwd)
    settings = configs.for_folder(Path(root))
    found = discover([Path(root)], (), force_exclude=True, problems=[], governed=configs.rules)
    return tuple(path for path, _named in found if configs.for_file(path) is settings)


def _same_text(path: Path, text: str) -> bool:
    """Whether the file on disk holds `text` (then its bytes, with their encoding, are used)."""
    from routelint.files import UnreadableFile, read_source

    try:
        return read_source(path).text == text
    except (UnreadableFile, OSError):
        return False
