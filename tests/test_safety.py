"""Safety: routelint reads code and never runs it, walks only the tree it was given, writes only
the files it fixes, and reads its configuration as data.

The code under test is planted so that running or importing any of it would leave a marker
file; every test ends by checking the marker is absent (and, in-process, that no module was
loaded from the planted tree).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import TODAY, run_cli
from treestate import snapshot

ENV = {**os.environ, "ROUTELINT_TODAY": TODAY}
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


def modules_from(root: Path) -> list[str]:
    resolved = root.resolve()
    return [
        name for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None) and Path(module.__file__).resolve().is_relative_to(resolved)
    ]


@pytest.mark.parametrize("args", [[], ["--fix", "--unsafe-fixes"], ["--diff"], ["--output-format", "json"]], ids=["lint", "fix", "diff", "json"])
def test_linting_never_imports_or_runs_the_code_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    plant(tree, tmp_path / "marker", shadows=False)
    monkeypatch.chdir(tree)
    monkeypatch.syspath_prepend(str(tree))  # anything that imported the linted files by name would find them
    result = run_cli(*args, ".")
    assert result.exit_code in (0, 1), result.output
    assert "app.py" in result.output or (tree / "app.py").read_text().endswith(FIXED)  # it did lint
    assert markers(tmp_path) == [] and modules_from(tree) == []


def test_stdin_mode_never_runs_the_buffer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = payload(tmp_path / "marker", "stdin") + LABEL
    result = run_cli("--fix", "--stdin-filename", "app.py", "-", input=source, separate=True)
    assert result.exit_code == 0 and result.stdout.endswith(FIXED)
    assert markers(tmp_path) == []


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


def test_the_walk_never_follows_a_link_out_of_the_tree(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("symlinks")
    outside, tree = tmp_path / "outside", tmp_path / "tree"
    (outside / "pkg").mkdir(parents=True)
    (outside / "target.py").write_text(LABEL)
    (outside / "pkg" / "inner.py").write_text(LABEL)
    tree.mkdir()
    (tree / "app.py").write_text(LABEL)
    os.symlink(outside / "target.py", tree / "absolute_link.py")
    os.symlink("../outside/target.py", tree / "relative_link.py")
    os.symlink(outside / "pkg", tree / "folder_link")
    os.symlink("../outside", tree / "up.py")  # a folder link named like a file
    os.symlink("app.py", tree / "inside_link.py")  # inside the tree: the same file, linted once, as app.py
    before = snapshot(outside)
    lint = subprocess.run([sys.executable, "-m", "routelint", "."], cwd=tree, env=ENV, capture_output=True, text=True)
    linted = sorted({line.split(":")[0] for line in lint.stdout.splitlines() if ": RL" in line})
    assert linted == ["app.py"], lint.stdout
    subprocess.run([sys.executable, "-m", "routelint", "--fix", "--unsafe-fixes", "."], cwd=tree, env=ENV, capture_output=True)
    assert snapshot(outside) == before
    assert (tree / "app.py").read_text() == FIXED and os.readlink(tree / "inside_link.py") == "app.py"


def test_fix_writes_nothing_but_the_files_it_fixes(tmp_path: Path) -> None:
    """Everything under tmp_path is compared: the tree, a sibling folder, HOME, the cache and
    temporary folders. Only app.py may change (and a .routelint_cache folder, once there is one)."""
    tree, home, temp = tmp_path / "project", tmp_path / "home", tmp_path / "tmp"
    for folder in (tree / "src", tmp_path / "sibling", home, temp):
        folder.mkdir(parents=True)
    (tree / "src" / "app.py").write_text("import openai\n" + LABEL)
    (tree / "src" / "clean.py").write_text('MODEL = "gpt-image-2"\n')
    (tree / "src" / "broken.py").write_text(LABEL + "def (:\n")
    (tree / "pyproject.toml").write_text('[tool.routelint]\nignore = ["RL202"]\n')
    (tmp_path / "sibling" / "other.py").write_text(LABEL)
    env = {**ENV, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(temp), "TEMP": str(temp)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = snapshot(tmp_path)
    for args in ([], ["--diff"], ["--output-format", "json"], ["--fix", "--unsafe-fixes"], ["--fix"]):
        done = subprocess.run([sys.executable, "-m", "routelint", *args, "src"], cwd=tree, env=env, capture_output=True, text=True)
        assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    after = {k: v for k, v in snapshot(tmp_path).items() if ".routelint_cache" not in k.split("/")}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert changed == ["project/src/app.py"]
    assert (tree / "src" / "app.py").read_text() == "import openai\n" + FIXED


CONFIGS = {
    "catalog-is-python": ('extend-catalog = ["evil.py"]\n', 2),
    "unknown-key-naming-a-module": ('plugins = ["evil"]\nimport = "evil"\n', 2),
    "code-in-model-names": ("model-names = [\"__import__('evil')\", \"$(touch marker.shell)\"]\n", 1),
    "code-in-patterns": ('exclude = ["$(touch marker.shell)"]\nper-file-ignores = { "`touch marker.shell`" = ["RL1"] }\n', 1),
    "code-in-select": ('select = ["__import__(\'evil\')"]\n', 2),
    "catalog-with-code-in-it": ('extend-catalog = ["catalog.toml"]\n', 2),
    "build-system-pointing-at-the-tree": ('deprecation-horizon-days = 30\n', 1),
}
CATALOG = '[meta]\nimport = "evil"\n\n[models."evil-model"]\nsurfaces = { "chat.completions" = "evil" }\nnote = "__import__(\'evil\')"\nhook = "evil:run"\n'
PYPROJECT_EXTRA = '\n[build-system]\nrequires = []\nbuild-backend = "evil"\nbackend-path = ["."]\n'


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("file", ["pyproject.toml", "routelint.toml"])
def test_config_files_are_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, file: str) -> None:
    table, exit_code = CONFIGS[name]
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "evil.py").write_text(payload(tmp_path / "marker", "evil") + "def run():\n    open('marker.run', 'w').close()\n")
    (tmp_path / "catalog.toml").write_text(CATALOG)
    (tmp_path / "app.py").write_text(LABEL)
    text = "[tool.routelint]\n" + table + PYPROJECT_EXTRA if file == "pyproject.toml" else table
    (tmp_path / file).write_text(text)
    result = run_cli("app.py")
    assert result.exit_code == exit_code, result.output
    if exit_code == 2:
        assert "routelint: error:" in result.output and "Traceback" not in result.output
    assert markers(tmp_path) == [] and "evil" not in sys.modules
