import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

from harness import TODAY  # tests/ is on the path from here on

# Fixture files are linted, never collected: one named as test code (`test_*.py`) is linted as such.
collect_ignore_glob = ["fixtures/*"]

# Property tests: a handful of generated programs in the normal suite (CI stays fast), thousands
# with `pytest --hypothesis-profile=long` (or HYPOTHESIS_PROFILE=long) for long local runs.
# Tests must not set max_examples themselves, or the profile could not change it; those that
# are costly per example take a fraction of it (see tests/test_properties.py).
_SLOW_GENERATION = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("fast", max_examples=30, deadline=None, suppress_health_check=_SLOW_GENERATION)
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=_SLOW_GENERATION)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the working folder, with no date from the environment (a
    test passes --today, or sets ROUTELINT_TODAY itself). A module that needs files in it
    overrides this fixture and asks for it by the same name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTELINT_TODAY", raising=False)
    return tmp_path


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> str:
    """ROUTELINT_TODAY set to the suite's TODAY for this test, for code that takes the date from the
    environment rather than from --today. Ask for it after `project`, which clears the variable."""
    monkeypatch.setenv("ROUTELINT_TODAY", TODAY)
    return TODAY
