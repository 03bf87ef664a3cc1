"""Output formats: golden outputs on tests/golden/src, SARIF against the official schema,
GitHub annotation escaping, fingerprints, colour and the source-quoting full format."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from harness import DEFAULT_TODAY, TODAY, run_cli
from routelint import cli, cli_report, report
from routelint.checks import ALL_CHECKS
from routelint.docs import all_rules
from routelint.formats import (
    FINGERPRINT_KEY,
    escape_data,
    escape_property,
    fingerprints,
    github,
    sarif_log,
)
from routelint.model import Edit, Finding, Fix

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
SCHEMA = json.loads((TESTS / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
UPDATE = os.environ.get("ROUTELINT_UPDATE_GOLDEN") == "1"
SRCROOT_PLACEHOLDER = "file:///SRCROOT/"

GOLDEN_CASES = {
    "text.txt": [],
    "concise.txt": ["--output-format", "concise"],
    "full.txt": ["--output-format", "full"],
    "json.json": ["--output-format", "json"],
    "sarif.json": ["--output-format", "sarif"],
    "github.txt": ["--output-format", "github"],
    "gitlab.json": ["--output-format", "gitlab"],
    "statistics.txt": ["--statistics"],
    "statistics.json": ["--statistics", "--output-format", "json"],
}


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("ROUTELINT_TODAY", raising=False)
    result = run_cli(*args, separate=True)
    return result.exit_code, result.stdout


def validate_sarif(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def srcroot(folder: Path) -> str:
    return folder.absolute().as_uri() + "/"


# --- golden outputs ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_output(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # --no-cache: a cache under tests/golden is keyed by routelint's version, not its code, so it
    # would serve the output of the code before an edit.
    code, out = run([*GOLDEN_CASES[name], "--no-cache", "src"], GOLDEN, monkeypatch)
    assert code == 1
    out = out.replace(srcroot(GOLDEN), SRCROOT_PLACEHOLDER)
    expected_file = GOLDEN / "expected" / name
    if UPDATE:
        with open(expected_file, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(out)
    expected = expected_file.read_text(encoding="utf-8")
    assert out == expected, f"{name} changed; if intended, regenerate (tests/golden/README.md)"


def test_concise_is_the_text_format(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["src"], GOLDEN, monkeypatch) == run(["--output-format", "concise", "src"], GOLDEN, monkeypatch)


def test_golden_input_has_every_kind_of_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run(["--output-format", "json", "src"], GOLDEN, monkeypatch)
    findings = json.loads(out)
    assert {f["code"] for f in findings} == {rule.code for rule in all_rules()}
    assert {f["severity"] for f in findings} == {"error", "warning"}
    assert {f["fix"]["applicability"] for f in findings if f["fix"]} == {"safe", "unsafe"}
    assert not any(f["filename"].endswith("clean.py") for f in findings)
    assert all(not Path(f["filename"]).is_absolute() for f in findings)
    keys = [(f["filename"], f["cell"] or 0, f["location"]["row"], f["location"]["column"], f["code"]) for f in findings]
    assert keys == sorted(keys)
    assert {f["cell"] for f in findings if f["filename"].endswith(".ipynb")} == {2, 4, 5}


# --- SARIF ------------------------------------------------------------------------------------


@pytest.fixture
def golden_sarif(monkeypatch: pytest.MonkeyPatch) -> dict:
    _, out = run(["--output-format", "sarif", "src"], GOLDEN, monkeypatch)
    return json.loads(out)


def test_sarif_validates_against_the_official_schema(golden_sarif: dict) -> None:
    validate_sarif(golden_sarif)


def test_sarif_of_a_clean_run_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.py").write_text('MODEL = "gpt-5.5"\n', encoding="utf-8")
    code, out = run(["--output-format", "sarif", "ok.py"], tmp_path, monkeypatch)
    log = json.loads(out)
    assert code == 0 and log["runs"][0]["results"] == []
    validate_sarif(log)


def test_sarif_driver_lists_every_rule(golden_sarif: dict) -> None:
    driver = golden_sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "routelint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in rules]
    for descriptor, rule in zip(driver["rules"], rules):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.body and "## Fix safety" in rule.body
        assert descriptor["helpUri"] == rule.url
        assert descriptor["defaultConfiguration"]["level"] == rule.severity


def test_sarif_results(golden_sarif: dict) -> None:
    run_ = golden_sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == srcroot(GOLDEN)
    assert run_["columnKind"] == "unicodeCodePoints"
    source = (GOLDEN / "src" / "app.py").read_text(encoding="utf-8").splitlines()
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("src/")
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        if location["artifactLocation"]["uri"] == "src/app.py":
            line = source[region["startLine"] - 1]
            assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == region["snippet"]["text"]
    fixed = [r for r in run_["results"] if "fixes" in r]
    assert fixed, "the golden input has fixable findings"
    first = fixed[0]
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == '"gpt-image-2"'
    assert replacement["deletedRegion"] == {k: v for k, v in first["locations"][0]["physicalLocation"]["region"].items() if k != "snippet"}
    never_fixed = {check.CODE for check in ALL_CHECKS if check.FIX == "never"}
    unfixable = [r for r in run_["results"] if r["ruleId"] in never_fixed]
    assert unfixable and not any("fixes" in r for r in unfixable)


def test_sarif_levels_follow_the_finding(golden_sarif: dict) -> None:
    """RL203 is an error after the date and a warning before it; the result says which."""
    levels = {(r["ruleId"], r["level"]) for r in golden_sarif["runs"][0]["results"]}
    assert ("RL203", "error") in levels and ("RL203", "warning") in levels
    assert ("RL202", "warning") in levels


def test_sarif_uri_of_an_awkward_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "my project #1"
    folder.mkdir()
    (folder / "100% sure.py").write_text('MODEL = "GPT Image 2"\n', encoding="utf-8")
    _, out = run(["--output-format", "sarif", "my project #1"], tmp_path, monkeypatch)
    log = json.loads(out)
    validate_sarif(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20project%20%231/100%25%20sure.py"
    assert urlsplit(uri).path == uri  # a plain relative reference: no scheme, query or fragment


def test_sarif_path_outside_the_working_directory_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text('MODEL = "GPT Image 2"\n', encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    _, out = run(["--output-format", "sarif", str(outside)], cwd, monkeypatch)
    log = json.loads(out)
    validate_sarif(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()}


def test_sarif_for_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("--output-format", "sarif", "--stdin-filename", "pkg/mod.py", "-", input='MODEL = "Sora 2"\n', separate=True)
    log = json.loads(result.stdout)
    validate_sarif(log)
    [finding] = log["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == '"Sora 2"'


# --- fingerprints -----------------------------------------------------------------------------

BEFORE = '''import openai
client = openai.OpenAI()
IMAGE_MODEL = "GPT Image 2"
THUMB_MODEL = "GPT Image 2"
client.responses.create(model="gpt-5", input="x")
'''
AFTER = '''"""A docstring added on top."""
import openai


def helper():  # unrelated code moved in between
    return 1


client = openai.OpenAI()
IMAGE_MODEL = "GPT Image 2"
THUMB_MODEL = "GPT Image 2"

client.responses.create(model="gpt-5", input="x")
'''


def _lint_fingerprints(text: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    _, out = run(["--output-format", "sarif", name], tmp_path, monkeypatch)
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in json.loads(out)["runs"][0]["results"]]


def test_fingerprints_survive_unrelated_lines_moving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _lint_fingerprints(BEFORE, "mod.py", tmp_path, monkeypatch)
    after = _lint_fingerprints(AFTER, "mod.py", tmp_path, monkeypatch)
    assert len(before) == 3 and before == after
    assert len(set(before)) == 3, "two identical strings differ by occurrence"
    elsewhere = _lint_fingerprints(BEFORE, "other.py", tmp_path, monkeypatch)
    assert not set(elsewhere) & set(before), "the path is part of the fingerprint"


def test_fingerprints_are_stable_across_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(["--output-format", "sarif", "src"], GOLDEN, monkeypatch)[1]
    second = run(["--output-format", "sarif", "src"], GOLDEN, monkeypatch)[1]
    assert first == second


def test_fingerprint_without_source_uses_the_message() -> None:
    a = Finding("RL001", "unreadable-file", "error", "cannot check this file: it contains a NUL byte", "a.py", (1, 1), (1, 1))
    b = Finding("RL001", "unreadable-file", "error", "cannot check this file: it is a directory", "a.py", (1, 1), (1, 1))
    assert len(set(fingerprints([a, b], {}))) == 2


# --- GitHub annotations -----------------------------------------------------------------------


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("dir:x/a,b%c\n.py") == "dir%3Ax/a%2Cb%25c%0A.py"
    assert escape_data("%0A") == "%250A", "a literal %0A must not turn into a newline"


def test_github_annotation_for_an_awkward_finding() -> None:
    finding = Finding(
        "RL202", "deprecated-model", "warning", 'ends at 100%: "a,b"\nsecond line: x', "we,ird:dir/100%.py", (3, 5), (4, 2)
    )
    note = Finding("RL999", "x", "note", "fyi", "a.py", (1, 1), (1, 2))
    assert github([finding, note]).splitlines() == [
        "::warning file=we%2Cird%3Adir/100%25.py,line=3,col=5,endLine=4,endColumn=2,title=RL202"
        '::ends at 100%25: "a,b"%0Asecond line: x',
        "::notice file=a.py,line=1,col=1,endLine=1,endColumn=2,title=RL999::fyi",
    ]


def test_github_annotations_end_to_end_with_an_awkward_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    (folder / "100%.py").write_text('MODEL = "GPT Image 2\\n"\n', encoding="utf-8")
    code, out = run(["--output-format", "github", "a,b:c"], tmp_path, monkeypatch)
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac/100%25.py,line=1,col=9,endLine=1,endColumn=24,title=RL101::")
    message = line.split("::", 2)[2]
    # The value's line break is shown escaped in the message itself (issue #18); a raw one would
    # be %0A here (test_github_escaping_rules).
    assert '"GPT Image 2\\n"' in message and "\n" not in message and "\r" not in message


def test_github_severities(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run(["--output-format", "github", "src"], GOLDEN, monkeypatch)
    commands = {line.split(" ", 1)[0] for line in out.splitlines()}
    assert commands == {"::error", "::warning"}
    assert all(re.match(r"::\w+ file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=RL\d{3}::", line) for line in out.splitlines())


# --- GitLab code quality ----------------------------------------------------------------------


def test_gitlab_report(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run(["--output-format", "gitlab", "src"], GOLDEN, monkeypatch)
    issues = json.loads(out)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] in ("major", "minor", "info")
        assert issue["location"]["path"].startswith("src/") and issue["location"]["positions"]["begin"]["line"] >= 1
        assert issue["description"].startswith(issue["check_name"] + " ")


# --- full format and colour -------------------------------------------------------------------


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def test_full_carets_line_up_after_tabs_and_wide_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run(["--output-format", "full", "src/pkg/routes.py"], GOLDEN, monkeypatch)
    lines = out.splitlines()
    for quoted, needle in (('"ChatGPT Images 2.0"', "ROUTES"), ('"GPT-5.5 Thinking"', "return")):
        i = next(n for n, line in enumerate(lines) if needle in line and "|" in line)
        code_line, caret_line = lines[i].split("| ", 1)[1], lines[i + 1].split("| ", 1)[1]
        assert "\t" not in code_line
        start = caret_line.index("^")
        assert _cells(code_line[: code_line.index(quoted)]) == start
        assert caret_line[start:].split(" ")[0] == "^" * len(quoted)


def test_full_quotes_the_text_after_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(GOLDEN / "src" / "app.py", tmp_path / "app.py")
    _, out = run(["--fix", "--output-format", "full", "app.py"], tmp_path, monkeypatch)
    fixed = (tmp_path / "app.py").read_text(encoding="utf-8").splitlines()
    assert 'IMAGE_MODEL = "gpt-image-2"' in fixed
    quoted = [line.split(" | ", 1)[1] for line in out.splitlines() if re.match(r"^\d+ \| ", line)]
    assert quoted and all(line in fixed for line in quoted)
    assert "Fixed 4 findings." in out


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", Tty())
    assert cli_report.use_color(False) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_report.use_color(False) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "stdout", open(os.devnull, "w"))  # noqa: SIM115 - closed by the GC
    assert cli_report.use_color(False) is False


def test_renderer_colours_only_when_asked() -> None:
    finding = Finding("RL101", "display-name-as-model-id", "error", "m", "a.py", (1, 9), (1, 22),
                      Fix("safe", 'Use "gpt-image-2"', (Edit('"gpt-image-2"', (1, 9), (1, 22), (8, 21)),)))
    sources = {"a.py": 'MODEL = "GPT Image 2"\n'}
    for fmt in ("text", "full"):
        plain = report.render([finding], fmt, options=report.ReportOptions(sources=sources))
        coloured = report.render([finding], fmt, options=report.ReportOptions(sources=sources, color=True))
        assert "\x1b[" not in plain and "\x1b[" in coloured
        assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    for fmt in report.MACHINE_FORMATS:
        assert "\x1b[" not in report.render([finding], fmt, options=report.ReportOptions(sources=sources, color=True))


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_on_a_real_terminal(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('MODEL = "GPT Image 2"\n', encoding="utf-8")

    def lint(extra_env: dict[str, str]) -> str:
        leader, follower = os.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | extra_env
        proc = subprocess.run([sys.executable, "-m", "routelint", "--today", TODAY, "--output-format", "full", "a.py"],
                              cwd=tmp_path, stdout=follower, stderr=subprocess.PIPE, env=env, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.returncode == 1, proc.stderr
        return b"".join(chunks).decode("utf-8")

    assert "\x1b[" in lint({})
    assert "\x1b[" not in lint({"NO_COLOR": "1"})


# --- statistics and the runner's source map ---------------------------------------------------


def test_statistics_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run(["--statistics", "--output-format", "json", "src"], GOLDEN, monkeypatch)
    rows = {row["code"]: row for row in json.loads(out)}
    assert rows["RL101"] == {"code": "RL101", "name": "display-name-as-model-id", "count": 6, "fixable": 3, "unsafe_fixable": 2}
    assert rows["RL203"]["count"] == 2 and rows["RL203"]["fixable"] == 0
    assert list(rows) == sorted(rows)


def test_statistics_of_a_clean_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.py").write_text('MODEL = "gpt-5.5"\n', encoding="utf-8")
    assert run(["--statistics", "ok.py"], tmp_path, monkeypatch) == (0, "All checks passed!\n")
    assert run(["--statistics", "--output-format", "json", "ok.py"], tmp_path, monkeypatch) == (0, "[]\n")


def test_sources_are_kept_only_for_files_with_findings() -> None:
    from routelint.catalog import load_catalog
    from routelint.config import Settings
    from routelint.engine import Linter
    from routelint.runner import run_paths

    linter = Linter(load_catalog(), today=DEFAULT_TODAY)
    outcome = run_paths(linter, Settings(root=GOLDEN), [GOLDEN / "src"], cwd=GOLDEN)
    assert set(outcome.sources) == {"src/app.py", "src/notebook.ipynb", "src/pkg/routes.py"}
    assert set(outcome.notebooks) == {"src/notebook.ipynb"}


def test_output_formats_agree() -> None:
    assert (*report.OUTPUT_FORMATS, "csv") == cli.OUTPUT_FORMATS  # csv: --inventory only


def test_sarif_log_with_rules_and_no_findings(tmp_path: Path) -> None:
    log = sarif_log([], rules=all_rules(), sources={}, cwd=tmp_path)
    validate_sarif(log)
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == srcroot(tmp_path)
