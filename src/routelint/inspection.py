"""Objects a test builds only to look at: the extractor's data-flow step for a test's own objects.

A test that builds a wrapper and then only reads it (`model = OpenAIModel(model_id="gpt-4o")`,
then `model.get_config()`, `model.context_window_limit`, `isinstance(model, ...)`), builds one
inside `pytest.raises` and drops it, or reads one at once (`LiteLLMModel(...).get_config()`)
sends nothing: a wrapper sends when a method of its own is called to ask for something, which
such a test never does. Building is not sending. So the model strings such a construction is
given are not requests (visitor.py treats them as it treats a test's expectations).

Only constructions (the callee's name is capitalized: a class) in functions named `test...`;
a call that returns what it asked for (`complete(model=...)`, an SDK call) has sent already,
whatever is done with its result. Any other use of the object (given to a call, returned,
called, iterated, awaited, a method not listed below) keeps it judged.
"""
from __future__ import annotations

import libcst as cst

from routelint.bindings import attribute_chain
from routelint.flow import FunctionBody, Parents

# Methods that read an object's settings or count tokens locally: strands' `get_config()` /
# `update_config()` (and any `get_..._config()` / `update_..._config()`), pydantic's
# `model_dump()` / `dict()`, langchain's `get_num_tokens()`.
_READING_METHODS = frozenset({
    "get_config", "update_config", "model_dump", "dict", "to_dict",
    "get_num_tokens", "get_num_tokens_from_messages", "get_token_ids",
})
# Methods that look at a value read from the object: a mapping's or a string's
# (`model.extra_args.get("k")`, `rendered[6]["content"].startswith("Messages:")`).
_MAPPING_READS = frozenset({
    "get", "keys", "values", "items", "startswith", "endswith", "lower", "upper", "strip", "split", "count", "index", "find",
})
# `model._format_request(...)`, `model._build_session_config(...)`, `classifier._render_messages(...)`:
# what would be sent, built to be compared
_READING_PREFIXES = ("_format", "_build", "_render")


def _reading_method(name: str) -> bool:
    return name in _READING_METHODS or name.startswith(_READING_PREFIXES) or (
        name.startswith(("get_", "update_")) and name.endswith("_config")
    )


def inspected_constructions(function: cst.FunctionDef, body: FunctionBody) -> set[int]:
    """The ids of the constructor calls of a test function whose objects are only read (`body`:
    the function read once, flow.py's `FunctionBody`)."""
    if not function.name.value.startswith("test"):
        return set()
    found: set[int] = set()
    for call, parents in body.constructions:
        parent = parents[-1] if parents else None
        if isinstance(parent, cst.Expr):
            found.add(id(call))  # built and dropped: `with pytest.raises(...): Model(...)`
        elif isinstance(parent, cst.Attribute) and _read(call, parents, body):
            found.add(id(call))  # `Model(...).get_config()`
        elif isinstance(parent, cst.Assign) and _only_read(parent, body, 0):
            found.add(id(call))
    return found


_MAX_DEPTH = 3  # `tru = model.get_config()`, then `tru["x"]` compared: names followed this deep
# Calls that only look at what they are given: `isinstance(model, X)`, `set(model.stop) == {...}`.
_LOOKING = frozenset(
    (name,) for name in ("isinstance", "len", "set", "list", "tuple", "sorted", "str", "repr", "type", "bool", "dict", "any", "all")
)


def _only_read(assign: cst.Assign, body: FunctionBody, depth: int) -> bool:
    """`name = <value>`: every read of `name` in the function only looks at it."""
    if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name) or depth > _MAX_DEPTH:
        return False
    return all(_read(node, parents, body, depth + 1) for node, parents in body.reads.get(assign.targets[0].target.value, ()))


def _read(node: cst.CSTNode, parents: Parents, body: FunctionBody, depth: int = 0) -> bool:
    """Whether the object `node` (with `parents`, the nearest last) is only looked at, and what
    is read of it goes nowhere but a comparison, an assert, a test's own local looked at the same
    way, or a call that only looks (`_LOOKING`): an attribute read, a reading method, a mapping's
    read of one of its settings (`model.extra_args.get("k")`). A read handed on (`create(model=
    settings.chat_model)`, `**model.model_dump()`), a method kept to call (`send = llm.invoke`), or
    any other method called is a use."""
    current, above = node, parents
    while above:
        parent = above[-1]
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget, cst.Assert, cst.Expr)):
            return True
        if isinstance(parent, (cst.Subscript, cst.SubscriptElement, cst.Index)):
            if isinstance(parent, cst.Subscript) and parent.value is current and len(above) > 1 and isinstance(above[-2], (cst.AssignTarget, cst.Del)):
                return True  # `tru_config["model_id"] = ...`: the test's own copy changed
            current, above = parent, above[:-1]  # `model.config["k"]`, or a key
            continue
        if isinstance(parent, (cst.UnaryOperation, cst.BooleanOperation)):
            current, above = parent, above[:-1]
            continue
        if isinstance(parent, cst.CompFor) and parent.iter is current and len(above) > 1:
            current, above = above[-2], above[:-2]  # `any(t["type"] == x for t in agent.tools)`: the comprehension
            continue
        if isinstance(parent, cst.Attribute) and parent.value is current:
            holder = above[-2] if len(above) > 1 else None
            if isinstance(holder, cst.AssignTarget) and current is node:
                return True  # `llm._last_response_id = "x"`: set on the test's object
            if isinstance(holder, cst.Call) and holder.func is parent:
                method = parent.attr.value
                if not (_reading_method(method) if current is node else method in _MAPPING_READS):
                    return False
                current, above = holder, above[:-2]
            else:
                current, above = parent, above[:-1]
            continue
        if isinstance(parent, cst.Arg) and parent.star == "" and len(above) > 1:
            call = above[-2]
            if isinstance(call, cst.Call) and attribute_chain(call.func) in _LOOKING:
                current, above = call, above[:-2]
                continue
            return False
        if isinstance(parent, cst.Assign) and parent.value is current:
            return _only_read(parent, body, depth)
        return False
    return False
