"""Notebooks through the whole pipeline (issue #16): discovered beside .py files, screened on
their raw JSON, linted, fixed in place, named by cell in every format, cached, split over worker
processes, suppressed; and a path that yields nothing to read is said so, never "All checks
passed". The pure reading and writing of a notebook is tests/test_notebooks.py."""
from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness import DEFAULT_TODAY, notebook, run_cli
from routelint.catalog import load_catalog
from routelint.engine import Linter
from routelint.notebook_json import screening_bytes
from routelint.notebooks import read_notebook
from routelint.prefilter import file_bytes

FIXTURES = Path(__file__).parent / "fixtures_notebooks"
@cache
def linter() -> Linter:
    return Linter(load_catalog(), today=DEFAULT_TODAY)


def run(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("ROUTELINT_TODAY", raising=False)
    result = run_cli(*args, separate=True)
    return result.exit_code, result.stdout, result.stderr


LABEL_CELL = 'client.images.generate(model="GPT Image 2", prompt="x")\n'


# --- discovery and "never clean without reading" ----------------------------------------------


def test_a_folder_of_notebooks_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "explore.ipynb").write_bytes(notebook("from openai import OpenAI\nclient = OpenAI()\n", LABEL_CELL))
    code, out, _ = run(tmp_path, "--no-cache", "nb", monkeypatch=monkeypatch)
    assert code == 1
    assert out.startswith('nb/explore.ipynb:cell 2:1:30: RL101 [*] "GPT Image 2" is a product label')


def test_a_notebook_named_on_the_command_line_is_read_as_a_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "explore.ipynb").write_bytes(notebook(LABEL_CELL))
    code, out, _ = run(tmp_path, "--no-cache", "explore.ipynb", monkeypatch=monkeypatch)
    assert (code, out.splitlines()[0].split(": RL")[0]) == (1, "explore.ipynb:cell 1:1:30")


@pytest.mark.parametrize(
    ("config", "found"),
    [
        ("", {"app.py", "nb.ipynb"}),
        ('include = ["*.py"]\n', {"app.py"}),
        ('include = ["*.py"]\nextend-include = ["*.ipynb"]\n', {"app.py", "nb.ipynb"}),
        ('extend-include = ["*.pyw", "scripts/*"]\n', {"app.py", "nb.ipynb", "tool.pyw", "scripts/run"}),
    ],
)
def test_include_and_extend_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, found: set[str]) -> None:
    (tmp_path / "routelint.toml").write_text(config)
    (tmp_path / "scripts").mkdir()
    for name in ("app.py", "tool.pyw", "scripts/run"):
        (tmp_path / name).write_text('MODEL = "GPT Image 2"\n')
    (tmp_path / "nb.ipynb").write_bytes(notebook('MODEL = "GPT Image 2"\n'))
    _, out, _ = run(tmp_path, "--no-cache", "--output-format", "json", ".", monkeypatch=monkeypatch)
    assert {f["filename"] for f in json.loads(out)} == found


def test_a_file_that_is_neither_python_nor_a_notebook_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.yaml").write_text('model: "GPT Image 2"\n')
    (tmp_path / "script").write_text('#!/usr/bin/env python3\nMODEL = "GPT Image 2"\n')  # pre-commit passes these
    code, out, err = run(tmp_path, "--no-cache", "config.yaml", "script", monkeypatch=monkeypatch)
    assert "routelint: warning: skipped config.yaml: not a Python source or notebook" in err
    assert code == 1 and out.startswith("script:2:9: RL101")


def test_a_folder_given_again_inside_another_is_not_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "app.py").write_text('MODEL = "GPT Image 2"\n')
    code, out, err = run(tmp_path, "--no-cache", ".", "./sub", "sub/app.py", monkeypatch=monkeypatch)
    assert code == 1 and out.count("RL101") == 1  # each file once
    assert "No Python files found" not in err


def test_a_folder_with_nothing_to_read_never_passes_as_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("gpt-4o\n")
    code, out, err = run(tmp_path, "--no-cache", "docs", monkeypatch=monkeypatch)
    assert (code, out) == (0, "No files checked.\n")
    assert err.count("routelint: warning: No Python files found under docs") == 1


