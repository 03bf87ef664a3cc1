"""Every config key has a test that shows its effect; bad config exits 2 naming key and file."""
from __future__ import annotations

from pathlib import Path

import pytest

from harness import run_cli

SHUT_DOWN = 'MODEL = "gpt-4"\n'  # RL201 on TODAY
DEPRECATED = 'MODEL = "gpt-4o"\n'  # RL202, 50 days left on TODAY


def configure(project: Path, body: str, name: str = "pyproject.toml") -> None:
    header = "[tool.routelint]\n" if name == "pyproject.toml" else ""
    (project / name).write_text(header + body)


def test_select(project: Path) -> None:
    configure(project, 'select = ["RL1"]\n')
    (project / "a.py").write_text(SHUT_DOWN)
    assert run_cli("a.py").exit_code == 0


def test_ignore(project: Path) -> None:
    configure(project, 'ignore = ["RL201"]\n')
    (project / "a.py").write_text(SHUT_DOWN)
    assert run_cli("a.py").exit_code == 0


def test_extend_select(project: Path) -> None:
    configure(project, 'select = ["RL1"]\nextend-select = ["RL201"]\n')
    (project / "a.py").write_text(SHUT_DOWN)
    assert "RL201" in run_cli("a.py").output


def test_exclude_and_extend_exclude(project: Path) -> None:
    configure(project, 'exclude = ["generated/"]\nextend-exclude = ["legacy_*.py"]\n')
    for name in ("generated/a.py", "legacy_b.py", "c.py"):
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text(SHUT_DOWN)
    output = run_cli(".").output
    assert "c.py" in output and "generated" not in output and "legacy_b.py" not in output


def test_per_file_ignores(project: Path) -> None:
    # Not a tests/ folder: there `test-code` would quiet the name-judged constant on its own.
    configure(project, '[tool.routelint.per-file-ignores]\n"scripts/**" = ["RL2"]\n')
    (project / "scripts").mkdir()
    (project / "scripts" / "t.py").write_text(SHUT_DOWN)
    (project / "a.py").write_text(SHUT_DOWN)
    output = run_cli(".").output
    assert "a.py:1:9: RL201" in output and "scripts/t.py" not in output


def test_per_file_ignores_apply_to_stdin_filename(project: Path) -> None:
    configure(project, '[tool.routelint.per-file-ignores]\n"scripts/**" = ["RL2"]\n')
    assert run_cli("--stdin-filename", "scripts/t.py", "-", input=SHUT_DOWN).exit_code == 0
    assert run_cli("--stdin-filename", "app/t.py", "-", input=SHUT_DOWN).exit_code == 1


SENT_IN_A_TEST = 'import openai\nMODEL = "gpt-4"\nopenai.OpenAI().chat.completions.create(model="gpt-4", messages=[])\n'


@pytest.mark.parametrize("where", ["tests/helpers.py", "tests/unit/test_a.py", "test_a.py", "pkg/a_test.py", "conftest.py"])
def test_test_code_judges_only_requests_in_test_files(project: Path, where: str) -> None:
    (project / where).parent.mkdir(parents=True, exist_ok=True)
    (project / where).write_text(SENT_IN_A_TEST)
    (project / "app.py").write_text(SENT_IN_A_TEST)
    output = run_cli(".").output
    assert f"{where}:3:" in output and f"{where}:2:" not in output  # the SDK call's string; not the name's
    assert "app.py:2:9: RL201" in output and "app.py:3:" in output
    configure(project, 'test-code = "all"\n')
    assert f"{where}:2:9: RL201" in run_cli(".").output


