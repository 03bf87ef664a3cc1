"""The Fixit rule pack: `[tool.fixit] enable = ["routelint.fixit"]` runs routelint's rules inside
`fixit lint` and `fixit fix`, one Fixit `LintRule` per routelint rule (`RL101DisplayNameAsModelId`
...), so Fixit's own selection (`enable`, `disable`, per-path overrides) picks among them.

Each file goes through `hosted.file_findings`, the driver the flake8 plugin uses: the file is
checked with its nearest routelint config (select, ignore, per-file-ignores, extend-catalog), it
sees the rest of its project (a constant imported from a settings module is judged), and
routelint's `# noqa` applies. A safe fix of a string literal becomes the violation's
replacement, which `fixit fix` applies; unsafe fixes and RL100's comment edits are reported
without one (use `routelint --fix`). Needs the `fixit` extra (`pip install 'routelint[fixit]'`).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import libcst as cst
from fixit import LintRule
from libcst.metadata import CodePosition, CodeRange, FilePathProvider, PositionProvider

from routelint.checks import ALL_CHECKS
from routelint.lines import line_starts
from routelint.model import Finding

__all__: list[str] = []  # filled below: one rule class per routelint rule


@functools.lru_cache(maxsize=4)
def _findings(path: str, text: str) -> tuple[Finding, ...]:
    """The file's findings, worked out once for all the rule classes that visit it."""
    from routelint.hosted import file_findings

    return tuple(file_findings(path, text))


@functools.lru_cache(maxsize=4)
def _file_text(path: str | None, rendered: str) -> str:
    """The text the module was read from: the file's own, when LibCST's rendering of the module
    (`Module.code`) differs from it (it drops a line of only indentation and a backslash, and
    repeats a form feed that opens a block: positions in it are not the file's), else the
    rendering (the common case, and text Fixit was handed that is not the file on disk)."""
    from routelint.files import UnreadableFile, read_source

    if path is None:
        return rendered
    try:
        on_disk = read_source(Path(path))
    except (UnreadableFile, OSError):
        return rendered
    if on_disk.text == rendered:
        return rendered
    try:  # the module is this file's only if the file parses to it (one more parse, in these files only)
        same = cst.parse_module(Path(path).read_bytes()).code == rendered
    except (cst.ParserSyntaxError, OSError, RecursionError):
        same = False
    return on_disk.text if same else rendered


def _literals(rule: LintRule, module: cst.Module) -> dict[tuple[int, int, int, int], cst.SimpleString]:
    """Each plain string literal by its (line, column, end line, end column), 1-based columns as
    routelint reports them: where a fix can be a Fixit replacement."""
    found: dict[tuple[int, int, int, int], cst.SimpleString] = {}

    class Strings(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            where = rule.get_metadata(PositionProvider, node)
            found[(where.start.line, where.start.column + 1, where.end.line, where.end.column + 1)] = node

    module.visit(Strings())
    return found


def _replacement(finding: Finding, node: cst.SimpleString, source: str) -> cst.SimpleString | None:
    """The literal with the finding's safe fix applied, when the fix changes only this literal."""
    if finding.fix is None or finding.fix.applicability != "safe":
        return None
    starts = line_starts(source)
    start = starts[finding.start[0] - 1] + finding.start[1] - 1
    end = start + len(node.value)
    if source[start:end] != node.value:
        return None
    text = node.value
    for edit in sorted(finding.fix.edits, key=lambda e: e.offsets, reverse=True):
        low, high = edit.offsets
        if not start <= low <= high <= end:
            return None
        text = text[: low - start] + edit.content + text[high - start :]
    return node.with_changes(value=text)


# A function, not a method of a base class: Fixit takes every LintRule class of the module it is
# given for a rule, a base class too. LibCST finds visitors by the function's own name.
def visit_Module(self: LintRule, node: cst.Module) -> None:
    path = self.get_metadata(FilePathProvider, node, None)
    code: str = vars(type(self))["CODE"]  # set on each generated rule class (below); LintRule has no CODE
    source = node.code
    text = _file_text(str(path) if path is not None else None, source)
    mine = [f for f in _findings(str(path) if path is not None else "stdin.py", text) if f.code == code]
    if not mine:
        return
    # A finding reported on its literal: Fixit's # lint-ignore then applies, and a safe fix can
    # be the literal's replacement. Only where LibCST's positions are the file's: they are
    # computed from its rendering of the module, which is not always the file's text.
    literals = _literals(self, node) if text == source else {}
    for finding in mine:
        at = CodeRange(CodePosition(finding.start[0], finding.start[1] - 1), CodePosition(finding.end[0], finding.end[1] - 1))
        literal = literals.get((*finding.start, *finding.end))
        replacement = _replacement(finding, literal, source) if literal is not None else None
        self.report(literal if literal is not None else node, finding.message, position=at, replacement=replacement)


def _rule_class(check: ModuleType) -> type[LintRule]:
    """A Fixit rule for one routelint rule: named for it, documented by it."""
    name = check.CODE + "".join(part.title() for part in check.NAME.split("-"))
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": check.__doc__,
        "CODE": check.CODE,
        "METADATA_DEPENDENCIES": (PositionProvider, FilePathProvider),
        "visit_Module": visit_Module,
    }
    namespace["AUTOFIX"] = check.FIX != "never"  # Fixit would infer it from INVALID examples
    made: type[LintRule] = type(name, (LintRule,), namespace)
    return made


def _rule_classes(checks: Sequence[ModuleType]) -> dict[str, type[LintRule]]:
    return {made.__name__: made for made in map(_rule_class, checks)}


_RULES = _rule_classes(ALL_CHECKS)
globals().update(_RULES)  # Fixit collects the LintRule classes of the module it is given
__all__.extend(_RULES)

