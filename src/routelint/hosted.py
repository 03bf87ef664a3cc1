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


@functools.lru_cache(maxsize=8)
def _configs(cwd: str) -> Configs:
    """The configs seen from the working folder, once per process: a host calls once per file,
    and each folder's config is then looked up once."""
    from routelint.configs import Configs

    return Configs(cwd=Path(cwd))


def file_findings(filename: str, text: str | None = None, *, cwd: Path | None = None) -> list[Finding]:
    """The findings placed in one file, as `routelint FILE` reports them there. `text`: the file's
    text as the host read it, when it is not the file on disk (an unsaved buffer, standard
    input); otherwise the file's own bytes are read, so its encoding is honoured."""
    from routelint import config as cfg
    from routelint.onefile import display_path
    from routelint.runner import run_stdin

    folder = (cwd or Path.cwd()).absolute()
    configs = _configs(str(folder))
    path = Path(filename)
    settings = configs.for_file(path)
    linter = configs.linter(settings, cfg.resolve_today(None))
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
    outcome, _ = run_stdin(
        linter, settings, data, filename, cwd=folder, fix=False, unsafe=False, diff=False,
        listing=lambda path: _project_files(str(folder), str(path)), configs=configs,
    )
    shown = display_path(path, folder)
    return [finding for finding in outcome.findings if finding.path == shown]


def _project_files(cwd: str, path: str) -> tuple[Path, ...]:
    """The files of the project `path` is in, listed once per project and process: flake8 asks
    for every file of a tree, and listing the tree again for each was most of its time."""
    from routelint.files import project_root

    settings = _configs(cwd).for_file(Path(path))
    root = project_root([Path(path)], settings.config_file, Path(cwd))
    return _listed(cwd, str(root))


@functools.lru_cache(maxsize=8)
def _listed(cwd: str, root: str) -> tuple[Path, ...]:
    """The files under `root` that its settings govern (a sub-project with a config of its own
    is another project)."""
    from routelint.files import discover

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
