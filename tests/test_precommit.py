"""The real pre-commit runs both hooks from this repository (it may install packages from the
package index; nothing else in the tests uses the network)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import TODAY, notebook

ROOT = Path(__file__).parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
pytestmark = pytest.mark.slow  # each runs the real pre-commit, which builds an environment


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q")
    git(work, "config", "user.email", "test@example.invalid")
    git(work, "config", "user.name", "test")
    (work / "app.py").write_text('client.images.generate(model="GPT Image 2", prompt="x")\n')
    git(work, "add", "app.py")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))},
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "ROUTELINT_TODAY": TODAY,
    }
    return work, env


def try_repo(work: Path, env: dict, hook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )


def test_check_hook_fails_naming_the_finding(repo: tuple[Path, dict]) -> None:
    work, env = repo
    result = try_repo(work, env, "routelint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'app.py:1:30: RL101 [*] "GPT Image 2" is a product label' in result.stdout


def test_fix_hook_rewrites_then_passes(repo: tuple[Path, dict]) -> None:
    work, env = repo
    first = try_repo(work, env, "routelint-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (work / "app.py").read_text() == 'client.images.generate(model="gpt-image-2", prompt="x")\n'
    git(work, "add", "app.py")
    second = try_repo(work, env, "routelint-fix")
    assert second.returncode == 0, second.stdout + second.stderr


def test_the_hook_sees_names_across_files_and_notebooks(repo: tuple[Path, dict]) -> None:
    """pre-commit splits files over processes unless a hook says `require_serial`: a constant in
    settings.py used by one of 60 modules must still be judged where it goes; notebooks are
    passed too (`types_or: [..., jupyter]`)."""
    work, env = repo
    (work / "app.py").write_text("x = 1\n")
    (work / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"\n')
    for i in range(60):
        (work / f"module_{i:02}.py").write_text(f"def f{i}():\n    return {i}\n")
    (work / "chat.py").write_text(  # sorted first: settings.py falls in another of pre-commit's partitions
        "from openai import OpenAI\nfrom settings import VOICE_MODEL\n\n"
        "OpenAI().chat.completions.create(model=VOICE_MODEL, messages=[])\n"
    )
    (work / "explore.ipynb").write_bytes(notebook('IMAGE_MODEL = "GPT Image 2"\n'))
    git(work, "add", ".")
    result = try_repo(work, env, "routelint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "settings.py:1:15: RL301" in result.stdout and "chat.py:4" in result.stdout
    assert "explore.ipynb:cell 1:1:15: RL101" in result.stdout


def test_a_commit_of_only_the_use_fails_the_hook(repo: tuple[Path, dict]) -> None:
    """Issue #15: pre-commit passes only the staged files. settings.py is committed and
    unchanged; staging a new chat.py that sends its constant to the wrong API fails the hook,
    and so does staging only a change of the constant that an unchanged file misuses."""
    work, env = repo
    (work / "app.py").write_text("x = 1\n")
    (work / "settings.py").write_text('VOICE_MODEL = "gpt-5.5"\n')
    git(work, "add", ".")
    git(work, "commit", "-qm", "start")
    (work / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE_MODEL\n\n"
        "OpenAI().realtime.connect(model=VOICE_MODEL)\n"
    )
    git(work, "add", "chat.py")
    staged = subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), "routelint"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert "settings.py:1:15: RL301" in staged.stdout and "chat.py:4" in staged.stdout
    git(work, "commit", "-qm", "chat", "--no-verify")
    (work / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"\n')  # fine for realtime.connect
    (work / "chat.py").write_text(
        "from openai import OpenAI\nfrom settings import VOICE_MODEL\n\n"
        "OpenAI().chat.completions.create(model=VOICE_MODEL, messages=[])\n"
    )
    git(work, "add", "chat.py")
    git(work, "commit", "-qm", "chat on chat completions", "--no-verify")
    (work / "settings.py").write_text('VOICE_MODEL = "gpt-realtime-1.5"  # changed comment\n')
    git(work, "add", "settings.py")
    holder = subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), "routelint"], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    assert holder.returncode == 1, holder.stdout + holder.stderr
    assert "settings.py:1:15: RL301" in holder.stdout
