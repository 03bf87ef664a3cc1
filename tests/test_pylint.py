"""routelint inside pylint (issue #19): the real pylint CLI with `--load-plugins=routelint.pylint`
(and `--load-plugins=routelint`, which used to crash), on files that see the rest of their
project. Skipped where pylint is not installed (it is in the test extra)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import TODAY, run_cli, write_host_project
from routelint.checks import ALL_CHECKS

pytest.importorskip("pylint", reason="pylint is not installed (pip install -e '.[test]')")

from routelint import pylint as plugin  # after the skip: it imports pylint


def pylint(cwd: Path, *args: str, plugins: str = "routelint.pylint", stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ROUTELINT_TODAY": TODAY}
    return subprocess.run(
        [sys.executable, "-m", "pylint", f"--load-plugins={plugins}", "--disable=all", "--enable=routelint",
         "--persistent=n", "--score=n", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, input=stdin,
    )


def messages(done: subprocess.CompletedProcess) -> list[str]:
    return sorted(line for line in done.stdout.splitlines() if not line.startswith("*" * 13))


@pytest.fixture
def app(project: Path) -> Path:
    return write_host_project(project)


def test_each_rule_has_a_message_of_its_severity() -> None:
    ids = {plugin.message_id(check): check for check in ALL_CHECKS}
    assert len(ids) == len(ALL_CHECKS)
    assert plugin.message_id(ALL_CHECKS[2]) == "E9111" and ALL_CHECKS[2].CODE == "RL101"
    assert {(i[0], c.SEVERITY) for i, c in ids.items()} == {("E", "error"), ("W", "warning")}
    assert sorted(symbol for _, symbol, _ in plugin.RoutelintChecker.msgs.values()) == sorted(
        f"routelint-{check.CODE.lower()}" for check in ALL_CHECKS
    )


def test_pylint_reports_routelint_findings_with_their_codes_and_lines(app: Path) -> None:
    done = pylint(app, "chat.py", "settings.py", "clean.py")
    assert done.returncode == 2, done.stderr  # pylint's bit for an error message
    found = messages(done)
    # pylint counts columns from 0; routelint's 1-based column 32 is pylint's 31.
    assert found[0].startswith("chat.py:5:31: E9111: RL101 \"GPT Image 2\" is a product label"), found
    assert found[0].endswith("(routelint-rl101)")
    # The constant's literal is in settings.py: reported there, naming the call in chat.py.
    assert found[1].startswith('settings.py:1:14: E9131: RL301 "gpt-realtime-1.5" is a Realtime API model; chat.completions.create() at '), found
    assert "chat.py:4" in found[1]
    assert len(found) == 2


def test_one_file_sees_its_project(app: Path) -> None:
    done = pylint(app, "settings.py")
    assert [line.split(": ", 1)[0] for line in messages(done)] == ["settings.py:1:14"]
    assert "RL301" in done.stdout and done.returncode == 2
    assert pylint(app, "clean.py").stdout == ""


def test_the_package_name_loads_the_plugin(app: Path) -> None:
    """`--load-plugins=routelint` used to crash (the package had no `register`); naming both
    modules registers the checker once."""
    expected = messages(pylint(app, "chat.py"))
    assert len(expected) == 1
    for plugins in ("routelint", "routelint,routelint.pylint", "routelint.pylint,routelint"):
        done = pylint(app, "chat.py", plugins=plugins)
        assert messages(done) == expected, (plugins, done.stderr)


def test_pylint_disable_pragma_and_noqa(app: Path) -> None:
    (app / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # pylint: disable=routelint-rl301\n')
    done = pylint(app, "settings.py", "--enable=useless-suppression")
    assert done.returncode == 0 and messages(done) == [], done.stdout
    (app / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # pylint: disable=E9131\n')
    assert pylint(app, "settings.py").returncode == 0
    (app / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # noqa: RL301\n')
    assert pylint(app, "settings.py").returncode == 0
    (app / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # routelint: ignore\n')
    assert pylint(app, "settings.py").returncode == 0
    # A pragma may name the whole checker; --disable names a rule.
    (app / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # pylint: disable=routelint\n')
    assert pylint(app, "settings.py").returncode == 0
    assert pylint(app, "chat.py", "--disable=routelint-rl101").returncode == 0


def test_pylint_reads_standard_input(app: Path) -> None:
    done = pylint(app, "--from-stdin", "new.py", stdin='client.images.generate(model="GPT Image 2", prompt="x")\n')
    assert messages(done) == [
        'new.py:1:29: E9111: RL101 "GPT Image 2" is a product label, not an API model ID; the model it names is gpt-image-2 (routelint-rl101)'
    ]


def test_pylint_finds_what_routelint_finds_on_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled examples through pylint and through routelint's command line: the same codes
    at the same places (pylint's columns counted from 0)."""
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    result = run_cli("--output-format", "json", "examples/app.py", "examples/clean.py", separate=True)
    expected = sorted(
        (f["filename"], f["location"]["row"], f["location"]["column"] - 1, f["code"]) for f in json.loads(result.stdout)
    )
    found = sorted(
        (path, int(line), int(column), text.split(": ", 1)[1].split(" ", 1)[0])
        for path, line, column, text in (m.split(":", 3) for m in messages(pylint(root, "examples/app.py", "examples/clean.py")))
    )
    assert len(expected) >= 6 and found == expected
