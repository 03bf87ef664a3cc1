"""What the pipeline produces, shared by every stage after the checks and every output: a
finding, its fix and edits, one file's result. Plain frozen data, no behaviour beyond naming."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from routelint.rule import rule_url

if TYPE_CHECKING:
    from routelint.facts import Incoming
    from routelint.project import Constant

PARSE_ERROR = "RL001"


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
    source: str | None = None  # where the fact comes from (full, JSON, SARIF; not the one-line form)
    note: str | None = None  # what the catalog adds (full, JSON, SARIF)
    # The file whose use of this literal (imported from here) the finding is about, when that is
    # another file: a run over some files reports it when either end is one of them.
    used_in: str | None = None

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
    # This file's module constants holding candidate strings (asked for with `constants=True`):
    # whether names cross files is decided from them after a run (see runner.py).
    constants: tuple[Constant, ...] = ()


@dataclass(frozen=True)
class FixResult:
    source: str
    fixed: tuple[Finding, ...]  # findings whose fix was applied, across all rounds
    remaining: FileResult


def unreadable(path: str, message: str, position: tuple[int, int] = (1, 1)) -> Finding:
    return Finding(PARSE_ERROR, "unreadable-file", "error", message, path, position, position)
