"""Safety: routelint reads code and never runs it.

The code under test is planted so that running or importing any of it would leave a marker
file; every test ends by checking the marker is absent (and, in-process, that no module was
loaded from the planted tree).
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "ROUTELINT_TODAY": "2026-11-25"}
LABEL = 'MODEL = "GPT Image 2"\n'  # RL101, safe fix to gpt-image-2
FIXED = 'MODEL = "gpt-image-2"\n'
# Modules the CLI imports, lazily or not: under `python -m`, a file of that name in the working
# directory would be found first.
SHADOWS = ("click", "libcst", "difflib", "tempfile", "tomllib", "json", "tokenize", "typing_extensions", "yaml")


def payload(marker: Path, name: str) -> str:
    return f"open({str(marker)!r} + '.' + {name!r}, 'w').close()\n"


def plant(root: Path, marker: Path, *, shadows: bool = True) -> list[Path]:
    """A tree of code that leaves `marker.<name>` behind when anything of it runs; with shadows,
    also files named like the modules routelint imports (for runs in a separate process only)."""
    files = []
    names = ["app", "__init__", "__main__", "conftest", "setup", "sitecustomize", "usercustomize", "evil"]
    names += list(SHADOWS) if shadows else []
    for name in names:
        path = root / f"{name}.py"
        path.write_text(payload(marker, name) + "import os\nos.system('touch ' + repr(__file__) + '.ran')\n" + LABEL)
        files.append(path)
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text(payload(marker, "pkg") + LABEL)
    (root / "encodings").mkdir()  # a coding cookie must not import a codec from the tree
    (root / "encodings" / "evilcodec.py").write_text(payload(marker, "codec"))
    (root / "cookie.py").write_text("# coding: evilcodec\n" + LABEL)
    return files


def markers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.rglob("*") if p.name.startswith("marker") or p.name.endswith(".ran"))


@pytest.mark.parametrize("how", ["module", "script"])
def test_a_real_process_imports_nothing_from_the_working_directory(tmp_path: Path, how: str) -> None:
    """`python -m` puts the working directory first on sys.path: click.py or libcst.py there would
    be imported in place of the real ones."""
    tree = tmp_path / "tree"
    tree.mkdir()
    plant(tree, tmp_path / "marker")
    command = [sys.executable, "-m", "routelint"] if how == "module" else [str(Path(sys.executable).with_name("routelint"))]
    if how == "script" and not Path(command[0]).exists():
        pytest.skip("no routelint script next to this interpreter")
    for args in ([], ["--fix"]):
        done = subprocess.run([*command, *args, "."], cwd=tree, env=ENV, capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
    assert markers(tmp_path) == []
    assert (tree / "app.py").read_text().endswith(FIXED)  # it did lint and fix
