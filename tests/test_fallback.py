"""Code the running Python cannot parse (newer syntax) is read whole by LibCST (the fallback of
`Linter.parse`); it must be judged as the outline path judges it. The outline claims
nothing there: not that the file imports openai, nor that it is Azure's."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from harness import FIXTURES, Fixture, all_fixtures, found
from routelint import parsing
from routelint.model import Finding

NEWER_SYNTAX = [
    FIXTURES / "rl203" / "newer_syntax_not_openai.py",
    FIXTURES / "rl101" / "newer_syntax_azure_named.py",
    FIXTURES / "rl201" / "newer_syntax_in_an_emptied_body.py",
]
# What only the `ast` outline reads: a `global` statement in a function rebinding a module
# constant (`_rebound_anywhere`). The fallback has no `ast` tree, so it trusts the constant.
OUTLINE_ONLY = {"rl301/through_names.py", "rl301/global_on_the_def_line.py"}


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="Python 3.12 reads `type X = ...` itself")
@pytest.mark.parametrize("path", NEWER_SYNTAX, ids=lambda p: p.name)
def test_newer_syntax_fixtures_take_the_fallback_here(path: Path) -> None:
    with pytest.raises(SyntaxError):
        ast.parse(path.read_text(encoding="utf-8"))


@pytest.fixture
def forced_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python refuses every file, as an older Python refuses newer syntax."""
    refused = parsing.ast_parse("(\n")
    assert isinstance(refused, Finding)
    monkeypatch.setattr(parsing, "ast_parse", lambda source: refused)


# Not the project fixtures (linted together) nor the unparseable ones (RL001: the error is where
# the file's own parse fails, not where the stand-in refusal says).
CASES = [
    f for f in all_fixtures()
    if not f.project and f.id not in OUTLINE_ONLY and all(code != "RL001" for _, code in f.expected())
]


@pytest.mark.parametrize("fixture", CASES, ids=lambda f: f.id)
def test_the_fallback_judges_as_the_outline_does(fixture: Fixture, forced_fallback: None) -> None:
    assert found(fixture.lint()) == fixture.expected()
