"""The tools under test: how to find them, run them, and count what they report."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from measure import Sample

# Fixit rule class / Semgrep rule id -> the routelint rule it stands for.
FIXIT_RULES = {"DisplayNameAsModelId": "RL101", "ShutDownVideosApi": "RL203", "RealtimeModelOnChat": "RL301"}
SEMGREP_RULES = {"rl101-display-name-as-model-id": "RL101", "rl203-shut-down-api": "RL203",
                 "rl301-model-endpoint-mismatch": "RL301"}
_ROUTELINT_LINE = re.compile(r"^(.+?):\d+:\d+: (RL\d{3}) ", re.MULTILINE)
_FIXIT_LINE = re.compile(r"^(.+?)@\d+:\d+ (\w+): ", re.MULTILINE)


@dataclass
class Tool:
    name: str  # routelint, ruff, fixit, semgrep
    label: str  # as shown in the table
    prefix: list[str]  # argv before the path
    env: dict[str, str]
    version: str = ""
    findings: Callable[[str], list[tuple[str, str]]] | None = None  # stdout -> [(path, RL code)]
    ok_codes: tuple[int, ...] = (0,)
    warnings: list[str] = field(default_factory=list)

    def command(self, target: Path) -> list[str]:
        return [*self.prefix, str(target)]

    def check(self, sample: Sample) -> None:
        """Remember (once) a run that failed or complained, for the report."""
        problem = None
        if sample.returncode not in self.ok_codes:
            tail = " ".join(sample.stderr.strip().splitlines()[-3:])[:300]
            problem = f"{self.label} exited {sample.returncode}: {tail}"
        elif self.name == "semgrep":
            try:
                errors = json.loads(sample.stdout).get("errors", [])
            except ValueError:
                errors = [{"type": "output is not JSON"}]
            if errors:
                kinds = Counter(str(e.get("type", "?"))[:60] for e in errors)
                problem = f"semgrep reported {len(errors)} errors: {dict(kinds)}"
        if problem and problem not in self.warnings:
            self.warnings.append(problem)
            print(f"warning: {problem}", file=sys.stderr)


@dataclass
class Found:
    routelint: Tool | None = None
    ruff: Tool | None = None
    fixit: Tool | None = None
    semgrep: Tool | None = None
    routelint_cache: bool = False  # routelint has --cache-dir (a result cache to measure warm)
    notes: list[str] = field(default_factory=list)

    def all(self) -> list[Tool]:
        return [t for t in (self.routelint, self.ruff, self.fixit, self.semgrep) if t is not None]


def _exe(explicit: str | None, name: str) -> str | None:
    if explicit:
        return explicit
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def _output(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return -1, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


def discover(args: argparse.Namespace, here: Path) -> Found:
    found = Found()
    # Without PYTHONDONTWRITEBYTECODE (set on some machines, this one included): a pip install
    # compiles .pyc files, and the probe run writes any that are missing, so no Python tool
    # compiles its own modules again on every timed run.
    base = {k: v for k, v in os.environ.items() if not k.startswith("ROUTELINT_") and k != "PYTHONDONTWRITEBYTECODE"}

    exe = _exe(args.routelint, "routelint")
    if exe:
        code, help_text = _output([exe, "--help"], base)
        prefix = [exe, "--today", args.today, "--exit-zero"]
        if "--no-cache" in help_text:
            prefix.append("--no-cache")
        found.routelint_cache = "--cache-dir" in help_text
        label = "routelint" + (" (no cache)" if "--no-cache" in help_text else "")
        found.routelint = Tool("routelint", label, prefix, base, _output([exe, "--version"], base)[1], routelint_findings)
        if not found.routelint_cache:
            found.notes.append("routelint has no --cache-dir option yet: the warm-cache target is not measured")

    exe = _exe(args.ruff, "ruff")
    if exe:
        found.ruff = Tool("ruff", "ruff F401", [exe, "check", "--no-cache", "--select", "F401", "--exit-zero"], base,
                          _output([exe, "--version"], base)[1])
    else:
        found.notes.append("ruff is not installed (pip install -e '.[bench]'): ratios vs ruff are skipped")

    exe = _exe(args.fixit, "fixit")
    if exe:
        env = dict(base, PYTHONPATH=os.pathsep.join(p for p in (str(here / "peers"), base.get("PYTHONPATH")) if p))
        found.fixit = Tool("fixit", "fixit (3 rules)", [exe, "lint"], env, _output([exe, "--version"], env)[1],
                           fixit_findings, ok_codes=(0, 1))
    else:
        found.notes.append("fixit is not installed (pip install -e '.[bench]'): the Fixit peer is skipped")

    exe = _exe(args.semgrep, "semgrep")
    env = dict(base, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    code, version = _output([exe, "--version", "--disable-version-check"], env) if exe else (-1, "not installed")
    if exe and code == 0:
        prefix = [exe, "scan", "--config", str(here / "peers" / "semgrep.yml"), "--metrics=off",
                  "--disable-version-check", "-j", str(args.jobs), "--json", "--quiet"]
        found.semgrep = Tool("semgrep", "semgrep (3 rules)", prefix, env, version, semgrep_findings)
    else:
        found.notes.append(f"semgrep cannot run here ({version[:200]}): the Semgrep peer is skipped")
    return found


def routelint_warm(tool: Tool, cache_dir: Path) -> Tool:
    prefix = [part for part in tool.prefix if part != "--no-cache"] + ["--cache-dir", str(cache_dir)]
    return replace(tool, label="routelint (warm cache)", prefix=prefix, warnings=tool.warnings)


def write_fixit_config(work: Path) -> None:
    """Fixit finds this above every corpus: only the benchmark's rules, none of Fixit's own."""
    (work / "fixit.toml").write_text(
        '[tool.fixit]\nroot = true\nenable = ["fixit_rules"]\ndisable = ["fixit.rules"]\n'
    )


def routelint_findings(stdout: str) -> list[tuple[str, str]]:
    return _ROUTELINT_LINE.findall(stdout)


def fixit_findings(stdout: str) -> list[tuple[str, str]]:
    return [(path, FIXIT_RULES.get(name, name)) for path, name in _FIXIT_LINE.findall(stdout)]


def semgrep_findings(stdout: str) -> list[tuple[str, str]]:
    try:
        results = json.loads(stdout).get("results", [])
    except ValueError:
        return []
    pairs = ((r.get("path", ""), r.get("check_id", "").rsplit(".", 1)[-1]) for r in results)
    return [(path, SEMGREP_RULES.get(i, i)) for path, i in pairs]


@dataclass(frozen=True)
class Tally:
    """What one tool reported on a planted corpus, per rule."""

    counts: dict[str, int]
    missed: dict[str, list[str]]  # rule -> planted files (relative to the corpus) without a finding

    def matches(self, planted: int, rules: tuple[str, ...]) -> bool:
        return all(self.counts.get(rule, 0) == planted for rule in rules)


def tally(pairs: list[tuple[str, str]], corpus_root: Path, cwd: Path, rules: tuple[str, ...]) -> Tally:
    root = corpus_root.resolve()
    planted = [root] if root.is_file() else sorted(root.rglob("*.py"))
    seen: dict[str, set[Path]] = {rule: set() for rule in rules}
    for path, rule in pairs:
        if rule in seen:
            seen[rule].add((cwd / path).resolve())
    counts = dict(Counter(rule for _, rule in pairs if rule in seen))
    base = root.parent if root.is_file() else root
    missed = {rule: [p.relative_to(base).as_posix() for p in planted if p not in seen[rule]] for rule in rules}
    return Tally(counts, {rule: files for rule, files in missed.items() if files})
