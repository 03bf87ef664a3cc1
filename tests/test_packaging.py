"""The catalog in rules/ must ship inside a regular (non-editable) install.

Builds a wheel, installs it in a fresh venv (package installs are the only network the tests
use) and lints a fixture with it from a folder outside the repository.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from harness import TODAY

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_wheel_carries_the_catalog_and_works(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("routelint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for catalog_file in ("sdk.toml", "surfaces.toml", "curated.toml", "wrappers.toml", "code.toml", "sdk-layout.toml", "sdk-notices.toml"):
        assert f"routelint/rules/{catalog_file}" in names
    assert "routelint/catalog_sync/classify.py" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)

    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "app.py").write_text((ROOT / "tests/fixtures/rl101/labels.py").read_text())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(env_dir / "bin" / "routelint"), "--today", TODAY, "app.py"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.count(" RL101 ") == 12

    # The generator's own data ships too: --sync-catalog works from the wheel, reading the openai
    # package of the interpreter running these tests (the test extra pins it).
    if importlib.util.find_spec("openai") is not None:
        synced = subprocess.run(
            [str(env_dir / "bin" / "routelint"), "--sync-catalog", "overlay.toml", "--python", sys.executable],
            cwd=work, env=env, capture_output=True, text=True, check=False,
        )
        assert synced.returncode == 0, synced.stdout + synced.stderr
        assert "No changes against the catalog routelint ships." in synced.stdout
        assert '[parameters."responses.prompt"]' in (work / "overlay.toml").read_text()
