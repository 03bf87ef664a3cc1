"""--list-rules, --list-models and --show-settings, checked against the shipped catalog."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness import TODAY, run_cli
from routelint import cli, listing
from routelint.catalog import load_catalog, shipped_meta
from routelint.checks import ALL_CHECKS
from routelint.docs import all_rules

MODEL_KEYS = {"id", "snapshots", "labels", "surfaces", "status", "shutdown", "days_left", "replacement", "sources"}


def invoke(args: list[str], cwd: Path | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if cwd is not None and monkeypatch is not None:
        monkeypatch.chdir(cwd)
    result = run_cli(*args, today=None, separate=True)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with an empty config, so no config of the repository applies."""
    (tmp_path / "routelint.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTELINT_TODAY", raising=False)
    return tmp_path


def models_json(*args: str) -> dict[str, dict]:
    code, out, err = invoke(["--today", TODAY, "--list-models", "--output-format", "json", *args])
    assert code == 0, err
    rows = json.loads(out)
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    return {row["id"]: row for row in rows}


# --- --list-rules -----------------------------------------------------------------------------


def test_list_rules_json(isolated: Path) -> None:
    code, out, _ = invoke(["--list-rules", "--output-format", "json"])
    rows = json.loads(out)
    assert code == 0
    assert [row["code"] for row in rows] == [check.CODE for check in ALL_CHECKS]
    by_code = {row["code"]: row for row in rows}
    assert by_code["RL101"] == {
        "code": "RL101",
        "name": "display-name-as-model-id",
        "severity": "error",
        "fixable": True,
        "fix": "sometimes",
        "summary": "A ChatGPT or product label is used as an API model ID",
        "url": "https://github.com/routelint/routelint/blob/main/docs/rules.md#rl101-display-name-as-model-id",
    }
    assert by_code["RL202"]["severity"] == "warning" and by_code["RL202"]["fixable"] is False
    assert {row["code"] for row in rows if row["fixable"]} == {c.CODE for c in ALL_CHECKS if c.FIX != "never"}
    assert {row["code"]: (row["severity"], row["fix"]) for row in rows} == {c.CODE: (c.SEVERITY, c.FIX) for c in ALL_CHECKS}


def test_list_rules_text(isolated: Path) -> None:
    code, out, _ = invoke(["--list-rules"])
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"]
    for rule, line in zip(all_rules(), lines[1:]):
        assert line.split()[:4] == [rule.code, rule.name, rule.severity, rule.fix] and line.endswith(rule.summary)


# --- --list-models ----------------------------------------------------------------------------


def test_list_models_json_shape(isolated: Path) -> None:
    models = models_json()
    assert set(models) == set(load_catalog().models)
    for row in models.values():
        assert set(row) >= MODEL_KEYS, row["id"]
        assert row["status"] in listing.STATUSES
        assert row["shutdown"] is None or len(row["shutdown"]) == 10
        assert (row["shutdown"] is None) == (row["days_left"] is None)
        if row["shutdown"]:
            assert "shutdown" in row["sources"]
        for surface in row["surfaces"]:
            assert f"surface:{surface}" in row["sources"]


def test_list_models_lifecycle_as_of_today(isolated: Path) -> None:
    models = models_json()
    sora = models["sora-2"]
    assert (sora["status"], sora["shutdown"], sora["days_left"]) == ("shut-down", "2026-09-24", -62)
    assert sora["labels"] == ["Sora 2"] and sora["surfaces"] == ["videos"]
    assert sora["sources"]["shutdown"].startswith(f"{shipped_meta()['generated-from']}:openai/resources/videos.py:")
    gpt5 = models["gpt-5"]
    assert (gpt5["status"], gpt5["shutdown"], gpt5["days_left"]) == ("deprecated", "2026-12-11", 16)
    assert gpt5["snapshots"] == ["gpt-5-2025-08-07"]
    assert models["gpt-5-2025-08-07"]["snapshot_of"] == "gpt-5"
    assert models["gpt-5.5"]["status"] == "active" and models["gpt-5.5"]["shutdown"] is None
    assert models["gpt-5.1-mini"]["status"] == "unsupported"
    assert models["gpt-image-2"]["labels"] == ["ChatGPT Images 2.0", "GPT Image 2"]
    assert models["gpt-image-2"]["sources"]["label:GPT Image 2"].startswith("model-map:")
    assert models["chat-latest"]["labels"] == ["GPT-5.5 Instant"]
    assert models["gpt-image-1"]["replacement"] is None and len(models["gpt-image-1"]["replacements"]) == 2
    assert "off-route:realtime" in models["gpt-audio-1.5"]["sources"]


