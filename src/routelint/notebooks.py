"""Jupyter notebooks as a source: the code cells as one Python module, and fixes written back.

`read_notebook` joins the code cells into one text (a name bound in one cell counts in the
next, as in the kernel), with IPython's own syntax masked (notebook_magics.py), so that the
engine lints a notebook as it lints a .py file. Each cell starts on a new line; `Notebook.locate`
maps a position in that text back to (cell, line in the cell, column), and columns never move:
masking changes only the lines it masks. Cells are numbered as ruff numbers them in `cell N`:
1-based among all the notebook's cells, markdown and raw cells included (ruff_notebook's
`NotebookIndex` keeps each code cell's `raw_cell_index`).

`write_fixed` takes that text after the engine's fixes and rewrites only the changed characters
inside the cells' JSON strings (notebook_json.py): everything else stays byte for byte.

Pure: bytes in, values out.
"""
from __future__ import annotations

import bisect
import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from routelint import lines
from routelint.notebook_json import (
    NotebookError,
    Piece,
    decode,
    escape,
    raw_offsets,
    read_document,
    replace_spans,
    scanstring,
    writes_ascii,
)
from routelint.notebook_magics import prepare_cell

__all__ = ["Cell", "CellIndex", "Notebook", "NotebookError", "cell_index", "read_notebook", "write_fixed"]


@dataclass(frozen=True)
class Cell:
    """One code cell as it sits in `Notebook.text`."""

    index: int  # 1-based among all cells of the notebook, as ruff's `cell N`
    first_line: int  # 1-based line of its first line in Notebook.text
    line_count: int  # an empty cell is one (empty) line


@dataclass(frozen=True)
class Notebook:
    text: str  # the code cells as one module, IPython syntax masked, each cell ending with a line break
    cells: tuple[Cell, ...]
    # (cell index, line in the cell, message) for each cell that does not parse even masked: it
    # is blank (only its line breaks) in `text`, so that the other cells are still linted.
    problems: tuple[tuple[int, int, str], ...] = ()
    # metadata.language_info.name, else metadata.kernelspec.language; None when neither is given.
    language: str | None = None
    # The JSON strings each code cell's source is made of (for write_fixed).
    pieces: tuple[tuple[Piece, ...], ...] = field(default=(), repr=False, compare=False)

    def locate(self, line: int, column: int) -> tuple[int, int, int]:
        """(cell index, line in the cell, column) of a (line, column) of `text`, all 1-based."""
        if not self.cells or line < 1:
            raise ValueError(f"line {line} is in no cell")
        return self.index.cell_place((line, column))

    @functools.cached_property
    def index(self) -> CellIndex:
        """The cells, for naming places in messages and output (no file positions)."""
        return CellIndex(self.cells)

    @property
    def written_text(self) -> str:
        """The code cells as written, IPython syntax and cells that do not parse included: line
        for line and column for column the same places as `text`, for showing a finding's line."""
        sources = ("".join(p.value for p in pieces) for pieces in self.pieces)
        return "".join(s if s.endswith("\n") else s + "\n" for s in sources)

    @functools.cached_property
    def _first_lines(self) -> list[int]:
        return [cell.first_line for cell in self.cells]


@dataclass(frozen=True)
class CellIndex:
    """What the output needs to name a place in a notebook, as ruff's NotebookIndex: the cells,
    and for the positions of some findings, where their characters sit in the file's JSON text
    (for formats read against the file itself: SARIF, GitHub and GitLab). Small and picklable:
    it travels with the findings from worker processes."""

    cells: tuple[Cell, ...]
    in_file: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()

    def cell_place(self, position: tuple[int, int]) -> tuple[int, int, int]:
        """(cell, line in the cell, column) of a position in the notebook's module text."""
        line, column = position
        if not self.cells or line < 1:
            return (self.cells[0].index if self.cells else 1), 1, column
        cell = self.cells[max(bisect.bisect_right(self._first_lines, line) - 1, 0)]
        return cell.index, line - cell.first_line + 1, column

    def file_place(self, position: tuple[int, int]) -> tuple[int, int]:
        """(line, column) in the .ipynb file's JSON text; (1, 1) for a position not indexed."""
        return self._in_file.get(position, (1, 1))

    @functools.cached_property
    def _first_lines(self) -> list[int]:
        return [cell.first_line for cell in self.cells]

    @functools.cached_property
    def _in_file(self) -> dict[tuple[int, int], tuple[int, int]]:
        return dict(self.in_file)


