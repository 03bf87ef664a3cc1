"""Parity of the hosts (issue #19): `flake8 --select RL`, `pylint --load-plugins=routelint` and
`fixit lint` find what routelint's command line finds on the single-file fixtures, the same
(file, line, column, code), but for what the README says each host cannot see.

Every fixture of tests/fixtures that is not part of a `project` is copied into a folder of its
own with a routelint.toml holding its header's settings (select, horizon, model-names,
extend-catalog), so each is a project of one file, as the fixture harness lints it. The date is
process-wide (ROUTELINT_TODAY, which the hosts honour), so the copies are grouped by their
header's `today` and each tool runs once per date over all the files of that date (nine dates,
most fixtures on the suite's TODAY), never once per file. Notebooks are left out: none of the
hosts reads them.

The only difference allowed, and the README says so for each host: a file the host's own parser
cannot read gets none of routelint's findings (flake8 and pylint parse with the running
Python's `ast` before any plugin runs, Fixit with LibCST), where routelint reports RL001 for a
syntax error and reads newer syntax with LibCST. Everything else, RL100 included, is the same:
flake8's `# noqa` and pylint's pragmas only ever silence a finding routelint already dropped
(routelint reads `# noqa` first), and the copies carry no pylint pragma or `lint-ignore`.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import libcst as cst
import pytest

from harness import Fixture, all_fixtures
from routelint.names import is_test_path

Finding = tuple[str, int, int, str]  # (path from the date's folder, line, 1-based column, code)

SINGLE = [f for f in all_fixtures() if not f.project]
FIXIT_CONFIG = '[tool.fixit]\nroot = true\nenable = ["routelint.fixit"]\ndisable = ["fixit.rules"]\n'


def _settings(fixture: Fixture, folder: Path) -> str:
    """The routelint.toml that gives a copy its header's settings."""
    lines = []
    if fixture.select is not None:
        lines.append(f"select = {json.dumps(list(fixture.select))}")
    if fixture.horizon != 365:
        lines.append(f"deprecation-horizon-days = {fixture.horizon}")
    if fixture.model_names:
        lines.append(f"model-names = {json.dumps(list(fixture.model_names))}")
    if fixture.test_code != "requests":
        lines.append(f"test-code = {json.dumps(fixture.test_code)}")
    if fixture.extend_catalog:
        for catalog in fixture.extend_catalog:
            shutil.copyfile(catalog, folder / catalog.name)
        lines.append(f"extend-catalog = {json.dumps([c.name for c in fixture.extend_catalog])}")
    return "".join(line + "\n" for line in lines)


def _copy_name(fixture: Fixture) -> str:
    """The copy's path in its folder: test code (a fixture under a `tests/` folder) stays test code."""
    return f"tests/{fixture.path.name}" if is_test_path(fixture.id) else fixture.path.name


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The copies, by date: {date folder: [file paths relative to it]}."""
    root = tmp_path_factory.mktemp("parity")
    by_date: dict[str, list[str]] = defaultdict(list)
    for fixture in SINGLE:
        day = fixture.today.isoformat()
        folder = root / day / fixture.id[: -len(".py")].replace("/", "__")
        folder.mkdir(parents=True)
        (folder / _copy_name(fixture)).parent.mkdir(exist_ok=True)
        shutil.copyfile(fixture.path, folder / _copy_name(fixture))
        (folder / "routelint.toml").write_text(_settings(fixture, folder))
        by_date[str(root / day)].append(f"{folder.name}/{_copy_name(fixture)}")
    for day in by_date:
        (Path(day) / "fixit.toml").write_text(FIXIT_CONFIG)
    return dict(by_date)


def _run(tree: dict[str, list[str]], argv: list[str], parse: Callable[[str], set[Finding]]) -> dict[str, set[Finding]]:
    """One run of `argv` + the files per date (all dates at once, one process each), parsed."""
    running = {}
    for folder, files in tree.items():
        env = {**os.environ, "ROUTELINT_TODAY": Path(folder).name}
        running[folder] = subprocess.Popen(
            [*argv, *files], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
    found = {}
    for folder, process in running.items():
        out, err = process.communicate(timeout=300)
        assert 0 <= process.returncode < 32 and "Traceback" not in err, (argv, process.returncode, err)
        found[folder] = parse(out)
    return found


def _routelint_lines(out: str) -> set[Finding]:
    return {(f["filename"], f["location"]["row"], f["location"]["column"], f["code"]) for f in json.loads(out)}


_FLAKE8 = re.compile(r"^(?:\./)?(?P<path>[^:\n]+\.py):(?P<line>\d+):(?P<column>\d+): (?P<code>RL\d{3}) ", re.M)
_PYLINT = re.compile(r"^(?P<path>[^:\n]+\.py):(?P<line>\d+):(?P<column>\d+): (?P<code>RL\d{3}) ", re.M)
_FIXIT = re.compile(r"^(?P<path>[^@\n]+\.py)@(?P<line>\d+):(?P<column>\d+) (?P<code>RL\d{3})[A-Za-z]+: ", re.M)


def _matches(pattern: re.Pattern[str], shift: int) -> Callable[[str], set[Finding]]:
    """A parser of a host's output lines; `shift`: what makes its columns 1-based."""
    return lambda out: {
        (m["path"], int(m["line"]), int(m["column"]) + shift, m["code"]) for m in pattern.finditer(out)
    }