def test_a_notebook_of_another_language_is_skipped_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.ipynb").write_bytes(notebook('model <- "GPT Image 2"\n', language="R"))
    code, out, err = run(tmp_path, "--no-cache", ".", monkeypatch=monkeypatch)
    assert (code, out) == (0, "No files checked.\n")
    assert "routelint: warning: skipped r.ipynb: it is a R notebook, not Python" in err


def test_a_file_that_is_not_a_notebook_is_rl001(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.ipynb").write_text('{"cells": [ "gpt-4o"')
    code, out, _ = run(tmp_path, "--no-cache", ".", monkeypatch=monkeypatch)
    assert code == 1 and out.startswith("bad.ipynb:1:1: RL001 cannot check this file: it is not a notebook: ")


# --- what is found, and where it is said to be ------------------------------------------------


def test_a_broken_cell_is_one_rl001_and_the_other_cells_are_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nb.ipynb").write_bytes(notebook("x = 1\n", "def broken(:\n    pass\n", LABEL_CELL))
    _, out, _ = run(tmp_path, "--no-cache", ".", monkeypatch=monkeypatch)
    assert [line.split(" ")[0:2] for line in out.splitlines()[:2]] == [
        ["nb.ipynb:cell", "2:1:1:"], ["nb.ipynb:cell", "3:1:30:"],
    ]
    assert "RL001 cannot check cell 2: cannot parse" in out


def test_a_message_names_the_cell_of_the_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nb.ipynb").write_bytes(notebook('IMAGE = "gpt-5.5"\n', "x = 1\nclient.images.generate(model=IMAGE)\n"))
    _, out, _ = run(tmp_path, "--no-cache", ".", monkeypatch=monkeypatch)
    assert out.startswith('nb.ipynb:cell 1:1:9: RL301 "gpt-5.5" is a Chat Completions API or Responses API model; images.generate() at cell 2, line 2 does not accept it')


def test_a_constant_of_a_module_reaches_a_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "settings.py").write_text('VOICE = "gpt-realtime-1.5"\n')
    (tmp_path / "nb.ipynb").write_bytes(notebook("from settings import VOICE\n", "client.chat.completions.create(model=VOICE, messages=[])\n"))
    _, out, _ = run(tmp_path, "--no-cache", ".", monkeypatch=monkeypatch)
    assert "settings.py:1:9: RL301" in out and "at nb.ipynb:cell 2:1" in out


def test_noqa_in_a_cell_skip_file_in_the_first_cell_and_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "noqa.ipynb").write_bytes(notebook(LABEL_CELL.replace("\n", "  # noqa: RL101\n"), LABEL_CELL))
    (tmp_path / "skipped.ipynb").write_bytes(notebook("# routelint: skip-file\n", LABEL_CELL))
    (tmp_path / "ignored.ipynb").write_bytes(notebook(LABEL_CELL))
    (tmp_path / "routelint.toml").write_text('[per-file-ignores]\n"ignored.ipynb" = ["RL101"]\n')
    _, out, _ = run(tmp_path, "--no-cache", ".", monkeypatch=monkeypatch)
    assert [line.split(": RL")[0] for line in out.splitlines()[:-1]] == ["noqa.ipynb:cell 2:1:30"]


def test_json_rows_are_the_cells_and_cell_is_null_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nb.ipynb").write_bytes(notebook("x = 1\n", "y = 2\n" + LABEL_CELL))
    (tmp_path / "app.py").write_text('MODEL = "GPT Image 2"\n')
    _, out, _ = run(tmp_path, "--no-cache", "--output-format", "json", ".", monkeypatch=monkeypatch)
    by_file = {f["filename"]: f for f in json.loads(out)}
    assert by_file["app.py"]["cell"] is None
    placed = by_file["nb.ipynb"]
    assert (placed["cell"], placed["location"], placed["noqa_row"]) == (2, {"row": 2, "column": 30}, 2)
    assert placed["fix"]["edits"][0]["location"] == {"row": 2, "column": 30}


