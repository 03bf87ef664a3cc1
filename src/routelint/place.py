"""The place stage: findings at source offsets (never from a rendering of the code), a
notebook's lines named by cell, and the one way an edit is made."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from routelint import lines
from routelint.lines import line_column
from routelint.model import Edit, Finding, Fix

if TYPE_CHECKING:
    from types import ModuleType

    from routelint.notebooks import CellIndex
    from routelint.positions import Span
    from routelint.rule import Problem
    from routelint.suppress import Unused

UNUSED_SUPPRESSION = "RL100"


def line_phrase(line: int, cells: CellIndex | None) -> str:
    """`line 12`; in a notebook, `cell 3, line 2` (the module text's lines are the cells')."""
    if cells is None:
        return f"line {line}"
    cell, row, _ = cells.cell_place((line, 1))
    return f"cell {cell}, line {row}"


def site_phrase(line: int, cells: CellIndex | None) -> str:
    """The line part of a `path:line` call site: `12`, or `cell 3:2` as ruff names a notebook's."""
    if cells is None:
        return str(line)
    cell, row, _ = cells.cell_place((line, 1))
    return f"cell {cell}:{row}"


def locate(
    where: Mapping[int, Span], source: str, starts: Sequence[int], path: str, problems: Sequence[Problem], rules: Mapping[str, ModuleType],
    cells: CellIndex | None = None,
) -> list[Finding]:
    """Findings at the source offsets of the nodes that produced them; a `span` narrows one to
    the model's characters inside a longer literal (a URL's query)."""
    findings = []
    for problem in problems:
        found = where[id(problem.node)]
        start, end = found.start, found.end
        if problem.span is not None:
            start, end = found.start + problem.span[0], found.start + problem.span[1]
        line, column = line_column(starts, start)
        message = problem.message
        if "{at}" in message:
            if problem.call_site is not None:
                message = message.replace("{at}", f" at {problem.call_site}")
            call_line = line_column(starts, where[id(problem.call_node)].start)[0] if problem.call_node is not None else None
            message = message.replace("{at}", f" at {line_phrase(call_line, cells)}" if call_line and call_line != line else "")
        fix = None
        if problem.suggestion is not None and found.exact:
            token = problem.node.value  # type: ignore[attr-defined]
            if problem.span is not None:
                edit = checked_edit(source, start, end, token[problem.span[0] : problem.span[1]], problem.suggestion.value, starts)
            elif fits_literal(problem.suggestion.value, problem.node):
                opening = token[: len(problem.node.prefix) + len(problem.node.quote)]  # type: ignore[attr-defined]
                content = opening + problem.suggestion.value + problem.node.quote  # type: ignore[attr-defined]
                edit = checked_edit(source, start, end, token, content, starts)
            else:
                edit = None
            if edit is not None:
                fix = Fix(problem.suggestion.applicability, problem.suggestion.message, (edit,))
        rule = rules[problem.code]
        findings.append(
            Finding(
                problem.code, rule.NAME, problem.severity, message, path, (line, column), line_column(starts, end), fix,
                problem.source, problem.note, problem.origin,
            )
        )
    return findings


def unused_finding(
    unused: Unused, source: str, path: str, rules: Mapping[str, ModuleType], cells: CellIndex | None
) -> Finding:
    starts = lines.line_starts(source)
    codes = ", ".join(unused.codes)
    spare = [c for c in unused.codes if c not in unused.unknown]
    parts = [f"{', '.join(spare)} {'silence' if len(spare) > 1 else 'silences'} nothing on this line"] if spare else []
    if unused.unknown:
        parts.append(f"{', '.join(unused.unknown)} {'are not routelint rules' if len(unused.unknown) > 1 else 'is not a routelint rule'}")
    message = "unused suppression: " + "; ".join(parts)
    fix = None
    if unused.edit is not None:
        start, end, content = unused.edit
        edit = Edit(content, line_column(starts, start), line_column(starts, end), (start, end))
        fix = Fix("safe", f"remove {codes} from the directive" if content else "remove the directive", (edit,))
    rule = rules[UNUSED_SUPPRESSION]
    return Finding(
        UNUSED_SUPPRESSION, rule.NAME, rule.SEVERITY, message, path,
        line_column(starts, unused.start), line_column(starts, unused.end), fix,
    )


def checked_edit(source: str, start: int, end: int, judged: str, content: str, starts: Sequence[int]) -> Edit | None:
    """The one way an edit is made: only where the source holds exactly the text that was judged,
    and only when it changes something."""
    if source[start:end] != judged or content == judged:
        return None
    return Edit(content, line_column(starts, start), line_column(starts, end), (start, end))


def fits_literal(value: str, node: object) -> bool:
    """Only a plain literal whose new content needs no escaping is rewritten (so raw and
    non-raw strings both stay exact)."""
    import libcst as cst

    if not isinstance(node, cst.SimpleString):
        return False
    return value.isprintable() and "\\" not in value and node.quote[0] not in value
