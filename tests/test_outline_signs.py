"""`outline.Signs.kept`: the fast scans find exactly what the one `keep` pattern finds."""
from __future__ import annotations

import pytest

from routelint.catalog import load_catalog
from routelint.outline import Signs


@pytest.fixture(scope="module")
def signs() -> Signs:
    return Signs.of(load_catalog(()).code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import openai\n", [7]),
        ("client = OpenAI()\nGLOBAL = 1\n", [9, 18]),
        ("    global MODEL\n", [4]),
        ("fake = MagicMock()\n", [7]),
        ("Mock()\n", [0]),
        ("t = httpx.MockTransport(h)\n", [10]),
        # A mock class's name inside a longer name is no stand-in; case counts for them.
        ("x = aMock() + _Mock() + mock.Mock(spec=x) + magicmock()\n", [29]),
        # Text that is not ASCII takes the case-insensitive pattern (dotless i).
        ("é = 'opena\u0131' + Mock()\n", [5, 15]),
    ],
)
def test_kept_finds_what_keep_finds(signs: Signs, text: str, expected: list[int]) -> None:
    assert signs.kept(text) == expected
    assert signs.kept(text) == [m.start() for m in signs.keep.finditer(text)]
