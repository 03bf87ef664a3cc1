"""The command-line habits of ruff users (issue 18): `check`, --fail-on, -o, --show-files,
--stdin-filename alone, and the combinations that are errors or do nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from harness import notebook, run_cli

WARNING = 'from openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'  # RL202
ERROR = 'MODEL = "GPT Image 2"\n'  # RL101


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTELINT_TODAY", raising=False)
    return run_cli("--no-cache", *args, input=stdin, separate=True)


def test_check_is_the_default_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text(ERROR)
    plain, checked = run(tmp_path, monkeypatch, "app.py"), run(tmp_path, monkeypatch, "check", "app.py")
    assert (checked.exit_code, checked.stdout) == (plain.exit_code, plain.stdout) == (1, plain.stdout)
    (tmp_path / "check").write_text("#!/usr/bin/env python3\n" + ERROR)  # a file of that name is a path
    assert "check:2:9: RL101" in run(tmp_path, monkeypatch, "check").stdout


@pytest.mark.parametrize(
    ("args", "config", "code"),
    [
        ([], "", 1),
        (["--fail-on", "error"], "", 0),
        (["--fail-on", "warning"], 'fail-on = "error"\n', 1),
        ([], 'fail-on = "error"\n', 0),
        (["--fail-on", "note"], "", 1),
    ],
)
def test_fail_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], config: str, code: int) -> None:
    (tmp_path / "routelint.toml").write_text(config)
    (tmp_path / "app.py").write_text(WARNING)
    result = run(tmp_path, monkeypatch, *args, "app.py")
    assert result.exit_code == code and "RL202" in result.stdout  # the finding is shown either way


def test_fail_on_error_still_fails_on_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text(ERROR)
    assert run(tmp_path, monkeypatch, "--fail-on", "error", "app.py").exit_code == 1


def test_a_bad_fail_on_in_the_config_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "routelint.toml").write_text('fail-on = "fatal"\n')
    (tmp_path / "app.py").write_text(ERROR)
    result = run(tmp_path, monkeypatch, "app.py")
    assert result.exit_code == 2 and "fail-on must be one of error, warning, note" in result.stderr


def test_output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text(ERROR)
    result = run(tmp_path, monkeypatch, "-o", "report.json", "--output-format", "json", "app.py")
    assert (result.exit_code, result.stdout) == (1, "")
    assert '"code": "RL101"' in (tmp_path / "report.json").read_text()


def test_show_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("b.py", "a.py", "nb.ipynb", "notes.md", ".venv/x.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    result = run(tmp_path, monkeypatch, "--show-files", ".")
    assert (result.exit_code, result.stdout) == (0, "a.py\nb.py\nnb.ipynb\n")


def test_stdin_filename_alone_reads_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "other.py").write_text(ERROR)  # not linted: the buffer is
    result = run(tmp_path, monkeypatch, "--stdin-filename", "buffer.py", stdin='MODEL = "GPT-5.5 Pro"\n')
    assert result.exit_code == 1 and result.stdout.startswith("buffer.py:1:9: RL101") and "other.py" not in result.stdout


def test_inventory_refuses_formats_it_cannot_print(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(tmp_path, monkeypatch, "--inventory", "--output-format", "sarif", ".")
    assert result.exit_code == 2 and "--inventory prints text, json or csv, not sarif" in result.stderr


def test_unsafe_fixes_alone_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    result = run(tmp_path, monkeypatch, "--unsafe-fixes", "app.py")
    assert result.exit_code == 0 and "--unsafe-fixes does nothing without --fix or --diff" in result.stderr


ADD_NOQA_BEFORE = '''from openai import OpenAI
client = OpenAI()
client.images.generate(model="GPT Image 2", prompt="x")
client.videos.create(model="sora2", prompt="x")  # noqa: RL203
client.images.generate(model="GPT Image 2", prompt="x")  # keep this note
client.images.generate(model="""
GPT Image 2""")
'''
ADD_NOQA_AFTER = '''from openai import OpenAI
client = OpenAI()
client.images.generate(model="GPT Image 2", prompt="x")  # noqa: RL101
client.videos.create(model="sora2", prompt="x")  # noqa: RL203, RL102
client.images.generate(model="GPT Image 2", prompt="x")  # keep this note  # noqa: RL101
client.images.generate(model="""
GPT Image 2""")
'''


def test_add_noqa_silences_each_line_once_and_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = tmp_path / "app.py"
    app.write_text(ADD_NOQA_BEFORE)
    first = run(tmp_path, monkeypatch, "--add-noqa", "app.py")
    assert app.read_text() == ADD_NOQA_AFTER
    assert "Added 3 noqa directives." in first.stderr
    assert "app.py:6: no noqa directive added: the line ends inside a string" in first.stderr
    assert first.exit_code == 1 and first.stdout.startswith("app.py:6:")  # what it could not silence
    second = run(tmp_path, monkeypatch, "--add-noqa", "app.py")
    assert app.read_text() == ADD_NOQA_AFTER and "Added 0 noqa directives." in second.stderr
    assert run(tmp_path, monkeypatch, "app.py").stdout.count("RL") == 1  # only line 6 remains


def test_add_noqa_in_a_notebook_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    (tmp_path / "nb.ipynb").write_bytes(notebook('MODEL = "GPT Image 2"\nx = 1'))
    result = run(tmp_path, monkeypatch, "--add-noqa", "nb.ipynb")
    assert result.exit_code == 0 and "Added 1 noqa directive." in result.stderr
    source = json.loads((tmp_path / "nb.ipynb").read_text())["cells"][0]["source"]
    assert source == ['MODEL = "GPT Image 2"  # noqa: RL101\n', "x = 1"]


def test_add_noqa_does_not_go_with_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch, "--add-noqa", "--fix", ".").exit_code == 2


def test_the_source_is_in_full_and_json_not_on_the_one_line_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    (tmp_path / "app.py").write_text(WARNING)
    concise = run(tmp_path, monkeypatch, "app.py").stdout
    assert "RL202" in concise and "source" not in concise
    assert all(len(line) <= 200 for line in concise.splitlines())
    full = run(tmp_path, monkeypatch, "--output-format", "full", "app.py").stdout
    assert "= source: openai==" in full
    [finding] = json.loads(run(tmp_path, monkeypatch, "--output-format", "json", "app.py").stdout)
    assert finding["source"].startswith("openai==") and "note" in finding


def test_explain_states_the_severity_as_the_rule_applies_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = run(tmp_path, monkeypatch, "--explain", "RL203").stdout
    assert "Severity: error (once the date has passed; a warning while it is ahead" in text


def test_a_finding_fix_would_fix_is_marked_as_ruff_marks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text(ERROR + WARNING)
    lines = run(tmp_path, monkeypatch, "app.py").stdout.splitlines()
    assert lines[0].startswith('app.py:1:9: RL101 [*] "GPT Image 2"')  # a safe fix
    assert "RL202 [*]" not in lines[1] and "RL202" in lines[1]  # no fix
