"""What the language server sends, made from what the engine found: findings as LSP diagnostics,
fixes as text edits, in the client's position units.

The engine places a finding in its module text by (line, column), 1-based, counting code points,
and an edit also by character offsets. LSP counts lines from 0 and columns in the encoding the
client and server agreed on (UTF-16 code units unless the client offers another), so a column
is the length, in those units, of the line's text before it. A notebook's module text is its
code cells joined (notebooks.py): a place in it is a place in one cell, whose document has a URI
of its own.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from routelint.lines import line_column, line_starts, split_lines

if TYPE_CHECKING:
    from routelint.model import Edit, Finding
    from routelint.notebooks import Notebook

SOURCE = "routelint"
SEVERITIES = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "note": lsp.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class Snapshot:
    """One document's findings and the text they were made from. `cells`: for a notebook, each
    cell's (URI, text) in the notebook's order, markdown cells included (the engine numbers the
    cells among all of them)."""

    uri: str
    version: int | None
    text: str  # the module text the findings' places refer to
    findings: tuple[Finding, ...]
    cwd: Path
    cells: tuple[tuple[str, str], ...] = ()
    notebook: Notebook | None = None
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def uris(self) -> tuple[str, ...]:
        """The documents diagnostics are published for."""
        return tuple(uri for uri, _ in self.cells) if self.cells else (self.uri,)

    def place(self, line: int, column: int, units: Callable[[str], int]) -> tuple[str, lsp.Position]:
        """The document and LSP position of a (line, column) of the module text."""
        uri, text = self.uri, self.text
        if self.notebook is not None and self.cells:
            try:
                cell, line, column = self.notebook.locate(line, column)
                uri, text = self.cells[cell - 1]
            except (ValueError, IndexError):  # a file-wide finding (too large): the first cell
                uri, text, line, column = self.cells[0][0], self.cells[0][1], 1, 1
        lines = split_lines(text)
        if line > len(lines):
            return uri, lsp.Position(max(len(lines) - 1, 0), units(lines[-1]) if lines else 0)
        return uri, lsp.Position(line - 1, units(lines[line - 1][: column - 1]))

    def offset_place(self, offset: int, units: Callable[[str], int]) -> tuple[str, lsp.Position]:
        if not self._starts:
            self._starts.extend(line_starts(self.text))
        return self.place(*line_column(self._starts, offset), units)

    def range(self, start: tuple[int, int], end: tuple[int, int], units: Callable[[str], int]) -> tuple[str, lsp.Range]:
        uri, low = self.place(*start, units)
        end_uri, high = self.place(*end, units)
        return uri, lsp.Range(low, high if end_uri == uri else low)


def diagnostic(snapshot: Snapshot, finding: Finding, units: Callable[[str], int]) -> tuple[str, lsp.Diagnostic]:
    """The finding as a diagnostic, and the document it is in. A finding about a use in another
    file (a constant sent to the wrong API there) names that call as related information."""
    uri, where = snapshot.range(finding.start, finding.end, units)
    related = None
    if finding.used_in is not None:
        related = [lsp.DiagnosticRelatedInformation(_call_location(snapshot.cwd, finding), "the call this value reaches")]
    return uri, lsp.Diagnostic(
        range=where,
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, lsp.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=lsp.CodeDescription(href=finding.url),
        source=SOURCE,
        related_information=related,
    )


def _call_location(cwd: Path, finding: Finding) -> lsp.Location:
    """The call in `finding.used_in`: the message names it as `path:line` (judge.shared_uses)."""
    assert finding.used_in is not None
    found = re.search(re.escape(finding.used_in) + r":(\d+)\b", finding.message)
    line = int(found.group(1)) - 1 if found else 0
    start = lsp.Position(line, 0)
    return lsp.Location((cwd / finding.used_in).absolute().as_uri(), lsp.Range(start, start))


def text_edits(snapshot: Snapshot, edits: Sequence[Edit], units: Callable[[str], int]) -> dict[str, list[lsp.TextEdit]]:
    """The engine's edits (character offsets into the module text) per document."""
    out: dict[str, list[lsp.TextEdit]] = {}
    for edit in edits:
        uri, low = snapshot.offset_place(edit.offsets[0], units)
        end_uri, high = snapshot.offset_place(edit.offsets[1], units)
        if end_uri != uri:  # an edit never crosses cells (each is inside one literal or line)
            continue
        out.setdefault(uri, []).append(lsp.TextEdit(lsp.Range(low, high), edit.content))
    return out


def replacement(snapshot: Snapshot, new_text: str, units: Callable[[str], int]) -> dict[str, list[lsp.TextEdit]]:
    """The one edit that turns the module text into `new_text`: the part between their common
    start and common end (a whole-document edit would move the client's cursor and folds)."""
    from routelint.model import Edit

    old = snapshot.text
    if old == new_text:
        return {}
    head = 0
    limit = min(len(old), len(new_text))
    while head < limit and old[head] == new_text[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new_text[len(new_text) - 1 - tail]:
        tail += 1
    edit = Edit(new_text[head : len(new_text) - tail], (0, 0), (0, 0), (head, len(old) - tail))
    return text_edits(snapshot, [edit], units)
