"""Which client a call is made on: an Azure client, one with a base URL on another host, or
OpenAI's. A model sent through a client that is not OpenAI's is not judged (the per-client Azure
rule: a model string there may name a deployment).

`Clients` records during the walk the calls a model may be handed to (with the scope their names
are looked up in), the clients given to wrapper libraries, and whether the file builds an Azure
client; after the walk, `away` says whether a target's call goes elsewhere. A call's host is
decided once, when first asked.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, TypeVar

import libcst as cst

from routelint.bindings import (
    MAX_DEPTH,
    MOCK_CLASSES,
    Binding,
    FunctionRef,
    Imported,
    Place,
    Scope,
    SelfRef,
    attribute_chain,
    attribute_root,
    candidate_nodes,
    given_values,
    is_fixture,
    is_none,
    lookup_bindings,
    plain_function,
    reaching,
)
from routelint.facts import Target
from routelint.names import endpoint_name, host_named, name_words, other_host_name, other_provider, provider_key, stands_in
from routelint.urls import other_host, split_query, url_path
from routelint.values import spread_keys, static_string
from routelint.walk import subtree

if TYPE_CHECKING:
    from routelint.syntax_index import SyntaxIndex

OPENAI, ELSEWHERE, UNKNOWN = "openai", "elsewhere", "unknown"
# A client answered in-process (`http_client` on httpx's MockTransport): sends nothing. Unlike
# ELSEWHERE it holds only when every binding of a name is one: a dry-run switch
# (`OpenAI(http_client=mocked) if DRY_RUN else OpenAI()`) keeps the real client judged.
MOCKED = "mocked"
_AWAY = (ELSEWHERE, MOCKED)


class Clients:
    def __init__(self, index: SyntaxIndex, source: str = "", test_file: bool = False) -> None:
        self._index = index
        self._source = source  # the whole file's text, parsed or not
        self._test_file = test_file
        self._calls: dict[int, tuple[cst.Call, Scope, bool]] = {}  # call -> (call, scope, an SDK call)
        self._places: dict[int, Place] = {}  # call -> where the walk met it (bindings.reaching)
        self._wrapper_clients: dict[int, cst.BaseExpression] = {}  # wrapper call -> the client it is given
        self._hosts: dict[int, str] = {}
        self._built: dict[int, str | None] = {}  # constructor call -> where its client goes, for one question
        self._named: dict[tuple[tuple[str, ...], int], str | None] = {}  # (name, scope) -> the same
        self._name_calls: list[tuple[cst.Call, Scope, bool]] = []  # calls of a name, and whether inside a test
        self.constructs_azure = False  # the file builds an AzureOpenAI client
        self._connections: set[int] = set()  # SDK calls a `with` binds (`client.realtime.connect(...) as conn`)

    # --- during the walk ----------------------------------------------------------------------
    def call(self, node: cst.Call, scope: Scope, sdk: bool, place: Place | None = None) -> None:
        """A call a model may be handed to (`sdk`: an SDK call), its names looked up in `scope`;
        `place`: where it is (None in a lambda, which runs whenever it is called)."""
        self._calls[id(node)] = (node, scope, sdk)
        if place is not None:
            self._places[id(node)] = place

    def name_call(self, node: cst.Call, scope: Scope, in_a_test: bool) -> None:
        """A call of a name (`run_turn(client, "hi")`), and whether it is made inside a test
        function; kept in test files only, the only ones `_parameter_host` answers for."""
        if self._test_file and isinstance(node.func, cst.Name):
            self._name_calls.append((node, scope, in_a_test))

    def connection(self, node: cst.Call) -> None:
        """An SDK call whose context manager a `with` binds to a name (`client.realtime.connect(...)
        as conn`): what is made on that name goes where the call's client does."""
        self._connections.add(id(node))

    def wrapper_client(self, node: cst.Call, client: cst.BaseExpression) -> None:
        """The client a wrapper library's call is given (`Agent(client=...)`)."""
        self._wrapper_clients[id(node)] = client

    def constructor(self, chain: tuple[str, ...], scope: Scope) -> None:
        """A call of `chain`: an Azure OpenAI client's class (`AzureOpenAI`, or a client class
        of rules/code.toml's [azure] client-packages: azure.ai.inference's
        `ChatCompletionsClient`; not azure.identity's credentials, nor azure.ai.documentintelligence)
        makes the file one that builds Azure clients."""
        if self.constructs_azure or not chain[-1].endswith(("OpenAI", "Client")):
            return
        azure = self._index.code.azure
        origin = lookup_bindings(chain[0], scope) if chain[0] else None
        self.constructs_azure = chain[-1] in azure.clients or (
            origin is not None
            and any(isinstance(b.value, Imported) and b.value.module.startswith(azure.client_packages) for b in origin)
        )

    def sends_elsewhere(self, call: cst.Call, scope: Scope) -> bool:
        """Whether a call says itself that what it is given goes to Azure or another host: a
        callee named for Azure (`AzureCompletion(**config)`, `create_azure_llm(model=...)`),
        Azure keywords, or a literal base URL on another host (`build(model,
        base_url="http://localhost:8000/v1")`)."""
        self._built, self._named = {}, {}
        return self._constructor_host(call, scope, 0, False) in _AWAY

    # --- after the walk -----------------------------------------------------------------------
    def away(self, target: Target, *, module_elsewhere: bool, trust_openai: bool = False) -> bool:
        """Whether the call a target's model is handed to sends it to Azure or another host
        (`module_elsewhere`: `openai.api_type = "azure"`, or a module base URL on another host,
        sends the module's `openai` elsewhere). An SDK
        call on a client routelint cannot trace counts as Azure's in a file that builds Azure
        clients, unless `trust_openai` (written in a class or function named for OpenAI)."""
        found = self._calls.get(id(target.via)) if target.via is not None else None
        if found is None:
            return False
        host = self._host(*found, module_elsewhere)
        return host in _AWAY or (host == UNKNOWN and found[2] and self.constructs_azure and not trust_openai)

    def _host(self, call: cst.Call, scope: Scope, sdk: bool, module_elsewhere: bool) -> str:
        host = self._hosts.get(id(call))
        if host is None:
            self._built, self._named = {}, {}
            host = self._hosts[id(call)] = self._call_host(call, scope, module_elsewhere, sdk)
        return host

    def _call_host(self, call: cst.Call, scope: Scope, module_elsewhere: bool, sdk: bool = False) -> str:
        client = self._wrapper_clients.get(id(call))
        if client is not None and self._client_host(client, scope, module_elsewhere) in _AWAY:
            return ELSEWHERE  # a wrapper given an Azure client (or one for another host)
        own = self._constructor_host(call, scope, 0, module_elsewhere)
        if own in (ELSEWHERE, OPENAI):
            return own
        func = attribute_root(call.func)
        if isinstance(func, cst.Call):  # `OpenAI(base_url=...).chat.completions.create(...)`
            return self._constructor_host(func, scope, 1, module_elsewhere) or UNKNOWN
        chain = attribute_chain(call.func)
        if sdk and (self._foreign_module_api(chain, scope) or self._built_resource(chain, scope)):
            return ELSEWHERE
        reaching_client = self._reaching_client(call, chain, scope)
        if reaching_client is not None:
            # `if provider == "openai": client = OpenAI(...); client.audio...create(...)` beside
            # `elif ...: client = Groq(...)`: the client this call surely gets (ytqgen, corp54)
            return _combined(self._binding_hosts(reaching_client, chain[:1], 1, module_elsewhere)) or UNKNOWN
        return self._receiver_host(chain, scope, 1, module_elsewhere) or UNKNOWN

    def _reaching_client(self, call: cst.Call, chain: tuple[str, ...], scope: Scope) -> Binding | None:
        """The one binding of a function's local, bound more than once, that surely reaches the
        call made on it (`bindings.reaching`); None when that is not sure."""
        place = self._places.get(id(call))
        if place is None or len(chain) < 2 or "" in chain[:1]:
            return None
        found = reaching(chain[0], scope, place)
        chosen = found[0][0] if found is not None and found[1] else None
        if chosen is not None and isinstance(chosen.value, cst.CSTNode) and _reads_name(chosen.value, chain[0]):
            return None  # `client = instructor.from_openai(client)`: it wraps the earlier one (found by review)
        return chosen

    def _receiver_host(self, chain: tuple[str, ...], scope: Scope, depth: int, module_elsewhere: bool) -> str | None:
        """Where the object a call is made on sends (`client.chat.completions` of
        `client.chat.completions.create`), from the longest part of the chain that says."""
        for length in range(len(chain) - 1, 0, -1):
            found = self._name_host(chain[:length], scope, depth, module_elsewhere)
            if found is not None:
                return found
        return None

    def _client_host(self, client: cst.BaseExpression, scope: Scope, module_elsewhere: bool, depth: int = 1) -> str:
        if isinstance(client, cst.Call):
            return self._constructor_host(client, scope, depth, module_elsewhere) or UNKNOWN
        if isinstance(client, (cst.Name, cst.Attribute)) and "" not in attribute_chain(client):
            return self._name_host(attribute_chain(client), scope, depth, module_elsewhere) or UNKNOWN
        return UNKNOWN

    def _constructor_host(self, call: cst.Call, scope: Scope, depth: int, module_elsewhere: bool) -> str | None:
        """Where a client built by this call sends requests, when the call says: an Azure
        client (by name, by its keywords, or from an `azure` package), a base URL on another
        host, or the OpenAI client; None when it does not say. Decided once per call and question
        (factories returning factories would otherwise be read again at every depth); a call met
        again while it is being decided (a recursive factory) does not say."""
        return _once(self._built, id(call), lambda: self._decide_constructor(call, scope, depth, module_elsewhere))

    def _decide_constructor(self, call: cst.Call, scope: Scope, depth: int, module_elsewhere: bool) -> str | None:
        chain = attribute_chain(call.func)
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        code = self._index.code
        if isinstance(call.func, cst.Attribute) and chain[-1] in code.sdk.derived_clients and not code.sdk.base_url_keywords & set(keywords):
            # `local.with_options(timeout=5)`, inline or bound to a name: the client it comes from
            # (given a `base_url=`, that decides, as for a constructor)
            return self._client_host(call.func.value, scope, module_elsewhere, depth + 1)
        if id(call) in self._connections and "" not in chain:
            # `async with client.realtime.connect(...) as conn`: the connection goes where its client does
            return self._receiver_host(chain, scope, depth + 1, module_elsewhere)
        if azure_name(chain[-1]) or other_host_name(chain[-1]) or any(
            ("azure" in k and not _off_by_default(k, v, scope)) or k in code.azure.deployment_keywords for k, v in keywords.items()
        ):
            return ELSEWHERE
        origin = lookup_bindings(chain[0], scope) if chain[0] else None
        if origin is not None and any(isinstance(b.value, Imported) and b.value.module.split(".")[0] == "azure" for b in origin):
            return ELSEWHERE
        if any(other_provider(k, static_string(v, scope, depth)) for k, v in keywords.items()):
            return ELSEWHERE  # `init_chat_model("gpt-4o", model_provider="ollama")`
        if any(_provider_member(a.value, a.keyword.value if a.keyword is not None else None) for a in call.args if not a.star):
            return ELSEWHERE  # `ProviderConfig(LLMProvider.OPENROUTER, model="openai/gpt-4o")`
        for keyword, value in keywords.items():
            # `Adapter(model=..., endpoint="https://primary.example.com")`: an absolute URL on
            # another host given as any kind of endpoint sends the request there
            if endpoint_name(keyword):
                url = static_string(value, scope, depth)
                if url is not None and other_host(url, self._index.hosts):
                    return ELSEWHERE
        spread = spread_keys(call, scope, depth) if any(a.star == "**" for a in call.args) else {}
        given: list[tuple[cst.CSTNode, Scope] | None] = [(keywords[k], scope) for k in sorted(code.sdk.base_url_keywords & set(keywords))]
        # `OpenAI(**{"base_url": URL})`, `ChatOpenAI(**kwargs)` with `kwargs["base_url"] = URL`
        # (ultragpt's OpenRouter provider, found on untuned code); one set in several places
        # (None) says no host, as `base_url=url` with `url` unknown does
        given += [
            values[0] if len(values) == 1 else None
            for k, values in sorted(spread.items()) if k in code.sdk.base_url_keywords and k not in keywords
        ]
        for found in given:
            url = static_string(found[0], found[1], depth) if found is not None else None
            if url == "" or (found is not None and is_none(found[0])):
                # `base_url=""`, a parameter's empty default, set only when given (`if base_url:
                # kwargs["base_url"] = base_url`, gws-security-auditor, corp56), `base_url=None`:
                # no host named, as if no base URL were given (the checks below still say; found
                # by review)
                continue
            if url is None:
                return ELSEWHERE if found is not None and isinstance(found[0], cst.BaseExpression) and _plain_http_host(found[0]) else UNKNOWN
            return OPENAI if self._on_openai(url) else ELSEWHERE
        if chain[-1] in code.http.test_clients:
            return MOCKED  # `TestClient(app)`, `app.test_client()`: requests to the app under test
        if self._mock_transport(keywords.get("http_client"), scope):
            return MOCKED  # `OpenAI(http_client=httpx.Client(transport=httpx.MockTransport(h)))`: answered in-process
        if (chain[-1] in MOCK_CLASSES or (chain[-1][:1].isupper() and stands_in(chain[-1]))) and "wraps" not in keywords:
            return MOCKED  # `MagicMock()`, a test's `FakeOpenAI()`: its calls send nothing (a spy, `wraps=`, passes them on)
        for keyword, value in keywords.items():
            # `OpenAIProvider(openai_client=AsyncAzureOpenAI())`: a wrapper built on a client
            if keyword.casefold().endswith("client") and depth < MAX_DEPTH and self._client_host(value, scope, module_elsewhere, depth + 1) in _AWAY:
                return ELSEWHERE
        if chain[-1] in code.sdk.clients:
            return OPENAI
        wrapped = [
            a.value for a in call.args if a.keyword is None and not a.star and isinstance(a.value, (cst.Name, cst.Attribute, cst.Call))
        ]
        if wrapped and depth < MAX_DEPTH:
            # `Backstop.wrap(raw_client, budget=120)`: a wrapper built on a mocked client it is
            # given sends nothing; one built on an OpenAI client with a base URL on another host
            # sends there. Only such clients: any other positional argument "elsewhere" may be
            # anything of another host (an Azure blob container), not the client (found by review).
            hosts = [(self._client_host(value, scope, module_elsewhere, depth + 1), value) for value in wrapped]
            if OPENAI not in {host for host, _ in hosts} and any(host == ELSEWHERE and self._sdk_client(value, scope) for host, value in hosts):
                return ELSEWHERE
            if {host for host, _ in hosts} & {MOCKED, OPENAI, ELSEWHERE} == {MOCKED}:
                return MOCKED
        return self._factory_host(chain, scope, depth, module_elsewhere)

    def _foreign_module_api(self, chain: tuple[str, ...], scope: Scope) -> bool:
        """`g4f.ChatCompletion.create(...)`, `from g4f import ChatCompletion`: the module-level API
        of another package, shaped as the SDK's before 1.0 (a capitalized resource), sends to that
        package's providers. Not a module named for the SDK (`from langfuse import openai`, a
        drop-in that sends to OpenAI)."""
        called = self._index.sdk_call(chain)
        # the SDK call path starts with a capitalized resource (`ChatCompletion.create`), right
        # after the module or as the name imported; not a client object's `chat.completions.create`
        if called is None or not called[0][:1].isupper() or len(chain) - len(called[0].split(".")) > 1 or not chain[0]:
            return False
        found = lookup_bindings(chain[0], scope)
        return found is not None and len(found) == 1 and self._another_package(found[0].value)

    def _another_package(self, value: object) -> bool:
        """An import from a package other than the SDK (not relative: the project's own)."""
        package = self._index.code.sdk.package
        return isinstance(value, Imported) and not value.level and value.module.split(".")[0] != package and value.name != package

    def _built_resource(self, chain: tuple[str, ...], scope: Scope) -> bool:
        """`completions = MOpenAIResponseChatCompletions(...)` then `completions.create(model=...)`
        (byzerllm's tests): a name the SDK's call path begins with, bound only to an object of a
        class imported from another package, is that package's own object, not the SDK's
        resource (which is reached from a client, `client.completions`, or built from the SDK's
        own `openai.resources` classes)."""
        called = self._index.sdk_call(chain)
        names = [part for part in chain if part not in self._index.code.sdk.response_wrappers]
        if called is None or len(names) != len(called[0].split(".")) or not chain[0]:
            return False
        found = lookup_bindings(chain[0], scope)
        if not found:
            return False
        resource = chain[0].casefold()
        for binding in found:
            value = binding.value
            if not isinstance(value, cst.Call):
                return False
            callee = attribute_chain(value.func)
            origin = lookup_bindings(callee[0], binding.scope) if callee[0] else None
            if not (
                # a class named as the resource it stands for (`...ChatCompletions` for
                # `completions`), not a forwarding one (`RateLimited(OpenAI().chat.completions)`,
                # `Client()`: found by review)
                origin and len(origin) == 1 and self._another_package(origin[0].value) and callee[-1][:1].isupper()
                and callee[-1].casefold().endswith(resource) and callee[-1] not in MOCK_CLASSES
                and not any(self._sdk_client(attribute_root(a.value), binding.scope) for a in value.args)
            ):
                return False
        return True

    def _sdk_client(self, value: cst.BaseExpression, scope: Scope) -> bool:
        """Whether an expression is a client of the SDK's own classes (`OpenAI(...)`,
        `AzureOpenAI(...)`), or a name bound only to one."""
        if isinstance(value, cst.Name):
            found = lookup_bindings(value.value, scope)
            return bool(found) and all(isinstance(b.value, cst.Call) and self._sdk_client(b.value, b.scope) for b in found)  # type: ignore[union-attr]
        if not isinstance(value, cst.Call):
            return False
        name = attribute_chain(value.func)[-1]
        return name in self._index.code.sdk.clients or name in self._index.code.azure.clients

    def _mock_transport(self, value: cst.BaseExpression | None, scope: Scope, depth: int = 0) -> bool:
        """An HTTP client (a call, a name bound only to one, or a call of a function of the file
        that returns only such: `http_client=_mock_client(body)`) given a `[http-libraries]
        mock-transports` transport: its requests never leave the process."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, cst.Name):
            found = lookup_bindings(value.value, scope)
            return bool(found) and all(isinstance(b.value, cst.BaseExpression) and self._mock_transport(b.value, b.scope, depth + 1) for b in found)  # type: ignore[union-attr]
        if not isinstance(value, cst.Call):
            return False
        function = plain_function(value, scope)
        if function is not None:
            returned = function.returns()
            return bool(returned) and all(self._mock_transport(r, function.scope, depth + 1) for r in returned)
        mocks = self._index.code.http.mock_transports
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "transport":
                transport = arg.value
                if isinstance(transport, cst.Name):
                    found = lookup_bindings(transport.value, scope) or []
                    transport = found[0].value if len(found) == 1 and isinstance(found[0].value, cst.Call) else transport
                return isinstance(transport, cst.Call) and attribute_chain(transport.func)[-1] in mocks
        return False

    def _factory_host(self, chain: tuple[str, ...], scope: Scope, depth: int, module_elsewhere: bool) -> str | None:
        """A function of this file that returns a client (`def get_provider(): return
        OpenAIProvider(base_url=AIML_API_URL)`): where the clients it returns send requests; None
        when the call is not of such a function or its returns do not say."""
        found = lookup_bindings(chain[0], scope) if len(chain) == 1 and chain[0] else None
        if found is None or len(found) != 1 or not isinstance(found[0].value, FunctionRef) or depth >= MAX_DEPTH:
            return None
        function = found[0].value
        verdicts = {
            self._client_host(value, function.scope, module_elsewhere, depth + 1) for value in function.returns()
        }
        return _combined(verdicts) if verdicts else None

    def _name_host(self, chain: tuple[str, ...], scope: Scope, depth: int, module_elsewhere: bool) -> str | None:
        """Where the client a (dotted) name holds sends requests, over every binding it has;
        None when the name is not bound here. Decided once per name and question, as a call is."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        return _once(self._named, (chain, id(scope)), lambda: self._decide_name(chain, scope, depth, module_elsewhere))

    def _parameter_host(self, function: FunctionRef, name: str, depth: int, module_elsewhere: bool) -> str | None:
        """A client parameter (without a default) of a plain function of a test file that only its
        tests call (`def run_turn(client, text)`, called in `test_turn` with a client on
        httpx's MockTransport): MOCKED when every such call gives it a mocked client and the
        file names the function nowhere else (by text: statements LibCST never parsed, a
        comment, `functools.partial(run_turn, ...)` all count); None otherwise."""
        if not self._test_file or function.method or function.node.decorators or depth >= MAX_DEPTH:
            return None
        defined = function.node.name.value
        calls = len([call for call, _, _ in self._name_calls if call.func.value == defined])  # type: ignore[attr-defined]
        if len(re.findall(rf"\b{re.escape(defined)}\b", self._source)) != calls + 1:  # its `def`, and those calls
            return None
        given = []
        for call, scope, in_a_test in self._name_calls:
            if call.func.value != defined:  # type: ignore[attr-defined]
                continue
            found = lookup_bindings(defined, scope)
            if not found or len(found) != 1 or found[0].value is not function:
                continue
            argument = _given(call, function, name) if in_a_test else None
            if argument is None:
                return None  # called outside a test, or given the client in a way not followed
            given.append(self._client_host(argument, scope, module_elsewhere, depth + 1))
        return MOCKED if given and set(given) == {MOCKED} else None

    def _fixture(self, function: FunctionRef, name: str) -> FunctionRef | None:
        """The fixture of a test file that pytest gives a parameter of `function` named `name`:
        the file's function of that name decorated `@pytest.fixture`. Only a test (`test_...`)
        or a fixture of the module or of a class is given fixtures: pytest never fills a
        helper's parameters, nor those of a function inside a test (found by review)."""
        outer = function.scope.parent
        given = function.node.name.value.startswith("test") or is_fixture(function.node)
        if not self._test_file or not given or outer is None or outer.kind == "function":
            return None
        found = lookup_bindings(name, outer)
        fixture = found[0].value if found and len(found) == 1 else None
        return fixture if isinstance(fixture, FunctionRef) and is_fixture(fixture.node) else None

    def _fixture_host(self, function: FunctionRef, name: str, depth: int, module_elsewhere: bool) -> str | None:
        """A parameter of a function of a test file that pytest fills from the file's fixture of
        that name (`@pytest.fixture def client(): return OpenAI(http_client=...)`): where the
        clients it returns or yields send requests; None when the file has no such fixture."""
        fixture = self._fixture(function, name) if depth < MAX_DEPTH else None
        if fixture is None:
            return None
        verdicts = {self._client_host(value, fixture.scope, module_elsewhere, depth + 1) for value in given_values(fixture.node)}
        return _combined(verdicts) if verdicts else None

    def _decide_name(self, chain: tuple[str, ...], scope: Scope, depth: int, module_elsewhere: bool) -> str | None:
        bindings = _all_bindings(chain, scope)
        if bindings is None:
            return self._load_test_host(chain, scope, depth)
        return _combined({verdict for binding in bindings for verdict in self._binding_hosts(binding, chain, depth, module_elsewhere)})

    def _binding_hosts(self, binding: Binding, chain: tuple[str, ...], depth: int, module_elsewhere: bool) -> set[str]:
        """Where the client one binding of a name gives sends requests (each candidate value's)."""
        value = binding.value
        if binding.param is not None and value is None and len(chain) == 1:
            return {
                self._fixture_host(binding.param, chain[0], depth, module_elsewhere)
                or self._parameter_host(binding.param, chain[0], depth, module_elsewhere)
                or UNKNOWN
            }
        if isinstance(value, Imported):
            return {ELSEWHERE if value.module.split(".")[0] == "azure" or module_elsewhere else OPENAI}
        verdicts = set()
        for node in candidate_nodes(value) if isinstance(value, cst.CSTNode) else [None]:
            if isinstance(node, cst.Call):
                verdicts.add(self._constructor_host(node, binding.scope, depth + 1, module_elsewhere) or UNKNOWN)
            elif isinstance(node, (cst.Name, cst.Attribute)) and "" not in attribute_chain(node):
                verdicts.add(self._name_host(attribute_chain(node), binding.scope, depth + 1, module_elsewhere) or UNKNOWN)
            else:
                verdicts.add(UNKNOWN)
        return verdicts

    def _load_test_host(self, chain: tuple[str, ...], scope: Scope, depth: int) -> str | None:
        """`self.client` of a load-test user (locust's `HttpUser`, `[http-libraries]
        load-test-users`): it sends to the class's `host` when that says where, else to the system
        under test the run is pointed at (MOCKED, as a web framework's test client); None for any
        other name."""
        if chain != ("self", "client"):
            return None
        found = lookup_bindings("self", scope)
        if not found or len(found) != 1 or not isinstance(found[0].value, SelfRef):
            return None
        owner = found[0].value.scope
        users, package = self._index.code.http.load_test_users, self._index.code.http.load_test_package
        for base in owner.bases:
            named = attribute_chain(base)
            origin = lookup_bindings(named[0], owner.parent) if named[0] and owner.parent is not None else None
            if named[-1] in users and origin and all(
                isinstance(b.value, Imported) and b.value.module.split(".")[0] == package for b in origin
            ):
                hosts = owner.bindings.get("host", [])
                urls = [static_string(b.value, b.scope, depth) if isinstance(b.value, cst.CSTNode) else None for b in hosts]
                if not urls:
                    return MOCKED
                if any(url is None for url in urls):
                    return UNKNOWN
                return OPENAI if {self._on_openai(url) for url in urls if url} == {True} else ELSEWHERE
        return None

    def _on_openai(self, url: str) -> bool:
        """Whether a base URL is the API's own (`https://api.openai.com/v1`, with or without the
        path)."""
        return url_path(split_query(url)[0].rstrip("/") + "/", self._index.hosts) is not None


