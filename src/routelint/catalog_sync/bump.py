"""Move the repository to another ``openai`` release in one command.

Regenerates ``rules/sdk.toml``, sets the test extra's pin in ``pyproject.toml``, rewrites in the
docs every source the old catalog cited to the same fact's new source (and "SDK (X)" / "openai==X"
to the new version), and regenerates the golden outputs (tests/golden/README.md). What it cannot
rewrite (a hand-written source in surfaces.toml, an example) it lists, so nothing is missed.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routelint.catalog_sync.build import run
from routelint.catalog_sync.diff import diff_catalogs
from routelint.catalog_sync.sdk import find_openai_package
from routelint.tomlfile import parse_toml

DOCS = ("README.md", "rules/README.md", "tests/golden/README.md", "docs/*.md")
GOLDEN = "tests/golden/expected"
_PIN = re.compile(r'"openai==([^";\s]+)(\s*;[^"]*)?"')
_SDK_SOURCE = re.compile(r"openai==[\w.]+:openai/[\w/.]+:\d+")


@dataclass
class Bumped:
    old: str
    new: str
    changes: list[str]  # diff_catalogs
    edited: list[str] = field(default_factory=list)  # files rewritten
    left: list[str] = field(default_factory=list)  # "path:line: text" still naming the old version
    review: list[str] = field(default_factory=list)  # golden outputs that changed beyond their SDK sources


def _sources(data: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """((table path), source) of every source in a parsed sdk.toml."""
    for kind in ("models", "surfaces", "parameters"):
        for key, table in data.get(kind, {}).items():
            for name, value in table.items():
                if name.endswith("-source"):
                    yield (kind, key, name), value
                elif name == "surfaces":
                    yield from (((kind, key, "surfaces", s), src) for s, src in value.items())


def source_moves(old_text: str, new_text: str) -> dict[str, str]:
    """Old source -> new source of the same fact; a source that moved to several places is left out."""
    new = dict(_sources(parse_toml("the new catalog", new_text)))
    pairs: dict[str, Counter[str]] = {}
    for place, source in _sources(parse_toml("the old catalog", old_text)):
        if place in new:
            pairs.setdefault(source, Counter())[new[place]] += 1
    return {old: moved.most_common(1)[0][0] for old, moved in pairs.items() if len(moved) == 1}


def rewrite_doc(text: str, old: str, new: str, moves: dict[str, str]) -> str:
    for before, after in sorted(moves.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(re.escape(before) + r"(?!\d)", after.replace("\\", r"\\"), text)
    text = re.sub(rf"openai=={re.escape(old)}(?![\w.:-])", f"openai=={new}", text)
    return re.sub(rf"(\bSDK\b[^.\n]{{0,30}}?\(){re.escape(old)}\)", rf"\g<1>{new})", text)


def _pin(pyproject: str, new: str) -> str:
    return _PIN.sub(lambda m: f'"openai=={new}{m.group(2) or ""}"', pyproject, count=1)


def bump(python: str | None, repo: Path, *, today: str, goldens: bool = True) -> Bumped:
    """Regenerate everything that names the SDK release from the openai package of ``python``."""
    package, version = find_openai_package(python)
    rules = repo / "rules"
    old_text = (rules / "sdk.toml").read_text(encoding="utf-8")
    old = parse_toml("the old catalog", old_text)["meta"]["generated-from"].split("==", 1)[1]
    new_text = run(package, version, today=today, rules=rules).text
    result = Bumped(old, version, diff_catalogs(old_text, new_text))
    (rules / "sdk.toml").write_text(new_text, encoding="utf-8")
    result.edited.append("rules/sdk.toml")
    pyproject = repo / "pyproject.toml"
    pinned = _pin(pyproject.read_text(encoding="utf-8"), version)
    if pinned != pyproject.read_text(encoding="utf-8"):
        pyproject.write_text(pinned, encoding="utf-8")
        result.edited.append("pyproject.toml")
    moves = source_moves(old_text, new_text)
    for doc in sorted({p for pattern in DOCS for p in repo.glob(pattern)}):
        text = doc.read_text(encoding="utf-8")
        rewritten = rewrite_doc(text, old, version, moves)
        if rewritten != text:
            doc.write_text(rewritten, encoding="utf-8")
            result.edited.append(doc.relative_to(repo).as_posix())
    if goldens and (repo / "tests" / "test_formats.py").is_file():
        _goldens(repo, result)
    if old != version:
        result.left = list(_mentions(repo, old))
    return result


def _goldens(repo: Path, result: Bumped) -> None:
    """Regenerate the golden outputs (tests/golden/README.md); name those whose change is more than
    the SDK sources they cite: the catalog changed a finding, or the output was stale already."""
    before = {p: p.read_text(encoding="utf-8") for p in (repo / GOLDEN).iterdir() if p.is_file()}
    env = {**os.environ, "ROUTELINT_UPDATE_GOLDEN": "1"}
    subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/test_formats.py", "-k", "golden"],
                   cwd=repo, env=env, check=False, capture_output=True)
    for path, old in sorted(before.items()):
        new = path.read_text(encoding="utf-8")
        if new != old:
            result.edited.append(path.relative_to(repo).as_posix())
            if _SDK_SOURCE.sub("<source>", new) != _SDK_SOURCE.sub("<source>", old):
                result.review.append(path.relative_to(repo).as_posix())


def _mentions(repo: Path, version: str) -> Iterator[str]:
    """Lines of tracked text files that still name ``version`` (hand-written sources, examples)."""
    files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=False).stdout.split()
    needle = re.compile(rf"(?<![\d.]){re.escape(version)}(?![\d])")
    for name in files:
        try:
            lines = (repo / name).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        yield from (f"{name}:{i}: {line.strip()[:120]}" for i, line in enumerate(lines, 1) if needle.search(line))
