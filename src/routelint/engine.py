"""The pure core: lint_source / fix_source over text. Walking folders and the CLI wrap it.

Flow: prefilter (one regex from the catalog) -> LibCST parse -> extract facts -> checks ->
suppressions -> positions, only for the nodes that produced findings.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from routelint.catalog import Catalog, spelling_key
from routelint.rule import CheckContext, Problem, rule_url
from routelint.suppress import file_is_skipped, suppressed_lines

PARSE_ERROR = "RL001"
MAX_FIX_ROUNDS = 10
# LibCST needs ~350-650 MB of memory and ~10-20 s per MB of source: past this size a file (always
# generated code) is reported, not parsed, so that memory stays bounded. The largest hand-written
# file seen in the projects we lint (litellm's proxy_server.py) is ~1 MB.
MAX_SOURCE_BYTES = 2_000_000
_NEWLINE = re.compile(r"\r\n|\r|\n")
_SEPARATOR_BYTES = rb"[\s_\-]*"


@dataclass(frozen=True)
class Edit:
    content: str
    start: tuple[int, int]  # (line, column), 1-based, like ruff's JSON
    end: tuple[int, int]
    offsets: tuple[int, int]  # character offsets into the source


@dataclass(frozen=True)
class Fix:
    applicability: str  # safe | unsafe
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    path: str
    start: tuple[int, int]  # (line, column), 1-based
    end: tuple[int, int]
    fix: Fix | None = None

    @property
    def url(self) -> str:
        return rule_url(self.code, self.name)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.start[0], self.start[1], self.code)


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: tuple[Finding, ...] = ()
    parsed: bool = False  # whether LibCST was needed at all (for --verbose statistics)


@dataclass(frozen=True)
class FixResult:
    source: str
    fixed: tuple[Finding, ...]  # findings whose fix was applied, across all rounds
    remaining: FileResult


class Linter:
    """Everything that is computed once per run from the catalog and settings."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        today: dt.date,
        horizon_days: int = 365,
        model_names: Sequence[str] = (),
    ) -> None:
        from routelint.checks import ALL_CHECKS  # the checks import libcst: only when linting
        from routelint.extract import SyntaxIndex

        self.catalog = catalog
        self.rules = {check.CODE: check for check in ALL_CHECKS}
        self.checks = tuple(check for check in ALL_CHECKS if check.FACT is not None)
        self.context = CheckContext(catalog, today, horizon_days)
        self.index = SyntaxIndex.build(catalog, model_names)
        self.prefilter = build_prefilter(catalog)

    def lint_source(self, source: str, path: str, *, enabled: Iterable[str] | None = None) -> FileResult:
        codes = frozenset(self.rules) if enabled is None else frozenset(enabled)
        data = source.encode("utf-8", "surrogatepass")
        if not self.prefilter.search(data) or file_is_skipped(source):
            return FileResult(path)
        if len(data) > MAX_SOURCE_BYTES:
            megabytes = f"{len(data) / 1_000_000:.1f} MB, more than {MAX_SOURCE_BYTES // 1_000_000} MB"
            error = unreadable(path, f"cannot check: the file is too large to parse ({megabytes}); exclude it or split it")
            return FileResult(path, (error,) if PARSE_ERROR in codes else ())
        from routelint.safeparse import on_large_stack

        return on_large_stack(lambda: self._parse_and_check(source, path, codes))

    def _parse_and_check(self, source: str, path: str, codes: frozenset[str]) -> FileResult:
        """Runs on a large stack, where code nested deeper than Python's usual recursion limit
        (a few hundred levels, e.g. a prompt of 500 implicitly concatenated strings) can be walked."""
        module_or_error = _parse(source)
        if isinstance(module_or_error, Finding):
            error = replace(module_or_error, path=path)
            return FileResult(path, (error,) if PARSE_ERROR in codes else ())
        try:
            problems = self._problems(module_or_error, codes)
            if not problems:
                return FileResult(path, parsed=True)
            findings = _locate(module_or_error, source, path, problems, self.rules)
        except RecursionError:  # LibCST parsed it, but walking the tree needs even deeper recursion
            error = unreadable(path, "cannot check: the code is nested too deeply to walk")
            return FileResult(path, (error,) if PARSE_ERROR in codes else (), parsed=True)
        quiet = suppressed_lines(source)
        kept = [f for f in findings if not _is_suppressed(f, quiet)]
        return FileResult(path, tuple(sorted(kept, key=Finding.sort_key)), parsed=True)

    def _problems(self, module: object, codes: frozenset[str]) -> list[Problem]:
        from routelint.extract import ApiCall, ModelUse, extract

        facts = extract(module, self.index)  # type: ignore[arg-type]
        uses = _best_use_per_node(facts.uses)
        if facts.uses_azure_client:
            uses = []  # model= names an Azure deployment there, which may be spelled any way
        calls = facts.calls if facts.imports_openai else ()
        problems: dict[tuple[int, str], Problem] = {}
        for check in self.checks:
            if check.CODE not in codes:
                continue
            items: Sequence[object] = uses if check.FACT is ModelUse else calls
            for item in items:
                problem = check.check(item, self.context)
                if problem is not None:
                    problems.setdefault((id(problem.node), problem.code), problem)
        return list(problems.values())

    def fix_source(self, source: str, path: str, *, unsafe: bool = False, enabled: Iterable[str] | None = None) -> FixResult:
        """Apply fixes until nothing changes; the fixed text must still parse."""
        wanted = {"safe", "unsafe"} if unsafe else {"safe"}
        fixed: list[Finding] = []
        current = source
        for _ in range(MAX_FIX_ROUNDS):
            result = self.lint_source(current, path, enabled=enabled)
            chosen = _non_overlapping([f for f in result.findings if f.fix and f.fix.applicability in wanted])
            if not chosen:
                return FixResult(current, tuple(fixed), result)
            candidate = apply_edits(current, [edit for f in chosen for edit in f.fix.edits])  # type: ignore[union-attr]
            if isinstance(_parse(candidate), Finding):
                raise FixError(f"{path}: fixing {', '.join(sorted({f.code for f in chosen}))} would break the syntax; left unchanged")
            fixed.extend(chosen)
            current = candidate
        codes = ", ".join(sorted({f.code for f in chosen}))
        raise FixError(f"{path}: fixes did not converge after {MAX_FIX_ROUNDS} rounds ({codes})")


