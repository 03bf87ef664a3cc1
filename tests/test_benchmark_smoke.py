"""Smoke test of the benchmark's corpus builder and output parsers (benchmarks/). No timings here."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from harness import DEFAULT_TODAY

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import corpus  # noqa: E402
import tools  # noqa: E402

FEW = [Path(p) for p in ("colorsys.py", "this.py", "__future__.py", "json/__init__.py", "bisect.py")]


@pytest.mark.parametrize("mode", ["top", "nested"])
def test_worst_case_files_parse_and_hold_the_planted_statements(tmp_path: Path, mode: str) -> None:
    built = corpus.build_worst(tmp_path / "worst", candidates=FEW, plant_mode=mode, workers=1)
    assert built.files == built.planted == len(FEW)
    files = sorted(tmp_path.joinpath("worst").rglob("*.py"))
    assert len(files) == len(FEW)
    assert built.lines == sum(corpus.count_lines(f.read_bytes()) for f in files)
    for path in files:
        text = path.read_text()
        ast.parse(text)
        assert "import openai\n" in text
        for _, statement in corpus.PLANTED:
            assert statement.strip() in text
        original = (corpus.stdlib_dir() / path.relative_to(tmp_path / "worst")).read_text()
        assert len(text.splitlines()) == len(original.splitlines()) + 5  # nothing else changed


def test_routelint_reports_each_planted_rule_once_per_file(tmp_path: Path) -> None:
    from routelint.catalog import load_catalog
    from routelint.engine import Linter

    corpus.build_worst(tmp_path / "worst", candidates=FEW, workers=1)
    linter = Linter(load_catalog(()), today=DEFAULT_TODAY)
    for path in sorted(tmp_path.joinpath("worst").rglob("*.py")):
        codes = [f.code for f in linter.lint_source(path.read_text(), str(path)).findings]
        assert sorted(c for c in codes if c in corpus.PLANTED_RULES) == sorted(corpus.PLANTED_RULES), path


def test_stdlib_copy_renames_folders_tools_skip(tmp_path: Path) -> None:
    source = tmp_path / "lib"
    for name in ("a.py", "venv/__init__.py", "pkg/b.py", "site-packages/x.py", "__pycache__/c.py"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("x = 1\n")
    built = corpus.build_stdlib(tmp_path / "out", source=source)
    copied = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.py"))
    assert copied == ["a.py", "pkg/b.py", "venv_/__init__.py"]
    assert (built.files, built.lines) == (3, 3)
    assert (tmp_path / "out" / ".semgrepignore").read_text() == ""


def test_plant_keeps_bom_future_imports_and_line_endings() -> None:
    source = b'\xef\xbb\xbf"""doc"""\r\nfrom __future__ import annotations\r\nx = 1\r\ny = 2'
    planted = corpus.plant(source)
    assert planted is not None and planted.startswith(b'\xef\xbb\xbf"""doc"""\r\nfrom __future__ import annotations\r\n')
    assert b"\n" not in planted.replace(b"\r\n", b"")
    tree = ast.parse(planted)
    assert isinstance(tree.body[2], ast.Import)  # right after the __future__ import


def test_small_file(tmp_path: Path) -> None:
    clean = corpus.build_small(tmp_path / "clean", planted=False)
    planted = corpus.build_small(tmp_path / "planted", planted=True)
    assert clean.root.is_file() and planted.root.is_file()
    assert planted.lines == clean.lines + 5 and planted.planted == 1


def test_output_parsers_tally_per_rule_and_missed_files(tmp_path: Path) -> None:
    root = tmp_path / "c"
    for name in ("a.py", "b.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")
    routelint_out = "c/a.py:3:5: RL101 x\nc/a.py:4:1: RL203 y\nc/b.py:3:5: RL101 x\nFound 3 findings.\n"
    fixit_out = "c/a.py@3:4 DisplayNameAsModelId: m\nc/b.py@9:0 RealtimeModelOnChat: m\n"
    semgrep_out = '{"results": [{"path": "c/a.py", "check_id": "x.y.rl203-shut-down-api"}], "errors": []}'
    rules = ("RL101", "RL203")
    t = tools.tally(tools.routelint_findings(routelint_out), root, tmp_path, rules)
    assert t.counts == {"RL101": 2, "RL203": 1} and t.missed == {"RL203": ["b.py"]}
    assert not t.matches(2, rules)
    t = tools.tally(tools.fixit_findings(fixit_out), root, tmp_path, rules)
    assert t.counts == {"RL101": 1} and t.missed == {"RL101": ["b.py"], "RL203": ["a.py", "b.py"]}
    t = tools.tally(tools.semgrep_findings(semgrep_out), root, tmp_path, rules)
    assert t.counts == {"RL203": 1}
