"""The one LibCST pass: collect facts about model strings and SDK calls, judge nothing.

The extractor knows Python syntax (what a model context is, which SDK call an attribute chain
reaches, what a name is bound to). Whether a fact is a problem is for the checks to say.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence

import libcst as cst

from routelint.catalog import Catalog
from routelint.facts import ApiCall, ModelUse

# Attribute names the SDK inserts between a resource and its method.
_RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})
_GETENV_CHAINS = frozenset({("os", "getenv"), ("getenv",), ("os", "environ", "get"), ("environ", "get")})
_AZURE_CLIENTS = frozenset({"AzureOpenAI", "AsyncAzureOpenAI"})


@dataclass(frozen=True)
class FileFacts:
    uses: tuple[ModelUse, ...]
    calls: tuple[ApiCall, ...]
    imports_openai: bool
    uses_azure_client: bool


@dataclass(frozen=True)
class SyntaxIndex:
    """What the extractor needs from the catalog, precomputed once per run."""

    call_paths: Mapping[str, str]  # "chat.completions.create" -> surface
    longest_call: int
    dict_types: Mapping[str, str]  # value of a dict's "type" key -> surface
    dict_keys: Mapping[str, str]  # dict key / keyword whose dict value is a config of a surface
    session_keywords: Mapping[str, tuple[str, ...]]  # surface -> keywords holding its config
    model_names: tuple[str, ...]  # extra name parts that mark a model context (config)
    local_calls: frozenset[str] = frozenset()  # calls whose model= never reaches the API

    @classmethod
    def build(cls, catalog: Catalog, model_names: Sequence[str] = ()) -> SyntaxIndex:
        paths: dict[str, str] = {}
        dict_types: dict[str, str] = {}
        dict_keys: dict[str, str] = {}
        keywords: dict[str, tuple[str, ...]] = {}
        for surface in catalog.surfaces.values():
            paths.update({path: surface.id for path in surface.calls})
            dict_types.update({t: surface.id for t in surface.dict_types})
            dict_keys.update({k: surface.id for k in surface.dict_keys})
            keywords[surface.id] = surface.config_keywords
        return cls(
            call_paths=paths,
            longest_call=max((p.count(".") + 1 for p in paths), default=0),
            dict_types=dict_types,
            dict_keys=dict_keys,
            session_keywords=keywords,
            model_names=tuple(n.casefold() for n in ("model", *model_names)),
            local_calls=catalog.local_calls,
        )


def extract(
    modules: Sequence[cst.Module], index: SyntaxIndex, module_bindings: Mapping[str, int] | None = None
) -> FileFacts:
    """One collector over the chunks of one file, in order, so they share the module scope.

    `module_bindings` counts every module-level binding in the whole file (the outline pass): a
    module constant is trusted only when it is bound exactly once there too."""
    collector = _Collector(index, module_bindings)
    for module in modules:
        module.visit(collector)
    collector.resolve_pending()
    return FileFacts(
        uses=tuple(collector.uses),
        calls=tuple(collector.calls),
        imports_openai=collector.imports_openai,
        uses_azure_client=collector.uses_azure_client,
    )


def string_value(node: cst.CSTNode) -> tuple[str, bool, str | None] | None:
    """(value, rewritable, why not) for a string literal we can read statically, else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, bytes):
            return value.decode("latin-1"), False, "a byte string"
        return value, True, None
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        if value is None:
            return None
        if isinstance(value, bytes):
            return value.decode("latin-1"), False, "a byte string"
        return value, False, "implicitly concatenated string parts"
    if isinstance(node, cst.FormattedString):
        if all(isinstance(part, cst.FormattedStringText) for part in node.parts):
            return "".join(part.value for part in node.parts), False, "an f-string"
    return None


