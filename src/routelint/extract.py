"""The one LibCST pass: collect facts about model strings and API calls, judge nothing.

The extractor knows Python syntax (what a model context is, which SDK call or wrapper an
expression reaches, what a name is bound to, which URL a request goes to). Whether a fact is a
problem is for the checks to say. Names are resolved after the walk (deferred.py), when every
binding of the file is known.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from routelint.bindings import (
    Binding,
    ClassRef,
    Element,
    FunctionRef,
    Imported,
    Scope,
    SelfRef,
    all_params,
    attribute_chain,
    decorator_names,
    getenv_default,
)
from routelint.catalog import Catalog
from routelint.catalog_code import CodeFacts
from routelint.catalog_reach import Prefix, Wrapper
from routelint.deferred import Deferred, DictPath, Value
from routelint.facts import (
    ApiCall,
    Export,
    FileFacts,
    Incoming,
    ModelUse,
    ParamUse,
    Target,
    string_value,
)
from routelint.flow import Flow, local_name
from routelint.reach import ReachVisits
from routelint.walk import walk

__all__ = [
    "ApiCall", "Export", "FileFacts", "Incoming", "ModelUse", "SyntaxIndex", "Target", "attribute_chain",
    "extract", "string_value",
]

_STRINGS = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)
# Schema and API documentation, not requests: keywords (`Field(examples=...)`, FastAPI's
# `responses=` and `openapi_extra=`), dict keys (`{"example": {...}}`) and names (`schema_extra`).
_DOC_KEYWORDS = frozenset({
    "example", "examples", "json_schema_extra", "schema_extra", "openapi_extra", "openapi_examples", "responses",
})
# Keywords whose dicts record what happened (traces, logs, stored rows), not requests to make.
_RECORD_KEYWORDS = frozenset({"data", "metadata", "attributes", "request_json", "response_json", "record", "records"})
# A name part after "model" that says the value is not a model ID but something about one:
# `default_model_dataset`, `model_path`, `MODEL_PROVIDER`, `model_kwargs`.
_NOT_AN_ID = frozenset({
    "dataset", "datasets", "data", "path", "paths", "dir", "dirs", "directory", "file", "files", "filename",
    "folder", "column", "columns", "col", "url", "urls", "endpoint", "provider", "providers", "kwargs", "args",
    "params", "parameters", "config", "configs", "cfg", "settings", "class", "cls", "list", "map", "mapping",
    "dict", "table", "cost", "costs", "price", "prices", "pricing", "tokens", "limit", "limits", "output",
    "outputs", "response", "responses", "result", "results", "key", "keys", "prefix", "prefixes", "pattern",
    "regex", "tokenizer", "encoding", "index", "idx", "count", "counts", "size", "dim", "dims", "info",
})
# A name part before "model" that says the model only picks a tokenizer: `tokenizer_model`.
_FOR_A_TOKENIZER = frozenset({"tokenizer", "token", "tokens", "encoding", "tiktoken", "tokenization"})
# A name part before "model" that says the value stands in for one in a test: `mock_model`.
_STAND_IN = frozenset({"mock", "mocked", "fake", "dummy", "stub"})
# Words of a class name that says its objects record what came back: a response, a message, an
# error (`ChatResponse`, `AssistantMessage`, `RateLimitError`; never the `OpenAIResponses` wrappers,
# which are told apart by the catalog's wrappers first).
_RECORD_CLASS_WORDS = frozenset({"response", "message", "error", "exception"})
# Command-line option declarations: argparse, optparse, click and typer.
_OPTION_DECLARATIONS = frozenset({"add_argument", "add_option", "option", "argument"})
_CAMEL = __import__("re").compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True)
class SyntaxIndex:
    """What the extractor needs from the catalog, precomputed once per run."""

    call_paths: Mapping[str, str]  # "chat.completions.create" -> surface
    longest_call: int
    dict_types: Mapping[str, str]  # value of a dict's "type" key -> surface
    dict_keys: Mapping[str, str]  # dict key / keyword whose dict value is a config of a surface
    session_keywords: Mapping[str, tuple[str, ...]]  # surface -> keywords holding its config
    model_names: tuple[str, ...]  # extra name parts that mark a model context (config)
    code: CodeFacts  # the SDK's package, clients and wrappers, Azure's, HTTP libraries' (rules/code.toml)
    local_calls: frozenset[str] = frozenset()  # calls whose model= never reaches the API
    url_paths: Mapping[str, str] = field(default_factory=dict)  # "/v1/chat/completions" -> surface
    hosts: tuple[str, ...] = ()
    wrappers: Mapping[str, tuple[Wrapper, ...]] = field(default_factory=dict)  # last name -> wrappers
    prefixes: tuple[Prefix, ...] = ()  # longest first
    parameters: Mapping[str, frozenset[str]] = field(default_factory=dict)  # surface -> deprecated parameter names
    batch_calls: tuple[tuple[str, ...], ...] = ()  # ("batches", "create")
    batch_keyword: str = ""

    @classmethod
    def build(cls, catalog: Catalog, model_names: Sequence[str] = ()) -> SyntaxIndex:
        paths: dict[str, str] = {}
        url_paths: dict[str, str] = {}
        dict_types: dict[str, str] = {}
        dict_keys: dict[str, str] = {}
        keywords: dict[str, tuple[str, ...]] = {}
        for surface in catalog.surfaces.values():
            paths.update({path: surface.id for path in surface.calls})
            url_paths.update({path: surface.id for path in surface.paths})
            dict_types.update({t: surface.id for t in surface.dict_types})
            dict_keys.update({k: surface.id for k in surface.dict_keys})
            keywords[surface.id] = surface.config_keywords
        wrappers: dict[str, tuple[Wrapper, ...]] = {}
        for wrapper in catalog.wrappers.values():
            wrappers[wrapper.last_name] = (*wrappers.get(wrapper.last_name, ()), wrapper)
        return cls(
            call_paths=paths,
            longest_call=max((p.count(".") + 1 for p in paths), default=0),
            dict_types=dict_types,
            dict_keys=dict_keys,
            session_keywords=keywords,
            model_names=tuple(n.casefold() for n in ("model", *model_names)),
            code=catalog.code,
            local_calls=catalog.local_calls,
            url_paths=url_paths,
            hosts=catalog.hosts,
            wrappers=wrappers,
            prefixes=tuple(sorted(catalog.prefixes.values(), key=lambda p: -len(p.text))),
            parameters={
                sid: frozenset(p.name for p in catalog.parameters.values() if p.surface == sid)
                for sid in {p.surface for p in catalog.parameters.values()}
            },
            batch_calls=tuple(tuple(c.split(".")) for c in catalog.batch.calls) if catalog.batch else (),
            batch_keyword=catalog.batch.endpoint_keyword if catalog.batch else "",
        )


def extract(
    modules: Sequence[cst.Module],
    index: SyntaxIndex,
    incoming: Sequence[Incoming] = (),
    module_bindings: Mapping[str, int] | None = None,
    unparsed_bindings: Mapping[str, int] | None = None,
) -> FileFacts:
    """Facts of one file, given as the chunks (top-level statements) that can matter, in order:
    one collector visits them all, so they share the module scope. `module_bindings` counts
    every module-level binding of the whole file (the outline pass), so a name rebound in a
    statement that was not parsed is not trusted. `incoming` are uses of this module's names by
    calls in other files."""
    collector = _Collector(index)
    collector.module_scope.outside = module_bindings
    collector.module_scope.unparsed = unparsed_bindings if module_bindings is not None else None
    for number, module in enumerate(modules):
        walk(module, collector, collector.chunk_of, number)
    for use in incoming:
        chain = use.name.split(".")
        if use.keys:
            expr: cst.BaseExpression = cst.Name(chain[0])
            for attr in chain[1:]:
                expr = cst.Attribute(expr, cst.Name(attr))
            collector.work.append(DictPath(expr, use.keys, collector.module_scope, use.target, 0))
        else:
            collector.work.append(Value(tuple(chain), collector.module_scope, "name", use.target, 0))
    collector.resolve_work()
    collector.follow_helpers()
    uses, exports = collector.judged()
    return FileFacts(
        uses=tuple(uses),
        calls=tuple(collector.calls),
        imports_openai=collector.imports_openai,
        uses_azure_client=collector.uses_azure_client,
        exports=tuple(exports),
        chunk_of=collector.chunk_of,
        params=tuple(collector.params),
    )


class _Collector(Flow, Deferred, ReachVisits, cst.CSTVisitor):
    def __init__(self, index: SyntaxIndex) -> None:
        cst.CSTVisitor.__init__(self)
        Deferred.__init__(self, index)
        Flow.__init__(self)
        self.imports_openai = False
        self.uses_azure_client = False  # `openai.api_type = "azure"`: the whole module is Azure
        self.scope = self.module_scope = Scope("module", None)
        # dict node -> where its "model" goes, decided by the parent that holds the dict
        self.dict_surface: dict[int, Target] = {}
        self.quiet_strings: set[int] = set()  # docstrings, and parts of a URL handled as a whole
        self.quiet_dicts: set[int] = set()  # `Field(examples=[{"model": ...}])`: documentation
        self.params: list[ParamUse] = []
        # Which chunk each node is in, so positions are resolved only for chunks with findings.
        self.chunk_of: dict[int, int] = {}

    # --- scopes and bindings --------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        scope = Scope("class", self.scope)
        self.scope.bind(node.name.value, ClassRef(scope))
        self.scope = scope

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope = self.scope.parent or self.scope

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self.scope
        self.scope = Scope("function", parent)
        positional = [*node.params.posonly_params, *node.params.params]
        decorators = decorator_names(node)
        receiver = positional[0] if parent.kind == "class" and positional and "staticmethod" not in decorators else None
        function = FunctionRef(node, self.scope, method=receiver is not None)
        parent.bind(node.name.value, function)
        self.functions.append(function)
        self._parameter_defaults(node.params, function, parent)
        self._option_parameters(node, function)
        for param in all_params(node.params):
            if param is receiver:
                self.scope.bind(param.name.value, SelfRef(parent, instance="classmethod" not in decorators))
            else:
                self.scope.bind(param.name.value, param.default, parent, param=function)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope = self.scope.parent or self.scope
        self.functions.pop()

    def _option_parameters(self, node: cst.FunctionDef, function: FunctionRef) -> None:
        """`@click.option("--model", default=...)` on a function: the default is the parameter's,
        so the data-flow step reads where it goes (only to a token counter?)."""
        names = {p.name.value for p in all_params(node.params)}
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or attribute_chain(call.func)[-1] not in _OPTION_DECLARATIONS:
                continue
            flags = [string_value(a.value) for a in call.args if a.keyword is None and a.star == ""]
            default = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "default"), None)
            for flag in flags:
                name = flag[0].lstrip("-").replace("-", "_") if flag else ""
                if default is not None and name in names:
                    self.defaults.append((function, name, default))
    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._parameter_defaults(node.params)

    def _parameter_defaults(
        self, params: cst.Parameters, function: FunctionRef | None = None, where: Scope | None = None
    ) -> None:
        for param in all_params(params):
            if param.default is not None and self._is_model_name(param.name.value):
                if function is not None and local_name(function.node.name.value):
                    continue  # `def count_tokens(text, model="gpt-4")`: a token counter's model
                self.add_strings(param.default, "parameter", Target(), where)
                if function is not None:
                    self.defaults.append((function, param.name.value, param.default))

    # Comprehensions are scopes of their own: their targets shadow the names around them.
    def _enter_comprehension(self, node: cst.CSTNode) -> None:
        self.scope = Scope("comprehension", self.scope)

    def _leave_comprehension(self, original_node: cst.CSTNode) -> None:
        self.scope = self.scope.parent or self.scope

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _enter_comprehension
    leave_ListComp = leave_SetComp = leave_GeneratorExp = leave_DictComp = _leave_comprehension

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            chain = attribute_chain(alias.name)
            self.imports_openai |= chain[0] == self.index.code.sdk.package
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.scope.bind(alias.asname.name.value, Imported(".".join(chain), 0, None))
            else:
                self.scope.bind(chain[0], Imported(chain[0], 0, None))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = ".".join(attribute_chain(node.module)) if node.module is not None else ""
        if node.module is not None and not node.relative:
            self.imports_openai |= module.split(".")[0] == self.index.code.sdk.package
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = attribute_chain(alias.name)[-1]
            bound = alias.asname.name if alias.asname is not None else alias.name
            if isinstance(bound, cst.Name):
                self.scope.bind(bound.value, Imported(module, len(node.relative), name))

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, _STRINGS):
            self.quiet_strings.add(id(node.value))  # a docstring or a bare string: prose

    def visit_Assign(self, node: cst.Assign) -> None:
        sdk = self.index.code.sdk
        for target in node.targets:
            self._assigned(target.target, node.value)
            if attribute_chain(target.target)[-2:] == (sdk.package, sdk.api_type):  # openai.api_type = "azure"
                kind = string_value(node.value)
                self.uses_azure_client |= kind is not None and kind[0].strip().lower().startswith(self.index.code.azure.api_type)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assigned(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind_elements(node.target, node.iter, ())

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                self._bind_targets(item.asname.name)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_elements(node.target, node.iter, ())

    def _bind_elements(self, target: cst.CSTNode, iterable: cst.CSTNode, path: tuple[int, ...]) -> None:
        """`for m in MODELS`, `for name, (m, key) in PAIRS`: each name is bound to its part of an
        element of the iterable (deferred.py reads the elements when a model flows there)."""
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, Element(iterable, path))
        elif isinstance(target, (cst.Tuple, cst.List)):
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            for number, element in enumerate(target.elements):
                if starred:
                    self._bind_targets(element.value)
                else:
                    self._bind_elements(element.value, iterable, (*path, number))
        else:
            self._bind_targets(target)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_targets(node.name.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        scope = self.scope
        while self.scope.kind == "comprehension" and self.scope.parent is not None:
            self.scope = self.scope.parent  # `:=` in a comprehension binds in the scope around it
        self._bind_targets(node.target)
        self.scope = scope

    def _bind_targets(self, target: cst.CSTNode, value: cst.CSTNode | None = None) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_targets(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_targets(target.value)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            found = self.scope.lookup(target.value.value)
            if found is not None and len(found[0]) == 1 and isinstance(found[0][0].value, SelfRef):
                owner = found[0][0].value.scope
                owner.attrs.setdefault(target.attr.value, []).append(Binding(value, self.scope))
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is not None:
                self.scope.keys.setdefault((target.value.value, key[0]), []).append(Binding(value, self.scope))

    def _assigned(self, target: cst.CSTNode, value: cst.CSTNode | None) -> None:
        self._bind_targets(target, value)
        if value is None:
            return
        if isinstance(target, (cst.Name, cst.Attribute)):
            name = target.value if isinstance(target, cst.Name) else target.attr.value
            if name in _DOC_KEYWORDS:
                self.quiet_dicts.update(id(d) for d in _displays(value))  # `schema_extra = {"example": ...}`
            elif self._is_model_name(name):
                self.add_strings(value, "assignment", Target())
                if isinstance(target, cst.Name) and self.functions and self.scope is self.functions[-1].scope:
                    self.defaults.append((self.functions[-1], name, value))  # a local: where does it go?
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is not None and self._is_model_name(key[0]):
                self.add_strings(value, "subscript", Target())

    def _is_model_keyword(self, keyword: str) -> bool:
        """`judge_model=`, `model_name=`, `model_id=`: but not `model_map_key=` (a lookup key)."""
        folded = keyword.casefold()
        return folded.endswith(self.index.code.model_keyword_suffixes) or (
            len(self.index.model_names) > 1 and self._is_model_name(keyword, self.index.model_names[1:])
        )

    def _is_model_name(self, name: str, marks: Sequence[str] | None = None) -> bool:
        """A name with a part that holds "model" (or a `model-names` part), unless the part after
        it says the value is about a model rather than one (`default_model_dataset`, `model_path`).
        A key with whitespace or dots is a label or an attribute path (`df["Evaluating Model"]`,
        `"gen_ai.request.model"` in telemetry), never a name."""
        if "." in name or any(c.isspace() for c in name):
            return False
        marks = self.index.model_names if marks is None else marks
        parts = [p.casefold() for chunk in name.split("_") for p in (_CAMEL.findall(chunk) or [chunk])]
        for number, part in enumerate(parts):
            if any(mark in part for mark in marks):
                after = parts[number + 1 : number + 2]
                before = parts[number - 1 : number] if number else []
                if (not after or after[0] not in _NOT_AN_ID) and not (before and before[0] in _FOR_A_TOKENIZER | _STAND_IN):
                    return True
        return False

    # --- calls and dicts --------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        chain = attribute_chain(node.func)
        self._environment_default(node)
        self._option_default(node, chain)
        sdk_call = self._sdk_call(chain)
        path, surface = sdk_call or (None, None)
        if sdk_call is not None:
            self.calls.append(ApiCall(*sdk_call, node.func))
        else:
            self._batch_job(node, chain)
        self.constructs_azure |= self.azure_constructor(node, chain)
        self.local_call(node, chain)
        if chain[-1].startswith("assert_"):  # `mock.assert_called_once_with(model=...)`: an expectation
            self.quiet_dicts.update(id(d) for arg in node.args for d in _displays(arg.value))
            return
        if chain[-1] in self.index.local_calls or local_name(chain[-1]) or self._response_type(chain):
            return
        target = Target(surface, call=path, call_node=node, via=node) if surface is not None else Target(via=node)
        self.call_scopes[id(node)] = (node, self.scope, path is not None)
        for arg in node.args:
            if arg.keyword is not None and (arg.keyword.value in _DOC_KEYWORDS or arg.keyword.value in _RECORD_KEYWORDS):
                self.quiet_dicts.update(id(d) for d in _displays(arg.value))
            if arg.keyword is None:
                if arg.star == "**" and surface is not None:
                    self.work.append(DictPath(arg.value, ("model",), self.scope, target, 0))
                continue
            keyword = arg.keyword.value
            if surface is not None and keyword in self.index.parameters.get(surface, ()):
                self.params.append(ParamUse(surface, keyword, arg.keyword, path))
            if keyword == "model" or (surface is None and self._is_model_keyword(keyword)):
                self.add_strings(arg.value, "keyword", target)
            elif surface is not None and keyword in self.index.session_keywords.get(surface, ()):
                self._mark_dict(arg.value, target)
        if surface is None:
            self._wrapper_call(node, chain)
            self._http_call(node, chain)

    def _batch_job(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`client.batches.create(endpoint="/v1/videos", ...)`: every request line of the job goes
        to that path, so the job calls the surface the path belongs to."""
        if not any(chain[-len(c) :] == c for c in self.index.batch_calls):
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == self.index.batch_keyword:
                endpoint = string_value(arg.value)
                surface = self.url_surface(endpoint[0], relative=True) if endpoint else None
                if surface is not None:
                    path = ".".join(chain[-2:])
                    subject = f"{path}({self.index.batch_keyword}={endpoint[0]!r})"  # type: ignore[index]
                    self.calls.append(ApiCall(path, surface, arg.value, subject=subject))

    def _sdk_call(self, chain: tuple[str, ...]) -> tuple[str, str] | None:
        """(call path, surface) of the SDK call a chain names, or None."""
        wrappers = self.index.code.sdk.response_wrappers  # `chat.completions.with_raw_response.create`
        names = tuple(part for part in chain if part not in wrappers)
        for length in range(min(self.index.longest_call, len(names)), 0, -1):
            path = ".".join(names[-length:])
            surface = self.index.call_paths.get(path)
            if surface is not None and length >= 2:
                return path, surface
        return None

    def _response_type(self, chain: tuple[str, ...]) -> bool:
        """`ChatCompletion(model=...)` from `openai.types` (or LiteLLM's `ModelResponse` from
        `litellm.types`), or any class named for a response or a message (`ChatResponse(model=...)`,
        `AssistantMessage(model_id=...)`; not the `OpenAIResponses` wrappers): a response object,
        or a message that records the model that wrote it, or an error raised about a request
        (LiteLLM's `RateLimitError(message=..., model=...)`); a test's mock, not a request."""
        packages = self.index.code.response_packages
        if chain[0] in packages and "types" in chain[1:-1]:
            return True
        if chain[-1][:1].isupper() and _RECORD_CLASS_WORDS & {w.casefold() for w in _CAMEL.findall(chain[-1])}:
            return True  # `ChatResponse(...)`, `AssistantMessage(...)`, `RateLimitError(...)`: what came back
        found = self.scope.lookup(chain[0]) if chain[0] else None
        return found is not None and any(
            isinstance(b.value, Imported) and b.value.module.split(".")[0] in packages
            and "types" in b.value.module.split(".")[1:]
            for b in found[0]
        )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """`assert sent == {"model": ...}`: an expectation, not a request."""
        for operand in (node.left, *(c.comparator for c in node.comparisons)):
            if isinstance(operand, cst.Dict):
                self.quiet_dicts.add(id(operand))

    def _option_default(self, node: cst.Call, chain: tuple[str, ...]) -> None:
        """`parser.add_argument("--model", default="gpt-5.5")`, `@click.option("--model",
        default=...)`: the default of a command-line option whose name is a model name."""
        if chain[-1] not in _OPTION_DECLARATIONS:
            return
        names = [string_value(a.value) for a in node.args if a.keyword is None and a.star == ""]
        names += [string_value(a.value) for a in node.args if a.keyword is not None and a.keyword.value == "dest"]
        flags = [n[0].lstrip("-").replace("-", "_") for n in names if n is not None]
        default = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "default"), None)
        if default is not None and any(f and self._is_model_name(f) for f in flags):
            self.add_strings(default, "parameter", Target())

    def _environment_default(self, node: cst.Call) -> None:
        """`os.getenv("CHAT_MODEL", "gpt-5.5")`: the default is a model wherever the call is."""
        positional = [a for a in node.args if a.keyword is None and a.star == ""]
        variable = string_value(positional[0].value) if positional else None
        default = getenv_default(node)
        if default is not None and variable is not None and self._is_model_name(variable[0]):
            self.add_strings(default, "environment", Target())

    def visit_Dict(self, node: cst.Dict) -> None:
        if id(node) in self.quiet_dicts:
            return
        target = self.dict_surface.pop(id(node), Target())
        own_type = self._dict_string(node, "type")
        if own_type is not None and own_type in self.index.dict_types:
            target = Target(self.index.dict_types[own_type])
        self._batch_line(node)
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
            if key is None:
                continue
            if target.surface is not None and key[0] in self.index.parameters.get(target.surface, ()):
                self.params.append(ParamUse(target.surface, key[0], element.key, target.call))
            if key[0] in _DOC_KEYWORDS:
                self.quiet_dicts.update(id(d) for d in _displays(element.value))  # `{"example": {...}}`
            elif key[0] in self.index.dict_keys:
                self._mark_dict(element.value, Target(self.index.dict_keys[key[0]]))
            elif self._is_model_name(key[0]):
                self.add_strings(element.value, "dict", target if key[0] == "model" else Target())

    def _mark_dict(self, value: cst.CSTNode, target: Target) -> None:
        if isinstance(value, cst.Dict):
            self.dict_surface[id(value)] = target

    @staticmethod
    def _dict_string(node: cst.Dict, key: str) -> str | None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                found = string_value(element.key)
                if found is not None and found[0] == key:
                    value = string_value(element.value)
                    return value[0] if value else None
        return None

def _displays(node: cst.CSTNode) -> list[cst.Dict]:
    """The dict displays in a literal structure of lists, tuples, sets and dicts."""
    if isinstance(node, cst.Dict):
        return [node, *(d for e in node.elements if isinstance(e, cst.DictElement) for d in _displays(e.value))]
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [d for e in node.elements for d in _displays(e.value)]
    return []
