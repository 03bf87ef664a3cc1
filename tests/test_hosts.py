"""routelint inside the linters people already run (issue #19): the real flake8 CLI with the
plugin routelint registers (`RL`), on files that see the rest of their project."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import TODAY, write_host_project


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    if shutil.which("flake8") is None and subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True).returncode:
        pytest.skip("flake8 is not installed (pip install -e '.[test]')")
    env = {**os.environ, "ROUTELINT_TODAY": TODAY}
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "RL", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def app(project: Path) -> Path:
    return write_host_project(project)


def test_flake8_reports_routelint_findings_with_their_codes(app: Path) -> None:
    done = flake8(app, ".")
    assert done.returncode == 1, done.stderr
    lines = sorted(done.stdout.splitlines())
    assert lines[0].startswith("./chat.py:5:32: RL101 ")  # 1-based, as routelint prints it
    # The constant's literal is in settings.py: reported there, naming the call in chat.py.
    assert lines[1].startswith('./settings.py:1:15: RL301 "gpt-realtime-1.5" is a Realtime API model; chat.completions.create() at ')
    assert "chat.py:4" in lines[1]
    assert len(lines) == 2


def test_flake8_on_one_file_sees_its_project_and_its_noqa(app: Path) -> None:
    done = flake8(app, "settings.py")
    assert done.returncode == 1 and "settings.py:1:15: RL301" in done.stdout
    (app / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # noqa: RL301\n')
    assert flake8(app, "settings.py").returncode == 0
    assert flake8(app, "clean.py").stdout == ""


def test_flake8_reads_standard_input(app: Path) -> None:
    env = {**os.environ, "ROUTELINT_TODAY": TODAY}
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "RL", "-"], cwd=app, env=env, capture_output=True, text=True, timeout=120,
        input='client.images.generate(model="GPT Image 2", prompt="x")\n',
    )
    assert done.stdout.startswith("stdin:1:30: RL101 ")