@pytest.mark.parametrize("ensure_ascii", [False, True])
@pytest.mark.parametrize("as_lines", [False, True])
def test_github_points_at_the_string_in_the_files_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ensure_ascii: bool, as_lines: bool
) -> None:
    data = notebook("# données\n", "é = 1\n" + LABEL_CELL, ensure_ascii=ensure_ascii, as_lines=as_lines)
    (tmp_path / "nb.ipynb").write_bytes(data)
    _, out, _ = run(tmp_path, "--no-cache", "--output-format", "github", ".", monkeypatch=monkeypatch)
    fields = dict(part.split("=") for part in out.split("::")[1].split(" ", 1)[1].split(","))
    line = data.decode().splitlines()[int(fields["line"]) - 1]
    start, end = int(fields["col"]) - 1, int(fields["endColumn"]) - 1
    assert line[start:end] == '\\"GPT Image 2\\"'
    assert out.split("::")[2].startswith("cell 2, line 2, column 30: ")


# --- fixes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fix_changes_only_the_string_and_keeps_every_other_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str) -> None:
    outputs = [{"name": "stdout", "output_type": "stream", "text": ["réponse ✓ GPT Image 2\n"]}]
    data = notebook("%pip install openai\n", LABEL_CELL, outputs=outputs, newline=newline)
    (tmp_path / "nb.ipynb").write_bytes(data)
    (tmp_path / "clean.ipynb").write_bytes(notebook("x = 1\n", outputs=outputs, newline=newline))
    code, out, _ = run(tmp_path, "--no-cache", "--fix", ".", monkeypatch=monkeypatch)
    assert (code, out) == (0, "Fixed 1 finding. No findings remain.\n")
    assert (tmp_path / "nb.ipynb").read_bytes() == data.replace(b'\\"GPT Image 2\\"', b'\\"gpt-image-2\\"')
    assert (tmp_path / "clean.ipynb").read_bytes() == notebook("x = 1\n", outputs=outputs, newline=newline)


def test_diff_shows_the_cell_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = notebook("x = 1\n", "%time y = 2\n" + LABEL_CELL)
    (tmp_path / "nb.ipynb").write_bytes(data)
    code, out, _ = run(tmp_path, "--no-cache", "--diff", ".", monkeypatch=monkeypatch)
    assert code == 1 and (tmp_path / "nb.ipynb").read_bytes() == data
    assert out == (
        "--- a/nb.ipynb:cell 2\n+++ b/nb.ipynb:cell 2\n@@ -1,2 +1,2 @@\n %time y = 2\n"
        f"-{LABEL_CELL}+{LABEL_CELL.replace('GPT Image 2', 'gpt-image-2')}"
    )


