"""The pure core: lint_source / fix_source over text. Walking folders and the CLI wrap it.

Flow: prefilter (one regex from the catalog) -> LibCST parse -> extract facts -> checks ->
suppressions -> positions, only for the nodes that produced findings.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from routelint.catalog import Catalog, spelling_key
from routelint.rule import CheckContext, Problem, rule_url
from routelint.suppress import file_is_skipped, suppressed_lines

if TYPE_CHECKING:
    from routelint.facts import Incoming
    from routelint.project import ProjectTable

PARSE_ERROR = "RL001"
MAX_FIX_ROUNDS = 10
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
    # Names of other linted files used as models here: (that file's path, the use), for the
    # project pass to lint that file with (see runner.py).
    exports: tuple[tuple[str, Incoming], ...] = ()


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
        self.reportable = reportable_test(catalog)

    def lint_source(
        self,
        source: str,
        path: str,
        *,
        enabled: Iterable[str] | None = None,
        project: ProjectTable | None = None,
        incoming: Sequence[Incoming] = (),
    ) -> FileResult:
        """Lint one file. `project` (the linted tree's module constants) lets names imported from
        other files count; `incoming` are this file's names used as models by other files."""
        codes = frozenset(self.rules) if enabled is None else frozenset(enabled)
        data = source.encode("utf-8", "surrogatepass")
        candidate = self.prefilter.search(data) or (project is not None and project.mentioned_in(data))
        if not candidate or file_is_skipped(source):
            return FileResult(path)
        module_or_error = _parse(source)
        if isinstance(module_or_error, Finding):
            error = replace(module_or_error, path=path)
            return FileResult(path, (error,) if PARSE_ERROR in codes else ())
        problems, exports = self._problems(module_or_error, codes, incoming)
        if not problems and not (exports and project is not None):
            return FileResult(path, parsed=True)
        positions = _positions(module_or_error)
        shared = _shared(exports, positions, path, project) if project is not None else ()
        if not problems:
            return FileResult(path, parsed=True, exports=shared)
        findings = _locate(positions, source, path, problems, self.rules)
        quiet = suppressed_lines(source)
        kept = [f for f in findings if not _is_suppressed(f, quiet)]
        return FileResult(path, tuple(sorted(kept, key=Finding.sort_key)), parsed=True, exports=shared)

    def _problems(self, module: object, codes: frozenset[str], incoming: Sequence[Incoming] = ()) -> tuple[list[Problem], tuple]:
        from routelint.extract import ApiCall, ModelUse, extract

        try:
            facts = extract(module, self.index, incoming)  # type: ignore[arg-type]
        except RecursionError:
            return [], ()
        uses = _best_use_per_node(facts.uses)
        exports = facts.exports
        if facts.uses_azure_client:
            uses, exports = [], ()  # model= names an Azure deployment there, which may be spelled any way
        calls = [c for c in facts.calls if facts.imports_openai or c.certain]
        problems: dict[tuple[int, str], Problem] = {}
        for check in self.checks:
            if check.CODE not in codes:
                continue
            items: Sequence[object] = uses if check.FACT is ModelUse else calls
            for item in items:
                problem = check.check(item, self.context)
                if problem is None:
                    continue
                if isinstance(item, ModelUse) and problem.node is item.node:
                    problem = replace(problem, span=item.span, call_site=item.call_site)
                problems.setdefault((id(problem.node), problem.code), problem)
        return list(problems.values()), exports

    def fix_source(
        self,
        source: str,
        path: str,
        *,
        unsafe: bool = False,
        enabled: Iterable[str] | None = None,
        project: ProjectTable | None = None,
        incoming: Sequence[Incoming] = (),
    ) -> FixResult:
        """Apply fixes until nothing changes; the fixed text must still parse."""
        wanted = {"safe", "unsafe"} if unsafe else {"safe"}
        fixed: list[Finding] = []
        current = source
        for _ in range(MAX_FIX_ROUNDS):
            result = self.lint_source(current, path, enabled=enabled, project=project, incoming=incoming)
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


def reportable_test(catalog: Catalog) -> Callable[[str], bool]:
    """Whether a string could be reported as a model, wherever it goes (a superset): a catalog
    ID, label or near miss, after a provider prefix; or a URL with a model query."""
    prefixes = tuple(sorted(catalog.prefixes, key=len, reverse=True))

    def reportable(text: str) -> bool:
        if "model=" in text:
            return True
        value = text.strip()
        value = next((value[len(p) :] for p in prefixes if value.startswith(p)), value)
        return value in catalog.models or spelling_key(value) in catalog.spellings or catalog.label_for(value) is not None

    return reportable


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

    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        line, column = exc.raw_line, exc.raw_column + 1
        message = f"cannot parse: {exc.message}".rstrip()
    except RecursionError:
        line, column, message = 1, 1, "cannot parse: the file is nested too deeply"
    except (ValueError, TypeError) as exc:  # e.g. a NUL byte, or an unknown encoding declared
        line, column, message = 1, 1, f"cannot parse: {exc}"
    return unreadable("", message, (line, column))


def unreadable(path: str, message: str, position: tuple[int, int] = (1, 1)) -> Finding:
    return Finding(PARSE_ERROR, "unreadable-file", "error", message, path, position, position)


def _positions(module: object) -> object:
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # type: ignore[arg-type]
    return wrapper.resolve(PositionProvider)


def _shared(exports: Sequence[object], positions: object, path: str, project: ProjectTable) -> tuple:
    """Uses of other files' names, with this file's call site, aimed at the file that holds them."""
    from routelint.facts import Incoming

    shared = []
    for export in exports:
        found = project.find(path, export.candidates)  # type: ignore[attr-defined]
        if found is None:
            continue
        target_path, name = found
        target = export.target  # type: ignore[attr-defined]
        site = f"{path}:{positions[target.call_node].start.line}" if target.call_node is not None else None  # type: ignore[index]
        remote = replace(target, call_node=None, call_site=site, call=target.call if site else target.call)
        shared.append((target_path, Incoming(name, remote, export.keys)))  # type: ignore[attr-defined]
    return tuple(dict.fromkeys(shared))


def _advance(line: int, column: int, text: str) -> tuple[int, int]:
    """The position after `text` when it starts at (line, column)."""
    breaks = _NEWLINE.split(text)
    if len(breaks) == 1:
        return line, column + len(text)
    return line + len(breaks) - 1, 1 + len(breaks[-1])


def _locate(positions: object, source: str, path: str, problems: Sequence[Problem], rules: dict) -> list[Finding]:
    import libcst as cst

    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
    findings = []
    for problem in problems:
        where = positions[problem.node]  # type: ignore[index]
        start = (where.start.line, where.start.column + 1)
        end = (where.end.line, where.end.column + 1)
        if problem.span is not None:
            token = problem.node.value  # type: ignore[attr-defined]
            start, end = (_advance(*start, token[: problem.span[0]]), _advance(*start, token[: problem.span[1]]))
        message = problem.message
        if "{at}" in message:
            call_line = positions[problem.call_node].start.line if problem.call_node is not None else None  # type: ignore[index]
            if problem.call_site is not None:
                message = message.replace("{at}", f" at {problem.call_site}")
            message = message.replace("{at}", f" at line {call_line}" if call_line and call_line != start[0] else "")
        fix = None
        offsets = (line_starts[start[0] - 1] + start[1] - 1, line_starts[end[0] - 1] + end[1] - 1)
        if problem.suggestion is not None and problem.span is not None:
            edit = Edit(problem.suggestion.value, start, end, offsets)
            fix = Fix(problem.suggestion.applicability, problem.suggestion.message, (edit,))
        elif problem.suggestion is not None and isinstance(problem.node, cst.SimpleString):
            token = problem.node.value
            opening = token[: len(problem.node.prefix) + len(problem.node.quote)]
            content = opening + problem.suggestion.value + problem.node.quote
            edit = Edit(content, start, end, offsets)
            fix = Fix(problem.suggestion.applicability, problem.suggestion.message, (edit,))
        rule = rules[problem.code]
        findings.append(Finding(problem.code, rule.NAME, problem.severity, message, path, start, end, fix))
    return findings


def _is_suppressed(finding: Finding, quiet: dict[int, frozenset[str] | None]) -> bool:
    if finding.start[0] not in quiet:
        return False
    codes = quiet[finding.start[0]]
    return codes is None or any(finding.code.startswith(code) for code in codes)
