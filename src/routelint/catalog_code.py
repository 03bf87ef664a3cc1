"""Facts about the code that calls the API, read from the libraries themselves (rules/code.toml):
the SDK's package, clients and response wrappers, Azure's clients, the HTTP libraries' calls, the
keywords a model is passed as. The extractor and the outline get them from here (through
`SyntaxIndex` and `outline.Signs`); what is a guess about names (`model_path` is not a model)
stays in Python next to the code that makes it.

Validated like the rest of the catalog: every key of a section is known, holds the type it
should, and carries its source in `<key>-source`. Files merge key by key; shipped files must
agree, a user's `extend-catalog` file overrides.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

# section -> key -> "text" or "list": every key is required (in the merged catalog) and needs
# its `<key>-source`.
SCHEMA: Mapping[str, Mapping[str, str]] = {
    "sdk": {
        "package": "text", "clients": "list", "response-wrappers": "list", "api-type": "text",
        "base-url-keywords": "list", "path-prefix": "text", "derived-clients": "list",
    },
    "azure": {"clients": "list", "api-type": "text", "deployment-keywords": "list", "client-packages": "list"},
    "response-types": {"packages": "list", "mock-keywords": "list"},
    "http-libraries": {
        "methods": "list", "methods-with-verb": "list", "body-methods": "list", "url-keyword": "text",
        "json-keyword": "text", "form-keyword": "text", "files-keyword": "text", "raw-body-keywords": "list", "serializer": "text", "mock-transports": "list", "test-clients": "list",
        "load-test-users": "list", "load-test-package": "text",
    },
    "model-keywords": {"suffixes": "list", "records": "list"},
    "gateways": {"hosts": "list"},
}


class CodeError(Exception):
    """Raised with a message naming the file and the key; catalog.py turns it into CatalogError."""


@dataclass(frozen=True)
class Sdk:
    """The official Python SDK."""

    package: str  # "openai": what `import openai` names
    clients: frozenset[str]  # "OpenAI", "AsyncOpenAI"
    response_wrappers: frozenset[str]  # steps between a resource and its method: with_raw_response
    api_type: str  # the module attribute that picks Azure (`openai.api_type = "azure"`)
    base_url_keywords: frozenset[str]  # a client's keywords that send it to another host
    path_prefix: str  # "/v1/": every API path starts so under the base URL
    derived_clients: frozenset[str] = frozenset()  # `client.with_options(...)`: a client to the same host


@dataclass(frozen=True)
class Azure:
    clients: frozenset[str]  # "AzureOpenAI", "AsyncAzureOpenAI"
    api_type: str  # "azure": an `api_type` value starting so is Azure's ("azure", "azure_ad")
    deployment_keywords: frozenset[str]  # a client given one of these is Azure's
    client_packages: tuple[str, ...]  # "azure.ai.inference": their client classes are Azure's


@dataclass(frozen=True)
class HttpCalls:
    """How `requests` / `httpx` calls name their URL and body."""

    methods: frozenset[str]  # requests.post(url, ...)
    methods_with_verb: frozenset[str]  # requests.request("POST", url, ...)
    body_methods: frozenset[str]  # the methods whose body is a request's
    url_keyword: str
    json_keyword: str  # the body as an object
    raw_body_keywords: tuple[str, ...]  # the body as text, often `json.dumps(...)`: in this order
    serializer: str  # "dumps": the function whose first argument is the body's object
    form_keyword: str = "data"  # the form fields of a multipart upload ...
    files_keyword: str = "files"  # ... which this keyword makes
    mock_transports: frozenset[str] = frozenset()  # `httpx.MockTransport`: a client given one sends nothing
    test_clients: frozenset[str] = frozenset()  # `TestClient(app)`, `app.test_client()`: requests to the app under test
    load_test_users: frozenset[str] = frozenset()  # locust's `HttpUser`: `self.client` sends to the class's `host`
    load_test_package: str = ""  # the package they are imported from


@dataclass(frozen=True)
class CodeFacts:
    sdk: Sdk
    azure: Azure
    response_packages: frozenset[str]  # packages whose `types` modules hold response objects
    mock_keywords: frozenset[str]  # a call given one returns a made-up response: `mock_response=`
    http: HttpCalls
    model_keyword_suffixes: tuple[str, ...]  # `judge_model=`, `model_name=`, `model_id=`
    record_keywords: frozenset[str]  # `response_model=`: telemetry of a call, not a request
    # hosts that route provider-prefixed names ("openai/gpt-4o"): a module naming one's base URL
    # spells its models for it
    gateway_hosts: tuple[str, ...]
    sources: Mapping[str, str]  # "sdk.package" -> its source


def read_sections(data: Mapping[str, Any], path: Path) -> dict[str, tuple[Any, str]]:
    """The facts one file gives: "section.key" -> (value, source), each checked."""
    found: dict[str, tuple[Any, str]] = {}
    for section, keys in SCHEMA.items():
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise CodeError(f"{path}: [{section}] must be a table")
        unknown = set(table) - set(keys) - {f"{k}-source" for k in keys}
        if unknown:
            raise CodeError(f"{path}: [{section}] unknown key(s): {', '.join(sorted(unknown))}")
        for key, kind in keys.items():
            if key not in table:
                if f"{key}-source" in table:
                    raise CodeError(f"{path}: [{section}] {key}-source without {key}")
                continue
            value, source = table[key], table.get(f"{key}-source")
            if kind == "text" and not (isinstance(value, str) and value):
                raise CodeError(f"{path}: [{section}] {key} must be a non-empty string, got {value!r}")
            if kind == "list" and not (
                isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)
            ):
                raise CodeError(f"{path}: [{section}] {key} must be a non-empty list of strings, got {value!r}")
            if not isinstance(source, str) or not source.strip():
                raise CodeError(f"{path}: [{section}] {key} has no {key}-source (every fact needs its source)")
            found[f"{section}.{key}"] = (tuple(value) if kind == "list" else value, source)
    return found


def build(facts: Mapping[str, tuple[Any, str]], where: str) -> CodeFacts:
    """The merged facts as frozen objects; every key of the schema must be there."""
    missing = [f"[{s}] {k}" for s, keys in SCHEMA.items() for k in keys if f"{s}.{k}" not in facts]
    if missing:
        raise CodeError(f"{where}: missing {', '.join(missing)}")

    def get(name: str) -> Any:
        return facts[name][0]

    return CodeFacts(
        sdk=Sdk(
            package=get("sdk.package"),
            clients=frozenset(get("sdk.clients")),
            response_wrappers=frozenset(get("sdk.response-wrappers")),
            api_type=get("sdk.api-type"),
            base_url_keywords=frozenset(get("sdk.base-url-keywords")),
            path_prefix=get("sdk.path-prefix"),
            derived_clients=frozenset(get("sdk.derived-clients")),
        ),
        azure=Azure(
            clients=frozenset(get("azure.clients")),
            api_type=get("azure.api-type").lower(),
            deployment_keywords=frozenset(get("azure.deployment-keywords")),
            client_packages=tuple(get("azure.client-packages")),
        ),
        response_packages=frozenset(get("response-types.packages")),
        mock_keywords=frozenset(get("response-types.mock-keywords")),
        http=HttpCalls(
            methods=frozenset(get("http-libraries.methods")),
            methods_with_verb=frozenset(get("http-libraries.methods-with-verb")),
            body_methods=frozenset(get("http-libraries.body-methods")),
            url_keyword=get("http-libraries.url-keyword"),
            json_keyword=get("http-libraries.json-keyword"),
            raw_body_keywords=get("http-libraries.raw-body-keywords"),
            serializer=get("http-libraries.serializer"),
            form_keyword=get("http-libraries.form-keyword"),
            files_keyword=get("http-libraries.files-keyword"),
            mock_transports=frozenset(get("http-libraries.mock-transports")),
            test_clients=frozenset(get("http-libraries.test-clients")),
            load_test_users=frozenset(get("http-libraries.load-test-users")),
            load_test_package=get("http-libraries.load-test-package"),
        ),
        model_keyword_suffixes=tuple(s.casefold() for s in get("model-keywords.suffixes")),
        record_keywords=frozenset(get("model-keywords.records")),
        gateway_hosts=tuple(get("gateways.hosts")),
        sources=MappingProxyType({name: source for name, (_, source) in sorted(facts.items())}),
    )