def cell_index(data: bytes, notebook: Notebook, positions: Iterable[tuple[int, int]]) -> CellIndex:
    """The index of `notebook` (read from `data`), with the file positions of `positions`.

    A position in the module text is a line of a cell and a column that masking never moved;
    its character is found in the JSON string that holds it, escapes counted (raw_offsets)."""
    _, document = decode(data)
    doc_starts: list[int] | None = None
    per_cell: dict[int, tuple[str, list[int], list[int]]] = {}  # k -> (source, its line starts, string starts)
    found = []
    for position in sorted(set(positions)):
        line, column = position
        if not notebook.cells or line < 1:
            continue
        k = max(bisect.bisect_right(notebook._first_lines, line) - 1, 0)
        cell, pieces = notebook.cells[k], notebook.pieces[k]
        if not pieces or line >= cell.first_line + cell.line_count:
            continue
        if k not in per_cell:
            source = "".join(p.value for p in pieces)
            per_cell[k] = (source, lines.line_starts(source), _string_starts(pieces))
        source, source_starts, piece_starts = per_cell[k]
        row = line - cell.first_line
        if row >= len(source_starts):
            continue
        offset = min(source_starts[row] + column - 1, len(source))
        i = max(bisect.bisect_right(piece_starts, offset) - 1, 0)
        piece = pieces[i]
        within = raw_offsets(document[piece.start : piece.end])
        at = piece.start + within[min(offset - piece_starts[i], len(within) - 1)]
        if doc_starts is None:
            doc_starts = lines.line_starts(document)
        found.append((position, lines.line_column(doc_starts, at)))
    return CellIndex(notebook.cells, tuple(found))


def _string_starts(pieces: tuple[Piece, ...]) -> list[int]:
    """Where each JSON string of a cell's source starts in the joined source."""
    starts = [0]
    for piece in pieces[:-1]:
        starts.append(starts[-1] + len(piece.value))
    return starts


def read_notebook(data: bytes, name: str = "<notebook>") -> Notebook:
    """The notebook in `data` (nbformat 4, or 3); NotebookError when it is not one. `name` only
    labels the cells for Python's parser."""
    _, document = decode(data)
    parsed = read_document(document)
    texts, cells, problems, sources = [], [], [], []
    line = 1
    for index, raw in enumerate(parsed.cells, 1):
        if raw.kind != "code":
            continue
        pieces = raw.source if parsed.nbformat == 4 else raw.input
        if pieces is None:
            key = "source" if parsed.nbformat == 4 else "input"
            position = lines.line_column(lines.line_starts(document), raw.at)
            raise NotebookError(f'not a notebook: code cell {index} has no "{key}" string or list of strings', position)
        source = "".join(p.value for p in pieces)
        masked, problem = prepare_cell(source, f"{name}:cell {index}")
        if not source.endswith("\n"):  # (masking keeps line breaks, but may empty the last line)
            masked += "\n"  # after a lone "\r" too: the two make one line break, as in the cell
        count = lines.count_breaks(masked)
        if problem is not None:
            problems.append((index, min(max(problem[0], 1), count), problem[1]))
        texts.append(masked)
        cells.append(Cell(index, line, count))
        sources.append(pieces)
        line += count
    return Notebook("".join(texts), tuple(cells), tuple(problems), _language(parsed.metadata), tuple(sources))


def _language(metadata: object) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for key, name in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(name), str):
            return str(value[name])
    return None


