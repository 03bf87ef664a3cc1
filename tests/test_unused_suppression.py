"""RL100 beyond one fixture file: what the fix removes, files that hold no candidate, notebooks,
suppressions whose finding is made in another file, rules turned off, and --add-noqa."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from harness import notebook, run_cli

USE = 'client.chat.completions.create(model="gpt-5.5", messages=[])'
LABEL = 'client.chat.completions.create(model="GPT-5.5 Pro", messages=[])'


def run(*args: str) -> Result:
    return run_cli("--no-cache", *args)


def codes_in(output: str) -> list[tuple[str, int, str]]:
    return sorted((f["filename"], f["location"]["row"], f["code"]) for f in json.loads(output))


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(f"x = 1\n# noqa: RL101\n{USE}\n", f"x = 1\n{USE}\n", id="a-line-of-its-own-goes"),
        pytest.param("x = 1\r\n    # noqa: RL101\r\ny = 2\r\n", "x = 1\r\ny = 2\r\n", id="crlf"),
        pytest.param(f"{USE}  # noqa: RL101", f"{USE}", id="no-final-newline"),
        pytest.param(f"{USE}  # why  # noqa: RL101\n", f"{USE}  # why\n", id="after-other-words"),
        pytest.param(f"{USE}  # noqa: RL101  # why\n", f"{USE}  # why\n", id="before-another-comment"),
        pytest.param(f"{USE}  # noqa:RL101,E501\n", f"{USE}  # noqa: E501\n", id="other-codes-stay"),
        pytest.param(f"{USE}  # routelint: ignore[RL999, RL101]\n", f"{USE}\n", id="ignore-form"),
        pytest.param(f"{USE}  # noqa: RL101 for the migration\n", f"{USE}  # noqa: RL101 for the migration\n", id="words-after-no-fix"),
    ],
)
def test_the_fix_takes_out_only_the_unused_codes(project: Path, before: str, after: str) -> None:
    path = project / "app.py"
    path.write_bytes(before.encode())
    result = run("--fix", "app.py")
    assert path.read_bytes() == after.encode(), result.output
    assert run("app.py").exit_code == (1 if "for the migration" in before else 0)


def test_a_file_with_no_candidate_string_is_still_read_for_its_directives(project: Path) -> None:
    (project / "plain.py").write_text("x = 1  # noqa: RL101\ny = 2  # noqa: E501\n")
    for _ in range(2):  # the second run is served from the cache
        result = run_cli("--output-format", "json", ".")
        assert codes_in(result.output) == [("plain.py", 1, "RL100")]


def test_a_notebook_cell(project: Path) -> None:
    (project / "n.ipynb").write_bytes(notebook("import os\n", f"{LABEL}  # noqa: RL101\n{USE}  # noqa: RL101\n"))
    result = run("n.ipynb")
    assert "n.ipynb:cell 2:2:" in result.output and result.output.count("RL100") == 1, result.output


def test_a_rule_turned_off_is_not_judged(project: Path) -> None:
    (project / "app.py").write_text(f"{USE}  # noqa: RL101\n")
    assert run("--ignore", "RL101", "app.py").exit_code == 0
    assert run("--select", "RL100", "app.py").exit_code == 0
    (project / "pyproject.toml").write_text('[tool.routelint.per-file-ignores]\n"app.py" = ["RL1"]\n')
    assert "RL100" not in run("app.py").output


@pytest.fixture
def project(project: Path) -> Path:
    (project / "pyproject.toml").write_text("[tool.routelint]\n")
    return project


def test_a_suppression_whose_finding_is_made_in_another_file(project: Path) -> None:
    """The use's noqa silences a finding reported at the constant (judge.shared_uses); the constant's
    noqa is used only by another file's use. Neither is unused, whichever files a run is given."""
    (project / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\nOTHER = "gpt-realtime-1.5"  # noqa: RL301\n')
    (project / "app.py").write_text(
        "from openai import OpenAI\nfrom settings import OTHER, VOICE\n\nclient = OpenAI()\n"
        "client.chat.completions.create(model=VOICE, messages=[])  # noqa: RL301\n"
        "client.chat.completions.create(model=OTHER, messages=[])\n"
    )
    for given in (["."], ["app.py"], ["settings.py"]):
        result = run("--output-format", "json", *given)
        assert codes_in(result.output) == [], (given, result.output)
    # Once no file uses OTHER as a model, its noqa silences nothing.
    app = (project / "app.py").read_text().replace("model=OTHER", 'model="gpt-5.5"')
    (project / "app.py").write_text(app)
    for given in (["."], ["settings.py"]):
        assert codes_in(run("--output-format", "json", *given).output) == [("settings.py", 2, "RL100")], given


def test_add_noqa_leaves_nothing_unused(project: Path) -> None:
    path = project / "app.py"
    path.write_text(f"{LABEL}\n{USE}\nclient.videos.create(model='sora-2', prompt='x')\n")
    assert run("--add-noqa", "app.py").exit_code == 0
    assert "noqa" in path.read_text()
    assert run("app.py").exit_code == 0, run("app.py").output