def test_list_models_status_depends_on_today(isolated: Path) -> None:
    _, out, _ = invoke(["--today", "2026-09-23", "--list-models", "--output-format", "json"])
    sora = {row["id"]: row for row in json.loads(out)}["sora-2"]
    assert (sora["status"], sora["days_left"]) == ("deprecated", 1)


def test_list_models_status_filter(isolated: Path) -> None:
    deprecated = models_json("--status", "deprecated")
    assert "gpt-5" in deprecated and "sora-2" not in deprecated
    assert {row["status"] for row in deprecated.values()} == {"deprecated"}
    assert all(row["days_left"] > 0 for row in deprecated.values())
    both = models_json("--status", "deprecated", "--status", "SHUT-DOWN")
    assert {"gpt-5", "sora-2"} <= set(both) and {row["status"] for row in both.values()} == {"deprecated", "shut-down"}


def test_list_models_surface_filter_and_advice(isolated: Path) -> None:
    realtime = models_json("--surface", "realtime")
    assert "gpt-realtime-1.5" in realtime and "gpt-5.5" not in realtime
    assert all("realtime" in row["surfaces"] for row in realtime.values())
    assert "realtime" in realtime["gpt-realtime-1.5"]["start_with"]
    code, out, _ = invoke(["--today", TODAY, "--list-models", "--surface", "realtime"])
    assert code == 0
    assert out.startswith("Start with gpt-realtime-1.5 on the Realtime API (realtime).\n")
    assert "Source: model-map: 'Live voice agent' row" in out
    rows = [line.split()[0] for line in out.split("\n\n")[1].splitlines()[1:]]
    assert rows == sorted(realtime)


def test_list_models_surface_without_a_start(isolated: Path) -> None:
    code, out, _ = invoke(["--today", TODAY, "--list-models", "--surface", "videos"])
    assert code == 0
    head = out.split("\n\n")[0]
    assert "names no model to start with on the Videos API (Sora)" in head
    assert "The Videos API (Sora) shut down on 2026-09-24." in head
    assert "sora-2 " in out


def test_list_models_text_table(isolated: Path) -> None:
    code, out, _ = invoke(["--today", TODAY, "--list-models", "--status", "shut-down"])
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["ID", "STATUS", "SHUTDOWN", "WHEN", "INSTEAD"]
    sora = next(line for line in lines if line.startswith("sora-2 "))
    assert sora.split() == ["sora-2", "shut-down", "2026-09-24", "62", "days", "ago", "-"]  # as --inventory says it
    assert all(len(line) <= 100 for line in lines)  # fits a terminal; `full` is the wide table
    assert lines[-1] == "json gives every fact's source."
    _, wide, _ = invoke(["--today", TODAY, "--list-models", "--status", "shut-down", "--output-format", "full"])
    sora = next(line for line in wide.splitlines() if line.startswith("sora-2 "))
    assert sora.split()[:6] == ["sora-2", "shut-down", "2026-09-24", "62", "days", "ago"] and "Sora 2" in sora


def test_list_models_uses_the_extended_catalog(isolated: Path) -> None:
    (isolated / "ours.toml").write_text(
        '[models."acme-ft-1"]\nshutdown = "2027-01-01"\nshutdown-source = "https://acme.example/models"\n'
        '[models."acme-ft-1".surfaces]\n"chat.completions" = "https://acme.example/models"\n',
        encoding="utf-8",
    )
    (isolated / "routelint.toml").write_text('extend-catalog = ["ours.toml"]\n', encoding="utf-8")
    row = models_json("--surface", "chat.completions")["acme-ft-1"]
    assert (row["status"], row["days_left"]) == ("deprecated", 37)


@pytest.mark.parametrize(
    "args",
    [
        ["--list-models", "--surface", "nope"],
        ["--list-models", "--status", "retired"],
        ["--surface", "realtime"],
        ["--status", "deprecated", "src"],
        ["--list-models", "--output-format", "sarif"],
        ["--list-rules", "--list-models"],
        ["--list-rules", "src"],
        ["--show-settings", "a", "b"],
        ["--show-settings", "does-not-exist.py"],
    ],
)
def test_usage_errors_exit_2(isolated: Path, args: list[str]) -> None:
    (isolated / "a").mkdir()
    (isolated / "b").mkdir()
    code, _, err = invoke(["--today", TODAY, *args])
    assert code == 2 and err