def write_fixed(data: bytes, notebook: Notebook, fixed_text: str) -> bytes:
    """`data` with each code cell's source changed as `fixed_text` changes `notebook.text`.

    Only the changed characters are rewritten, inside the cells' JSON strings, escaped as the
    file escapes (`\\u00e9` in a file written with ensure_ascii, UTF-8 otherwise). The change
    may touch only lines the notebook holds as written (not masked IPython syntax, not a cell
    that does not parse) and must keep every line break; anything else is a NotebookError,
    never a guess."""
    if fixed_text == notebook.text:
        return data
    old_lines, new_lines = lines.split_lines(notebook.text), lines.split_lines(fixed_text)
    if len(old_lines) != len(new_lines) or lines.NEWLINE.findall(notebook.text) != lines.NEWLINE.findall(fixed_text):
        raise NotebookError("the fixed text does not keep the notebook's lines; not written")
    prefix, document = decode(data)
    edits: list[tuple[int, int, str]] = []
    ascii_only = writes_ascii(document)
    for cell, pieces in zip(notebook.cells, notebook.pieces):
        span = slice(cell.first_line - 1, cell.first_line - 1 + cell.line_count)
        if old_lines[span] != new_lines[span]:
            changes = _cell_changes(cell, "".join(p.value for p in pieces), old_lines[span], new_lines[span])
            edits += _raw_edits(document, cell, pieces, changes, ascii_only)
    return prefix + replace_spans(document, edits).encode("utf-8")


def _cell_changes(cell: Cell, source: str, old_lines: list[str], new_lines: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, new text) in the cell's source, for each changed run of characters."""
    changes: list[tuple[int, int, str]] = []
    starts = lines.line_starts(source)
    written = lines.split_lines(source)
    for k, (old, new) in enumerate(zip(old_lines, new_lines)):
        if old == new:
            continue
        if old != written[k]:
            raise NotebookError(f"cell {cell.index}, line {k + 1}: a fix changed IPython syntax or a cell that does not parse; not written")
        # Narrowed to the changed characters, so that the ones between two changed literals keep their bytes.
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                changes.append((starts[k] + i1, starts[k] + i2, new[j1:j2]))
    return changes


def _raw_edits(
    document: str, cell: Cell, pieces: tuple[Piece, ...], changes: list[tuple[int, int, str]], ascii_only: bool
) -> list[tuple[int, int, str]]:
    """The changes as edits of the document: each lands in the JSON string holding its
    characters; one that spans two strings of a source list goes to the first, and the rest of
    its old characters are removed from the next."""
    if not pieces:
        raise NotebookError(f"cell {cell.index}: a fix added text to an empty cell; not written")
    starts = _string_starts(pieces)
    offsets: dict[int, list[int]] = {}

    def raw(i: int, at: int) -> int:
        if i not in offsets:
            piece = pieces[i]
            try:
                same = scanstring(document, piece.start, True) == (piece.value, piece.end + 1)
            except ValueError:
                same = False
            if not same:
                raise NotebookError(f"cell {cell.index}: the file is not the one the notebook was read from; not written")
            offsets[i] = raw_offsets(document[piece.start : piece.end])
        return pieces[i].start + offsets[i][at - starts[i]]

    edits = []
    for start, end, new in changes:
        if start == end:  # an insertion: at a boundary, it continues the line the string before it ends
            i = max(bisect.bisect_right(starts, start) - 1, 0)
            while i > 0 and start == starts[i] and not pieces[i - 1].value.endswith(("\n", "\r")):
                i -= 1
            edits.append((raw(i, start), raw(i, start), escape(new, ascii_only=ascii_only)))
            continue
        for i in range(max(bisect.bisect_right(starts, start) - 1, 0), len(pieces)):
            if starts[i] >= end:
                break
            low, high = max(start, starts[i]), min(end, starts[i] + len(pieces[i].value))
            if low < high:
                edits.append((raw(i, low), raw(i, high), escape(new, ascii_only=ascii_only)))
                new = ""
    return edits
