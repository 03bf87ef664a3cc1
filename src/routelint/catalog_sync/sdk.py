"""Reading an installed ``openai`` package as text: files, model Literals, dates in prose.

The package is never imported (that would run its code and need its dependencies): modules are
read and parsed with :mod:`ast`, and ``find_spec`` locates the package without running it.
"""
from __future__ import annotations

import ast
import bisect
import datetime as dt
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

_LOCATE = ("import importlib.util as u, importlib.metadata as m, json; s = u.find_spec('openai'); "
           "print(json.dumps(s and [list(s.submodule_search_locations)[0], "
           "m.distribution('openai').metadata['Version']]))")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ENGLISH = r"(?:" + "|".join(_MONTHS) + r") \d{1,2}, \d{4}"
_DAY_FIRST = r"\d{1,2} (?:" + "|".join(_MONTHS) + r") \d{4}"
_ISO = r"\d{4}-\d{2}-\d{2}"
# A shutdown stated with its date: "shut down on X", "scheduled its shutdown for X", "scheduled
# the shutdown of saved prompts for X", "retired on X", "will be removed on X", "Announced
# shutdown date: X". A sentence that says deprecated with some other date ("deprecated for models
# released after X") is not a shutdown.
_SHUTDOWN_DATE = re.compile(
    r"\b(?:shut(?:s|ting)?[ -]?down|shutdown|retire[ds]?|removed|sunset(?:s|ted)?|discontinued)\b"
    r"(?: date)?(?: of [^.;]{1,80}?)?(?: (?:on|for|by|as of))?:? "
    rf"({_ENGLISH}|{_DAY_FIRST}|{_ISO})\b",
    re.IGNORECASE,
)
_URL = re.compile(r"\]\(https?://[^)\s]*\)|https?://\S+")


class SdkFiles:
    """An installed ``openai`` package read as text; each module is read and parsed once."""

    def __init__(self, package_dir: Path, version: str) -> None:
        self.root, self.version = Path(package_dir), version
        self._texts: dict[str, str] = {}
        self._lines: dict[str, list[str]] = {}
        self._trees: dict[str, ast.Module] = {}

    def text(self, rel: str) -> str:
        if rel not in self._texts:
            self._texts[rel] = (self.root / rel).read_text(encoding="utf-8")
        return self._texts[rel]

    def lines(self, rel: str) -> list[str]:
        if rel not in self._lines:
            self._lines[rel] = self.text(rel).splitlines()
        return self._lines[rel]

    def tree(self, rel: str) -> ast.Module:
        if rel not in self._trees:
            self._trees[rel] = ast.parse(self.text(rel), rel)
        return self._trees[rel]

    def files(self, top: str = "") -> list[str]:
        """Every module under ``top`` (the whole package when empty), as paths inside it."""
        return sorted(p.relative_to(self.root).as_posix() for p in (self.root / top).rglob("*.py"))

    def source(self, rel: str, line: int) -> str:
        return f"openai=={self.version}:openai/{rel}:{line}"


class Wrapped(NamedTuple):
    """Lines joined with single spaces, so sentences can wrap; keeps each line's number."""

    text: str
    starts: tuple[int, ...]
    numbers: tuple[int, ...]

    @classmethod
    def of(cls, lines: Iterable[tuple[int, str]]) -> Wrapped:
        text, starts, numbers = "", [], []
        for number, piece in lines:
            starts.append(len(text) + 1 if text else 0)
            numbers.append(number)
            text = f"{text} {piece}" if text else piece
        return cls(text, tuple(starts), tuple(numbers))

    def line_at(self, pos: int) -> int:
        return self.numbers[max(bisect.bisect_right(self.starts, pos) - 1, 0)]


