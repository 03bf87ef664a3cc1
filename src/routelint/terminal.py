"""Output for people on a terminal: the one-line form, ruff-style full output, statistics.

Colour is applied through a `style` function (click.style, or `plain`); the caller decides
whether colour is wanted (a terminal, no NO_COLOR), so these functions never look at streams.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Callable

from routelint.formats import SourceLines
from routelint.model import Finding
from routelint.notebooks import CellIndex

TAB_WIDTH = 4

Style = Callable[..., str]


def plain(text: str, **_: object) -> str:
    """The style when colour is off (not a terminal, or NO_COLOR): the text unchanged."""
    return text


# --- concise and full -------------------------------------------------------------------------


def place(finding: Finding, cells: CellIndex | None) -> str:
    """`line:col`; in a notebook `cell N:line:col`, as ruff names it (the line within the cell)."""
    if cells is None:
        return f"{finding.start[0]}:{finding.start[1]}"
    cell, line, column = cells.cell_place(finding.start)
    return f"cell {cell}:{line}:{column}"


def _fixable_mark(finding: Finding, style: Style) -> str:
    """`[*] ` before the message of a finding `--fix` would fix, as ruff marks it."""
    if finding.fix is not None and finding.fix.applicability == "safe":
        return style("[*]", fg="cyan") + " "
    return ""


def concise_line(finding: Finding, style: Style = plain, cells: CellIndex | None = None) -> str:
    """`path:line:col: CODE message`: the text format of issue 2, coloured only if asked."""
    colour = "red" if finding.severity == "error" else "yellow"
    return (
        f"{style(finding.path, bold=True)}:{place(finding, cells)}: "
        f"{style(finding.code, fg=colour, bold=True)} {_fixable_mark(finding, style)}{finding.message}"
    )


def full(
    findings: Sequence[Finding], *, sources: Mapping[str, str], style: Style = plain, notebooks: Mapping[str, CellIndex] | None = None
) -> list[str]:
    """Each finding as in ruff's full output: the line, a caret run under the string, the fix."""
    lines = {path: SourceLines(text) for path, text in sources.items()}
    notebooks = notebooks or {}
    blocks = []
    for finding in findings:
        cells = notebooks.get(finding.path)
        block = [concise_line(finding, style, cells)]
        source = lines.get(finding.path)
        if source is not None:
            shown_line = cells.cell_place(finding.start)[1] if cells is not None else finding.start[0]
            block.extend(_snippet(finding, source, style, shown_line))
        gutter = " " * (len(str(cells.cell_place(finding.start)[1] if cells else finding.start[0])) + 1)
        if finding.fix is not None:
            how = "" if finding.fix.applicability == "safe" else " (unsafe fix: --fix --unsafe-fixes)"
            block.append(f"{gutter}= {style('help', fg='cyan', bold=True)}: {finding.fix.message}{how}")
        if finding.note:
            block.append(f"{gutter}= {style('note', bold=True)}: {finding.note}")
        if finding.source:
            block.append(f"{gutter}= {style('source', bold=True)}: {finding.source}")
        blocks.append("\n".join(block) + "\n")
    return blocks


def _snippet(finding: Finding, source: SourceLines, style: Style, shown_line: int) -> list[str]:
    """The finding's line as the gutter numbers it (`shown_line`: in a notebook, the cell's)."""
    number = finding.start[0]
    text = source.line(number)
    start = finding.start[1] - 1
    stop = finding.end[1] - 1 if finding.end[0] == number else len(text)
    width = len(str(shown_line))
    bar = style("|", fg="blue", bold=True)
    pad = " " * (width + 1)
    shown = _expand(text)
    carets = "^" * max(1, _width(text[start:stop], _width(text[:start])))
    colour = "red" if finding.severity == "error" else "yellow"
    under = " " * _width(text[:start]) + style(f"{carets} {finding.code}", fg=colour, bold=True)
    return [
        f"{pad}{bar}",
        f"{style(str(shown_line), fg='blue', bold=True)} {bar} {shown}".rstrip(),
        f"{pad}{bar} {under}",
        f"{pad}{bar}",
    ]


def _expand(text: str) -> str:
    out: list[str] = []
    column = 0
    for ch in text:
        if ch == "\t":
            step = TAB_WIDTH - column % TAB_WIDTH
            out.append(" " * step)
            column += step
        else:
            out.append(ch)
            column += _char_width(ch)
    return "".join(out)


def _width(text: str, column: int = 0) -> int:
    """Terminal cells `text` takes when it starts at `column` (tabs, wide and combining chars)."""
    start = column
    for ch in text:
        column += TAB_WIDTH - column % TAB_WIDTH if ch == "\t" else _char_width(ch)
    return column - start


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# --- statistics -------------------------------------------------------------------------------


def statistics_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    count_width = max(len(str(row["count"])) for row in rows)
    name_width = max(len(row["name"]) for row in rows)
    out = []
    for row in rows:
        notes = []
        if row["fixable"]:
            notes.append(f"{row['fixable']} fixable")
        if row["unsafe_fixable"]:
            notes.append(f"{row['unsafe_fixable']} with --unsafe-fixes")
        note = f"  ({', '.join(notes)})" if notes else ""
        line = f"{row['count']:>{count_width}}  {row['code']}  {row['name']:<{name_width}}{note}"
        out.append(line.rstrip())
    return out
