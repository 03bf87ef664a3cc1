"""Adding a rule touches one module, one line in ALL_CHECKS, one fixtures folder: this test says
which of them is missing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import FIXTURES, all_fixtures
from routelint.checks import ALL_CHECKS

ROOT = Path(__file__).parent.parent
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety")


def test_codes_are_unique_and_in_order() -> None:
    codes = [check.CODE for check in ALL_CHECKS]
    assert codes == sorted(set(codes))


def test_every_check_module_is_registered() -> None:
    modules = {p.stem for p in (ROOT / "src/routelint/checks").glob("rl*.py")}
    assert modules == {check.__name__.rsplit(".", 1)[1] for check in ALL_CHECKS}


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.CODE)
def test_rule_is_complete(check) -> None:
    assert re.fullmatch(r"RL\d{3}", check.CODE)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", check.NAME)
    assert check.SEVERITY in ("error", "warning", "note")
    assert check.FIX in ("always", "sometimes", "never")
    assert check.SUMMARY and not check.SUMMARY.endswith(".")
    for section in SECTIONS:
        assert section in (check.__doc__ or ""), f"{check.CODE} doc lacks {section}"
    assert f"| {check.CODE} | {check.NAME} |" in (ROOT / "README.md").read_text(), "README rules table"


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.CODE)
def test_rule_has_fixtures_that_fire_and_that_stay_clean(check) -> None:
    folder = FIXTURES / check.CODE.lower()
    fixtures = [f for f in all_fixtures() if f.path.parent == folder]
    assert fixtures, f"no fixtures in {folder}"
    fires = any(code == check.CODE for f in fixtures for _, code in f.expected())
    clean = any(re.search(r"#\s*expect:\s*$", line) for f in fixtures for line in f.source().splitlines())
    assert fires and clean


@pytest.mark.parametrize("check", [c for c in ALL_CHECKS if c.FIX != "never"], ids=lambda c: c.CODE)
def test_fixable_rules_have_fix_fixtures(check) -> None:
    folder = FIXTURES / check.CODE.lower()
    assert list(folder.glob("*.fixed.py")), f"{check.CODE} can fix, but no <case>.fixed.py shows it"
