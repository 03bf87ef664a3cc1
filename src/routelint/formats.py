"""Output formats for CI: SARIF 2.1.0, GitHub annotations, GitLab code quality; fingerprints.

Findings arrive sorted by (path, line, column, code). `sources` maps a finding's path to the text
its positions refer to; the runner keeps it only for files with findings. Columns are 1-based
code points, end columns exclusive (ruff's JSON convention), and SARIF says so (`columnKind`).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from routelint import __version__
from routelint.docs import RuleDoc
from routelint.lines import line_starts, strip_ending
from routelint.model import Finding
from routelint.notebooks import CellIndex

TOOL_NAME = "routelint"
INFORMATION_URI = "https://github.com/routelint/routelint"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "routelint/v1"
SARIF_LEVELS = {"error": "error", "warning": "warning", "note": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
GITLAB_SEVERITIES = {"error": "major", "warning": "minor", "note": "info"}


# --- file names that are not Unicode -----------------------------------------------------------


def portable(value: object) -> object:
    """`value` (a JSON-ready tree) with every string valid Unicode, so that the output is valid
    UTF-8. A file name that is not UTF-8 reaches us with its undecodable bytes as surrogate
    escapes (PEP 383); they are written as `\\xNN`, the byte's value (`caf\\xe9.py`). SARIF's URIs
    percent-encode the bytes themselves (`caf%E9.py`)."""
    if isinstance(value, str):
        return _portable_text(value)
    if isinstance(value, dict):
        return {_portable_text(k) if isinstance(k, str) else k: portable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [portable(v) for v in value]
    return value


def _portable_text(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")  # the bytes the name has on disk
    except UnicodeEncodeError:  # a lone surrogate of another kind (a Windows name)
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def _file_uri(path: str) -> str:
    """file:// URI of an absolute path, percent-encoding the name's own bytes."""
    if os.name == "nt":
        return Path(path).as_uri()
    return "file://" + quote(os.fsencode(path), safe="/")


# --- positions and fingerprints ---------------------------------------------------------------