class FixError(Exception):
    """A file that cannot be fixed safely; it is left untouched and reported."""


def build_prefilter(catalog: Catalog) -> re.Pattern[bytes]:
    """A byte regex that matches every file any rule could report (a superset, never less).

    A model string is reported only when its spelling key (case and separators folded) is the key
    of a catalog ID or label, so the file must contain that key's first characters, separated by
    nothing but separators. Shut-down surfaces are found by the name of their resource.
    """
    heads = set()
    for name in list(catalog.models) + [label.text for label in catalog.labels.values()]:
        key = spelling_key(name)
        if key.isascii():
            heads.add(key[:3])
    alternatives = sorted(_SEPARATOR_BYTES.join(re.escape(ch).encode() for ch in head) for head in heads)
    for surface in catalog.surfaces.values():
        if surface.shutdown is not None:
            for call in surface.calls:
                resource = call.split(".")[-2]
                alternatives.append(rb"\b" + re.escape(resource).encode() + rb"\b")
    return re.compile(b"|".join(alternatives) or b"(?!)", re.IGNORECASE)


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.offsets, reverse=True):
        start, end = edit.offsets
        source = source[:start] + edit.content + source[end:]
    return source


def _non_overlapping(findings: Sequence[Finding]) -> list[Finding]:
    """One fix per span: when two would overlap, the first (by position, then code) wins."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=Finding.sort_key):
        spans = [e.offsets for e in finding.fix.edits]  # type: ignore[union-attr]
        if any(a < d and c < b for a, b in spans for c, d in taken):
            continue
        chosen.append(finding)
        taken.extend(spans)
    return chosen


def _best_use_per_node(uses: Sequence[object]) -> list[object]:
    """A literal seen in several contexts is judged once per surface it reaches."""
    seen: dict[tuple[int, str | None], object] = {}
    with_surface = {id(u.node) for u in uses if u.surface is not None}  # type: ignore[attr-defined]
    for use in uses:
        node, surface = id(use.node), use.surface  # type: ignore[attr-defined]
        if surface is None and node in with_surface:
            continue
        seen.setdefault((node, surface), use)
    return list(seen.values())


def _parse(source: str) -> object:
    import libcst as cst

    from routelint.safeparse import Unparseable, parse_module

    try:
        return parse_module(source)  # on a large stack: see routelint.safeparse
    except cst.ParserSyntaxError as exc:
        line, column = exc.raw_line, exc.raw_column + 1
        message = f"cannot parse: {exc.message}".rstrip()
    except Unparseable as exc:
        line, column, message = exc.line, 1, f"cannot parse: {exc}"
    except RecursionError:
        line, column, message = 1, 1, "cannot parse: the file is nested too deeply"
    except (ValueError, TypeError) as exc:  # e.g. a NUL byte, or an unknown encoding declared
        line, column, message = 1, 1, f"cannot parse: {exc}"
    return unreadable("", message, (line, column))


def unreadable(path: str, message: str, position: tuple[int, int] = (1, 1)) -> Finding:
    return Finding(PARSE_ERROR, "unreadable-file", "error", message, path, position, position)


def _locate(module: object, source: str, path: str, problems: Sequence[Problem], rules: dict) -> list[Finding]:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # type: ignore[arg-type]
    positions = wrapper.resolve(PositionProvider)
    column = _column_in_source(module.code, source)  # type: ignore[attr-defined]
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
    findings = []
    for problem in problems:
        where = positions[problem.node]
        start = (where.start.line, column(where.start.line, where.start.column) + 1)
        end = (where.end.line, column(where.end.line, where.end.column) + 1)
        message = problem.message
        if "{at}" in message:
            call_line = positions[problem.call_node].start.line if problem.call_node is not None else None
            message = message.replace("{at}", f" at line {call_line}" if call_line and call_line != start[0] else "")
        fix = None
        if problem.suggestion is not None and isinstance(problem.node, cst.SimpleString):
            offsets = (line_starts[start[0] - 1] + start[1] - 1, line_starts[end[0] - 1] + end[1] - 1)
            token = problem.node.value
            opening = token[: len(problem.node.prefix) + len(problem.node.quote)]
            content = opening + problem.suggestion.value + problem.node.quote
            if source[offsets[0] : offsets[1]] == token:  # an edit replaces exactly its literal, or nothing
                edit = Edit(content, start, end, offsets)
                fix = Fix(problem.suggestion.applicability, problem.suggestion.message, (edit,))
        rule = rules[problem.code]
        findings.append(Finding(problem.code, rule.NAME, problem.severity, message, path, start, end, fix))
    return findings


def _column_in_source(code: str, source: str) -> Callable[[int, int], int]:
    """(line, column in LibCST's rendering of the module) -> column in the source.

    Positions count in the code LibCST would write back, which is not always the source: it
    drops a form feed that starts a statement's line. Lines are kept, and a line of the code is
    the source's line with characters left out, so columns map back by matching in order.
    """
    if code == source:
        return lambda line, column: column
    code_lines, source_lines = _NEWLINE.split(code), _NEWLINE.split(source)

    def column_in_source(line: int, column: int) -> int:
        if len(code_lines) != len(source_lines) or code_lines[line - 1] == source_lines[line - 1]:
            return column
        kept, full = code_lines[line - 1], source_lines[line - 1]
        at = 0
        for char in kept[: column + 1]:
            while at < len(full) and full[at] != char:
                at += 1  # a character LibCST left out
            at += 1
        return at - 1 if column < len(kept) else at + column - len(kept)

    return column_in_source


def _is_suppressed(finding: Finding, quiet: dict[int, frozenset[str] | None]) -> bool:
    if finding.start[0] not in quiet:
        return False
    codes = quiet[finding.start[0]]
    return codes is None or any(finding.code.startswith(code) for code in codes)
