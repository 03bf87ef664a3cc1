"""The pure core: lint_source / fix_source over text. Walking folders and the CLI wrap it.

Flow: prefilter (regular expressions from the catalog, over bytes: prefilter.py) -> `ast`
outline over a skeleton of the file (which top-level statements can matter: outline.py) ->
LibCST parse of those statements only -> extract facts (walk.py) -> checks, on the literals the
prefilter can see -> suppressions -> positions, only for the nodes that produced findings
(positions.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from routelint import lines
from routelint.catalog_data import Catalog
from routelint.fixing import fix_loop
from routelint.judge import best_use_per_node, imports_openai, module_elsewhere, shared_uses
from routelint.model import PARSE_ERROR, FileResult, Finding, FixResult, unreadable
from routelint.names import is_test_path
from routelint.parsing import Parsed, parse_source
from routelint.place import UNUSED_SUPPRESSION, locate, unused_finding
from routelint.prefilter import (
    StatementFilter,
    build_prefilter,
    build_statement_filter,
    file_bytes,
    reportable_test,
    url_query_as_written,
)
from routelint.rule import CheckContext, Problem
from routelint.suppress import file_is_skipped, may_name_rules, suppressed_lines, unused_directives

if TYPE_CHECKING:

    import libcst as cst

    from routelint.config import Settings
    from routelint.facts import Export, Incoming
    from routelint.notebooks import CellIndex
    from routelint.outline import Outline, Signs
    from routelint.project import ProjectTable
    from routelint.syntax_index import SyntaxIndex


# LibCST needs ~350-650 MB of memory and ~10-20 s per MB of source: past this size a file (always
# generated code) is reported, not parsed, so that memory stays bounded. The largest hand-written
# file seen in the projects we lint (litellm's proxy_server.py) is ~1 MB.
MAX_SOURCE_BYTES = 2_000_000


class Linter:
    """Everything that is computed once per run from the catalog and settings."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        today: dt.date,
        horizon_days: int = 365,
        model_names: Sequence[str] = (),
        test_code: str = "requests",
    ) -> None:
        from routelint.checks import ALL_CHECKS

        self.catalog = catalog
        self.today = today
        self.horizon_days = horizon_days
        self.rules = {check.CODE: check for check in ALL_CHECKS}
        self.checks = tuple(check for check in ALL_CHECKS if check.FACT is not None)
        self.context = CheckContext(catalog, today, horizon_days)
        self.model_names = tuple(model_names)
        self.test_code = test_code  # config.TEST_CODE
        self._index: SyntaxIndex | None = None  # built on the first parse: a run with no candidate never imports LibCST
        self.prefilter = build_prefilter(catalog)
        self._wanted: StatementFilter | None = None  # built on the first parse, like the index
        self._signs: Signs | None = None  # what the outline looks for (rules/code.toml): likewise
        self.reportable = reportable_test(catalog)
        # Kept apart from `prefilter`, which a test replaces by one that matches everything.
        self.judging_prefilter = self.prefilter
        self.judged_literal = self.prefilter.written_as_candidate

    def recipe(self) -> tuple[tuple[str, ...], dt.date, int, tuple[str, ...], str]:
        """What a worker process needs to build the same linter (all plain, picklable values)."""
        return self.catalog.extra_files, self.today, self.horizon_days, self.model_names, self.test_code

    @classmethod
    def for_settings(cls, settings: Settings, today: dt.date) -> Linter:
        """The linter a run with these settings uses (the command line, a host such as flake8)."""
        from routelint.catalog import load_catalog

        return cls(
            load_catalog(settings.extend_catalog), today=today, horizon_days=settings.deprecation_horizon_days,
            model_names=settings.model_names, test_code=settings.test_code,
        )

    @classmethod
    def from_recipe(cls, recipe: tuple[tuple[str, ...], dt.date, int, tuple[str, ...], str]) -> Linter:
        from pathlib import Path

        from routelint.catalog import load_catalog

        extra, today, horizon, names, test_code = recipe
        return cls(load_catalog([Path(p) for p in extra]), today=today, horizon_days=horizon, model_names=names, test_code=test_code)

    def screens(self, data: bytes) -> bool:
        """Whether a file's bytes (a notebook's as `screening_bytes`) may hold a finding: a
        candidate string, or a directive naming a routelint code (RL100). False settles it clean."""
        return self.prefilter.matches(data) or may_name_rules(data)

    @property
    def wanted(self) -> StatementFilter:
        """Which statements of a candidate file go to LibCST."""
        if self._wanted is None:
            self._wanted = build_statement_filter(self.catalog, self.model_names)
        return self._wanted

    def syntax_index(self) -> SyntaxIndex:
        """What the extractor needs from the catalog; built on the first parse, so that a run
        with no candidate never imports LibCST."""
        if self._index is None:
            from routelint.syntax_index import SyntaxIndex

            self._index = SyntaxIndex.build(self.catalog, self.model_names)
        return self._index

    def lint_source(
        self,
        source: str,
        path: str,
        *,
        enabled: Iterable[str] | None = None,
        project: ProjectTable | None = None,
        incoming: Sequence[Incoming] = (),
        constants: bool = False,
        cells: CellIndex | None = None,
        test_file: bool | None = None,
    ) -> FileResult:
        """Lint one file; `cells` names the lines of a notebook's module text in messages;
        `test_file`: whether `test-code` applies (None: decided by `path`, as a host names it). `project` (the linted tree's module constants) lets names imported from
        other files count; `incoming` are this file's names used as models by other files;
        `constants`: also give this file's module constants (FileResult.constants)."""
        codes = frozenset(self.rules) if enabled is None else frozenset(enabled)
        if file_is_skipped(source):
            return FileResult(path)
        data = file_bytes(source)
        mentions = self.gate(source, path, project, incoming, data=data)
        if mentions is None:
            # Nothing to judge but the file's own suppressions (RL100), which need no parse.
            return FileResult(path, tuple(self._suppressed(source, path, [], codes, cells=cells)))
        if len(data) > MAX_SOURCE_BYTES:
            megabytes = f"{len(data) / 1_000_000:.1f} MB, more than {MAX_SOURCE_BYTES // 1_000_000} MB"
            error = unreadable(path, f"cannot check: the file is too large to parse ({megabytes}); exclude it or split it")
            return FileResult(path, (error,) if PARSE_ERROR in codes else ())
        from routelint.safeparse import on_large_stack

        # A file whose names other files use is parsed whole (they can be bound in any statement).
        # A file that mentions another file's names has each mention parsed as if it were a
        # candidate string, with the statements it takes its names from (outline.py).
        whole = bool(incoming)
        return on_large_stack(
            lambda: self._parse_and_check(
                source, path, codes, project, incoming, whole, constants, cells, mentions, is_test_path(path) if test_file is None else test_file
            )
        )

    def gate(
        self, source: str, path: str, project: ProjectTable | None = None, incoming: Sequence[Incoming] = (),
        *, data: bytes | None = None,
    ) -> list[int] | None:
        """The one gate before a parse (the lint and the inventory pass it): None when the text
        can hold no model use (no candidate string, no name another file binds to one, no use
        other files make of its names); else where it mentions such names, which are parsed
        as candidates (the project table's `mentions`). `data`: the text's bytes, when the caller
        has them already."""
        mentions = project.mentions(path, source) if project is not None else []
        if self.prefilter.matches(file_bytes(source) if data is None else data) or mentions or incoming:
            return mentions
        return None

    def _parse_and_check(
        self,
        source: str,
        path: str,
        codes: frozenset[str],
        project: ProjectTable | None,
        incoming: Sequence[Incoming],
        whole: bool,
        constants: bool = False,
        cells: CellIndex | None = None,
        mentions: Sequence[int] = (),
        test_file: bool = False,
    ) -> FileResult:
        """Runs on a large stack, where code nested deeper than Python's usual recursion limit
        (a few hundred levels, e.g. a prompt of 500 implicitly concatenated strings) can be walked."""
        parsed = self.parse(source, whole=whole, mentions=mentions)
        if isinstance(parsed, Finding):
            return FileResult(path, (replace(parsed, path=path),) if PARSE_ERROR in codes else ())
        result = self._check(source, path, codes, project, incoming, parsed, cells, test_file)
        if any(f.code == PARSE_ERROR for f in result.findings):  # a tree too deep to walk: nothing judged
            result = replace(result, findings=result.findings if PARSE_ERROR in codes else ())
        else:
            # A use of another file's name is judged in that file, under this line's noqa (shared_uses).
            unjudged = {lines.line_column(parsed.line_starts, offset)[0] for offset in mentions}
            findings = self._suppressed(source, path, result.findings, codes, unjudged, cells)
            result = replace(result, findings=tuple(sorted(findings, key=Finding.sort_key)))
        if constants:
            from routelint.project import file_constants

            found = file_constants(source, self.reportable, parsed.outline.tree)
            return replace(result, constants=found) if found else result
        return result

    def _check(
        self,
        source: str,
        path: str,
        codes: frozenset[str],
        project: ProjectTable | None,
        incoming: Sequence[Incoming],
        parsed: Parsed,
        cells: CellIndex | None = None,
        test_file: bool = False,
    ) -> FileResult:
        chunks, shape, line_starts = parsed.chunks, parsed.outline, parsed.line_starts
        try:
            sent_only = test_file and self.test_code == "requests"
            problems, exports, chunk_of = self._problems(
                parsed.modules, shape, codes, incoming, source, sent_only, test_file, cells is not None,
                project.private_heads if project is not None else frozenset(),
            )
            if not problems and not (exports and project is not None):
                return FileResult(path, parsed=True)
            nodes = [p.node for p in problems] + [p.call_node for p in problems if p.call_node is not None]
            nodes += [e.target.call_node for e in exports if e.target.call_node is not None]
            nodes += [e.node for e in exports if e.node is not None]
            from routelint.positions import source_spans

            where = source_spans(chunks, nodes, source, line_starts, chunk_of)
            shared = shared_uses(exports, where, source, line_starts, path, project, cells) if project is not None else ()
            if not problems:
                return FileResult(path, parsed=True, exports=shared)
            findings = locate(where, source, line_starts, path, problems, self.rules, cells)
        except RecursionError:  # LibCST parsed it, but walking the tree needs even deeper recursion
            error = unreadable(path, "cannot check: the code is nested too deeply to walk")
            return FileResult(path, (error,), parsed=True)  # kept or dropped by the caller
        return FileResult(path, tuple(findings), parsed=True, exports=shared)

    def _suppressed(
        self, source: str, path: str, findings: Sequence[Finding], codes: frozenset[str],
        unjudged: Iterable[int] = (), cells: CellIndex | None = None,
    ) -> list[Finding]:
        """The suppress stage: the findings no directive silences, and (RL100) the directives
        that silence nothing, themselves open to suppression."""
        if UNUSED_SUPPRESSION in codes:
            found: dict[int, list[str]] = {}
            for finding in findings:
                found.setdefault(finding.start[0], []).append(finding.code)
            unused = unused_directives(source, found, self.rules, codes, unjudged)
            findings = [*findings, *(unused_finding(u, source, path, self.rules, cells) for u in unused)]
        if not findings:
            return []
        quiet = suppressed_lines(source, {f.start[0] for f in findings})
        return [f for f in findings if not _is_suppressed(f, quiet)]

    def parse(self, source: str, *, whole: bool = False, mentions: Sequence[int] = ()) -> Finding | Parsed:
        """The parse stage (parsing.py) with this linter's statement filter and signs; `whole`:
        every statement (the inventory reads them all)."""
        if self._signs is None:
            from routelint.outline import Signs

            self._signs = Signs.of(self.catalog.code)
        return parse_source(source, self.wanted, self._signs, whole=whole, mentions=mentions)

    def _problems(
        self, modules: Sequence[cst.Module], shape: Outline, codes: frozenset[str], incoming: Sequence[Incoming] = (), source: str = "",
        sent_only: bool = False, test_file: bool = False, masked: bool = False, private_defaults: frozenset[str] = frozenset(),
    ) -> tuple[list[Problem], tuple[Export, ...], Mapping[int, int]]:
        """`sent_only`: a test file's (config `test-code`): only the strings that reach a request
        routelint sees are judged; `masked`: a notebook's text, its IPython lines masked. There, what a keyword, a dict key or a variable is named says
        little: fixtures, expectations, records and configs of fakes are named like models."""
        from routelint.extract import ModelUse, extract
        from routelint.facts import ApiCall, ParamUse, literal_pieces

        facts = extract(
            modules, self.syntax_index(), incoming, shape.module_bindings or None, shape.unparsed_bindings,
            # (a notebook's text has its IPython lines masked, `%time answer = _ask("hi")`: the
            # counts of a name's mentions in it would miss calls the kernel makes; found by review)
            source="" if masked else source, test_file=test_file, imports_sdk=shape.imports_openai, private_defaults=private_defaults,
        )
        # Only a literal the prefilter can see is judged (routelint.prefilter): this is what makes
        # skipping a file on its bytes safe. A model in a URL's query counts when its literal
        # holds the query as written; a constant the query names is judged like any literal.
        uses = [
            u for u in best_use_per_node(facts.uses)
            if (u.context == "url" and any(url_query_as_written(piece) for piece in literal_pieces(u.node)))
            or self._written(u.node)
        ]
        if sent_only:
            uses = [u for u in uses if u.called_surface is not None]  # (a provider prefix alone is no request)
        exports = facts.exports
        if module_elsewhere(facts):
            uses, exports = [], ()
        sdk = imports_openai(shape, facts)
        calls = [c for c in facts.calls if sdk or c.certain]
        if any(c.certain for c in calls) and not self.judging_prefilter.matches(file_bytes(source)):
            # A URL assembled from pieces, escapes or concatenation: reported only where the
            # prefilter looks, so that its verdict on a file never hides a finding.
            calls = [c for c in calls if not c.certain]
        params = facts.params if sdk else ()
        by_fact: dict[type, Sequence[object]] = {ModelUse: uses, ApiCall: calls, ParamUse: params}
        problems: dict[tuple[int, str], Problem] = {}
        for check in self.checks:
            if check.CODE not in codes:
                continue
            items = by_fact[check.FACT]
            for item in items:
                problem = check.check(item, self.context)
                if problem is None:
                    continue
                if isinstance(item, ModelUse) and problem.node is item.node:
                    if any(problem.code.startswith(code) for code in item.silenced):
                        continue  # a noqa comment at the use in the other file: that use only
                    problem = replace(problem, span=item.span, call_site=item.call_site, origin=item.origin)
                key = (id(problem.node), problem.code)
                kept = problems.setdefault(key, problem)
                if kept is not problem and kept.suggestion is not None and (
                    problem.suggestion is None or problem.suggestion.value != kept.suggestion.value
                ):
                    # One literal sent to several endpoints that want different rewrites (a
                    # constant used by Chat Completions and Responses), or where one wants none:
                    # no rewrite fits every use, so none is offered.
                    problems[key] = replace(kept, suggestion=None)
        return list(problems.values()), exports, facts.chunk_of

    def _written(self, node: cst.CSTNode) -> bool:
        from routelint.facts import literal_pieces

        return any(self.judged_literal(piece) for piece in literal_pieces(node))

    def fix_source(
        self,
        source: str,
        path: str,
        *,
        unsafe: bool = False,
        enabled: Iterable[str] | None = None,
        project: ProjectTable | None = None,
        incoming: Sequence[Incoming] = (),
        cells: CellIndex | None = None,
        test_file: bool | None = None,
    ) -> FixResult:
        """Apply fixes until nothing changes; the fixed text must still parse (fixing.py)."""

        def lint(text: str) -> FileResult:
            return self.lint_source(text, path, enabled=enabled, project=project, incoming=incoming, cells=cells, test_file=test_file)

        return fix_loop(source, path, lint, unsafe=unsafe)


def _is_suppressed(finding: Finding, quiet: dict[int, frozenset[str] | None]) -> bool:
    if finding.start[0] not in quiet:
        return False
    codes = quiet[finding.start[0]]
    return codes is None or any(finding.code.startswith(code) for code in codes)