def _given(call: cst.Call, function: FunctionRef, name: str) -> cst.BaseExpression | None:
    """The argument a call of a plain function of the file gives its parameter `name`."""
    params = function.node.params
    positional = [p.name.value for p in [*params.posonly_params, *params.params]]
    for number, arg in enumerate(call.args):
        if arg.star:
            return None  # `*args` / `**kwargs`: which argument it is is unknown
        if arg.keyword is None and number < len(positional) and positional[number] == name:
            return arg.value
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _combined(verdicts: set[str]) -> str:
    """Where a name (over its bindings) or a factory (over its returns) sends requests: Azure or
    another host when any client may be one (a deployment name is never judged), MOCKED only when
    every one is, OPENAI when every one is OpenAI's (a mocked client beside a real one, a dry-run
    switch, counts as the real one), else UNKNOWN."""
    if ELSEWHERE in verdicts:
        return ELSEWHERE
    if verdicts == {MOCKED}:
        return MOCKED
    return OPENAI if {OPENAI if v == MOCKED else v for v in verdicts} == {OPENAI} else UNKNOWN


_Key = TypeVar("_Key")


def _once(decided: dict[_Key, str | None], key: _Key, decide: Callable[[], str | None]) -> str | None:
    """`decide()` once per key and question; a key met again while it is being decided (a
    recursive factory, a name bound from itself) does not say (UNKNOWN)."""
    if key in decided:
        return decided[key]
    decided[key] = UNKNOWN
    decided[key] = found = decide()
    return found