def attribute_chain(node: cst.CSTNode) -> tuple[str, ...]:
    """Names of a dotted expression; anything that is not a name (a call, a subscript) is ''."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    parts.append(node.value if isinstance(node, cst.Name) else "")
    return tuple(reversed(parts))


@dataclass
class _Scope:
    kind: str  # module, class, function
    parent: _Scope | None
    bindings: dict[str, list[cst.CSTNode]] = field(default_factory=dict)

    def bind(self, name: str, value: cst.CSTNode | None) -> None:
        self.bindings.setdefault(name, []).append(value if value is not None else cst.Ellipsis())


@dataclass(frozen=True)
class _Pending:
    scope: _Scope
    name: str
    surface: str | None
    call: str | None
    call_node: cst.CSTNode | None


class _Collector(cst.CSTVisitor):
    def __init__(self, index: SyntaxIndex, module_bindings: Mapping[str, int] | None = None) -> None:
        super().__init__()
        self.index = index
        self.module_bindings = module_bindings
        self.uses: list[ModelUse] = []
        self.calls: list[ApiCall] = []
        self.pending: list[_Pending] = []
        self.imports_openai = False
        self.uses_azure_client = False
        self.scope = _Scope("module", None)
        # dict node -> surface its "model" goes to, decided by the parent that holds the dict
        self.dict_surface: dict[int, tuple[str, str | None, cst.CSTNode | None]] = {}

    # --- scopes and bindings --------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope = _Scope("class", self.scope)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope = self.scope.parent or self.scope

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for param in _all_params(node.params):
            if param.default is not None and self._is_model_name(param.name.value):
                self._add_strings(param.default, "parameter")
        self.scope = _Scope("function", self.scope)
        for param in _all_params(node.params):
            self.scope.bind(param.name.value, param.default)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope = self.scope.parent or self.scope

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            chain = attribute_chain(alias.name)
            self.imports_openai |= chain[0] == "openai"
            bound = alias.asname.name if alias.asname is not None else None
            self._bind_targets(bound if bound is not None else cst.Name(chain[0]))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and not node.relative:
            self.imports_openai |= attribute_chain(node.module)[0] == "openai"
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                self._bind_targets(bound)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in _AZURE_CLIENTS:
            self.uses_azure_client = True

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assigned(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.scope.bind(node.target.value, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind_targets(node.target)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                self._bind_targets(item.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_targets(node.target)

    def _bind_targets(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_targets(element.value)

    def _assigned(self, target: cst.CSTNode, value: cst.CSTNode | None) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value)
        else:
            self._bind_targets(target)
        if value is None:
            return
        if isinstance(target, (cst.Name, cst.Attribute)):
            name = target.value if isinstance(target, cst.Name) else target.attr.value
            if self._is_model_name(name):
                self._add_strings(value, "assignment")
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is not None and self._is_model_name(key[0]):
                self._add_strings(value, "subscript")

    def _is_model_keyword(self, keyword: str) -> bool:
        """`judge_model=`, `model_name=`, `model_id=`: but not `model_map_key=` (a lookup key)."""
        folded = keyword.casefold()
        return folded.endswith(("model", "model_name", "model_id")) or any(
            part in folded for part in self.index.model_names[1:]
        )

    def _is_model_name(self, name: str) -> bool:
        folded = name.casefold()
        return any(part in folded for part in self.index.model_names)

    # --- calls and dicts --------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        chain = attribute_chain(node.func)
        self._environment_default(node)
        path, surface = self._sdk_call(chain)
        if surface is not None:
            self.calls.append(ApiCall(path, surface, node.func))
        if chain[-1] in self.index.local_calls:
            return
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            if keyword == "model" or (surface is None and self._is_model_keyword(keyword)):
                self._add_strings(arg.value, "keyword", surface, path, node)
            elif surface is not None and keyword in self.index.session_keywords.get(surface, ()):
                self._mark_dict(arg.value, surface, path, node)

    def _sdk_call(self, chain: tuple[str, ...]) -> tuple[str | None, str | None]:
        names = tuple(part for part in chain if part not in _RESPONSE_WRAPPERS)
        for length in range(min(self.index.longest_call, len(names)), 0, -1):
            path = ".".join(names[-length:])
            surface = self.index.call_paths.get(path)
            if surface is not None and length >= 2:
                return path, surface
        return None, None

    def _environment_default(self, node: cst.Call) -> None:
        """`os.getenv("CHAT_MODEL", "gpt-5.5")`: the default is a model wherever the call is."""
        positional = [a for a in node.args if a.keyword is None and a.star == ""]
        variable = string_value(positional[0].value) if positional else None
        default = _getenv_default(node)
        if default is not None and variable is not None and self._is_model_name(variable[0]):
            self._add_strings(default, "environment")

    def visit_Dict(self, node: cst.Dict) -> None:
        surface, call, call_node = self.dict_surface.pop(id(node), (None, None, None))
        own_type = self._dict_string(node, "type")
        if own_type is not None and own_type in self.index.dict_types:
            surface, call, call_node = self.index.dict_types[own_type], None, None
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
            if key is None:
                continue
            if key[0] in self.index.dict_keys:
                self._mark_dict(element.value, self.index.dict_keys[key[0]], None, None)
            elif self._is_model_name(key[0]):
                self._add_strings(element.value, "dict", surface, call, call_node)

    def _mark_dict(self, value: cst.CSTNode, surface: str, call: str | None, call_node: cst.CSTNode | None) -> None:
        if isinstance(value, cst.Dict):
            self.dict_surface[id(value)] = (surface, call, call_node)

    @staticmethod
    def _dict_string(node: cst.Dict, key: str) -> str | None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                found = string_value(element.key)
                if found is not None and found[0] == key:
                    value = string_value(element.value)
                    return value[0] if value else None
        return None

    # --- model strings ----------------------------------------------------------------------
    def _add_strings(
        self,
        expr: cst.CSTNode,
        context: str,
        surface: str | None = None,
        call: str | None = None,
        call_node: cst.CSTNode | None = None,
    ) -> None:
        for node in _candidate_nodes(expr):
            if isinstance(node, cst.Name):
                self.pending.append(_Pending(self.scope, node.value, surface, call, call_node))
                continue
            if isinstance(node, cst.Call):
                default = _getenv_default(node)
                if default is not None:
                    self._add_strings(default, "environment", surface, call, call_node)
                continue
            read = string_value(node)
            if read is not None:
                value, rewritable, why = read
                self.uses.append(ModelUse(value, node, context, surface, call, call_node, rewritable, why))

    def resolve_pending(self) -> None:
        """Names used as a model resolve to a literal when bound exactly once in their scope."""
        for pending in self.pending:
            scope: _Scope | None = pending.scope
            while scope is not None:
                if scope.kind != "class" or scope is pending.scope:
                    values = scope.bindings.get(pending.name)
                    if values is not None:
                        elsewhere = scope.kind == "module" and self.module_bindings is not None
                        if len(values) == 1 and (not elsewhere or self.module_bindings.get(pending.name) == 1):
                            self._add_strings(values[0], "name", pending.surface, pending.call, pending.call_node)
                        break
                scope = scope.parent


def _getenv_default(node: cst.Call) -> cst.CSTNode | None:
    """The default of os.getenv / os.environ.get, or None for any other call."""
    chain = attribute_chain(node.func)
    if not any(chain[-n:] in _GETENV_CHAINS for n in (1, 2, 3)):
        return None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "default":
            return arg.value
    positional = [a for a in node.args if a.keyword is None and a.star == ""]
    return positional[1].value if len(positional) >= 2 else None


def _candidate_nodes(expr: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The expressions a value can come from: `a or "x"`, `"x" if c else "y"`, parentheses."""
    if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        yield from _candidate_nodes(expr.left)
        yield from _candidate_nodes(expr.right)
    elif isinstance(expr, cst.IfExp):
        yield from _candidate_nodes(expr.body)
        yield from _candidate_nodes(expr.orelse)
    else:
        yield expr


def _all_params(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    yield from params.kwonly_params
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star
