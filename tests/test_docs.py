"""docs/rules.md is generated from the rule docstrings, and every finding's url lands in it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clirunner import separate_streams
from routelint import docs
from routelint.cli import main
from routelint.docs import SECTIONS, all_rules, rules_markdown

RULES_MD = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def github_anchor(heading: str) -> str:
    """GitHub's slug for a markdown heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_rules_md_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `python -m routelint.docs --output docs/rules.md`"
    )


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_rule_doc_has_the_sections_in_order(rule: docs.RuleDoc) -> None:
    headings = re.findall(r"(?m)^## (.+)$", rule.body)
    assert headings == list(SECTIONS), f"{rule.code}: sections {headings}"
    for section in re.split(r"(?m)^## .+$", rule.body)[1:]:
        assert section.strip(), f"{rule.code}: an empty section"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_url_points_at_its_section(rule: docs.RuleDoc) -> None:
    path, anchor = rule.url.split("#")
    assert path.endswith("/docs/rules.md")
    anchors = {github_anchor(h) for h in re.findall(r"(?m)^## (.+)$", RULES_MD.read_text(encoding="utf-8"))}
    assert anchor in anchors


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_explain_prints_the_documented_text(rule: docs.RuleDoc) -> None:
    result = separate_streams().invoke(main, ["--explain", rule.code])
    assert result.exit_code == 0
    assert result.stdout == rule.markdown(level=1)
    # The same text, one heading level deeper, is the rule's section of docs/rules.md.
    demoted = re.sub(r"(?m)^#", "##", result.stdout)
    assert demoted in RULES_MD.read_text(encoding="utf-8")
    assert separate_streams().invoke(main, ["--explain", rule.name]).stdout == result.stdout


def test_explain_json() -> None:
    result = separate_streams().invoke(main, ["--explain", "rl201", "--output-format", "json"])
    rule = docs.find_rule("RL201")
    assert result.exit_code == 0 and rule is not None
    assert json.loads(result.stdout) == {
        "code": "RL201", "name": "shut-down-model", "severity": "error", "fixable": True, "fix": "sometimes",
        "summary": rule.summary, "url": rule.url, "explanation": rule.body,
    }


def test_explain_unknown_rule_exits_2() -> None:
    result = separate_streams().invoke(main, ["--explain", "RL999"])
    assert result.exit_code == 2 and "unknown rule" in result.stderr


def test_headings_inside_code_blocks_stay() -> None:
    text = "## What it does\n```python\n# a comment\n```\n"
    assert docs._shift_headings(text, 1) == "### What it does\n```python\n# a comment\n```"


def test_main_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "docs" / "rules.md"
    assert docs.main(["--output", str(target), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert docs.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == rules_markdown()
    assert docs.main(["--output", str(target), "--check"]) == 0