def _provider_member(value: cst.BaseExpression, keyword: str | None) -> bool:
    """A member of an Enum of providers naming another host, given as a provider keyword
    (`provider=Vendor.OPENROUTER`) or by position when its class is named for providers
    (`LLMProvider.DEEPSEEK`, `Backend.OLLAMA`); not a literal by position, nor any attribute
    (`grade("anthropic", answer, judge_model=...)`, `horoscope(Sign.GEMINI, model=...)` send
    to OpenAI)."""
    if not isinstance(value, cst.Attribute) or not host_named(value.attr.value):
        return False
    if keyword is not None:
        return provider_key(keyword)
    chain = attribute_chain(value)
    return len(chain) >= 2 and bool(set(name_words(chain[-2])) & _PROVIDER_CLASS_WORDS)


_PROVIDER_CLASS_WORDS = frozenset({"provider", "providers", "vendor", "vendors", "backend", "backends"})


def _plain_http_host(url: cst.BaseExpression) -> bool:
    """`f"http://{host}:{port}"`: a host named at run time over plain HTTP, a server of one's own
    (the API is served over HTTPS only: its hosts, rules/surfaces.toml, are https URLs)."""
    if not isinstance(url, cst.FormattedString) or len(url.parts) < 2:
        return False
    first, second = url.parts[0], url.parts[1]
    return (
        isinstance(first, cst.FormattedStringText) and first.value.casefold() == "http://"
        and isinstance(second, cst.FormattedStringExpression)
    )


