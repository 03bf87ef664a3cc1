"""The extractor's second half: what names, request dicts and URLs resolve to, once the walk has
seen every binding of the file. Work items queue up during the walk and after it (a name bound
to a name bound to a dict...), each with a depth that stops cycles.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from routelint.bindings import (
    MAX_DEPTH,
    Binding,
    Element,
    ImportedUse,
    Scope,
    attribute_chain,
    candidate_nodes,
    field_default,
    getenv_default,
    resolve_chain,
)
from routelint.facts import ApiCall, Export, ModelUse, Target, body_span, string_value
from routelint.urls import model_query, split_query, surface_for_path, url_path

if TYPE_CHECKING:
    from routelint.catalog_reach import Prefix
    from routelint.extract import SyntaxIndex

_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")


@dataclass(frozen=True)
class Value:
    """A name or dotted name used as a model."""

    chain: tuple[str, ...]
    scope: Scope
    context: str
    target: Target
    depth: int
    node: cst.CSTNode | None = None  # the name as written (the data-flow step asks where it went)


@dataclass(frozen=True)
class DictPath:
    """A dict (a display, `dict(...)`, or a name bound to one) whose `keys` path holds a model."""

    expr: cst.CSTNode
    keys: tuple[str, ...]
    scope: Scope
    target: Target
    depth: int


@dataclass(frozen=True)
class Http:
    """`requests.post(url, json=body)`: the URL decides whether the body's model goes to OpenAI."""

    url: cst.CSTNode
    body: cst.CSTNode | None
    scope: Scope
    node: cst.Call
    label: str
    depth: int


@dataclass(frozen=True)
class UrlString:
    """A string (f-string, `+` concatenation) with a `model=` query: a websocket or HTTP URL."""

    node: cst.CSTNode
    scope: Scope
    depth: int


@dataclass(frozen=True)
class _Piece:
    text: str | None  # None: an expression we cannot read statically
    literal: cst.CSTNode | None = None  # the literal (or f-string part) of this URL it comes from
    raw_offset: int | None = None  # where `text` starts in the literal's source text, if verbatim
    expr: cst.CSTNode | None = None  # the expression it comes from (`{MODEL}`), read or not


