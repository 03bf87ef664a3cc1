"""A buffer (standard input with --stdin-filename, an editor's text, a plugin host's file): one
text linted or fixed as a file of its project, the fixed bytes handed back in the input's own
encoding instead of written."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Callable

from routelint.config import Settings, enabled_codes
from routelint.configs import Configs
from routelint.crossfile import stdin_project
from routelint.engine import Linter
from routelint.files import NotPython, UnreadableFile, source_from_bytes
from routelint.model import unreadable
from routelint.onefile import RunOutcome, display_path, encode_as_read, process_file


def run_stdin(
    linter: Linter, settings: Settings, data: bytes, filename: str, *, cwd: Path, fix: bool, unsafe: bool, diff: bool,
    listing: Callable[[Path], Sequence[Path]] | None = None, configs: Configs | None = None,
) -> tuple[RunOutcome, bytes | None]:
    """Lint (or fix) a buffer; for --fix, the bytes to go to standard output: the fixed text in
    the input's own encoding (its BOM and coding cookie kept), or the input as it came when it
    cannot be fixed or written back exactly (the rules fixed files follow, writes.write_atomically).
    `settings`: those of the buffer's name (`Configs.for_file`); `configs`: all of them, for the
    rest of its project."""
    outcome = RunOutcome(files_seen=1)
    path = Path(filename)
    shown = display_path(path, cwd)
    codes = enabled_codes(settings, sorted(linter.rules), path)
    try:
        source = source_from_bytes(path, data)  # a notebook when the name says .ipynb
    except NotPython as exc:
        outcome = RunOutcome(warnings=[f"warning: skipped {shown}: it {exc}"])
        return outcome, data if fix else None
    except UnreadableFile as exc:
        outcome.findings.append(unreadable(shown, f"cannot check this input: it {exc}"))
        return outcome, data if fix else None
    text, encoding = source.text, source.encoding
    # The buffer is a file of its project: names it imports, and its names other files use.
    table, incoming, elsewhere = stdin_project(linter, settings, source, shown, codes, cwd, listing, configs) if filename != "-" else (None, (), None)
    if elsewhere is not None:
        outcome.merge(elsewhere)
    test_file = settings.is_test_file(Path(filename)) if filename != "-" else False
    if fix and encode_as_read(source, text) != data:
        outcome.errors.append(f"{shown}: {encoding} does not give back the input's own bytes; left unchanged")
        fix = False
        if not diff:
            process_file(linter, source, shown, codes, outcome, fix=False, unsafe=unsafe, diff=False, project=table, incoming=incoming, test_file=test_file)
            return outcome, data
    fixed_text, _, _ = process_file(
        linter, source, shown, codes, outcome, fix=fix or diff, unsafe=unsafe, diff=diff, write=False, project=table,
        incoming=incoming, test_file=test_file,
    )
    if not fix:
        return outcome, None
    encoded = encode_as_read(source, fixed_text)
    if encoded is None:  # a fix the input's encoding cannot hold: nothing is applied
        unchanged = RunOutcome(files_seen=1, errors=[f"{shown}: the fixed text cannot be written in {encoding}; left unchanged"])
        if elsewhere is not None:
            unchanged.merge(elsewhere)
        process_file(linter, source, shown, codes, unchanged, fix=False, unsafe=unsafe, diff=False, project=table, incoming=incoming, test_file=test_file)
        return unchanged, data
    return outcome, encoded
