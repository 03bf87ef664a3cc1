"""Fixture files carry their own expectations, so adding a case is adding a line.

- `# expect: RL101` (or several codes, comma-separated) at the end of a line: those findings
  must start on that line; `# expect:` alone: the line must stay clean. Lines without the comment
  must stay clean too: every finding has to be declared.
- A first-line header `# fixture: today=2026-01-01 unsafe-fixes horizon=30 model-names=llm,engine
  select=RL1 extend-catalog=extra.toml test-code=all` changes the settings for that file (the
  default date is TODAY below; catalog files are relative to the fixture). A fixture whose path
  is test code by name (`test_*.py`, a `tests/` folder) is linted as test code.
- `<case>.fixed.py` beside `<case>.py` is the exact expected text after --fix.
- `project` in the header: the file is linted together with every other `project` fixture of
  its folder, as one tree whose modules import from each other (routelint.project).

The suite's pinned "today" is TODAY (DEFAULT_TODAY as a date): no test may depend on the real date.
Use it wherever the default day is meant (`--today`, ROUTELINT_TODAY, a Linter); write a date out
only where a test is about that date. `run_cli` runs the command line with it.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from click.testing import CliRunner, Result

from clirunner import separate_streams
from routelint.catalog import load_catalog
from routelint.cli import main
from routelint.engine import Linter
from routelint.lines import split_lines
from routelint.model import FileResult, FixResult
from routelint.project import ProjectRun, lint_sources

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2026-11-25"  # the suite's pinned today, as --today and ROUTELINT_TODAY take it
DEFAULT_TODAY = dt.date.fromisoformat(TODAY)
_EXPECT = re.compile(r"#\s*expect:(?P<codes>[^#\n]*)")


@dataclass(frozen=True)
class Fixture:
    path: Path
    today: dt.date
    unsafe: bool
    horizon: int
    model_names: tuple[str, ...]
    select: tuple[str, ...] | None
    extend_catalog: tuple[Path, ...] = ()
    project: bool = False
    test_code: str = "requests"

    @property
    def fixed_path(self) -> Path:
        return self.path.with_name(self.path.stem + ".fixed.py")

    @property
    def id(self) -> str:
        return self.path.relative_to(FIXTURES).as_posix()

    def source(self) -> str:
        return self.path.read_bytes().decode("utf-8")

    def expected(self) -> set[tuple[int, str]]:
        found = set()
        for number, line in enumerate(split_lines(self.source()), 1):
            match = _EXPECT.search(line)
            if match:
                found |= {(number, c.strip()) for c in match.group("codes").split(",") if c.strip()}
        return found

    def linter(self) -> Linter:
        return _linter(self.today, self.horizon, self.model_names, self.extend_catalog, self.test_code)

    def lint(self) -> FileResult:
        if self.project:
            return self.project_run().results[self.id]
        return self.linter().lint_source(self.source(), self.id, enabled=self.enabled())

    def fix(self, *, unsafe: bool) -> FixResult:
        if self.project:
            run = self.project_run()
            return self.linter().fix_source(
                self.source(), self.id, unsafe=unsafe, enabled=self.enabled(), project=run.table, incoming=run.incoming[self.id]
            )
        return self.linter().fix_source(self.source(), self.id, unsafe=unsafe, enabled=self.enabled())

    def project_run(self) -> ProjectRun:
        members = [f for f in all_fixtures() if f.project and f.path.parent == self.path.parent]
        return lint_sources(self.linter(), {f.id: f.source() for f in members}, self.enabled())

    def enabled(self) -> frozenset[str] | None:
        if self.select is None:
            return None
        codes = self.linter().rules
        return frozenset(c for c in codes if any(c.startswith(s) for s in self.select))


@cache
def _linter(today: dt.date, horizon: int, model_names: tuple[str, ...], extra: tuple[Path, ...], test_code: str = "requests") -> Linter:
    return Linter(load_catalog(extra), today=today, horizon_days=horizon, model_names=model_names, test_code=test_code)


def all_fixtures() -> list[Fixture]:
    return [parse_header(p) for p in sorted(FIXTURES.rglob("*.py")) if not p.name.endswith(".fixed.py")]


def parse_header(path: Path) -> Fixture:
    first = path.read_bytes().decode("utf-8").lstrip("\ufeff").split("\n", 1)[0]
    options: dict[str, str] = {}
    if first.startswith("# fixture:"):
        for part in first[len("# fixture:"):].split():
            key, _, value = part.partition("=")
            options[key] = value
    return Fixture(
        path=path,
        today=dt.date.fromisoformat(options["today"]) if "today" in options else DEFAULT_TODAY,
        unsafe="unsafe-fixes" in options,
        horizon=int(options.get("horizon", 365)),
        model_names=tuple(n for n in options.get("model-names", "").split(",") if n),
        select=tuple(options["select"].split(",")) if "select" in options else None,
        extend_catalog=tuple(path.parent / p for p in options.get("extend-catalog", "").split(",") if p),
        project="project" in options,
        test_code=options.get("test-code", "requests"),
    )


def found(result: FileResult) -> set[tuple[int, str]]:
    return {(f.start[0], f.code) for f in result.findings}


def notebook(*sources: str, outputs: list | None = None, language: str = "python", indent: int | None = 1,
             ensure_ascii: bool = False, as_lines: bool = True, newline: str = "\n") -> bytes:
    """An nbformat 4 notebook of code cells, written as Jupyter writes one (indent 1, keys sorted)."""
    cells = [
        {
            "cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": outputs or [],
            "source": source.splitlines(keepends=True) if as_lines else source,
        }
        for i, source in enumerate(sources)
    ]
    document = {
        "cells": cells, "metadata": {"language_info": {"name": language}}, "nbformat": 4, "nbformat_minor": 5,
    }
    text = json.dumps(document, indent=indent, sort_keys=True, ensure_ascii=ensure_ascii) + "\n"
    return text.replace("\n", newline).encode("utf-8")


def run_cli(*args: str, today: str | None = TODAY, input: str | bytes | None = None, separate: bool = False,
            catch_exceptions: bool = False) -> Result:
    """routelint's command line in this process: `--today today` (None: no --today), then `args`.

    separate=True keeps standard error out of `.output` on every click (tests/clirunner.py) and
    gives `.stdout` and `.stderr`; a test that reads standard error on its own needs it. An
    exception escapes unless catch_exceptions is set, so a crash cannot pass for exit code 1.
    """
    runner = separate_streams() if separate else CliRunner()
    head = ["--today", today] if today is not None else []
    return runner.invoke(main, [*head, *args], input=input, catch_exceptions=catch_exceptions)


def write_host_project(root: Path) -> Path:
    """The small project the plugin-host tests (flake8, pylint) lint: a constant in settings.py
    misused in chat.py, a label in chat.py, and a clean file."""
    (root / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"\n')
    (root / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE_MODEL\n\n"
        "OpenAI().chat.completions.create(model=VOICE_MODEL, messages=[])\n"
        'OpenAI().images.generate(model="GPT Image 2", prompt="x")\n'
    )
    (root / "clean.py").write_text('OpenAI().images.generate(model="gpt-image-2", prompt="x")\n')
    return root