@pytest.fixture(scope="module")
def expected(tree: dict[str, list[str]]) -> dict[str, set[Finding]]:
    """routelint's command line over the copies, one run per date."""
    argv = [sys.executable, "-m", "routelint", "--output-format", "json", "--exit-zero", "--no-cache"]
    return _run(tree, argv, _routelint_lines)


def _unparsable(folder: str, files: list[str], parses: Callable[[bytes], object]) -> set[str]:
    unreadable = set()
    for name in files:
        try:
            parses((Path(folder) / name).read_bytes())
        except (SyntaxError, ValueError, cst.ParserSyntaxError):
            unreadable.add(name)
    return unreadable


def _compare(tree: dict[str, list[str]], expected: dict[str, set[Finding]], found: dict[str, set[Finding]],
             parses: Callable[[bytes], object]) -> None:
    missing, extra, lost = [], [], 0
    for folder, files in tree.items():
        unreadable = _unparsable(folder, files, parses)
        # The documented limit: a file the host cannot parse gets none of routelint's findings.
        wanted = {f for f in expected[folder] if f[0] not in unreadable}
        lost += len(expected[folder]) - len(wanted)
        missing += sorted(wanted - found[folder])
        extra += sorted(found[folder] - wanted)
    assert (missing, extra) == ([], []), f"missing: {missing}\nextra: {extra}"
    assert sum(map(len, found.values())) > 250, found


def test_the_copies_keep_each_fixtures_settings(tree: dict[str, list[str]], expected: dict[str, set[Finding]]) -> None:
    """routelint's command line on the copies finds what each fixture declares (`# expect:`), so
    the copies are linted as the fixture harness lints them."""
    for fixture in SINGLE:
        [folder] = [folder for folder in tree if Path(folder).name == fixture.today.isoformat()]
        name = f"{fixture.id[: -len('.py')].replace('/', '__')}/{_copy_name(fixture)}"
        got = {(line, code) for path, line, _, code in expected[folder] if path == name}
        assert got == fixture.expected(), name


def test_flake8_finds_what_routelint_finds(tree: dict[str, list[str]], expected: dict[str, set[Finding]]) -> None:
    pytest.importorskip("flake8", reason="flake8 is not installed (pip install -e '.[test]')")
    found = _run(tree, [sys.executable, "-m", "flake8", "--isolated", "--select", "RL"], _matches(_FLAKE8, 0))
    _compare(tree, expected, found, ast.parse)


def test_pylint_finds_what_routelint_finds(tree: dict[str, list[str]], expected: dict[str, set[Finding]]) -> None:
    pytest.importorskip("pylint", reason="pylint is not installed (pip install -e '.[test]')")
    argv = [sys.executable, "-m", "pylint", "--load-plugins=routelint", "--disable=all", "--enable=routelint",
            "--persistent=n", "--score=n", "--msg-template={path}:{line}:{column}: {msg}"]
    found = _run(tree, argv, _matches(_PYLINT, 1))  # pylint counts columns from 0
    _compare(tree, expected, found, ast.parse)


@pytest.mark.slow  # about 30 s: Fixit parses every file and starts worker processes, nine times
def test_fixit_finds_what_routelint_finds(tree: dict[str, list[str]], expected: dict[str, set[Finding]]) -> None:
    pytest.importorskip("fixit", reason="Fixit is not installed (pip install -e '.[fixit]', Python 3.9 in .ci/run)")
    found = _run(tree, [sys.executable, "-m", "fixit", "lint"], _matches(_FIXIT, 1))  # Fixit counts columns from 0
    _compare(tree, expected, found, cst.parse_module)