class SourceLines:
    """Line access to a file's text by the engine's 1-based (line, column) positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def offset(self, position: tuple[int, int]) -> int:
        line, column = position
        if line < 1 or line > len(self.starts):
            return len(self.text)
        return min(self.starts[line - 1] + column - 1, len(self.text))

    def line(self, number: int) -> str:
        if number < 1 or number > len(self.starts):
            return ""
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return strip_ending(self.text[start:end])

    def span(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        return self.text[self.offset(start) : self.offset(end)]


def _lines_by_path(sources: Mapping[str, str]) -> dict[str, SourceLines]:
    return {path: SourceLines(text) for path, text in sources.items()}


def matched_text(finding: Finding, lines: SourceLines | None) -> str | None:
    if lines is None or finding.start == finding.end:
        return None
    return lines.span(finding.start, finding.end) or None


def fingerprints(findings: Sequence[Finding], sources: Mapping[str, str]) -> list[str]:
    """One stable ID per finding: path, code, the matched text and which occurrence it is.

    Line numbers are left out on purpose, so moving unrelated code does not turn an old finding
    into a "new" one in code scanning; two identical strings in a file differ by occurrence.
    Findings without source text (an unreadable file) use their message instead.
    """
    lines = _lines_by_path(sources)
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        text = matched_text(finding, lines.get(finding.path)) or finding.message
        key = (finding.path, finding.code, text)
        parts = (*key, str(seen[key]))
        seen[key] += 1
        result.append(hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest())
    return result


# --- SARIF 2.1.0 ------------------------------------------------------------------------------


# A notebook is a JSON file: a location in one names the cell in the message (`cell 3, line 2,
# column 5: ...`), and its region is where the flagged characters sit in the file's JSON text,
# so that a reader (or GitHub, on the file) finds the string itself. ruff puts notebook findings
# at line 1 of the file in these formats; the JSON line is easier to find.


def _notebook_located(finding: Finding, cells: CellIndex | None) -> tuple[Finding, str]:
    """The finding as these formats place it, and its message."""
    if cells is None:
        return finding, finding.message
    cell, line, column = cells.cell_place(finding.start)
    placed = replace(finding, start=cells.file_place(finding.start), end=cells.file_place(finding.end), fix=None)
    return placed, f"cell {cell}, line {line}, column {column}: {finding.message}"


def sarif(
    findings: Sequence[Finding], *, rules: Sequence[RuleDoc], sources: Mapping[str, str], cwd: Path,
    notebooks: Mapping[str, CellIndex] | None = None,
) -> str:
    log = sarif_log(findings, rules=rules, sources=sources, cwd=cwd, notebooks=notebooks)
    return json.dumps(portable(log), indent=2, ensure_ascii=False) + "\n"


def sarif_log(
    findings: Sequence[Finding], *, rules: Sequence[RuleDoc], sources: Mapping[str, str], cwd: Path,
    notebooks: Mapping[str, CellIndex] | None = None,
) -> dict[str, Any]:
    """One run: the driver with every rule, and one result per finding."""
    index = {rule.code: i for i, rule in enumerate(rules)}
    lines = _lines_by_path(sources)
    notebooks = notebooks or {}
    results = [
        _sarif_result(finding, index.get(finding.code), lines.get(finding.path), fingerprint, notebooks.get(finding.path))
        for finding, fingerprint in zip(findings, fingerprints(findings, sources))
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(cwd)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _sarif_rule(rule: RuleDoc) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.body, "markdown": rule.body},
        "help": {"text": f"{rule.summary}. {rule.url}", "markdown": rule.markdown(level=1)},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": SARIF_LEVELS.get(rule.severity, "warning")},
        "properties": {"fix": rule.fix},
    }


def _sarif_result(
    finding: Finding, rule_index: int | None, lines: SourceLines | None, fingerprint: str, cells: CellIndex | None = None
) -> dict[str, Any]:
    snippet = matched_text(finding, lines) if cells is None else None  # a region of a notebook is of its JSON text
    finding, message = _notebook_located(finding, cells)  # a notebook's fixes are not offered here: they edit cells
    location = _artifact_location(finding.path)
    region = _region(finding.start, finding.end)
    if snippet is not None:
        region["snippet"] = {"text": snippet}
    result: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update(
        {
            "level": SARIF_LEVELS.get(finding.severity, "warning"),
            # Code scanning shows the whole text: what the catalog adds and its source go here.
            "message": {"text": "\n".join([message, *([finding.note] if finding.note else []), *([f"Source: {finding.source}"] if finding.source else [])])},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
    )
    if finding.fix is not None:
        replacements = [
            {"deletedRegion": _region(edit.start, edit.end), "insertedContent": {"text": edit.content}}
            for edit in finding.fix.edits
        ]
        result["fixes"] = [
            {
                "description": {"text": f"{finding.fix.message} ({finding.fix.applicability} fix)"},
                "artifactChanges": [{"artifactLocation": _artifact_location(finding.path), "replacements": replacements}],
                "properties": {"applicability": finding.fix.applicability},
            }
        ]
    return result


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, Any]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def _artifact_location(path: str) -> dict[str, Any]:
    """Relative paths resolve against %SRCROOT%; a path outside the working directory stays absolute."""
    if os.path.isabs(path):
        return {"uri": _file_uri(path)}
    # Percent-encode: a URI may not hold spaces, '%' or '#' as they are (surrogate-escaped bytes
    # of undecodable file names go back to their bytes first).
    return {"uri": quote(os.fsencode(path), safe="/"), "uriBaseId": SRCROOT}


def _directory_uri(folder: Path) -> str:
    uri = _file_uri(str(folder.absolute()))
    return uri if uri.endswith("/") else uri + "/"


# --- GitHub workflow commands -----------------------------------------------------------------


def github(findings: Sequence[Finding], *, notebooks: Mapping[str, CellIndex] | None = None) -> str:
    """`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RL101::message`, one per finding."""
    out = []
    notebooks = notebooks or {}
    for f in findings:
        f, message = _notebook_located(f, notebooks.get(f.path))
        command = GITHUB_COMMANDS.get(f.severity, "warning")
        properties = {
            "file": _portable_text(f.path),
            "line": f.start[0],
            "col": f.start[1],
            "endLine": f.end[0],
            "endColumn": f.end[1],
            "title": f.code,
        }
        rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
        out.append(f"::{command} {rendered}::{escape_data(_portable_text(message))}\n")
    return "".join(out)


def escape_data(text: str) -> str:
    """What GitHub's toolkit does to a command's message (actions/toolkit, command.ts)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value additionally must not contain the separators ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- GitLab code quality ----------------------------------------------------------------------


def gitlab(findings: Sequence[Finding], *, sources: Mapping[str, str], notebooks: Mapping[str, CellIndex] | None = None) -> str:
    """GitLab's code quality report (a subset of Code Climate's format)."""
    notebooks = notebooks or {}
    placed = [_notebook_located(f, notebooks.get(f.path)) for f in findings]
    issues = [
        {
            "description": f"{f.code} {message}",
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITIES.get(f.severity, "minor"),
            "location": {
                "path": f.path,
                "positions": {
                    "begin": {"line": f.start[0], "column": f.start[1]},
                    "end": {"line": f.end[0], "column": f.end[1]},
                },
            },
        }
        for (f, message), fingerprint in zip(placed, fingerprints(findings, sources))
    ]
    return json.dumps(portable(issues), indent=2, ensure_ascii=False) + "\n"


# --- statistics -------------------------------------------------------------------------------


def statistics(findings: Sequence[Finding], *, rules: Sequence[RuleDoc]) -> list[dict[str, Any]]:
    """Counts by rule (sorted by code), with how many have a safe and an unsafe fix."""
    names = {rule.code: rule.name for rule in rules}
    counts: dict[str, Counter[str]] = {}
    for f in findings:
        counter = counts.setdefault(f.code, Counter())
        counter["count"] += 1
        if f.fix is not None:
            counter["fixable" if f.fix.applicability == "safe" else "unsafe_fixable"] += 1
        names.setdefault(f.code, f.name)
    return [
        {
            "code": code,
            "name": names[code],
            "count": counter["count"],
            "fixable": counter["fixable"],
            "unsafe_fixable": counter["unsafe_fixable"],
        }
        for code, counter in sorted(counts.items())
    ]
