"""Every input the fuzzer (or the hostile-input suite) once broke routelint with, replayed through
the fuzz target's own check: decoding, linting and fixing, twice."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "fuzz"))
from fuzz_lint import check, load_regression

REGRESSIONS = sorted((Path(__file__).parent / "fuzz_regressions").glob("*.txt"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.stem)
def test_fuzz_regression(path: Path) -> None:
    check(load_regression(path))


def test_there_are_regressions_to_replay() -> None:
    assert REGRESSIONS
