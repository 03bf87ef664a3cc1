"""The command line, through click's CliRunner and one real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness import TODAY, run_cli
from routelint.cli import main

LABEL = 'client.images.generate(model="GPT Image 2", prompt="x")\n'


def test_text_output_and_exit_code(project: Path) -> None:
    (project / "app.py").write_text(LABEL)
    result = run_cli("app.py")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith('app.py:1:30: RL101 [*] "GPT Image 2" is a product label')
    assert "Found 1 finding (1 error). 1 fixable with --fix." in result.output


def test_clean_code_exits_zero(project: Path) -> None:
    (project / "app.py").write_text('client.images.generate(model="gpt-image-2", prompt="x")\n')
    result = run_cli(".")
    assert result.exit_code == 0
    assert "All checks passed!" in result.output


def test_json_has_ruffs_shape(project: Path) -> None:
    (project / "app.py").write_text(LABEL)
    result = run_cli("--output-format", "json", "app.py")
    [finding] = json.loads(result.output)
    assert finding["code"] == "RL101" and finding["name"] == "display-name-as-model-id"
    assert finding["severity"] == "error" and finding["filename"] == "app.py"
    assert finding["location"] == {"row": 1, "column": 30}
    assert finding["end_location"] == {"row": 1, "column": 43}
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"] == [
        {"content": '"gpt-image-2"', "location": {"row": 1, "column": 30}, "end_location": {"row": 1, "column": 43}}
    ]
    assert finding["url"].endswith("#rl101-display-name-as-model-id")


def test_json_is_an_empty_array_when_clean(project: Path) -> None:
    (project / "app.py").write_text("x = 1\n")
    result = run_cli("--output-format", "json", "app.py")
    assert result.exit_code == 0 and json.loads(result.output) == []


@pytest.mark.parametrize(
    "args",
    [["--select", "RL999"], ["--ignore", "XYZ"], ["missing.py"], ["--today", "tomorrow", "."], ["--output-format", "xml", "."]],
)
def test_usage_errors_exit_2(project: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2


def test_select_and_ignore(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "gpt-4"\nOTHER_MODEL = "GPT Image 2"\n')
    assert "RL201" not in run_cli("--ignore", "RL2", "app.py").output
    only = run_cli("--select", "RL2", "app.py").output
    assert "RL201" in only and "RL101" not in only
    assert "RL201" in run_cli("--select", "RL1", "--extend-select", "RL201", "app.py").output
    # The more specific selector wins over a broader ignore.
    assert "RL201" in run_cli("--ignore", "RL2", "--select", "RL201", "app.py").output


def test_exit_zero_and_quiet(project: Path) -> None:
    (project / "app.py").write_text(LABEL)
    result = run_cli("--exit-zero", "--quiet", "app.py")
    assert result.exit_code == 0
    assert "Found" not in result.output and "RL101" in result.output


def test_explain_prints_the_rule_doc() -> None:
    result = CliRunner().invoke(main, ["--explain", "RL301"])
    assert result.exit_code == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in result.output
    assert CliRunner().invoke(main, ["--explain", "RL999"]).exit_code == 2


def test_today_from_environment(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "gpt-4"\n')
    early = CliRunner().invoke(main, ["app.py"], env={"ROUTELINT_TODAY": "2026-01-01"})
    late = CliRunner().invoke(main, ["app.py"], env={"ROUTELINT_TODAY": "2026-11-25"})
    assert "RL202" in early.output and "RL201" in late.output


def test_directory_walk_skips_venvs_and_gitignored_files(project: Path) -> None:
    for name in ("src/a.py", ".venv/lib/b.py", "build/c.py", "node_modules/d.py", "gen/e.py", "src/f.pyi", "src/g.txt"):
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('MODEL = "gpt-4"\n')
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("gen/\n")
    output = run_cli(".").output
    assert "src/a.py" in output and "src/f.pyi" in output
    for skipped in ("b.py", "c.py", "d.py", "e.py", "g.txt"):
        assert skipped not in output


def test_named_files_are_linted_even_when_ignored_unless_force_exclude(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("gen/\n")
    (project / "gen").mkdir()
    (project / "gen" / "e.py").write_text('MODEL = "gpt-4"\n')
    assert run_cli("gen/e.py").exit_code == 1
    assert run_cli("--force-exclude", "gen/e.py").exit_code == 0


def test_unreadable_files_are_reported_and_the_run_goes_on(project: Path) -> None:
    (project / "bad.py").write_bytes(b'MODEL = "gpt-4"\xff\n')
    (project / "nul.py").write_bytes(b'MODEL = "gpt-4"\x00\n')
    (project / "good.py").write_text('MODEL = "gpt-4"\n')
    result = run_cli(".")
    assert result.exit_code == 1
    assert "bad.py:1:1: RL001 cannot check this file: it is not valid utf-8" in result.output
    assert "nul.py:1:1: RL001 cannot check this file: it contains a NUL byte" in result.output
    assert "good.py:1:9: RL201" in result.output


def test_coding_cookie_and_bom_are_honoured(project: Path) -> None:
    (project / "latin.py").write_bytes(b'# -*- coding: latin-1 -*-\nNAME = "caf\xe9"\nMODEL = "gpt-4"\n')
    (project / "bom.py").write_bytes(b'\xef\xbb\xbfMODEL = "gpt-4"\n')
    output = run_cli(".").output
    assert "latin.py:3:9: RL201" in output and "bom.py:1:9: RL201" in output


def test_stdin_lints_and_fixes(project: Path) -> None:
    lint = run_cli("--stdin-filename", "pkg/app.py", "-", input=LABEL.encode())
    assert lint.exit_code == 1 and "pkg/app.py:1:30: RL101" in lint.output
    fixed = run_cli("--fix", "--stdin-filename", "app.py", "-", input=LABEL.encode(), separate=True)
    assert fixed.stdout == LABEL.replace("GPT Image 2", "gpt-image-2")
    assert fixed.exit_code == 0


def test_version_does_not_import_libcst() -> None:
    code = "import sys; from routelint.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\nprint('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


def test_real_subprocess_on_the_bundled_example() -> None:
    root = Path(__file__).parent.parent
    env = {**os.environ, "ROUTELINT_TODAY": TODAY}
    result = subprocess.run(
        [sys.executable, "-m", "routelint", "examples/"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    codes = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("examples/")]
    assert codes == ["RL101", "RL301", "RL202", "RL203", "RL201", "RL302"]
    clean = subprocess.run([sys.executable, "-m", "routelint", "examples/clean.py"], cwd=root, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout


def test_a_value_with_a_line_break_or_a_tab_stays_on_one_line(project: Path) -> None:
    """Issue #18: the value as written was printed raw, so a triple-quoted label broke the one-line
    output (and GitHub annotations) in two."""
    (project / "app.py").write_text(
        'client.images.generate(model="""GPT\nImage 2""", prompt="x")\n'
        'client.images.generate(model="GPT Image 2\\t", prompt="x")\n'
    )
    result = run_cli("--output-format", "concise", ".")
    lines = [line for line in result.output.splitlines() if line.startswith("app.py:")]
    assert lines[0].startswith('app.py:1:30: RL102 [*] "GPT\\nImage 2" is not a model ID')
    assert lines[1].startswith('app.py:3:30: RL101 [*] "GPT Image 2\\t" is a product label')
    assert len(lines) == 2 and len(result.output.splitlines()) == 3
