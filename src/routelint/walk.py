"""Walk a LibCST tree for a read-only visitor, without rebuilding it.

LibCST's own `CSTNode.visit` rebuilds every node it passes: each node's children are visited
through `_visit_and_replace_children`, which constructs and validates a new node even when the
visitor changes nothing (the "TODO: provide traversal where children are not replaced" in
libcst/_nodes/base.py). For routelint's visitor that was about two thirds of the time spent on
each parsed statement.

`walk` calls the same `visit_<Class>` / `leave_<Class>` methods, on the same nodes, in the same
order: a class's children in the order its `_visit_and_replace_children` visits them, read once
from that method's constants (the field names it passes to `visit_required` and friends, in
source order). It leaves out whitespace, comments, parentheses and punctuation, which no
visitor of ours looks at. tests/test_walk.py compares the order with LibCST's own visit.
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, MutableMapping
from typing import Any, Callable, Optional

import libcst as cst

# Fields that only ever hold whitespace, comments or punctuation.
_SKIPPED = frozenset(
    {
        "whitespace", "leading_lines", "lines_after_decorators", "trailing_whitespace", "leading_whitespace",
        "lpar", "rpar", "lbrace", "rbrace", "lbracket", "rbracket", "comma", "trailing_comma", "dot", "equal",
        "colon", "first_colon", "second_colon", "semicolon", "header", "footer", "empty_lines", "newline",
        "asynchronous", "comment", "operator", "relative", "posonly_ind",
    }
)

Hooks = tuple[tuple[str, ...], Optional[Callable[[Any, Any], Any]], Optional[Callable[[Any, Any], Any]]]  # typing spelled for Python 3.9


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor, marks: MutableMapping[int, int], mark: int) -> None:
    """visit_<Class>(node) (children are skipped when it returns False), the children, then
    leave_<Class>(node), for `node` and everything under it; `marks[id(n)] = mark` for each."""
    _walk(node, visitor, {}, marks, mark)


def _walk(node: Any, visitor: cst.CSTVisitor, hooks: dict[type, Hooks], marks: MutableMapping[int, int], mark: int) -> None:
    kind: type = type(node)
    entry = hooks.get(kind)
    if entry is None:
        entry = hooks[kind] = _hooks(type(visitor), kind)
    fields, enter, leave = entry
    marks[id(node)] = mark
    if enter is None or enter(visitor, node) is not False:
        for name in fields:
            value = getattr(node, name)
            if type(value) is tuple or type(value) is list:
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        _walk(item, visitor, hooks, marks, mark)
            elif isinstance(value, cst.CSTNode):
                _walk(value, visitor, hooks, marks, mark)
    if leave is not None:
        leave(visitor, node)


@functools.cache  # a few dozen node classes per visitor class
def _hooks(visitor_class: type, kind: type) -> Hooks:
    return (
        child_fields(kind),
        getattr(visitor_class, f"visit_{kind.__name__}", None),
        getattr(visitor_class, f"leave_{kind.__name__}", None),
    )


def subtree(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """A node and every node below it, for the small searches of a value (`any(isinstance(n,
    cst.Call) for n in subtree(default))`)."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(child_nodes(current))


def subtree_ids(node: cst.CSTNode) -> Iterator[int]:
    """The ids of a node and of every node below it."""
    yield id(node)
    for child in child_nodes(node):
        yield from subtree_ids(child)


def child_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes directly under `node` worth visiting (`child_fields`), in LibCST's order: for
    the small walks of flow.py and bindings.py (`walk` itself inlines this, it is the hot one)."""
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if type(value) is tuple or type(value) is list:
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item
        elif isinstance(value, cst.CSTNode):
            yield value


@functools.cache  # asked for every node by the walks of flow.py and bindings.py
def child_fields(kind: type) -> tuple[str, ...]:
    """The fields of `kind` that can hold nodes worth visiting, in LibCST's visiting order."""
    if not dataclasses.is_dataclass(kind):
        return ()
    fields = {f.name for f in dataclasses.fields(kind)}
    method = getattr(kind, "_visit_and_replace_children", None)
    constants = getattr(getattr(method, "__code__", None), "co_consts", ())
    ordered = [c for c in constants if isinstance(c, str) and c in fields]
    seen: set[str] = set()
    return tuple(c for c in ordered if not (c in seen or seen.add(c)) and c not in _SKIPPED)  # type: ignore[func-returns-value]
