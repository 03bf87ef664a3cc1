"""Every fixture under tests/fixtures/ must produce exactly the findings it declares."""
from __future__ import annotations

import re

import libcst
import pytest

from harness import Fixture, all_fixtures, found
from routelint.prefilter import Prefilter

FIXTURES = all_fixtures()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_findings_match_expectations(fixture: Fixture) -> None:
    result = fixture.lint()
    actual, expected = found(result), fixture.expected()
    unexpected = sorted(actual - expected)
    missing = sorted(expected - actual)
    details = "\n".join(f"  {f.start[0]}:{f.start[1]} {f.code} {f.message}" for f in result.findings)
    assert not unexpected and not missing, f"unexpected {unexpected}, missing {missing}\nall findings:\n{details}"


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.fixed_path.exists()], ids=lambda f: f.id)
def test_fix_output_matches_fixed_file(fixture: Fixture) -> None:
    result = fixture.fix(unsafe=fixture.unsafe)
    expected = fixture.fixed_path.read_bytes().decode("utf-8")
    assert result.source == expected
    libcst.parse_module(result.source)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_fix_is_idempotent(fixture: Fixture) -> None:
    linter = fixture.linter()
    once = fixture.fix(unsafe=True).source
    run = fixture.project_run() if fixture.project else None
    reach = {"project": run.table, "incoming": run.incoming[fixture.id]} if run else {}
    twice = linter.fix_source(once, fixture.id, unsafe=True, enabled=fixture.enabled(), **reach)
    assert twice.source == once
    assert not twice.fixed


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_prefilter_never_hides_a_finding(fixture: Fixture) -> None:
    linter = fixture.linter()
    with_prefilter = fixture.lint().findings
    saved = linter.prefilter
    try:
        linter.prefilter = Prefilter(re.compile(b""), (), re.compile(b""), re.compile(b""), b"")  # matches every file
        without = fixture.lint().findings
    finally:
        linter.prefilter = saved
    # RL001 is the exception by design: a file without a candidate is never parsed.
    assert with_prefilter == tuple(f for f in without if f.code != "RL001" or with_prefilter)


def test_every_fixture_declares_something() -> None:
    assert all(f.expected() or "# expect:" in f.source() for f in FIXTURES)
