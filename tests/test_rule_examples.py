"""Every rule's documentation runs as a fixture (as Fixit runs its VALID / INVALID examples): the
code under "## Example" is reported by its rule, and code under "## Use instead" is not, so the
docs cannot drift from what the rule does. The date is the suite's (harness.DEFAULT_TODAY)."""
from __future__ import annotations

import re
from functools import cache

import pytest

from harness import DEFAULT_TODAY
from routelint.catalog import load_catalog
from routelint.checks import ALL_CHECKS
from routelint.engine import Linter

# The examples call `client.<resource>...` as the docs do; this is what they leave out.
PREAMBLE = "from openai import OpenAI\n\nclient = OpenAI()\n"
# RL001's example is a file's encoding or a syntax error further down: prose, not a snippet.
PROSE_EXAMPLES = {"RL001"}
_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


@cache
def linter() -> Linter:
    return Linter(load_catalog(), today=DEFAULT_TODAY)


def section(doc: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    return match.group(1) if match else ""


def codes(snippet: str) -> list[str]:
    return [f.code for f in linter().lint_source(PREAMBLE + snippet, "example.py").findings]


@pytest.mark.parametrize("check", [c for c in ALL_CHECKS if c.CODE not in PROSE_EXAMPLES], ids=lambda c: c.CODE)
def test_the_example_is_reported_by_its_rule(check: object) -> None:
    blocks = _BLOCK.findall(section(check.__doc__ or "", "Example"))
    assert blocks, f"{check.CODE}: no ```python block under ## Example"  # type: ignore[attr-defined]
    for block in blocks:
        assert check.CODE in codes(block), block  # type: ignore[attr-defined]


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.CODE)
def test_use_instead_is_not_reported_by_the_rule(check: object) -> None:
    for block in _BLOCK.findall(section(check.__doc__ or "", "Use instead")):
        assert check.CODE not in codes(block), block  # type: ignore[attr-defined]
