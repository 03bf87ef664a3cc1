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


@pytest.mark.parametrize(
    "function",
    [
        "def make():\n    return OpenAI(api_key=k)\n",
        "def make():\n    return AsyncAzureOpenAI()\n",
        "def make():\n    return OpenAIProvider(key)\n",
        "def make():\n    return Client(base_url=URL)\n",
        "def make():\n    fake = MagicMock()\n    return fake\n",
        "def make():\n    return httpx.Client(transport=httpx.MockTransport(handler))\n",
    ],
)
def test_every_client_factory_holds_a_factory_word(signs: Signs, function: str) -> None:
    """`Signs.factory_words` gates the walk of `_returns_a_client`: every factory it finds holds one."""
    import ast

    from routelint.outline import _returns_a_client

    tree = ast.parse(function).body[0]
    assert isinstance(tree, ast.FunctionDef) and _returns_a_client(tree, signs)
    assert signs.factory_words.search(function)
    assert not signs.factory_words.search("def make():\n    return Session(retries=3)\n")
