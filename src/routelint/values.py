"""What an expression holds, read statically through names bound once: the elements of a list,
the entries of a dict, the text of a string built from literals (f-strings, `+`). Pure
functions of an expression and the scope its names are looked up in; each takes a depth that
stops cycles (names bound to names bound to names...).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from routelint.bindings import (
    MAX_DEPTH,
    Binding,
    Element,
    Scope,
    attribute_chain,
    environment_or,
    getenv_default,
    is_none,
    parameter_fallback,
    resolve_chain,
)
from routelint.facts import string_value

if TYPE_CHECKING:
    from routelint.catalog_reach import Prefix

_PASSING = frozenset({"list", "tuple", "set", "sorted", "reversed", "frozenset"})  # the same elements


@dataclass(frozen=True)
class Piece:
    """A piece of a string expression (a literal, an f-string part, an operand of `+`)."""

    text: str | None  # None: an expression we cannot read statically
    literal: cst.CSTNode | None = None  # the literal (or f-string part) of this URL it comes from
    raw_offset: int | None = None  # where `text` starts in the literal's source text, if verbatim
    expr: cst.CSTNode | None = None  # the expression it comes from (`{MODEL}`), read or not


def elements(
    expr: cst.CSTNode, scope: Scope, depth: int, pick: int | None = None, *, keys: bool = True
) -> list[tuple[cst.CSTNode, Scope]]:
    """The elements of a literal list, tuple or set (`pick`: the one at that index), the keys
    of a dict display (unless not `keys`), through names bound once and `list()`, `sorted()`, `.keys()`, `.values()`..."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return []
        found: list[tuple[cst.CSTNode, Scope]] = [(e.value, scope) for e in expr.elements]
        if pick is None:
            return found
        return [found[pick]] if -len(found) <= pick < len(found) and not isinstance(expr, cst.Set) else []
    if isinstance(expr, cst.Dict):
        if not keys:
            return []
        found_keys: list[tuple[cst.CSTNode, Scope]] = [(e.key, scope) for e in expr.elements if isinstance(e, cst.DictElement)]
        return found_keys if pick is None else []
    if isinstance(expr, cst.Call) and pick is None:
        chain = attribute_chain(expr.func)
        args = [a.value for a in expr.args if a.keyword is None and a.star == ""]
        if chain[-1] in _PASSING and len(chain) == 1 and len(args) == 1:
            return elements(args[0], scope, depth + 1, keys=keys)
        if chain[-1] == "keys" and len(chain) > 1 and not args and isinstance(expr.func, cst.Attribute):
            return elements(expr.func.value, scope, depth + 1, keys=keys)
        if chain[-1] == "values" and len(chain) > 1 and not args and isinstance(expr.func, cst.Attribute):
            # `list(LABELS.values())` of a dict of labels to model IDs (vtai, corp54)
            return [(value, where) for _, value, where in _dict_pairs(expr.func.value, scope, depth + 1)]
        return []
    if isinstance(expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(expr):
        resolved = resolve_chain(attribute_chain(expr), scope)
        if isinstance(resolved, Binding) and isinstance(resolved.value, cst.CSTNode):
            return elements(resolved.value, resolved.scope, depth + 1, pick, keys=keys)
    return []


def element_parts(element: Element, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
    """What a loop target bound to `element` can be: its part of each element."""
    unwrapped = _looped_over(element)
    if unwrapped is None:
        return []
    iterable, path = unwrapped
    if isinstance(iterable, cst.Call):
        chain = attribute_chain(iterable.func)
        args = [a.value for a in iterable.args if a.keyword is None and a.star == ""]
        if (
            chain[-1] in ("items", "values") and len(chain) > 1 and not args and isinstance(iterable.func, cst.Attribute)
            and (path or chain[-1] == "values")
        ):  # (`for model in MODELS.values()`: each value; `.items()` needs a part, the pair is no model)
            pairs = _dict_pairs(iterable.func.value, scope, depth + 1)
            if chain[-1] == "values":
                found = [(v, w) for _, v, w in pairs]
            elif path[0] in (0, 1):
                found, path = [((k, v)[path[0]], w) for k, v, w in pairs], path[1:]
            else:
                return []
            return [p for node, where in found for p in _part(node, where, path)]
    looked = _looked_up(iterable, scope, depth + 1)
    if looked is not None:  # `for model in SUGGESTED["openai"]`, `... in SUGGESTED.get(provider, [])`
        return [p for table_value, at in looked for node, where in elements(table_value, at, depth + 2) for p in _part(node, where, path)]
    return [p for node, where in elements(iterable, scope, depth + 1) for p in _part(node, where, path)]


def _looped_over(element: Element) -> tuple[cst.CSTNode, tuple[int, ...]] | None:
    """The iterable a loop target's part comes from, past `enumerate(X)` (the element's second
    part) and `zip(A, B)` / `product(A, B)` (its part of the argument); None for `enumerate`'s
    counter."""
    iterable, path = element.iterable, element.path
    if isinstance(iterable, cst.Call) and path:
        chain = attribute_chain(iterable.func)
        args = [a.value for a in iterable.args if a.keyword is None and a.star == ""]
        if chain == ("enumerate",) and args:
            return (args[0], path[1:]) if path[0] == 1 else None
        if chain[-1] in ("zip", "product") and len(chain) <= 2 and path[0] < len(args):  # `itertools.product` too
            return args[path[0]], path[1:]
    return iterable, path


def subscript_index(node: cst.Subscript) -> cst.BaseExpression | None:
    """The index of `X[index]`: one plain index (not a slice, not `X[a, b]`)."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return node.slice[0].slice.value


def _lookup_key(iterable: cst.CSTNode) -> tuple[cst.BaseExpression, cst.BaseExpression, cst.BaseExpression | None] | None:
    """(the table, the key, the default) of `TABLE[key]` (no default) or `TABLE.get(key[,
    default])`."""
    if isinstance(iterable, cst.Subscript):
        index = subscript_index(iterable)
        return (iterable.value, index, None) if index is not None else None
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute) and iterable.func.attr.value == "get":
        args = [a.value for a in iterable.args if a.keyword is None and a.star == ""]
        if 1 <= len(args) <= 2 and len(args) == len(iterable.args):
            return iterable.func.value, args[0], args[1] if len(args) == 2 else None
    return None


def run_time_lookup(element: Element) -> bool:
    """Whether a loop target comes from a dict's lookup by a key known only at run time
    (`SUGGESTED.get(provider, [])`, also inside `enumerate(...)`): which of its lists it gives is
    not known."""
    unwrapped = _looped_over(element)
    found = _lookup_key(unwrapped[0]) if unwrapped is not None else None
    return found is not None and string_value(found[1]) is None


def _looked_up(iterable: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]] | None:
    """The lists a dict's lookup may give a loop (iara-reviewer's `for model in
    SUGGESTED_MODELS.get(provider, [])`, corp51): the value under a literal key, or, for a key
    known only at run time, every value when each is a list or tuple display; and the default
    `.get` is given (`TABLE.get(key, ["gpt-4-0314"])`, `TABLE.get(key, DEFAULTS)`: its elements
    are read as a loop's), of a table read or not; None when the iterable is no lookup of a dict."""
    found = _lookup_key(iterable)
    if found is None:
        return None
    table, key, default = found
    pairs = _dict_pairs(table, scope, depth)
    text = string_value(key)
    # (of a table not read, only under a literal key that is no URL: `settings.get("models",
    # [...])`, not `session.get(url, [...])`; found by review)
    looked_up = bool(pairs) or (text is not None and not re.search(r"[/:]", text[0]))
    fallback: list[tuple[cst.CSTNode, Scope]] = [(default, scope)] if default is not None and looked_up else []
    if not (pairs or fallback):
        return None
    if text is not None:
        return entries(table, text[0], scope, depth) or fallback
    if integer(key) is not None:
        return None
    values = [(value, where) for _key, value, where in pairs]
    return (values if all(isinstance(value, (cst.List, cst.Tuple)) for value, _ in values) else []) + fallback


def _dict_pairs(expr: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, cst.CSTNode, Scope]]:
    if depth > MAX_DEPTH:
        return []
    if isinstance(expr, cst.Dict):
        return [(e.key, e.value, scope) for e in expr.elements if isinstance(e, cst.DictElement)]
    if isinstance(expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(expr):
        resolved = resolve_chain(attribute_chain(expr), scope)
        if isinstance(resolved, Binding) and isinstance(resolved.value, cst.CSTNode):
            return _dict_pairs(resolved.value, resolved.scope, depth + 1)
    return []


def openai_rows(expr: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
    """The values of a dict (a display, or a name bound once to one) under a key naming OpenAI
    as a provider (`openai_key`): `PROVIDERS = {"openai": ("OPENAI_API_KEY", "gpt-4o-mini"),
    "groq": (...)}`, a provider's row."""
    return [(value, where) for key, value, where in _dict_pairs(expr, scope, depth) if isinstance(key, cst.BaseExpression) and openai_key(key)]


def rows_naming_openai(expr: cst.CSTNode, scope: Scope, depth: int, elsewhere: Callable[[str], bool]) -> list[tuple[cst.CSTNode, Scope]]:
    """The rows of a dict (a display, or a name bound once to one) that are tuples naming OpenAI
    as their provider first: `SHORTCUTS = {"gpt4o": ("openai", "gpt-4o"), "sonnet":
    ("anthropic", ...)}` (mywork-ai), a provider's row keyed by something else. Not a row with a
    URL of its own on another host, as `elsewhere` says (`("http://localhost:11434/v1", "gpt-4",
    "openai")`: "openai" names the API style a local server speaks; found by review)."""
    return [
        (value, where) for _, value, where in _dict_pairs(expr, scope, depth)
        if isinstance(value, (cst.Tuple, cst.List)) and value.elements and openai_key(value.elements[0].value)
        and not any((text := string_value(cell.value)) is not None and elsewhere(text[0]) for cell in value.elements)
    ]


def prefixed_fstring(node: cst.CSTNode, prefixes: Iterable[Prefix]) -> tuple[Prefix, cst.BaseExpression] | None:
    """(the prefix, the value) of an f-string that is a provider prefix and one value
    (`f"openai:{model}"`, `f"openai/{model!s}"`); not one formatted otherwise (`!r`, a spec)."""
    if not isinstance(node, cst.FormattedString) or len(node.parts) != 2:
        return None
    head, tail = node.parts
    if not isinstance(head, cst.FormattedStringText) or not isinstance(tail, cst.FormattedStringExpression):
        return None
    if tail.format_spec or tail.conversion not in (None, "s"):
        return None
    prefix = next((p for p in prefixes if p.text == head.value), None)
    return (prefix, tail.expression) if prefix is not None else None


def openai_key(key: cst.BaseExpression) -> bool:
    """A dict key that names OpenAI as a provider: "openai", `OPENAI`, `Provider.OPENAI` (or its
    `.value`), or a tuple holding one (`("openai", "analysis")`: by provider and role)."""
    if isinstance(key, cst.Tuple):
        return any(openai_key(element.value) for element in key.elements)
    text = string_value(key)
    if text is not None:
        return text[0].strip().casefold() == "openai"
    chain = [part for part in attribute_chain(key) if part]
    if chain and chain[-1] == "value":
        chain.pop()
    return bool(chain) and chain[-1].casefold() == "openai"


def records(expr: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
    """The rows of a table of records, any of which `expr[i]` may be for an index not known
    statically (`MODELS[key]["api_model_id"]`): every value of a dict, or element of a list or
    tuple, when each is a dict display; nothing otherwise."""
    return _every_entry(expr, scope, depth, lambda value: isinstance(value, cst.Dict))


def any_entry(expr: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
    """What `expr[i]` can be for an index not known statically (`MODELS[choice]`, `BY_TIER[tier]`):
    every element of a list or tuple, every value of a dict, when each is a string literal. A
    table of rows or of records is not a choice of models: nothing."""
    return _every_entry(expr, scope, depth, lambda value: string_value(value) is not None)


def _every_entry(expr: cst.CSTNode, scope: Scope, depth: int, kept: Callable[[cst.CSTNode], bool]) -> list[tuple[cst.CSTNode, Scope]]:
    """Every value of a dict, or element of a list or tuple, when `kept` holds for each; else none."""
    found = [(value, where) for _key, value, where in _dict_pairs(expr, scope, depth)] or elements(expr, scope, depth, keys=False)
    if not found or not all(kept(value) for value, _ in found):
        return []
    return found


def entries(expr: cst.CSTNode, key: str, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
    """The values `key` has in a dict expression: exactly one, or none when it is not certain."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(expr, cst.Dict):
        return [
            (e.value, scope) for e in expr.elements
            if isinstance(e, cst.DictElement) and (string_value(e.key) or ("",))[0] == key
        ]
    if isinstance(expr, cst.Call) and attribute_chain(expr.func) == ("dict",):
        return [(a.value, scope) for a in expr.args if a.keyword is not None and a.keyword.value == key]
    if not isinstance(expr, (cst.Name, cst.Attribute)) or "" in attribute_chain(expr):
        return []
    resolved = resolve_chain(attribute_chain(expr), scope)
    if not isinstance(resolved, Binding) or not isinstance(resolved.value, cst.CSTNode):
        return []
    found = entries(resolved.value, key, resolved.scope, depth + 1)
    keyed: list[Binding] = []
    if isinstance(expr, cst.Name):
        where = scope.lookup(expr.value)
        keyed = where[1].keys.get((expr.value, key), []) if where else []
    if len(found) + len(keyed) != 1:
        return []  # the model is set in several places: do not guess which one is sent
    return found or [(b.value, b.scope) for b in keyed if isinstance(b.value, cst.CSTNode)]


def spread_keys(call: cst.Call, scope: Scope, depth: int = 0) -> dict[str, list[tuple[cst.CSTNode, Scope]]]:
    """The keys a call is given through `**` where the dict says for sure (`OpenAI(**{"base_url":
    URL})`, `dict(base_url=URL)`, `{**defaults, "base_url": URL}`, or a local bound once to one
    with keys set on it, `kw["base_url"] = URL`), each with its values (`entries`: none when not
    exactly one is certain). Not a key a `**` entry after it may replace, nor a module's dict (any
    function may set its keys), a parameter's default, or a key a local's dict may change past
    that (`kw.pop("base_url")`, `kw.update(...)`, `del kw[...]`, given to a call or to another
    name: Scope.changed); an argument it cannot read (`**options`) gives none."""
    found: dict[str, list[tuple[cst.CSTNode, Scope]]] = {}
    for arg in call.args:
        if arg.star != "**":
            continue
        for key in _keys_of(arg.value, scope):
            found[key] = entries(arg.value, key, scope, depth)
    return found


def _keys_of(expr: cst.CSTNode, scope: Scope, local: bool = False) -> set[str]:
    if isinstance(expr, cst.Dict):
        keys: set[str] = set()
        for element in expr.elements:
            if not isinstance(element, cst.DictElement):
                keys = set()  # (a `**` entry may replace any key before it)
                continue
            key = string_value(element.key)
            if key is not None:
                keys.add(key[0])
        return keys
    if isinstance(expr, cst.Call) and attribute_chain(expr.func) == ("dict",):
        # (a keyword wins over a `**` argument's key, or the call raises)
        return {a.keyword.value for a in expr.args if a.keyword is not None}
    if not isinstance(expr, cst.Name) or local:
        return set()
    where = scope.lookup(expr.value)
    if (
        where is None or len(where[0]) != 1 or not isinstance(where[0][0].value, cst.CSTNode) or where[0][0].param is not None
        or where[1].kind != "function"
    ):
        return set()
    changed = where[1].changed.get(expr.value, frozenset())
    if changed is None:
        return set()
    keys = _keys_of(where[0][0].value, where[0][0].scope, local=True)
    return (keys | {key for name, key in where[1].keys if name == expr.value}) - changed


def pieces(node: cst.CSTNode, scope: Scope, depth: int) -> Iterator[Piece]:
    """The pieces of a string expression, each read statically where it can be."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        yield from pieces(node.left, scope, depth)
        yield from pieces(node.right, scope, depth)
    elif isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, str):
            opening = len(node.prefix) + len(node.quote)
            verbatim = node.value[opening : len(node.value) - len(node.quote)] == value
            yield Piece(value, node, opening if verbatim else None)
        else:
            yield Piece(None)
    elif isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                yield Piece(part.value, part, 0)
            else:
                expression = part.expression  # type: ignore[attr-defined]
                known = static_string(expression, scope, depth) if part.format_spec is None else None  # type: ignore[attr-defined]
                yield Piece(known, expr=expression)
    else:
        yield Piece(static_string(node, scope, depth), expr=node)


def static_string(expr: cst.CSTNode, scope: Scope, depth: int) -> str | None:
    """The text of an expression built only from literals and names bound once to them."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, (cst.FormattedString, cst.BinaryOperation)):
        if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.Add):
            return None
        texts = [p.text for p in pieces(expr, scope, depth + 1)]
        return None if any(t is None for t in texts) else "".join(texts)  # type: ignore[arg-type]
    if isinstance(expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(expr):
        resolved = resolve_chain(attribute_chain(expr), scope)
        if isinstance(resolved, Binding) and isinstance(resolved.value, cst.CSTNode):
            return static_string(resolved.value, resolved.scope, depth + 1)
    if isinstance(expr, cst.BooleanOperation):
        fallback = environment_or(expr)  # `os.getenv("API_BASE") or "http://localhost:8091/v1"`
        if fallback is None:
            return None
        return static_string(fallback, scope, depth + 1) or None
    if isinstance(expr, cst.Call):
        # `os.getenv("API_BASE", "https://openrouter.ai/api/v1")`: what it is unless the
        # environment says otherwise; `....rstrip("/")` of a string read so
        default = getenv_default(expr)
        if default is not None:
            text = static_string(default, scope, depth + 1)
            return text or None  # (an empty fallback names nothing: the environment decides)
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in _STRIPS and len(expr.args) <= 1 and not any(a.keyword or a.star for a in expr.args):
            text = static_string(func.value, scope, depth + 1)
            chars = static_string(expr.args[0].value, scope, depth + 1) if expr.args else None
            if text is not None and (chars is not None or not expr.args):
                return getattr(text, func.attr.value)(chars)  # type: ignore[no-any-return]
    return None


_STRIPS = frozenset({"strip", "rstrip", "lstrip"})
_MAX_TEXTS = 8  # the texts one expression may hold: more, and nothing is said
_MAX_STEPS = 200  # expressions one question may read: conditionals of f-strings nest fast (review)


def possible_strings(expr: cst.CSTNode, scope: Scope, depth: int) -> list[str] | None:
    """Every text an expression may hold, when each is read statically; None when one is not.
    Beyond `static_string`: both branches of a conditional (`A if key.startswith("sk-or-") else
    B`), and a parameter given a fallback when the caller passes none (`def f(base_url=None):
    base_url = base_url or DEFAULT`, `... if base_url is not None else DEFAULT`): the fallback,
    as a default is what a parameter holds unless the caller says otherwise."""
    return _possible(expr, scope, depth, [_MAX_STEPS])


def _possible(expr: cst.CSTNode, scope: Scope, depth: int, budget: list[int]) -> list[str] | None:
    budget[0] -= 1
    if depth > MAX_DEPTH or budget[0] < 0:
        return None
    text = static_string(expr, scope, depth)
    if text is not None:
        return [text]
    if isinstance(expr, cst.IfExp):
        return _either(expr.body, expr.orelse, scope, depth, budget)
    if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        return _either(expr.left, expr.right, scope, depth, budget)
    if isinstance(expr, cst.Name):
        resolved = resolve_chain((expr.value,), scope)
        if isinstance(resolved, Binding) and resolved.param is None and isinstance(resolved.value, cst.CSTNode):
            return _possible(resolved.value, resolved.scope, depth + 1, budget)
        return _fallback(expr.value, scope, depth, budget)
    if isinstance(expr, (cst.FormattedString, cst.BinaryOperation)):
        if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.Add):
            return None
        texts = [""]
        for piece in pieces(expr, scope, depth + 1):
            held = [piece.text] if piece.text is not None else _possible(piece.expr, scope, depth + 1, budget) if piece.expr is not None else None
            if held is None or len(texts) * len(held) > _MAX_TEXTS:
                return None
            texts = [t + h for t in texts for h in held]
        return texts
    return None


def _either(first: cst.CSTNode, second: cst.CSTNode, scope: Scope, depth: int, budget: list[int]) -> list[str] | None:
    """The texts of two branches; a branch that is an unset parameter (None unless the caller
    passes one) adds none."""
    found: list[str] = []
    for branch in (first, second):
        if isinstance(branch, cst.Name) and _unset_parameter(branch.value, scope):
            continue
        held = _possible(branch, scope, depth + 1, budget)
        if held is None:
            return None
        found += [h for h in held if h not in found]
    return found if found and len(found) <= _MAX_TEXTS else None


def _unset_parameter(name: str, scope: Scope) -> bool:
    """Whether a name is a parameter defaulting to None that its function binds nowhere else, or
    only to give it a fallback (`base_url = base_url or DEFAULT`): None unless the caller passes
    one. Not one the function sets otherwise (`if base_url is None: base_url = OPENAI_URL`)."""
    found = scope.lookup(name)
    if found is None:
        return False
    bindings = found[0]
    if len(bindings) > 1 and parameter_fallback(name, scope) is None:
        return False
    return any(b.param is not None and is_none(b.value) for b in bindings)


def _fallback(name: str, scope: Scope, depth: int, budget: list[int]) -> list[str] | None:
    """The texts of a parameter defaulting to None that the function gives a fallback
    (`base_url = base_url or DEFAULT_BASE_URL`)."""
    pair = parameter_fallback(name, scope)
    if pair is None or not _unset_parameter(name, scope):
        return None
    fallback = pair[1]
    return _possible(fallback.value, fallback.scope, depth + 1, budget) if isinstance(fallback.value, cst.CSTNode) else None


def integer(node: cst.CSTNode) -> int | None:
    """The value of an integer literal (`0`, `-1`), else None."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return -int(node.expression.evaluated_value)
    return None


def _part(node: cst.CSTNode, scope: Scope, path: tuple[int, ...]) -> list[tuple[cst.CSTNode, Scope]]:
    """`node[path[0]][path[1]]...` of nested tuple and list displays; `pytest.param(a, b, id=...)`
    holds its positional arguments as a tuple does."""
    held = _param_values(node)
    if not path and held is not None:
        return [(held[0], scope)] if len(held) == 1 else []
    for step in path:
        held = _param_values(node)
        if held is not None:
            if step >= len(held):
                return []
            node = held[step]
            continue
        if not isinstance(node, (cst.Tuple, cst.List)) or step >= len(node.elements):
            return []
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            return []
        node = node.elements[step].value
    return [(node, scope)]


def _param_values(node: cst.CSTNode) -> list[cst.BaseExpression] | None:
    """The values of `pytest.param(...)` (a parametrize case with an id or marks), else None."""
    if not isinstance(node, cst.Call) or attribute_chain(node.func) not in (("pytest", "param"), ("param",)):
        return None
    if any(a.star for a in node.args):
        return None
    return [a.value for a in node.args if a.keyword is None]
