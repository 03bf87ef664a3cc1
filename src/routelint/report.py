"""Output formats. Findings arrive sorted by (path, line, column, code).

json and the dispatch live here; SARIF, GitHub and GitLab in formats.py; text, concise, full
and the statistics table in terminal.py.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routelint import formats, terminal
from routelint.model import Finding
from routelint.notebooks import CellIndex

if TYPE_CHECKING:
    from routelint.docs import RuleDoc

OUTPUT_FORMATS = ("text", "concise", "full", "json", "sarif", "github", "gitlab")
MACHINE_FORMATS = ("json", "sarif", "github", "gitlab")  # no summary line, never coloured


@dataclass(frozen=True)
class ReportOptions:
    """How to render a run; the defaults give issue 2's plain text."""

    fixed: int = 0
    unsafe_available: int = 0
    quiet: bool = False
    statistics: bool = False
    color: bool = False
    sources: Mapping[str, str] = field(default_factory=dict)  # path -> text, files with findings only
    cwd: Path = field(default_factory=Path.cwd)  # %SRCROOT% of the SARIF log
    notebooks: Mapping[str, CellIndex] = field(default_factory=dict)  # path -> cells, notebooks with findings only
    files_seen: int | None = None  # None: not known (the summary then assumes files were read)
    # Files not given to the run that hold findings: literals used in files that were given.
    outside: frozenset[str] = frozenset()


def render(
    findings: Sequence[Finding],
    output_format: str,
    *,
    fixed: int = 0,
    unsafe_available: int = 0,
    quiet: bool = False,
    options: ReportOptions | None = None,
) -> str:
    opts = options or ReportOptions(fixed=fixed, unsafe_available=unsafe_available, quiet=quiet)
    if opts.statistics:
        return _statistics(findings, output_format, opts)
    if output_format == "json":
        return json.dumps(formats.portable([as_json(f, opts.notebooks.get(f.path)) for f in findings]), indent=2, ensure_ascii=False) + "\n"
    if output_format == "sarif":
        return formats.sarif(findings, rules=_rules(), sources=opts.sources, cwd=opts.cwd, notebooks=opts.notebooks)
    if output_format == "github":
        return formats.github(findings, notebooks=opts.notebooks)
    if output_format == "gitlab":
        return formats.gitlab(findings, sources=opts.sources, notebooks=opts.notebooks)
    style = _style(opts.color)
    if output_format == "full":
        lines = ["\n".join(terminal.full(findings, sources=opts.sources, style=style, notebooks=opts.notebooks))]
        lines = lines if findings else []
    else:
        lines = [terminal.concise_line(f, style, opts.notebooks.get(f.path)) for f in findings]
    if not opts.quiet:
        lines.append(summary(
            findings, fixed=opts.fixed, unsafe_available=opts.unsafe_available, files_seen=opts.files_seen, outside=opts.outside
        ))
    return "\n".join(lines) + "\n" if lines else ""


def _statistics(findings: Sequence[Finding], output_format: str, opts: ReportOptions) -> str:
    rows = formats.statistics(findings, rules=_rules())
    if output_format == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    lines = terminal.statistics_table(rows)
    if not opts.quiet:
        lines.append(summary(
            findings, fixed=opts.fixed, unsafe_available=opts.unsafe_available, files_seen=opts.files_seen, outside=opts.outside
        ))
    return "\n".join(lines) + "\n" if lines else ""


def _rules() -> tuple[RuleDoc, ...]:
    from routelint.docs import all_rules

    return all_rules()


def _style(color: bool) -> terminal.Style:
    if not color:
        return terminal.plain
    import click

    style: terminal.Style = click.style  # click is untyped for mypy (pyproject.toml)
    return style


def summary(
    findings: Sequence[Finding], *, fixed: int = 0, unsafe_available: int = 0, files_seen: int | None = None,
    outside: frozenset[str] = frozenset(),
) -> str:
    """The last line; never "All checks passed" for a run that read no file."""
    if files_seen == 0 and not findings:
        return "No files checked."
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if not findings:
        parts.append("All checks passed!" if not fixed else "No findings remain.")
    else:
        by_severity = Counter(f.severity for f in findings)
        detail = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(by_severity.items()))
        parts.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({detail}).")
        safe = sum(1 for f in findings if f.fix and f.fix.applicability == "safe")
        unsafe = sum(1 for f in findings if f.fix and f.fix.applicability == "unsafe")
        if safe:
            parts.append(f"{safe} fixable with --fix.")
        if unsafe or unsafe_available:
            parts.append(f"{unsafe or unsafe_available} more fixable with --fix --unsafe-fixes.")
        elsewhere = sum(1 for f in findings if f.path in outside)
        if elsewhere:
            names = ", ".join(sorted(outside))
            parts.append(
                f"{elsewhere} in a file not given ({names}): a string a given file uses (a name it imports, an argument to one of its functions); "
                f"check that file to fix {'it' if elsewhere == 1 else 'them'}."
            )
    return " ".join(parts)


def as_json(finding: Finding, cells: CellIndex | None = None) -> dict[str, Any]:
    """The shape of `ruff check --output-format json`, plus name and severity. In a notebook,
    rows count from the start of the cell `cell` names (1-based among all its cells), as ruff's;
    `cell` is null elsewhere."""

    def _loc(position: tuple[int, int]) -> dict[str, Any]:
        if cells is not None:
            position = cells.cell_place(position)[1:]
        return {"row": position[0], "column": position[1]}

    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability,
            "message": finding.fix.message,
            "edits": [
                {"content": e.content, "location": _loc(e.start), "end_location": _loc(e.end)}
                for e in finding.fix.edits
            ],
        }
    return {
        "cell": cells.cell_place(finding.start)[0] if cells is not None else None,
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "severity": finding.severity,
        "filename": finding.path,
        "location": _loc(finding.start),
        "end_location": _loc(finding.end),
        "fix": fix,
        "url": finding.url,
        "source": finding.source,
        "note": finding.note,
        "noqa_row": _loc(finding.start)["row"],
    }
