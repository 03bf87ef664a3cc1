"""The extractor's visits for the doors into OpenAI that are not the SDK: wrapper libraries
(rules/wrappers.toml), raw HTTP requests, Batch API jobs and request lines, and URLs with a model
query. The one LibCST visitor (extract.py) calls `Reach` with the node and the scope its names are
looked up in; what it finds goes to the `Resolver` (deferred.py) as model expressions and work
items, to the `Sink` as API calls, and to `Clients` as the clients wrappers are given.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from routelint.bindings import Binding, Imported, Scope, attribute_chain, is_none
from routelint.catalog_reach import Wrapper
from routelint.deferred import DictPath, Http, UrlString
from routelint.facts import ApiCall, Sink, Target, dict_string, string_value

if TYPE_CHECKING:
    from routelint.clients import Clients
    from routelint.deferred import Resolver
    from routelint.syntax_index import SyntaxIndex


class Reach:
    def __init__(self, index: SyntaxIndex, resolver: Resolver, sink: Sink, clients: Clients) -> None:
        self._index = index
        self._resolver = resolver
        self._sink = sink
        self._clients = clients
        self._quiet_strings: set[int] = set()  # docstrings, and parts of a URL handled as a whole

    def quiet(self, node: cst.CSTNode) -> None:
        """A docstring or a bare string: prose, never a URL of a request."""
        self._quiet_strings.add(id(node))

    # --- calls ------------------------------------------------------------------------------
    def wrapper_call(self, node: cst.Call, chain: tuple[str, ...], scope: Scope) -> None:
        """A call of a wrapper library (`ChatOpenAI(model=...)`): its model arguments."""
        wrapper = self._wrapper_for(chain, scope)
        if wrapper is None:
            return
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        surfaces = wrapper.surfaces
        for (keyword, value), chosen in wrapper.when.items():
            given = keywords.get(keyword)
            text = string_value(given) if given is not None else None
            if (isinstance(given, cst.Name) and given.value == value) or (text is not None and repr(text[0]) == value):
                surfaces = chosen
        if any(k in keywords for k in wrapper.unless):
            surfaces = ()
        positional = [a.value for a in node.args if a.keyword is None and a.star == ""]
        if wrapper.client is not None:
            client = positional[int(wrapper.client)] if wrapper.client.isdigit() and int(wrapper.client) < len(positional) else keywords.get(wrapper.client)
            if client is not None:
                self._clients.wrapper_client(node, client)  # judged with the file's clients
        target = Target(surfaces[0] if surfaces else None, surfaces[1:], wrapper.name, node, wrapper=True, via=node)
        for argument in wrapper.arguments:
            if argument.isdigit():
                if int(argument) < len(positional):
                    self._resolver.add_strings(positional[int(argument)], "argument", target, scope)
                continue
            keyword, *keys = argument.split(".")
            if keyword in keywords:
                if keys:
                    self._resolver.defer(DictPath(keywords[keyword], tuple(keys), scope, target, 0))
                else:
                    self._resolver.add_strings(keywords[keyword], "keyword", target, scope)
            for arg in node.args:
                if arg.star == "**" and not keys:
                    self._resolver.defer(DictPath(arg.value, (keyword,), scope, target, 0))

    def wrapper(self, chain: tuple[str, ...], scope: Scope) -> bool:
        """Whether a call is of a wrapper library (`ChatOpenAI(...)`)."""
        return self._wrapper_for(chain, scope) is not None

    def _wrapper_for(self, chain: tuple[str, ...], scope: Scope) -> Wrapper | None:
        """The wrapper a call reaches through its imports (`from pydantic_ai import Agent as A`)."""
        if "" in chain:
            return None
        found = scope.lookup(chain[0])
        if found is None:
            return None
        # `except ImportError: ChatOpenAI = None`: the fallback of an import calls nothing
        names = {_qualified(b, chain[1:]) for b in found[0] if not is_none(b.value)}
        if not names or any(n is None for n, _ in names):
            return None
        matches = {
            w.name: w
            for n, instance in names
            for w in self._index.wrappers.get(n.rsplit(".", 1)[-1], ())  # type: ignore[union-attr]
            if n.split(".")[0] == w.package  # type: ignore[union-attr]
            and (w.name.count(".") > 1 or not instance)
            and (w.name.count(".") == 1 or n.endswith(w.name[len(w.package) :]))  # type: ignore[union-attr]
        }
        return next(iter(matches.values())) if len(matches) == 1 else None

    def http_call(self, node: cst.Call, chain: tuple[str, ...], scope: Scope) -> None:
        """`requests.post(URL, json={...})`, `httpx.AsyncClient().post(...)`: resolved later.
        The methods and keywords of the HTTP libraries are rules/code.toml's [http-libraries]."""
        http = self._index.code.http
        method = chain[-1]
        positional = [a.value for a in node.args if a.keyword is None and a.star == ""]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if method in http.methods:
            url = keywords.get(http.url_keyword, positional[0] if positional else None)
        elif method in http.methods_with_verb and len(positional) >= 2:
            verb = string_value(positional[0])
            method, url = (verb[0].lower() if verb else ""), positional[1]
        else:
            return
        if url is None:
            return
        body = keywords.get(http.json_keyword)
        for keyword in http.raw_body_keywords:
            dumped = keywords.get(keyword)
            if body is None and isinstance(dumped, cst.Call) and attribute_chain(dumped.func)[-1] == http.serializer and dumped.args:
                body = dumped.args[0].value
        if body is None and http.files_keyword in keywords:
            # a multipart upload's form fields: `data=`, else the fields `files=` gives as
            # `(None, value)` (`files={"file": f, "model": (None, "whisper-1")}`)
            body = _form(keywords.get(http.form_keyword), _form_fields(keywords[http.files_keyword]))
        label = ".".join(p for p in chain[-2:] if p) or method
        self._resolver.defer(Http(url, body if method in http.body_methods else None, scope, node, label, 0))

    def batch_job(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`client.batches.create(endpoint="/v1/videos", ...)`: every request line of the job goes
        to that path, so the job calls the surface the path belongs to."""
        index = self._index
        if not any(chain[-len(c) :] == c for c in index.batch_calls):
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == index.batch_keyword:
                endpoint = string_value(arg.value)
                surface = index.url_surface(endpoint[0], relative=True) if endpoint else None
                if surface is not None:
                    path = ".".join(chain[-2:])
                    subject = f"{path}({index.batch_keyword}={endpoint[0]!r})"  # type: ignore[index]
                    self._sink.calls.append(ApiCall(path, surface, arg.value, subject=subject, via=node))

    def batch_line(self, node: cst.Dict, scope: Scope) -> None:
        """A Batch API request line: `{"url": "/v1/chat/completions", "body": {"model": ...}}`."""
        url = dict_string(node, "url")
        body = next(
            (e.value for e in node.elements if isinstance(e, cst.DictElement) and string_value(e.key) is not None
             and string_value(e.key)[0] == "body"),  # type: ignore[index]
            None,
        )
        if url is None or body is None:
            return
        surface = self._index.url_surface(url, relative=True)
        if surface is not None:
            target = Target(surface, call=f"batch request {url}", call_node=node)
            self._resolver.defer(DictPath(body, ("model",), scope, target, 0))
            literal = next(e.value for e in node.elements if isinstance(e, cst.DictElement) and (string_value(e.key) or ("",))[0] == "url")
            self._sink.calls.append(ApiCall("batch request", surface, literal, subject=f"a Batch API request line to {url!r}"))

    # --- URLs with a model query: wss://api.openai.com/v1/realtime?model=... ----------------
    def simple_string(self, node: cst.SimpleString, scope: Scope) -> None:
        if id(node) not in self._quiet_strings and "model=" in node.value:
            self._resolver.defer(UrlString(node, scope, 0))

    def formatted_string(self, node: cst.FormattedString, scope: Scope) -> None:
        if id(node) in self._quiet_strings:
            return
        texts = [p.value for p in node.parts if isinstance(p, cst.FormattedStringText)]
        if any("model=" in t for t in texts):
            self._resolver.defer(UrlString(node, scope, 0))

    def concatenation(self, node: cst.BinaryOperation, scope: Scope) -> None:
        if id(node) in self._quiet_strings or not isinstance(node.operator, cst.Add):
            return
        inner: list[cst.CSTNode] = []
        parts = _concatenated(node, inner)
        self._quiet_strings.update(id(op) for op in inner)
        if any(isinstance(p, cst.SimpleString) and "model=" in p.value for p in parts):
            self._resolver.defer(UrlString(node, scope, 0))
            self._quiet_strings.update(id(p) for p in parts)


def _qualified(binding: Binding, rest: tuple[str, ...]) -> tuple[str | None, bool]:
    """The dotted name a call reaches through an import (`ChatOpenAI`), or through an instance
    of an imported class (`agent = Agent(...)` ... `agent.realtime` -> pydantic_ai.Agent.realtime);
    and whether it went through an instance (then only a wrapper named Class.method matches)."""
    value = binding.value
    if isinstance(value, Imported):
        return value.qualified(rest), False
    if isinstance(value, cst.Call) and rest:
        func = attribute_chain(value.func)
        found = binding.scope.lookup(func[0]) if "" not in func else None
        if found is not None and len(found[0]) == 1 and isinstance(found[0][0].value, Imported):
            base = found[0][0].value.qualified(func[1:])
            return (f"{base}.{'.'.join(rest)}" if base else None), True
    return None, False


def _concatenated(node: cst.CSTNode, inner: list[cst.CSTNode]) -> list[cst.CSTNode]:
    """The operands of `a + b + c`; the nested `+` operations go to `inner`."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        inner.append(node)
        return [*_concatenated(node.left, inner), *_concatenated(node.right, inner)]
    return [node]


def _form_fields(files: cst.BaseExpression) -> cst.Dict | None:
    """The plain form fields of a multipart upload's `files=` display, as a dict of their values:
    an entry whose value is `(None, value, ...)` has no file name, so requests and httpx send it as a
    field (`{"model": (None, "whisper-1")}`, `[("model", (None, "whisper-1"))]`). The values are
    the source's own nodes; the dict is only the body's shape."""
    if isinstance(files, cst.Dict):
        pairs = [(e.key, e.value) for e in files.elements if isinstance(e, cst.DictElement)]
    elif isinstance(files, (cst.List, cst.Tuple)):
        pairs = [
            (e.value.elements[0].value, e.value.elements[1].value) for e in files.elements
            if isinstance(e.value, cst.Tuple) and len(e.value.elements) == 2
        ]
    else:
        return None
    fields = [
        cst.DictElement(key, value.elements[1].value) for key, value in pairs
        if string_value(key) is not None and isinstance(value, cst.Tuple) and 2 <= len(value.elements) <= 4
        and isinstance(value.elements[0].value, cst.Name) and value.elements[0].value.value == "None"
    ]  # (`(None, value, content_type[, headers])` too: requests' file tuples, found by review)
    return cst.Dict(fields) if fields else None


def _form(data: cst.BaseExpression | None, fields: cst.Dict | None) -> cst.BaseExpression | None:
    """A multipart upload's form: requests and httpx send the fields of `data=` and those `files=`
    gives both (found by review), so a `data=` display and the fields are one dict; `data=`
    written otherwise (a name) is the form, as it was."""
    if fields is None or data is None:
        return data if fields is None else fields
    return cst.Dict([*data.elements, *fields.elements]) if isinstance(data, cst.Dict) else data
