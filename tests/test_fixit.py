"""The Fixit rule pack (routelint/fixit.py), run by the real `fixit` command: needs the `fixit`
extra, which pins click < 8.2, so these run where it is installed (.ci/run: the Python 3.9 venv,
`pip install -e '.[test,fixit]'`) and are skipped elsewhere."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fixit")

from harness import DEFAULT_TODAY
from routelint.checks import ALL_CHECKS

CONFIG = '[tool.fixit]\nroot = true\nenable = ["routelint.fixit"]\ndisable = ["fixit.rules"]\n\n[tool.routelint]\n'
MAIN = (
    "from openai import OpenAI\n\nfrom app.settings import VOICE\n\nclient = OpenAI()\n"
    'client.images.generate(model="GPT Image 2", prompt="x")\n'
    "client.chat.completions.create(model=VOICE, messages=[])\n"
    'client.videos.create(model="sora-2", prompt="x")  # lint-ignore: RL201ShutDownModel\n'
)


def fixit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROUTELINT_TODAY": str(DEFAULT_TODAY)}
    return subprocess.run(
        [sys.executable, "-m", "fixit", *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(project: Path) -> Path:
    (project / "pyproject.toml").write_text(CONFIG)
    (project / "app").mkdir()
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (project / "app" / "main.py").write_text(MAIN)
    (project / "clean.py").write_text('MODEL = "gpt-5.5"\n')
    return project


def test_one_fixit_rule_per_routelint_rule() -> None:
    from fixit import LintRule

    import routelint.fixit as pack

    rules = {name: value for name, value in vars(pack).items() if isinstance(value, type) and issubclass(value, LintRule) and value is not LintRule}
    assert sorted(rule.CODE for rule in rules.values()) == sorted(check.CODE for check in ALL_CHECKS)
    assert rules["RL101DisplayNameAsModelId"].AUTOFIX and not rules["RL203ShutDownApi"].AUTOFIX


def test_fixit_lint_reports_through_its_own_machinery(project: Path) -> None:
    result = fixit(project, "lint", "app", "clean.py")
    lines = sorted(result.stdout.splitlines())
    assert result.returncode == 1, result.stderr
    assert any(line.startswith("app/main.py@6:29 RL101DisplayNameAsModelId: \"GPT Image 2\"") and "(has autofix)" in line for line in lines), lines
    assert any(line.startswith("app/main.py@8:0 RL203ShutDownApi:") for line in lines), lines
    # The constant is judged where its literal is, with the call that sends it (cross-file).
    assert any(line.startswith("app/settings.py@1:8 RL301ModelEndpointMismatch:") and "app/main.py:7" in line for line in lines), lines
    assert not any("RL201" in line for line in lines), "Fixit's lint-ignore on the literal"
    assert not any(line.startswith("clean.py") for line in lines)
    assert fixit(project, "lint", "clean.py").returncode == 0


def test_routelint_settings_and_noqa_apply(project: Path) -> None:
    (project / "pyproject.toml").write_text(CONFIG + 'ignore = ["RL203"]\n')
    main = project / "app" / "main.py"
    main.write_text(MAIN.replace('prompt="x")\n', 'prompt="x")  # noqa: RL101\n', 1))
    out = fixit(project, "lint", "app").stdout
    assert "RL203" not in out and "RL101" not in out and "RL301" in out, out


def test_fixit_fix_applies_safe_fixes_only(project: Path) -> None:
    main = project / "app" / "main.py"
    main.write_text(MAIN + 'client.images.generate(model="GPT-5.5 Instant", prompt="x")\n')
    result = fixit(project, "fix", "--automatic", "app/main.py")
    assert result.returncode == 0 or "fix applied" in result.stderr, result.stderr
    fixed = main.read_text()
    assert fixed == (MAIN + 'client.images.generate(model="GPT-5.5 Instant", prompt="x")\n').replace('"GPT Image 2"', '"gpt-image-2"')


def test_places_are_the_files_where_libcst_renders_a_line_otherwise(project: Path) -> None:
    """LibCST's rendering of a module drops a line of only indentation and a backslash, and
    repeats a form feed that opens a block on each of its lines (#12 W1, W2): findings are placed
    in the file's own text, as routelint places them (they were placed in the rendering, a line
    up and a column right). LibCST's positions of the literals are the rendering's there, so no
    literal is matched to a finding: no autofix that could land on the wrong literal."""
    text = (
        "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef f():\n    pass\n    \\\n"
        '    client.images.generate(model="GPT Image 2", prompt="x")\n'
        '    client.images.generate(model="GPT Image 2", prompt="x")  # noqa: RL101\n'
        "if True:\n\f    pass\n"
        '    client.images.generate(model="GPT Image 2", prompt="x")\n'
    )
    hostile = project / "hostile.py"
    hostile.write_bytes(text.encode())
    out = fixit(project, "lint", "hostile.py").stdout
    assert sorted(line.split(" ", 1)[0] for line in out.splitlines()) == ["hostile.py@13:33", "hostile.py@9:33"], out
    assert "autofix" not in out
    fixit(project, "fix", "--automatic", "hostile.py")
    # Fixit itself writes a file it reports on from LibCST's rendering (the backslash line goes),
    # but no model string was changed.
    assert hostile.read_bytes().decode().count('"GPT Image 2"') == 3
