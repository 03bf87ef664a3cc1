"""routelint.walk must visit what LibCST's own visit visits, in the same order, leaving out only
whitespace, comments and punctuation."""
from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from harness import all_fixtures
from routelint.walk import subtree, subtree_ids, walk

# What walk leaves out on purpose: no visitor of routelint looks at these.
PUNCTUATION = (
    cst.BaseParenthesizableWhitespace, cst.TrailingWhitespace, cst.EmptyLine, cst.Comment, cst.Newline,
    cst.LeftParen, cst.RightParen, cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.LeftSquareBracket,
    cst.RightSquareBracket, cst.Comma, cst.Dot, cst.AssignEqual, cst.Colon, cst.Semicolon, cst.Asynchronous,
    cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp, cst.ParamSlash,
)
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLES = [
    *(f.path for f in all_fixtures()),
    *(STDLIB / name for name in ("dataclasses.py", "argparse.py", "typing.py", "asyncio/tasks.py", "json/decoder.py")),
]


class Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not isinstance(node, PUNCTUATION):
            self.events.append(("visit", id(node)))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if not isinstance(original_node, PUNCTUATION):
            self.events.append(("leave", id(original_node)))


class Hooks(cst.CSTVisitor):
    """Records through visit_<Class> / leave_<Class>, the way routelint's collector is called."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []


def _add_hooks() -> None:
    import inspect

    for kind in vars(cst).values():
        if inspect.isclass(kind) and issubclass(kind, cst.CSTNode) and not issubclass(kind, PUNCTUATION):
            setattr(Hooks, f"visit_{kind.__name__}", lambda self, node: self.events.append(("visit", id(node))))
            setattr(Hooks, f"leave_{kind.__name__}", lambda self, node: self.events.append(("leave", id(node))))


_add_hooks()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_walk_visits_what_libcst_visits_in_the_same_order(path: Path) -> None:
    try:
        module = cst.parse_module(path.read_text(encoding="utf-8"))
    except cst.ParserSyntaxError:
        pytest.skip("a fixture of a syntax error")
    expected = Recorder()
    module.visit(expected)
    actual = Hooks()
    marks: dict[int, int] = {}
    walk(module, actual, marks, 7)
    assert actual.events == expected.events
    assert set(marks.values()) == {7} and {i for _, i in actual.events} <= set(marks)


def test_a_visit_method_that_returns_false_skips_the_children() -> None:
    class NoCalls(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.names: list[str] = []

        def visit_Call(self, node: cst.Call) -> bool:
            return False

        def visit_Name(self, node: cst.Name) -> None:
            self.names.append(node.value)

    visitor = NoCalls()
    walk(cst.parse_module("a = f(b)\nc\n"), visitor, {}, 0)
    assert visitor.names == ["a", "c"]


def test_subtree_holds_the_nodes_subtree_ids_names() -> None:
    module = cst.parse_module('def ask(model=(DEFAULT := "gpt-5.5")):\n    return send(model=model)\n')
    assert sorted(id(node) for node in subtree(module)) == sorted(subtree_ids(module))
    assert any(isinstance(node, cst.NamedExpr) for node in subtree(module))
