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
from routelint.flow import occurrences
from routelint.walk import child_fields

# Methods that read an object's settings or count tokens locally: strands' `get_config()` /
# `update_config()` (and any `get_..._config()` / `update_..._config()`), pydantic's
# `model_dump()` / `dict()`, langchain's `get_num_tokens()`.
_READING_METHODS = frozenset({
    "get_config", "update_config", "model_dump", "dict", "to_dict",
    "get_num_tokens", "get_num_tokens_from_messages", "get_token_ids",
})
_MAPPING_READS = frozenset({"get", "keys", "values", "items"})
# `model._format_request(...)`, `model._build_session_config(...)`, `classifier._render_messages(...)`:
# what would be sent, built to be compared
_READING_PREFIXES = ("_format", "_build", "_render")


def _reading_method(name: str) -> bool:
    return name in _READING_METHODS or name.startswith(_READING_PREFIXES) or (
        name.startswith(("get_", "update_")) and name.endswith("_config")
    )


def inspected_constructions(function: cst.FunctionDef) -> set[int]:
    """The ids of the constructor calls of a test function whose objects are only read."""
    if not function.name.value.startswith("test"):
        return set()
    found: set[int] = set()
    for call, parents in _constructions(function):
        parent = parents[-1] if parents else None
        if isinstance(parent, cst.Expr):
            found.add(id(call))  # built and dropped: `with pytest.raises(...): Model(...)`
        elif isinstance(parent, cst.Attribute) and _read(parents):
            found.add(id(call))  # `Model(...).get_config()`
        elif isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            reads = occurrences(function, parent.targets[0].target.value)
            if all(_read(read_parents) for _, read_parents in reads):
                found.add(id(call))
    return found


def _constructions(function: cst.FunctionDef) -> list[tuple[cst.Call, tuple[cst.CSTNode, ...]]]:
    """The calls of a class in the function's own body (not in functions or classes inside it),
    with the nodes above each, the nearest last."""
    found: list[tuple[cst.Call, tuple[cst.CSTNode, ...]]] = []

    def visit(node: cst.CSTNode, parents: tuple[cst.CSTNode, ...]) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return
        if isinstance(node, cst.Call):
            name = attribute_chain(node.func)[-1]
            if name[:1].isupper():
                found.append((node, parents))
        inner = (*parents, node)
        for field in child_fields(type(node)):
            value = getattr(node, field)
            for child in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(child, cst.CSTNode):
                    visit(child, inner)

    visit(function.body, ())
    return found


def _read(parents: tuple[cst.CSTNode, ...]) -> bool:
    """Whether the object under `parents` (nearest last) is only looked at there: an attribute
    read, a reading method, `isinstance(obj, ...)`, or an operand of a comparison."""
    if not parents:
        return False
    parent = parents[-1]
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        return True
    if isinstance(parent, cst.Arg) and len(parents) >= 2:
        call = parents[-2]
        return isinstance(call, cst.Call) and attribute_chain(call.func) == ("isinstance",) and call.args[0] is parent
    if not isinstance(parent, cst.Attribute):
        return False
    depth, outermost = len(parents) - 1, parent  # climb `obj.a.b` to its outermost attribute
    while depth > 0:
        above = parents[depth - 1]
        if not (isinstance(above, cst.Attribute) and above.value is outermost):
            break
        depth, outermost = depth - 1, above
    holder = parents[depth - 1] if depth > 0 else None
    if isinstance(holder, cst.Call) and holder.func is outermost:
        method = outermost.attr.value
        # `obj.get_config()`; on a setting of the object, a mapping's reads (`obj.extra_args.get("k")`)
        return _reading_method(method) if outermost is parent else method in _MAPPING_READS
    return True  # a read: `model.model_id`, `model.config["model_id"]`