def test_every_fixture_notebook_round_trips_through_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After --fix, re-reading each notebook gives the same cells but for the fixed strings, and
    a notebook that had nothing to fix is byte for byte the same."""
    for path in FIXTURES.glob("*.ipynb"):
        shutil.copy(path, tmp_path / path.name)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    run(tmp_path, "--no-cache", "--fix", ".", monkeypatch=monkeypatch)
    for name, data in before.items():
        after = (tmp_path / name).read_bytes()
        if b"GPT Image 2" not in data:
            assert after == data, name
            continue
        old, new = read_notebook(data), read_notebook(after)
        assert new.text == old.text.replace('"GPT Image 2"', '"gpt-image-2"') or b"def broken(" in data, name
        assert len(after) == len(data), name  # the label and its ID are as long
        labels = [i for i in range(len(data)) if data.startswith(b"GPT Image 2", i)]
        changed = [i for i, (a, b) in enumerate(zip(data, after)) if a != b]
        assert all(any(0 <= i - at < 11 for at in labels) for i in changed), name


# --- the cache and worker processes ---------------------------------------------------------------


def test_cached_and_parallel_runs_say_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(40):
        (tmp_path / f"nb{i:02}.ipynb").write_bytes(notebook("x = 1\n", f"# {i}\n" + LABEL_CELL))
    for i in range(300):
        (tmp_path / f"plain{i:03}.ipynb").write_bytes(notebook(f"print({i})\n"))
    serial = run(tmp_path, "--no-cache", "--jobs", "1", ".", monkeypatch=monkeypatch)
    assert serial[0] == 1 and serial[1].count("RL101") == 40 and serial[1].startswith("nb00.ipynb:cell 2:2:30: RL101")
    assert run(tmp_path, "--no-cache", "--jobs", "3", ".", monkeypatch=monkeypatch) == serial
    assert run(tmp_path, ".", monkeypatch=monkeypatch)[:2] == serial[:2]  # fills the cache
    assert run(tmp_path, ".", monkeypatch=monkeypatch)[:2] == serial[:2]  # served from it


# --- the prefilter on raw JSON is sound ---------------------------------------------------------

_PIECES = [
    '"gpt-4o"', "'gpt-4o'", '"GPT Image 2"', '" gpt-5.5\\t"', '"\\tgpt-5.5"', '"gpt-realtime-1.5"', '"""\ngpt-4o\n"""',
    '"gpt\t4o"', '"gpt\u00a04o"', '"\u2003gpt-4o"', "model=", '"a\\\\"', '"\\"gpt-4o\\""', "r'o3'", "videos.create(",
    "prompt=", '"prompt":', "x", " ", "\n", "\t", "\\", '"', "é", "\u2028", "?model=", "\r\n",
]


@given(
    st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), min_size=1, max_size=3),
    st.booleans(), st.booleans(), st.sampled_from([None, 1, 2]),
)
def test_a_notebook_the_raw_screen_settles_as_clean_has_no_candidate(
    sources: list[str], ensure_ascii: bool, as_lines: bool, indent: int | None
) -> None:
    data = notebook(*sources, ensure_ascii=ensure_ascii, as_lines=as_lines, indent=indent)
    text = read_notebook(data).text
    if linter().prefilter.matches(file_bytes(text)):
        assert linter().prefilter.matches(screening_bytes(data))


def test_the_screen_undoes_json_escapes_as_json_does() -> None:
    assert screening_bytes(b'["a \\"gpt-4o\\"", "\\\\n", "\\u00e9\\t"]') == '["a "gpt-4o"", "\\n", "é\t"]'.encode()
    assert screening_bytes(b'["x = \\"\\"\\"\\n",\n  "gpt\\n",\n  "4o\\"\\"\\""]') == b'["x = """\ngpt\n4o""""]'


def test_a_notebook_on_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = notebook("x = 1\n", LABEL_CELL)
    monkeypatch.chdir(tmp_path)
    lint = run_cli("--stdin-filename", "nb.ipynb", "-", input=data, separate=True)
    assert lint.exit_code == 1 and lint.stdout.startswith("nb.ipynb:cell 2:1:30: RL101")
    fix = run_cli("--fix", "--stdin-filename", "nb.ipynb", "-", input=data, separate=True)
    assert fix.stdout_bytes == data.replace(b'\\"GPT Image 2\\"', b'\\"gpt-image-2\\"')


def test_a_call_in_a_line_magic_uses_the_default_it_leaves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`%time slow = _ask("hello")` runs `_ask` with its default, though the masked text routelint
    parses shows `pass` there: no count of a name's mentions is trusted in a notebook (review)."""
    helper = (
        "from openai import OpenAI\nclient = OpenAI()\n\n\n"
        'def _ask(prompt, model="gpt-4-0314"):\n    return client.chat.completions.create(model=model, messages=[])\n'
    )
    (tmp_path / "nb.ipynb").write_bytes(notebook(helper, 'answer = _ask("hi", "gpt-5.5")\n', '%time slow = _ask("hello")\n'))
    code, out, _ = run(tmp_path, "--no-cache", "--today", "2026-12-07", "--output-format", "json", ".", monkeypatch=monkeypatch)
    assert code == 1 and [(f["code"], f["cell"], f["location"]["row"]) for f in json.loads(out)] == [("RL201", 1, 5)]
