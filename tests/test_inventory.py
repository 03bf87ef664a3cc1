"""routelint --inventory: every catalog model in use, by model, with its lifecycle."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harness import run_cli
from routelint.cli import main

SETTINGS = 'CHAT_MODEL = "gpt-4"\nIMAGE_MODEL = "GPT Image 2"  # routelint: ignore\nOTHER = "llama-3"\n'
APP = (
    "from openai import OpenAI\n"
    "from .settings import CHAT_MODEL, IMAGE_MODEL\n"
    "client = OpenAI()\n"
    "client.chat.completions.create(model=CHAT_MODEL, messages=[])\n"
    "client.images.generate(model=IMAGE_MODEL, prompt='x')\n"
    "client.responses.create(model='gpt-5', input='x')\n"
)


@pytest.fixture
def project(project: Path) -> Path:
    tmp_path = project  # the conftest fixture: an empty working folder
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "settings.py").write_text(SETTINGS)
    (tmp_path / "pkg" / "app.py").write_text(APP)
    return tmp_path


def run(*args: str) -> Result:
    return run_cli("--inventory", *args)


def test_text_groups_uses_by_model_with_dates_and_surfaces(project: Path) -> None:
    result = run(".")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "gpt-4 [shut-down, shutdown 2026-10-23 (33 days ago)]: 1 use"
    assert lines[1] == "  pkg/settings.py:1:14 (name) -> chat.completions via chat.completions.create at pkg/app.py:4"
    assert lines[2] == "gpt-5 [deprecated, shutdown 2026-12-11 (16 days left)]: 1 use"
    assert '  pkg/settings.py:2:15 as "GPT Image 2" (name) -> images via images.generate at pkg/app.py:5' in lines
    assert lines[-1] == "3 models in use."
    assert "llama" not in result.output


def test_json_and_csv(project: Path) -> None:
    entries = json.loads(run("--output-format", "json", ".").output)
    assert [e["model"] for e in entries] == ["gpt-4", "gpt-5", "gpt-image-2"]
    assert entries[1]["days_left"] == 16 and entries[1]["uses"][0]["surfaces"] == ["responses"]
    rows = list(csv.DictReader(io.StringIO(run("--output-format", "csv", ".").output)))
    assert {r["model"] for r in rows} == {"gpt-4", "gpt-5", "gpt-image-2"}
    assert rows[-1]["written"] == "GPT Image 2" and rows[-1]["surfaces"] == "images"


def test_csv_is_only_for_the_inventory(project: Path) -> None:
    result = CliRunner().invoke(main, ["--output-format", "csv", "."])
    assert result.exit_code == 2 and "--inventory" in result.output


# --- some files of a project (issue 13: the inventory goes through the lint's cross-file driver) --
OTHER = "from openai import OpenAI\nfrom .settings import CHAT_MODEL\nOpenAI().responses.create(model=CHAT_MODEL, input='x')\n"
CHAT_IN_APP = "  pkg/settings.py:1:14 (name) -> chat.completions via chat.completions.create at pkg/app.py:4"
RESPONSES_IN_OTHER = "  pkg/settings.py:1:14 (name) -> responses via responses.create at pkg/other.py:3"


@pytest.fixture
def whole(project: Path) -> Path:
    (project / "pyproject.toml").write_text("[tool.routelint]\n")  # the project root
    (project / "pkg" / "other.py").write_text(OTHER)
    return project


def places(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line.startswith("  ")]


def test_a_file_named_sees_the_constants_its_project_holds(whole: Path) -> None:
    everything = places(run("."))
    assert CHAT_IN_APP in everything and RESPONSES_IN_OTHER in everything
    named = places(run("pkg/app.py"))
    # The models app.py takes from settings.py, where they are written; not other.py's use.
    assert named == [line for line in everything if line != RESPONSES_IN_OTHER]
    assert RESPONSES_IN_OTHER not in named


def test_a_file_named_lists_its_models_other_files_use(whole: Path) -> None:
    named = places(run("pkg/settings.py"))
    assert CHAT_IN_APP in named and RESPONSES_IN_OTHER in named
    assert all(line.startswith("  pkg/settings.py:") for line in named)  # app.py's own "gpt-5" is not named
    assert places(run("pkg/other.py")) == [RESPONSES_IN_OTHER]


def test_each_file_named_lists_what_the_whole_tree_says_of_it(whole: Path) -> None:
    everything = places(run("."))
    for name in ("pkg/app.py", "pkg/settings.py", "pkg/other.py"):
        wanted = [line for line in everything if line.startswith(f"  {name}:") or f" at {name}:" in line]
        assert places(run(name)) == wanted, name


def test_the_inventory_uses_public_stage_functions_only() -> None:
    """Issue 13: the inventory reads the engine's stages through their public names."""
    import ast

    import routelint.inventory

    tree = ast.parse(Path(routelint.inventory.__file__).read_text(encoding="utf-8"))
    private = sorted(
        {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names if alias.name.startswith("_")}
        | {
            node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        }
    )
    assert private == []
