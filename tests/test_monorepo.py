"""Configuration per file, like ruff (issue #18): each file is checked with the nearest config
above it; --config makes one config govern every file.

The fixture, tests/data/monorepo (copied for each test, run from several folders):
- pyproject.toml (root): select = ["RL"]; governs app.py and scripts/;
- services/a/pyproject.toml: ignore = ["RL101"], exclude = ["generated/"];
- services/b/routelint.toml: deprecation-horizon-days = 10, extend-catalog (acme-ft-1, shut
  down), extend-include = ["*.pyw"].
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from harness import run_cli
from routelint.cache import VERSION

MONOREPO = Path(__file__).parent / "data" / "monorepo"
# What each config makes of its files, as paths from the monorepo's root.
PER_FILE = {
    ("app.py", "RL101"),  # the root selects every rule
    ("app.py", "RL202"),  # gpt-4o, 50 days left: within the root's (default) horizon
    ("services/a/main.py", "RL201"),  # its RL101 is ignored by service a; generated/ is excluded
    ("services/b/tool.pyw", "RL201"),  # service b extends include to *.pyw
    ("services/b/worker.py", "RL201"),  # acme-ft-1, from service b's catalog; gpt-4o is past b's horizon
}
# What the root config alone makes of them all (--config pyproject.toml).
ROOT_ONLY = {
    ("app.py", "RL101"),
    ("app.py", "RL202"),
    ("services/a/generated/client.py", "RL201"),
    ("services/a/main.py", "RL101"),
    ("services/a/main.py", "RL201"),
    ("services/b/worker.py", "RL202"),
}


@pytest.fixture
def repo(project: Path) -> Path:
    """A copy of the monorepo inside the (empty) working folder."""
    shutil.copytree(MONOREPO, project / "monorepo")
    return project / "monorepo"


def run(*args: str, cwd: Path, stdin: str | None = None) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = run_cli(*args, input=stdin, separate=True)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def findings(*args: str, cwd: Path, base: Path) -> set[tuple[str, str]]:
    """(path from `base`, code) of each finding of a run from `cwd`."""
    code, out, err = run("--output-format", "json", "--no-cache", *args, cwd=cwd)
    assert code in (0, 1), err
    return {(Path(os.path.relpath(cwd / f["filename"], base)).as_posix(), f["code"]) for f in json.loads(out)}


def test_each_file_uses_its_nearest_config_from_the_root(repo: Path) -> None:
    assert findings(".", cwd=repo, base=repo) == PER_FILE


def test_run_from_a_parent_folder_without_a_config(repo: Path) -> None:
    assert findings("monorepo", cwd=repo.parent, base=repo) == PER_FILE


def test_run_from_inside_a_sub_project(repo: Path) -> None:
    inside = repo / "services" / "a"
    assert findings(".", cwd=inside, base=repo) == {("services/a/main.py", "RL201")}
    # Another sub-project named from there is checked with its own config, not the working folder's.
    assert findings("../b", cwd=inside, base=repo) == {("services/b/tool.pyw", "RL201"), ("services/b/worker.py", "RL201")}
    assert findings("../..", cwd=inside, base=repo) == PER_FILE


def test_files_named_one_by_one_use_their_own_configs(repo: Path) -> None:
    named = ["app.py", "services/a/main.py", "services/b/worker.py"]
    expected = {pair for pair in PER_FILE if pair[0] in named}
    assert findings(*named, cwd=repo, base=repo) == expected


def test_config_option_governs_every_file(repo: Path) -> None:
    assert findings("--config", "pyproject.toml", ".", cwd=repo, base=repo) == ROOT_ONLY
    inside = repo / "services" / "b"
    assert findings("--config", "../../pyproject.toml", "../..", cwd=inside, base=repo) == ROOT_ONLY


def test_command_line_overrides_apply_on_top_of_every_config(repo: Path) -> None:
    # --select starts afresh, as in ruff: service a's ignore no longer applies.
    assert findings("--select", "RL1", ".", cwd=repo, base=repo) == {("app.py", "RL101"), ("services/a/main.py", "RL101")}
    # --extend-select adds to each config's selection; service a's ignore still holds.
    assert findings("--extend-select", "RL101", "services/a", cwd=repo, base=repo) == {("services/a/main.py", "RL201")}
    # --ignore adds to each config's ignore, as in ruff: service a's RL101 stays ignored.
    assert findings("--ignore", "RL201", "services", cwd=repo, base=repo) == set()


def test_show_files_applies_each_sub_projects_exclude_and_include(repo: Path) -> None:
    code, out, _ = run("--show-files", ".", cwd=repo)
    assert code == 0
    assert out.split() == ["app.py", "services/a/main.py", "services/b/tool.pyw", "services/b/worker.py"]


@pytest.mark.parametrize(
    ("target", "config", "horizon"),
    [
        ("services/a/main.py", "services/a/pyproject.toml", 365),
        ("services/b", "services/b/routelint.toml", 10),
        ("app.py", "pyproject.toml", 365),
    ],
)
def test_show_settings_names_the_config_that_governs_a_file_or_folder(repo: Path, target: str, config: str, horizon: int) -> None:
    code, out, _ = run("--show-settings", "--output-format", "json", target, cwd=repo)
    assert code == 0
    shown = json.loads(out)
    assert shown["config_file"] == str(repo / config)
    assert shown["settings"]["deprecation-horizon-days"] == horizon
    rl101 = next(rule for rule in shown["rules"] if rule["code"] == "RL101")
    assert rl101["enabled"] is (target != "services/a/main.py")
    code, text, _ = run("--show-settings", target, cwd=repo)
    assert f"config file: {repo / config}" in text


def test_stdin_uses_the_config_above_the_stdin_filename(repo: Path) -> None:
    text = (repo / "services" / "b" / "worker.py").read_text()
    code, out, _ = run("--output-format", "json", "--stdin-filename", "services/b/worker.py", "-", cwd=repo, stdin=text)
    assert code == 1
    assert [(f["filename"], f["code"], f["location"]["row"]) for f in json.loads(out)] == [("services/b/worker.py", "RL201", 5)]


def test_fix_writes_with_each_files_config(repo: Path) -> None:
    code, _, err = run("--fix", "--no-cache", ".", cwd=repo)
    assert code == 1, err  # what cannot be fixed is still reported
    assert 'model="gpt-5.5-pro"' in (repo / "app.py").read_text()
    assert 'model="GPT-5.5 Pro"' in (repo / "services" / "a" / "main.py").read_text()  # RL101 is off there


def test_add_noqa_uses_each_files_config(repo: Path) -> None:
    code, _, err = run("--add-noqa", ".", cwd=repo)
    assert code == 0, err
    main_py = (repo / "services" / "a" / "main.py").read_text().splitlines()
    assert "noqa" not in main_py[3] and main_py[4].endswith("# noqa: RL201")
    assert not any("noqa" in line for line in (repo / "services" / "a" / "generated" / "client.py").read_text().splitlines())


def test_inventory_reads_each_files_catalog(repo: Path) -> None:
    code, out, _ = run("--inventory", "--output-format", "json", ".", cwd=repo)
    assert code == 0
    uses = {(entry["model"], use["filename"]) for entry in json.loads(out) for use in entry["uses"]}
    assert ("acme-ft-1", "services/b/worker.py") in uses  # service b's catalog knows it
    assert not any(path == "app.py" and model == "acme-ft-1" for model, path in uses)  # the root's does not
    assert not any(path.startswith("services/a/generated") for _, path in uses)


def test_fail_on_comes_from_the_working_folders_config(repo: Path) -> None:
    (repo / "services" / "b" / "routelint.toml").write_text('fail-on = "error"\n')
    (repo / "services" / "b" / "tool.pyw").unlink()
    # Only RL202, a warning, under service b's default horizon now.
    assert run("--no-cache", "services/b", cwd=repo)[0] == 1  # the root's config (warning) decides
    assert run("--no-cache", ".", cwd=repo / "services" / "b")[0] == 0  # service b's (error) decides
    assert run("--no-cache", "--fail-on", "warning", ".", cwd=repo / "services" / "b")[0] == 1  # the command line wins


def test_the_cache_never_serves_one_configs_results_for_another(repo: Path) -> None:
    def cached(*args: str) -> tuple[set[tuple[str, str]], str]:
        code, out, err = run("--output-format", "json", "--verbose", *args, ".", cwd=repo)
        assert code in (0, 1), err
        return {(f["filename"], f["code"]) for f in json.loads(out)}, err

    first, _ = cached()
    assert first == PER_FILE
    for folder in (repo, repo / "services" / "a", repo / "services" / "b"):  # one cache per config, next to it
        assert (folder / ".routelint_cache").is_dir()
    again, err = cached()
    assert again == PER_FILE and "4 from cache" in err
    (repo / "services" / "a" / "pyproject.toml").write_text('[tool.routelint]\nexclude = ["generated/"]\n')
    changed, _ = cached()
    assert changed == PER_FILE | {("services/a/main.py", "RL101")}
    # One folder for every config (--cache-dir): each config still has its own results.
    shared = repo.parent / "shared-cache"
    assert cached("--cache-dir", str(shared))[0] == changed
    assert cached("--cache-dir", str(shared))[0] == changed
    assert len(list((shared / VERSION).glob("*.json"))) == 3


def test_flake8_host_uses_the_files_nearest_config(repo: Path, pinned_today: str) -> None:
    from routelint.hosted import file_findings

    found = file_findings(str(repo / "services" / "b" / "worker.py"), cwd=repo)
    root = file_findings(str(repo / "app.py"), cwd=repo)
    assert [(f.code, f.start[0]) for f in found] == [("RL201", 5)]
    assert sorted(f.code for f in root) == ["RL101", "RL202"]