def find_openai_package(python: str | None = None) -> tuple[Path, str]:
    """Locate ``openai`` and its dist-info version without importing it (``find_spec`` runs none of it)."""
    if python:
        out = subprocess.run([python, "-c", _LOCATE], capture_output=True, text=True, check=True).stdout
        found = json.loads(out)
    else:
        spec = importlib.util.find_spec("openai")
        found = spec and [next(iter(spec.submodule_search_locations or [])),
                          importlib.metadata.distribution("openai").metadata["Version"]]
    if not found:
        raise LookupError(f"the openai package is not installed for {python or sys.executable}")
    return Path(found[0]), found[1]


def without_urls(text: str) -> str:
    """The words of a sentence: link targets and bare URLs dropped (".../deprecations" says nothing)."""
    return _URL.sub(lambda m: "]" if m.group(0).startswith("]") else "", text)


def iso_date(text: str) -> str:
    """"May 12, 2026", "12 May 2026" or "2026-05-12" -> "2026-05-12" (no locale: %B depends on it)."""
    if re.fullmatch(_ISO, text):
        return dt.date.fromisoformat(text).isoformat()
    words = [w.capitalize() for w in re.findall(r"\w+", text)]
    month, day = (words[0], words[1]) if words[0] in _MONTHS else (words[1], words[0])
    return dt.date(int(words[2]), _MONTHS.index(month) + 1, int(day)).isoformat()


def shutdown_date(text: str) -> tuple[str, int] | None:
    """The shutdown date a sentence states and where it stands in ``text``, or None."""
    found = _SHUTDOWN_DATE.search(text)
    return (iso_date(found.group(1)), found.start(1)) if found else None


# ---- model IDs in Literal types ------------------------------------------------------------

def _definition(sdk: SdkFiles, rel: str, name: str) -> tuple[str, ast.expr] | None:
    """Follow ``name`` through the package's relative imports to the expression defining it."""
    for st in sdk.tree(rel).body:
        if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None:
            targets = st.targets if isinstance(st, ast.Assign) else [st.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return rel, st.value
        if isinstance(st, ast.ImportFrom) and st.level > 0:
            for alias in st.names:
                if (alias.asname or alias.name) == name:
                    base = Path(rel).parents[st.level - 1].joinpath(*(st.module or "").split("."))
                    for module in (base.with_suffix(".py"), base / "__init__.py"):
                        if (sdk.root / module).is_file():
                            return _definition(sdk, module.as_posix(), alias.name)
    return None


def literal_ids(sdk: SdkFiles, rel: str, expr: ast.expr) -> list[str]:
    """The strings of every ``Literal[...]`` in a type expression, through type aliases."""
    if isinstance(expr, ast.Subscript):
        head = expr.value.attr if isinstance(expr.value, ast.Attribute) else getattr(expr.value, "id", "")
        parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if head == "Literal":
            return [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
        return [i for p in parts for i in literal_ids(sdk, rel, p)]
    if isinstance(expr, ast.BinOp):
        return literal_ids(sdk, rel, expr.left) + literal_ids(sdk, rel, expr.right)
    if isinstance(expr, ast.Name):
        found = _definition(sdk, rel, expr.id)
        return literal_ids(sdk, *found) if found else []
    return []


def scan_model_fields(sdk: SdkFiles) -> dict[str, tuple[int, list[str]]]:
    """Every ``model`` field of types/ typed with string Literals or a *Model alias:
    "<path under types/>:<class>" -> (line, IDs)."""
    found: dict[str, tuple[int, list[str]]] = {}

    def walk(node: ast.AST, rel: str, qual: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                walk(child, rel, f"{qual}.{child.name}" if qual else child.name)
            elif isinstance(child, ast.AnnAssign) and getattr(child.target, "id", "") == "model":
                ids = literal_ids(sdk, rel, child.annotation)
                names = [n.id for n in ast.walk(child.annotation) if isinstance(n, ast.Name)]
                if ids or any(n.endswith(("Model", "ModelParam")) for n in names):
                    found[f"{rel[len('types/'):]}:{qual}"] = (child.lineno, ids)

    for rel in sdk.files("types"):
        walk(sdk.tree(rel), rel, "")
    return found
