"""The fix loop: apply the chosen findings' fixes (one per span), lint again, until nothing is
left to fix; the fixed text must still parse (never a fix that breaks the file), and a loop
that does not settle is an error, not a silent partial fix."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from routelint.model import Edit, FileResult, Finding, FixResult
from routelint.parsing import parses

MAX_FIX_ROUNDS = 10


def fix_loop(source: str, path: str, lint: Callable[[str], FileResult], *, unsafe: bool = False) -> FixResult:
    """Apply fixes until nothing changes; `lint` lints a text of the file."""
    wanted = {"safe", "unsafe"} if unsafe else {"safe"}
    fixed: list[Finding] = []
    current = source
    for _ in range(MAX_FIX_ROUNDS):
        result = lint(current)
        chosen = _non_overlapping([f for f in result.findings if f.fix and f.fix.applicability in wanted])
        if not chosen:
            return FixResult(current, tuple(fixed), result)
        candidate = apply_edits(current, [edit for f in chosen for edit in f.fix.edits])  # type: ignore[union-attr]
        if not parses(candidate):
            raise FixError(f"{path}: fixing {', '.join(sorted({f.code for f in chosen}))} would break the syntax; left unchanged")
        fixed.extend(chosen)
        current = candidate
    codes = ", ".join(sorted({f.code for f in chosen}))
    raise FixError(f"{path}: fixes did not converge after {MAX_FIX_ROUNDS} rounds ({codes})")


class FixError(Exception):
    """A file that cannot be fixed safely; it is left untouched and reported."""


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
