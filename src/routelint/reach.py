"""The extractor's visits for the doors into OpenAI that are not the SDK: wrapper libraries
(rules/wrappers.toml), raw HTTP requests, Batch API request lines and URLs with a model query.
Mixed into the one LibCST visitor (extract.py); what they find is resolved in deferred.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from routelint.bindings import Binding, Imported, Scope, attribute_chain
from routelint.catalog_reach import Wrapper
from routelint.deferred import DictPath, Http, UrlString, Value
from routelint.facts import ApiCall, Target, string_value

if TYPE_CHECKING:
    from routelint.extract import SyntaxIndex


class ReachVisits:
    """Needs from the visitor it is mixed into: add_strings and url_surface (Deferred), _dict_string."""

    index: SyntaxIndex
    scope: Scope
    work: list[Value | DictPath | Http | UrlString]
    calls: list[ApiCall]
    quiet_strings: set[int]
    wrapper_clients: dict[int, cst.BaseExpression]

    if TYPE_CHECKING:  # the host's methods, declared for mypy only: the host's own definitions win at run time

        def add_strings(
            self, expr: cst.CSTNode, context: str, target: Target, scope: Scope | None = None, depth: int = 0
        ) -> None: ...

        def url_surface(self, url: str, *, relative: bool = False) -> str | None: ...

        @staticmethod
        def _dict_string(node: cst.Dict, key: str) -> str | None: ...

    def _wrapper_call(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        wrapper = self._wrapper_for(chain)
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
                self.wrapper_clients[id(node)] = client  # judged with the file's clients (flow.py)
        target = Target(surfaces[0] if surfaces else None, surfaces[1:], wrapper.name, node, wrapper=True, via=node)
        for argument in wrapper.arguments:
            if argument.isdigit():
                if int(argument) < len(positional):
                    self.add_strings(positional[int(argument)], "argument", target)
                continue
            keyword, *keys = argument.split(".")
            if keyword in keywords:
                if keys:
                    self.work.append(DictPath(keywords[keyword], tuple(keys), self.scope, target, 0))
                else:
                    self.add_strings(keywords[keyword], "keyword", target)
            for arg in node.args:
                if arg.star == "**" and not keys:
                    self.work.append(DictPath(arg.value, (keyword,), self.scope, target, 0))

    def _wrapper_for(self, chain: tuple[str, ...]) -> Wrapper | None:
        """The wrapper a call reaches through its imports (`from pydantic_ai import Agent as A`)."""
        if "" in chain:
            return None
        found = self.scope.lookup(chain[0])
        if found is None:
            return None
        names = {_qualified(b, chain[1:]) for b in found[0]}
        if any(n is None for n, _ in names):
            return None
        matches = {
            w.name: w
            for n, instance in names
            for w in self.index.wrappers.get(n.rsplit(".", 1)[-1], ())  # type: ignore[union-attr]
            if n.split(".")[0] == w.package  # type: ignore[union-attr]
            and (w.name.count(".") > 1 or not instance)
            and (w.name.count(".") == 1 or n.endswith(w.name[len(w.package) :]))  # type: ignore[union-attr]
        }
        return next(iter(matches.values())) if len(matches) == 1 else None

    def _http_call(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`requests.post(URL, json={...})`, `httpx.AsyncClient().post(...)`: resolved later.
        The methods and keywords of the HTTP libraries are rules/code.toml's [http-libraries]."""
        http = self.index.code.http
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
        label = ".".join(p for p in chain[-2:] if p) or method
        self.work.append(Http(url, body if method in http.body_methods else None, self.scope, node, label, 0))

    def _batch_line(self, node: cst.Dict) -> None:
        """A Batch API request line: `{"url": "/v1/chat/completions", "body": {"model": ...}}`."""
        url = self._dict_string(node, "url")
        body = next(
            (e.value for e in node.elements if isinstance(e, cst.DictElement) and string_value(e.key) is not None
             and string_value(e.key)[0] == "body"),  # type: ignore[index]
            None,
        )
        if url is None or body is None:
            return
        surface = self.url_surface(url, relative=True)
        if surface is not None:
            target = Target(surface, call=f"batch request {url}", call_node=node)
            self.work.append(DictPath(body, ("model",), self.scope, target, 0))
            literal = next(e.value for e in node.elements if isinstance(e, cst.DictElement) and (string_value(e.key) or ("",))[0] == "url")
            self.calls.append(ApiCall("batch request", surface, literal, subject=f"a Batch API request line to {url!r}"))

    # --- URLs with a model query: wss://api.openai.com/v1/realtime?model=... ----------------
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) not in self.quiet_strings and "model=" in node.value:
            self.work.append(UrlString(node, self.scope, 0))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if id(node) in self.quiet_strings:
            return
        texts = [p.value for p in node.parts if isinstance(p, cst.FormattedStringText)]
        if any("model=" in t for t in texts):
            self.work.append(UrlString(node, self.scope, 0))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if id(node) in self.quiet_strings or not isinstance(node.operator, cst.Add):
            return
        inner: list[cst.CSTNode] = []
        parts = _concatenated(node, inner)
        self.quiet_strings.update(id(op) for op in inner)
        if any(isinstance(p, cst.SimpleString) and "model=" in p.value for p in parts):
            self.work.append(UrlString(node, self.scope, 0))
            self.quiet_strings.update(id(p) for p in parts)



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

