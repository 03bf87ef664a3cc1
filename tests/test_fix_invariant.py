"""A fix never creates a finding (issue 18): for every fixture, what remains after --fix
--unsafe-fixes is a part of what was found before, less what was fixed. A label or a spelling
rewritten to an ID the endpoint rejects (RL301), that is off-route there (RL302), or that is shut
down or shutting down (RL201, RL202) would trade one finding for another."""
from __future__ import annotations

from collections import Counter

import pytest

from harness import DEFAULT_TODAY, Fixture, all_fixtures


def _by_line(findings) -> Counter[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return Counter((f.start[0], f.code) for f in findings)


@pytest.mark.parametrize("fixture", [f for f in all_fixtures() if not f.project], ids=lambda f: f.id)
def test_fixing_never_creates_a_finding(fixture: Fixture) -> None:
    before = fixture.lint().findings
    fixed = fixture.fix(unsafe=True)
    if fixed.source.count("\n") != fixture.source().count("\n"):
        pytest.skip("a fix changed the number of lines")  # none does today; lines are the key
    remaining = _by_line(fixed.remaining.findings)
    allowed = _by_line(before) - _by_line(fixed.fixed)
    created = remaining - allowed
    assert not created, f"findings created by fixing: {sorted(created)}"


def _route_table() -> list[tuple[str, str, tuple[str, ...]]]:
    """(surface, call, model strings): every label of the catalog, and spellings of every model
    the labels route to, for every SDK call of every surface (the model map's route table on
    every call shape the catalog knows)."""
    from harness import _linter

    catalog = _linter(DEFAULT_TODAY, 365, (), ()).catalog
    labels = [label.text for label in catalog.labels.values()]
    targets = {label.target for label in catalog.labels.values()} | {
        route.target for label in catalog.labels.values() for route in label.on.values()
    }
    spellings = sorted({t.upper() for t in targets} | {t.replace("-", "") for t in targets})
    values = (*labels, *spellings)
    return [
        (surface.id, call, values)
        for surface in catalog.surfaces.values()
        for call in surface.calls
        if "." in call and call[0].islower()
    ]


@pytest.mark.parametrize(("surface_id", "call", "values"), _route_table(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_route_table_fixed_once_reports_nothing_new(surface_id: str, call: str, values: tuple[str, ...]) -> None:
    from harness import _linter

    linter = _linter(DEFAULT_TODAY, 365, (), ())
    surface = linter.catalog.surfaces[surface_id]
    for value in values:
        source = f"from openai import OpenAI\n\nclient = OpenAI()\nclient.{call}(model={value!r})\n"
        before = linter.lint_source(source, "app.py").findings
        fixed = linter.fix_source(source, "app.py", unsafe=True)
        created = _by_line(fixed.remaining.findings) - (_by_line(before) - _by_line(fixed.fixed))
        assert not created, (fixed.source.splitlines()[-1], sorted(created))
        # Nor does a fix land where nothing checks it: on a closed surface, the new ID is one the
        # catalog says that surface accepts (not merely one no source rules out: `unknown-on`).
        if fixed.source != source and surface.closed:
            new_value = fixed.source.splitlines()[-1].split("model=")[1][1:-2]
            assert surface.id in linter.catalog.models[new_value].surfaces, (call, value, new_value)
