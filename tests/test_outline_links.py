"""`outline._linked`: a statement holding only links (`model=name`, a wrapper's call,
`**params`) goes to LibCST only when it shares a module name with one that holds a seed."""
from __future__ import annotations

import ast
import datetime as dt

import pytest

from routelint.config import Settings
from routelint.engine import Linter
from routelint.outline import _module_bound
from routelint.parsing import Parsed


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.for_settings(Settings(), dt.date(2026, 11, 25))


def parsed_lines(linter: Linter, source: str) -> set[int]:
    parsed = linter.parse(source)
    assert isinstance(parsed, Parsed)
    return {chunk.first_line + n for chunk, _ in parsed.chunks for n in range(chunk.text.count("\n"))}


SOURCE = '''\
from agents import Agent
MODEL = "gpt-5.5"
def build(name):
    return Agent(name=name, model=MODEL)
def make(name, model):
    return Agent(name=name, model=model)
def other(name, model):
    return Agent(name=name, model=model)
def uses_make():
    return make("a", model=PICK)
PICK = "gpt-5.5"
'''


def test_a_link_is_parsed_only_when_joined_to_a_seed(linter: Linter) -> None:
    lines = parsed_lines(linter, SOURCE)
    assert {2, 3, 4} <= lines  # reads MODEL, which a seed binds
    assert {5, 6, 9, 10, 11} <= lines  # make: read by uses_make, which reads PICK
    assert not {7, 8} & lines  # other: joined to nothing


def test_a_short_assignment_relays_but_an_import_does_not(linter: Linter) -> None:
    source = '''\
from agents import Agent
class Settings:
    model = "gpt-5.5"
settings = Settings()
def ask():
    return Agent(model=settings.model)
def other():
    return Agent(name="b", model=pick())
'''
    lines = parsed_lines(linter, source)
    assert {2, 3, 4, 5, 6} <= lines  # through `settings = Settings()`
    assert not {7, 8} & lines  # reads `Agent`, which the seed reads too: an import carries nothing of the file


def test_links_around_an_inert_seed_are_not_parsed(linter: Linter) -> None:
    # The one candidate is a docstring: nothing can reach the call.
    source = 'import openai\n"""gpt-5.5"""\ndef f(m):\n    return openai.OpenAI().responses.create(model=m)\n'
    assert not {3, 4} & parsed_lines(linter, source)


@pytest.mark.parametrize(
    ("statement", "names"),
    [
        ("x, (y, *z) = f()", {"x", "y", "z"}),
        ("CONFIG['model'] = 'x'", {"CONFIG"}),
        ("a.b.c = 1", {"a"}),
        ("MODELS.append('x')", {"MODELS"}),
        ("import a.b as c, d.e", {"c", "d"}),
        ("def f(x=(y := 1)):\n    global G\n    local = 2", {"f", "G", "y"}),
        ("@register(k := 1)\nclass C(Base):\n    attr = 1", {"C", "k"}),
        ("for i in range(3):\n    if i:\n        TOTAL = i", {"i", "TOTAL"}),
        ("try:\n    pass\nexcept Exception as error:\n    pass", {"error"}),
        ("with open(p) as handle:\n    pass", {"handle"}),
        ("print(lambda q: q)", set()),
    ],
)
def test_module_bound(statement: str, names: set[str]) -> None:
    assert _module_bound(ast.parse(statement).body[0]) == names


def test_a_function_global_counts_only_where_the_file_declares_one() -> None:
    """`declares_globals=False` (no `global` in the file's text) skips the walk for one."""
    function = ast.parse("def f():\n    global MODEL\n    MODEL = 'x'\n").body[0]
    assert _module_bound(function) == {"f", "MODEL"}
    assert _module_bound(function, declares_globals=False) == {"f"}


def test_a_global_on_the_def_line_joins_a_link(linter: Linter) -> None:
    """A function setting a module name a seed's statement reads joins it, also when its `global`
    is on the `def` line (which a pattern anchored at the start of a line would miss)."""
    source = 'def pick(): global MODEL; MODEL = choose()\ndef other():\n    model = 1\nsend(MODEL, "gpt-5.5")\n'
    lines = parsed_lines(linter, source)
    assert 1 in lines and 2 not in lines and 4 in lines


def test_a_statement_that_only_compares_or_looks_up_a_candidate_is_not_parsed(linter: Linter) -> None:
    source = '''\
def pick(tool_type, tool_map, tool):
    if tool_type == "computer_use_preview" or tool_type in ("gpt-5.5", "gpt-image-2"):
        tool_map["computer_use_preview"] = tool
    return tool_map
def send(client):
    return client.responses.create(model="gpt-5.5", input="hi")
'''
    lines = parsed_lines(linter, source)
    assert not {1, 2, 3, 4} & lines
    assert {5, 6} <= lines