_FLAG_PREFIXES = ("is_", "use_", "enable_")


def _off_by_default(keyword: str, value: cst.BaseExpression, scope: Scope) -> bool:
    """`is_azure=False`, or `is_azure=is_azure` with a parameter defaulting to False or None: a
    flag that, as written, does not pick Azure. The model defaults it travels with go to OpenAI
    (parea's `llm_grader_factory(model="gpt-4", is_azure=False)`); a caller that sets the flag
    passes its own model."""
    if not (keyword.startswith(_FLAG_PREFIXES) or keyword == "azure"):
        return False
    if isinstance(value, cst.Name) and value.value in ("False", "None"):
        return True
    found = lookup_bindings(value.value, scope) if isinstance(value, cst.Name) else None
    return bool(found) and all(
        b.param is not None and isinstance(b.value, cst.Name) and b.value.value in ("False", "None") for b in found  # type: ignore[union-attr]
    )


def azure_name(name: str) -> bool:
    """A callee named for Azure: `AzureChatOpenAI`, `AzureCompletion`, `_create_azure_responses`."""
    return "Azure" in name or "azure" in name_words(name)


def _reads_name(node: cst.CSTNode, name: str) -> bool:
    """Whether an expression reads `name` anywhere in it."""
    return any(isinstance(part, cst.Name) and part.value == name for part in subtree(node))


def _all_bindings(chain: tuple[str, ...], scope: Scope) -> list[Binding] | None:
    found = lookup_bindings(chain[0], scope)
    if found is None or len(chain) == 1:
        return found
    if len(found) == 1 and isinstance(found[0].value, Imported):
        return found  # `openai.chat.completions`: the module's client
    if len(chain) == 2 and len(found) == 1 and isinstance(found[0].value, SelfRef):
        owner = found[0].value.scope
        return owner.bindings.get(chain[1], []) + owner.attrs.get(chain[1], []) or None
    return None
