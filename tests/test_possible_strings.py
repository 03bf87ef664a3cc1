"""`values.possible_strings` reads a bounded number of expressions, however conditionals of
f-strings nest (found by review: three levels of 40 pieces took 17 s)."""
from __future__ import annotations

import pytest

from harness import DEFAULT_TODAY
from routelint import values
from routelint.catalog import load_catalog
from routelint.engine import Linter


def _nested(levels: int, width: int) -> str:
    lines = ["import requests", "c = input()", 'Y0 = "https://a.example/" if c else "https://a.example/"']
    for level in range(1, levels + 1):
        joined = "f'" + f"{{Y{level - 1}}}" * width + "'"
        lines.append(f"Y{level} = {joined} if c else {joined}")
    lines.append(f'requests.post(Y{levels}, json={{"model": "gpt-4"}})')
    return "\n".join(lines) + "\n"


def test_nested_conditionals_read_a_bounded_number_of_expressions(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = values._possible

    def counted(*args: object) -> list[str] | None:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(values, "_possible", counted)
    findings = Linter(load_catalog(), today=DEFAULT_TODAY).lint_source(_nested(3, 40), "fanout.py").findings
    assert len(calls) <= values._MAX_STEPS + 1
    assert [f.code for f in findings] == ["RL201"]  # too many URLs to tell: the model stays judged