def test_test_code_goes_by_the_path_below_the_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run from inside tests/ judges a test file as one; a project that sits in a folder
    named tests is not all test code."""
    configure(project, 'select = ["RL"]\n')
    (project / "tests").mkdir()
    (project / "tests" / "t.py").write_text(SHUT_DOWN)
    monkeypatch.chdir(project / "tests")
    assert run_cli("t.py").exit_code == 0
    assert run_cli("--stdin-filename", "t.py", "-", input=SHUT_DOWN).exit_code == 0
    inner = project / "tests" / "app"
    inner.mkdir()
    configure(inner, 'select = ["RL"]\n')
    (inner / "a.py").write_text(SHUT_DOWN)
    assert "a.py:1:9: RL201" in run_cli("app/a.py").output


def test_extend_catalog(project: Path) -> None:
    (project / "models.toml").write_text(
        '[models."acme-ft-1"]\nshutdown = "2026-01-01"\nshutdown-source = "internal: ML platform notice 42"\n'
        '[models."acme-ft-1".surfaces]\n"chat.completions" = "internal"\n'
    )
    configure(project, 'extend-catalog = ["models.toml"]\n')
    (project / "a.py").write_text('MODEL = "acme-ft-1"\n')
    output = run_cli("--output-format", "full", "a.py").output
    assert "RL201" in output and "internal: ML platform notice 42" in output


def test_extend_catalog_overrides_a_shipped_date(project: Path) -> None:
    (project / "models.toml").write_text('[models."gpt-4"]\nshutdown = "2027-06-01"\nshutdown-source = "our contract"\n')
    configure(project, 'extend-catalog = ["models.toml"]\n')
    (project / "a.py").write_text(SHUT_DOWN)
    output = run_cli("--output-format", "full", "a.py").output
    assert "RL202" in output and "our contract" in output


def test_model_names(project: Path) -> None:
    configure(project, 'model-names = ["engine"]\n')
    (project / "a.py").write_text('ENGINE = "gpt-4"\n')
    assert "RL201" in run_cli("a.py").output


def test_deprecation_horizon_days(project: Path) -> None:
    (project / "a.py").write_text(DEPRECATED)
    assert "RL202" in run_cli("a.py").output
    configure(project, "deprecation-horizon-days = 30\n")
    assert run_cli("a.py").exit_code == 0


@pytest.mark.parametrize("name", ["routelint.toml", ".routelint.toml"])
def test_standalone_config_files(project: Path, name: str) -> None:
    configure(project, 'ignore = ["RL201"]\n', name=name)
    (project / "a.py").write_text(SHUT_DOWN)
    assert run_cli("a.py").exit_code == 0


def test_config_is_found_walking_up(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(project, 'ignore = ["RL201"]\n')
    (project / "pkg").mkdir()
    (project / "pkg" / "a.py").write_text(SHUT_DOWN)
    monkeypatch.chdir(project / "pkg")
    assert run_cli("a.py").exit_code == 0


def test_pyproject_without_our_table_is_skipped(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(project, 'ignore = ["RL201"]\n', name="routelint.toml")
    (project / "pkg").mkdir()
    (project / "pkg" / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    (project / "pkg" / "a.py").write_text(SHUT_DOWN)
    monkeypatch.chdir(project / "pkg")
    assert run_cli("a.py").exit_code == 0


def test_explicit_config_option(project: Path) -> None:
    (project / "custom.toml").write_text('ignore = ["RL201"]\n')
    (project / "a.py").write_text(SHUT_DOWN)
    assert run_cli("--config", "custom.toml", "a.py").exit_code == 0


@pytest.mark.parametrize(
    "body, words",
    [
        ('colour = "red"\n', ["colour", "pyproject.toml"]),
        ('select = "RL1"\n', ["select", "pyproject.toml"]),
        ('select = ["RL999"]\n', ["RL999", "pyproject.toml"]),
        ("deprecation-horizon-days = -1\n", ["deprecation-horizon-days"]),
        ('test-code = "none"\n', ["test-code", "requests, all"]),
        ('per-file-ignores = ["x"]\n', ["per-file-ignores"]),
        ('extend-catalog = ["missing.toml"]\n', ["missing.toml"]),
        ("select = [\n", ["invalid TOML"]),
    ],
)
def test_bad_config_exits_2_naming_key_and_file(project: Path, body: str, words: list[str]) -> None:
    configure(project, body)
    (project / "a.py").write_text(SHUT_DOWN)
    result = run_cli("a.py")
    assert result.exit_code == 2
    for word in words:
        assert word in result.output


@pytest.mark.parametrize(
    "path, test",
    [
        ("test_app.py", True), ("app_test.py", True), ("conftest.py", True), ("tests/helpers.py", True),
        ("pkg/test/data.py", True), ("nb/test_run.ipynb", True), ("src\\tests\\x.py", True),
        ("app.py", False), ("latest_model.py", False), ("contest.py", False), ("testing/x.py", False),
        ("tests_data.py", False), ("attest/x.py", False), ("test_utils/app.py", False),
    ],
)
def test_what_counts_as_a_test_file(path: str, test: bool) -> None:
    from routelint.names import is_test_path

    assert is_test_path(path) is test
