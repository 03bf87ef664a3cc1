"""Output formats. Findings arrive sorted by (path, line, column, code)."""
from __future__ import annotations

import json
from collections import Counter
from typing import Sequence

from routelint.engine import Finding


def render(findings: Sequence[Finding], output_format: str, *, fixed: int = 0, unsafe_available: int = 0, quiet: bool = False) -> str:
    if output_format == "json":
        return json.dumps([as_json(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
    lines = [f"{f.path}:{f.start[0]}:{f.start[1]}: {f.code} {f.message}" for f in findings]
    if not quiet:
        lines.append(summary(findings, fixed=fixed, unsafe_available=unsafe_available))
    return "\n".join(lines) + "\n" if lines else ""


def summary(findings: Sequence[Finding], *, fixed: int = 0, unsafe_available: int = 0) -> str:
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
    return " ".join(parts)


def as_json(finding: Finding) -> dict:
    """The shape of `ruff check --output-format json`, plus name and severity."""
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
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "severity": finding.severity,
        "filename": finding.path,
        "location": _loc(finding.start),
        "end_location": _loc(finding.end),
        "fix": fix,
        "url": finding.url,
        "noqa_row": finding.start[0],
    }


def _loc(position: tuple[int, int]) -> dict:
    return {"row": position[0], "column": position[1]}