def test_unknown_surface_names_the_known_ones(isolated: Path) -> None:
    _, _, err = invoke(["--today", TODAY, "--list-models", "--surface", "realtim"])
    assert "unknown surface 'realtim'" in err and "realtime" in err


# --- --show-settings --------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.routelint]\n"
        'ignore = ["RL2"]\n'
        'extend-select = ["RL201"]\n'
        'model-names = ["engine"]\n'
        "deprecation-horizon-days = 30\n"
        '[tool.routelint.per-file-ignores]\n"tests/*" = ["RL101"]\n',
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("", encoding="utf-8")
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTELINT_TODAY", raising=False)
    return tmp_path


def settings_json(*args: str) -> dict:
    code, out, err = invoke(["--today", TODAY, "--show-settings", "--output-format", "json", *args])
    assert code == 0, err
    return json.loads(out)


def test_show_settings_explains_each_rule(project: Path) -> None:
    shown = settings_json("tests/test_x.py")
    assert shown["config_file"] == str((project / "pyproject.toml").absolute())
    assert shown["today"] == TODAY and shown["today_from"] == "--today"
    assert shown["settings"]["deprecation-horizon-days"] == 30 and shown["settings"]["model-names"] == ["engine"]
    rules = {rule["code"]: rule for rule in shown["rules"]}
    assert rules["RL101"] == {"code": "RL101", "name": "display-name-as-model-id", "enabled": False, "why": "per-file-ignores 'RL101'"}
    assert rules["RL202"]["enabled"] is False and rules["RL202"]["why"] == "ignore 'RL2'"
    assert rules["RL201"]["enabled"] is True and rules["RL201"]["why"] == "selected by 'RL201'"
    assert rules["RL102"]["enabled"] is True and rules["RL102"]["why"] == "selected by 'RL'"
    assert {r["code"]: r["enabled"] for r in settings_json("app.py")["rules"]}["RL101"] is True


def test_show_settings_includes_command_line_overrides(project: Path) -> None:
    rules = {r["code"]: r for r in settings_json("--select", "RL1", "app.py")["rules"]}
    assert rules["RL101"]["enabled"] and rules["RL001"] == {**rules["RL001"], "enabled": False, "why": "not selected"}
    # As in ruff, a --select starts afresh: the file's extend-select and ignore no longer apply.
    assert not rules["RL201"]["enabled"], "the file's extend-select must not add RL201 to --select RL1"
    rules = {r["code"]: r for r in settings_json("--ignore", "RL101", "app.py")["rules"]}
    assert rules["RL201"]["enabled"] and not rules["RL101"]["enabled"], "--ignore adds to the file's settings"


def test_show_settings_text(project: Path, pinned_today: str) -> None:
    code, out, _ = invoke(["--show-settings", "tests/test_x.py"])
    assert code == 0
    assert out.startswith("Settings for tests/test_x.py\n")
    assert f"config file: {(project / 'pyproject.toml').absolute()}" in out
    assert f"today: {TODAY} (ROUTELINT_TODAY)" in out
    assert 'ignore = ["RL2"]' in out
    rule_lines = out.split("Rules:\n")[1].splitlines()
    assert [line.split()[:3] for line in rule_lines][2] == ["RL101", "display-name-as-model-id", "off"]
    assert rule_lines[2].endswith("per-file-ignores 'RL101'")


def test_show_settings_without_a_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("routelint.config.find_config", lambda start: None)
    code, out, _ = invoke(["--today", TODAY, "--show-settings"])
    assert code == 0 and "Settings for .\n" in out and "config file: none found (defaults)" in out


def test_show_settings_reports_a_bad_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "routelint.toml").write_text('selec = ["RL1"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(["--today", TODAY, "--show-settings"])
    assert code == 2 and "selec" in err


# --- consistency and import cost --------------------------------------------------------------


def test_status_choices_match() -> None:
    assert set(cli.MODEL_STATUSES) == set(listing.STATUSES)


@pytest.mark.parametrize(
    "args",
    [
        ["--list-rules"],
        ["--list-rules", "--output-format", "json"],
        ["--list-models", "--surface", "realtime"],
        ["--list-models", "--output-format", "json"],
        ["--show-settings"],
        ["--explain", "RL101"],
    ],
)
def test_listing_commands_do_not_import_libcst(args: list[str], tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from routelint.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:], prog_name='routelint')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print('libcst' in sys.modules, code, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "--today", TODAY, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.stderr.strip().splitlines()[-1] == "False 0", proc.stderr