class Deferred:
    """Mixed into the LibCST visitor: the state and the resolution of deferred work."""

    scope: Scope

    def __init__(self, index: SyntaxIndex) -> None:
        self.index = index
        self.uses: list[ModelUse] = []
        self.calls: list[ApiCall] = []
        self.exports: list[Export] = []
        self.work: list[Value | DictPath | Http | UrlString] = []
        self.done = 0  # how much of `work` is resolved
        self.targets: list[Target] = []  # the target of each use, in the order of `uses`
        self.elsewhere_nodes: set[int] = set()  # literals sent to Azure or another host
        # (function, parameter) -> [(the name's node, context, target)]: where a parameter is
        # used as a model, found while names resolve (flow.py reads it)
        self.param_sinks: dict[tuple[int, str], list[tuple[cst.CSTNode | None, str, Target]]] = {}

    # --- model strings ----------------------------------------------------------------------
    def add_strings(
        self, expr: cst.CSTNode, context: str, target: Target, scope: Scope | None = None, depth: int = 0
    ) -> None:
        scope = scope or self.scope
        if depth > MAX_DEPTH:
            return
        for node in candidate_nodes(expr):
            if isinstance(node, (cst.Name, cst.Attribute)):
                chain = attribute_chain(node)
                if "" not in chain:
                    self.work.append(Value(chain, scope, context, target, depth, node))
            elif isinstance(node, cst.Subscript):
                self._subscript(node, context, target, scope, depth)
            elif isinstance(node, cst.Call):
                default, kind = getenv_default(node), "environment"
                if default is None:
                    default, kind = field_default(node), context
                if default is not None:
                    self.add_strings(default, kind, target, scope, depth + 1)
            else:
                self._emit(node, context, target)

    def _subscript(self, node: cst.Subscript, context: str, target: Target, scope: Scope, depth: int) -> None:
        """`MODELS[0]`, `MODELS[-1]` of a list or tuple, `MODELS["chat"]` of a dict."""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        index = node.slice[0].slice.value
        key = string_value(index)
        if key is not None:
            self.work.append(DictPath(node.value, (key[0],), scope, target, depth + 1))
            return
        number = _integer(index)
        if number is not None:
            for element, where in self.elements(node.value, scope, depth + 1, number):
                self.add_strings(element, context, target, where, depth + 1)

    def elements(
        self, expr: cst.CSTNode, scope: Scope, depth: int, pick: int | None = None
    ) -> list[tuple[cst.CSTNode, Scope]]:
        """The elements of a literal list, tuple or set (`pick`: the one at that index), the keys
        of a dict display, through names bound once and `list()`, `sorted()`, `.keys()`..."""
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
            keys: list[tuple[cst.CSTNode, Scope]] = [(e.key, scope) for e in expr.elements if isinstance(e, cst.DictElement)]
            return keys if pick is None else []
        if isinstance(expr, cst.Call) and pick is None:
            chain = attribute_chain(expr.func)
            args = [a.value for a in expr.args if a.keyword is None and a.star == ""]
            if chain[-1] in _PASSING and len(chain) == 1 and len(args) == 1:
                return self.elements(args[0], scope, depth + 1)
            if chain[-1] == "keys" and len(chain) > 1 and not args and isinstance(expr.func, cst.Attribute):
                return self.elements(expr.func.value, scope, depth + 1)
            return []
        if isinstance(expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(expr):
            resolved = resolve_chain(attribute_chain(expr), scope)
            if isinstance(resolved, Binding) and isinstance(resolved.value, cst.CSTNode):
                return self.elements(resolved.value, resolved.scope, depth + 1, pick)
        return []

    def _element_parts(self, element: Element, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
        """What a loop target bound to `element` can be: its part of each element."""
        iterable, path = element.iterable, element.path
        if isinstance(iterable, cst.Call) and path:
            chain = attribute_chain(iterable.func)
            args = [a.value for a in iterable.args if a.keyword is None and a.star == ""]
            if chain == ("enumerate",) and args:
                if path[0] != 1:
                    return []
                iterable, path = args[0], path[1:]
            elif chain == ("zip",) and path[0] < len(args):
                iterable, path = args[path[0]], path[1:]
            elif chain[-1] in ("items", "values") and len(chain) > 1 and not args and isinstance(iterable.func, cst.Attribute):
                pairs = self._dict_pairs(iterable.func.value, scope, depth + 1)
                if chain[-1] == "values":
                    found = [(v, w) for _, v, w in pairs]
                elif path[0] in (0, 1):
                    found, path = [((k, v)[path[0]], w) for k, v, w in pairs], path[1:]
                else:
                    return []
                return [p for node, where in found for p in _part(node, where, path)]
        return [p for node, where in self.elements(iterable, scope, depth + 1) for p in _part(node, where, path)]

    def _dict_pairs(self, expr: cst.CSTNode, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, cst.CSTNode, Scope]]:
        if depth > MAX_DEPTH:
            return []
        if isinstance(expr, cst.Dict):
            return [(e.key, e.value, scope) for e in expr.elements if isinstance(e, cst.DictElement)]
        if isinstance(expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(expr):
            resolved = resolve_chain(attribute_chain(expr), scope)
            if isinstance(resolved, Binding) and isinstance(resolved.value, cst.CSTNode):
                return self._dict_pairs(resolved.value, resolved.scope, depth + 1)
        return []

    def _emit(self, node: cst.CSTNode, context: str, target: Target) -> None:
        read = string_value(node)
        if read is None:
            return
        if target.elsewhere:
            self.elsewhere_nodes.add(id(node))
            return
        value, rewritable, why = read
        span = None
        prefix = next((p for p in self.index.prefixes if value.startswith(p.text) and len(value) > len(p.text)), None)
        if prefix is not None:
            if prefix.deployment:
                return  # an Azure deployment name: spelled any way, on Azure's own schedule
            if rewritable and isinstance(node, cst.SimpleString):
                span = body_span(node, len(prefix.text), len(value))
                rewritable, why = (True, None) if span else (False, "escape sequences")
            value, target = value[len(prefix.text) :], _prefixed(target, prefix)
        self.uses.append(
            ModelUse(
                value, node, context, target.surface, target.call, target.call_node, rewritable, why,
                target.alternatives, span, target.call_site, target.origin, target.silenced,
            )
        )
        self.targets.append(target)

    def url_surface(self, url: str, *, relative: bool = False) -> str | None:
        """The surface of an OpenAI API URL (or of an API path like "/v1/embeddings")."""
        base = split_query(url)[0]
        relative &= base.startswith(self.index.code.sdk.path_prefix)  # "/v1/embeddings"
        path = base if relative else url_path(base, self.index.hosts)
        return surface_for_path(path, self.index.url_paths) if path else None

    # --- resolution ------------------------------------------------------------------------
    def resolve_work(self) -> None:  # not `resolve`: that is LibCST's MetadataDependent.resolve
        """Work through the queue; called again (flow.py), it goes on where it stopped."""
        handlers = {Value: self._value, DictPath: self._dict_path, Http: self._http, UrlString: self._url_string}
        while self.done < len(self.work):
            item = self.work[self.done]
            self.done += 1
            if item.depth <= MAX_DEPTH:
                handlers[type(item)](item)  # type: ignore[operator]

    def _value(self, item: Value) -> None:
        if any("deployment" in part.casefold() for part in item.chain):
            return  # `model=self.azure_deployment`: an Azure deployment name, spelled any way
        resolved = resolve_chain(item.chain, item.scope)
        if isinstance(resolved, ImportedUse):
            candidates = resolved.imported.candidates(resolved.rest)
            if candidates:
                self.exports.append(Export(candidates, item.target, node=item.node))
            return
        if resolved is None:
            return
        # A parameter used as a model: where it goes (a copy into a local of the function is not
        # a use of its own: flow.py follows the local).
        local_copy = item.context == "assignment" and item.target.surface is None and item.target.via is None
        if resolved.param is not None and len(item.chain) == 1 and not local_copy:
            key = (id(resolved.param.node), item.chain[0])
            self.param_sinks.setdefault(key, []).append((item.node, item.context, item.target))
        if isinstance(resolved.value, Element):
            for node, scope in self._element_parts(resolved.value, resolved.scope, item.depth + 1):
                self.add_strings(node, "name", item.target, scope, item.depth + 1)
        elif isinstance(resolved.value, cst.CSTNode):
            self.add_strings(resolved.value, "name", item.target, resolved.scope, item.depth + 1)

    def _dict_path(self, item: DictPath) -> None:
        if isinstance(item.expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(item.expr):
            resolved = resolve_chain(attribute_chain(item.expr), item.scope)
            if isinstance(resolved, ImportedUse):  # `**REQUEST` from another module
                candidates = resolved.imported.candidates(resolved.rest)
                if candidates:
                    self.exports.append(Export(candidates, item.target, item.keys, item.expr))
                return
        for value, scope in self._entries(item.expr, item.keys[0], item.scope, item.depth):
            if len(item.keys) == 1:
                self.add_strings(value, "dict", item.target, scope, item.depth + 1)
            else:
                self.work.append(DictPath(value, item.keys[1:], scope, item.target, item.depth + 1))

    def _entries(self, expr: cst.CSTNode, key: str, scope: Scope, depth: int) -> list[tuple[cst.CSTNode, Scope]]:
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
        found = self._entries(resolved.value, key, resolved.scope, depth + 1)
        keyed: list[Binding] = []
        if isinstance(expr, cst.Name):
            where = scope.lookup(expr.value)
            keyed = where[1].keys.get((expr.value, key), []) if where else []
        if len(found) + len(keyed) != 1:
            return []  # the model is set in several places: do not guess which one is sent
        return found or [(b.value, b.scope) for b in keyed if isinstance(b.value, cst.CSTNode)]

    def _http(self, item: Http) -> None:
        url = self.static_string(item.url, item.scope, item.depth)
        surface = self.url_surface(url) if url is not None else None
        if surface is None:
            if item.body is not None and self._foreign(item.url, url, item.scope, item.depth):
                self.work.append(DictPath(item.body, ("model",), item.scope, Target(elsewhere=True), item.depth + 1))
            return
        self.calls.append(ApiCall(item.label, surface, item.node.func, certain=True))
        if item.body is not None:
            path = url_path(split_query(url)[0], self.index.hosts)  # type: ignore[arg-type]
            target = Target(surface, call=f"{item.label} {path}", call_node=item.node)
            self.work.append(DictPath(item.body, ("model",), item.scope, target, item.depth + 1))

    def _foreign(self, expr: cst.CSTNode, url: str | None, scope: Scope, depth: int) -> bool:
        """A request to an Azure deployment (`f"{endpoint}/openai/deployments/{name}/..."`) or to
        a URL on another host: its model is not OpenAI's to judge."""
        if url is not None:
            return "://" in url and url_path(split_query(url)[0], self.index.hosts) is None
        texts = [p.text for p in self._pieces(expr, scope, depth + 1) if p.text is not None]
        return any("/deployments/" in t or ".azure." in t for t in texts)

    def _url_string(self, item: UrlString) -> None:
        pieces = list(self._pieces(item.node, item.scope, item.depth))
        text, starts = "", []
        for number, piece in enumerate(pieces):
            starts.append(len(text))
            text += piece.text if piece.text is not None else f"\x00{number}\x00"
        base = split_query(text)[0]
        span = model_query(text[len(base) :])
        if "\x00" in base or span is None:
            return
        surface = self.url_surface(base)
        if surface is None:
            return
        start, end = span[0] + len(base), span[1] + len(base)
        target = Target(surface, call=base, call_node=item.node)
        placeholder = _PLACEHOLDER.fullmatch(text[start:end])
        if placeholder is not None:
            pieces, starts = [pieces[int(placeholder[1])]], [start]  # the model is one `{expression}`
        for piece, offset in zip(pieces, starts):
            length = len(piece.text) if piece.text is not None else end - start
            if not offset <= start < end <= offset + length:
                continue
            if piece.expr is not None and (start, end) == (offset, offset + length):
                self.add_strings(piece.expr, "url", target, item.scope, item.depth + 1)  # `?model={MODEL}`
            elif piece.literal is not None:
                raw = piece.raw_offset
                span_in_node = (raw + start - offset, raw + end - offset) if raw is not None else None
                why = None if span_in_node else "escape sequences"
                self.uses.append(
                    ModelUse(text[start:end], piece.literal, "url", surface, base, item.node, span_in_node is not None,
                             why, (), span_in_node)
                )
                self.targets.append(target)

    def _pieces(self, node: cst.CSTNode, scope: Scope, depth: int) -> Iterator[_Piece]:
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            yield from self._pieces(node.left, scope, depth)
            yield from self._pieces(node.right, scope, depth)
        elif isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if isinstance(value, str):
                opening = len(node.prefix) + len(node.quote)
                verbatim = node.value[opening : len(node.value) - len(node.quote)] == value
                yield _Piece(value, node, opening if verbatim else None)
            else:
                yield _Piece(None)
        elif isinstance(node, cst.FormattedString):
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    yield _Piece(part.value, part, 0)
                else:
                    expression = part.expression  # type: ignore[attr-defined]
                    known = self.static_string(expression, scope, depth) if part.format_spec is None else None  # type: ignore[attr-defined]
                    yield _Piece(known, expr=expression)
        else:
            yield _Piece(self.static_string(node, scope, depth), expr=node)

    def static_string(self, expr: cst.CSTNode, scope: Scope, depth: int) -> str | None:
        """The text of an expression built only from literals and names bound once to them."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            value = expr.evaluated_value
            return value if isinstance(value, str) else None
        if isinstance(expr, (cst.FormattedString, cst.BinaryOperation)):
            if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.Add):
                return None
            texts = [p.text for p in self._pieces(expr, scope, depth + 1)]
            return None if any(t is None for t in texts) else "".join(texts)  # type: ignore[arg-type]
        if isinstance(expr, (cst.Name, cst.Attribute)) and "" not in attribute_chain(expr):
            resolved = resolve_chain(attribute_chain(expr), scope)
            if isinstance(resolved, Binding) and isinstance(resolved.value, cst.CSTNode):
                return self.static_string(resolved.value, resolved.scope, depth + 1)
        return None


_PASSING = frozenset({"list", "tuple", "set", "sorted", "reversed", "frozenset"})  # the same elements


def _integer(node: cst.CSTNode) -> int | None:
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return -int(node.expression.evaluated_value)
    return None


def _part(node: cst.CSTNode, scope: Scope, path: tuple[int, ...]) -> list[tuple[cst.CSTNode, Scope]]:
    """`node[path[0]][path[1]]...` of nested tuple and list displays."""
    for step in path:
        if not isinstance(node, (cst.Tuple, cst.List)) or step >= len(node.elements):
            return []
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            return []
        node = node.elements[step].value
    return [(node, scope)]


def _prefixed(target: Target, prefix: Prefix) -> Target:
    """A provider prefix: a wrapper that knows it keeps its surface; the prefix may name one; an
    SDK call or a URL never takes a prefixed string (it goes to another provider there)."""
    if target.wrapper and target.surface is not None:
        return target
    if prefix.surfaces:
        call, node = (target.call, target.call_node) if target.wrapper else (f'the "{prefix.text}" prefix', None)
        return Target(prefix.surfaces[0], prefix.surfaces[1:], call, node, wrapper=True, via=target.via)
    return Target(via=target.via)
