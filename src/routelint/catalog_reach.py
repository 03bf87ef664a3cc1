"""Catalog entries for reaching OpenAI through other doors: wrapper libraries, provider prefixes
of model strings, and the hosts of raw HTTP requests (rules/wrappers.toml, rules/surfaces.toml).

Validated like the rest of the catalog: unknown keys, unknown surfaces and missing sources fail
at load time with the file and the entry in the message.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WRAPPER_KEYS = {"surfaces", "arguments", "unless", "when", "client", "source"}
_PREFIX_KEYS = {"surfaces", "deployment", "source"}
_HTTP_KEYS = {"hosts", "hosts-source"}
# `use_responses_api=True`, or a string: `model_type="responses"` (stored as its repr, 'responses').
_WHEN = re.compile(r"(?P<keyword>[A-Za-z_][A-Za-z0-9_]*)=(?:(?P<value>True|False)|\"(?P<text>[^\"\\]*)\")")
_ARGUMENT = re.compile(r"\d+|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


class ReachError(Exception):
    """Raised with a message naming the file and the entry; catalog.py turns it into CatalogError."""


@dataclass(frozen=True)
class Wrapper:
    """A library call that sends its model argument to OpenAI surfaces."""

    name: str  # "langchain_openai.ChatOpenAI": top-level package + the name it is called by
    surfaces: tuple[str, ...]  # several: the wrapper picks one per request
    arguments: tuple[str, ...]  # keyword, position ("0"), or keyword.key.key into a dict argument
    unless: tuple[str, ...] = ()  # keywords that may send the request elsewhere: then no surface
    when: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (kw, "True" or "'text'") -> surfaces
    source: str = ""
    # The argument (position or keyword) that is the OpenAI client the wrapper sends through: an
    # Azure client there means deployment names, which are not judged.
    client: str | None = None

    @property
    def package(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def last_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Prefix:
    """A provider prefix of model strings ("openai/", "openai:")."""

    text: str
    surfaces: tuple[str, ...] = ()
    deployment: bool = False
    source: str = ""


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReachError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _common(entry: dict[str, Any], allowed: set[str], where: str, surfaces: Mapping[str, object]) -> tuple[str, ...]:
    unknown = set(entry) - allowed - {"__file__"}
    if unknown:
        raise ReachError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    if not isinstance(entry.get("source"), str) or not entry["source"].strip():
        raise ReachError(f"{where}: needs a source (every fact needs its source)")
    listed = _str_list(entry.get("surfaces", []), where)
    for sid in listed:
        if sid not in surfaces:
            raise ReachError(f"{where}: unknown surface {sid!r}")
    return listed


def wrapper(name: str, entry: dict[str, Any], surfaces: Mapping[str, object]) -> Wrapper:
    where = f"{entry.get('__file__', '?')}: wrappers.{name!r}"
    listed = _common(entry, _WRAPPER_KEYS, where, surfaces)
    if "." not in name:
        raise ReachError(f"{where}: a wrapper is named package.Name (or package.Class.method)")
    arguments = _str_list(entry.get("arguments", []), where)
    if not arguments or not all(_ARGUMENT.fullmatch(a) for a in arguments):
        raise ReachError(f"{where}: arguments must be keywords, positions or keyword.key paths")
    when: dict[tuple[str, str], tuple[str, ...]] = {}
    table = entry.get("when", {})
    if not isinstance(table, dict):
        raise ReachError(f"{where}: when must be a table of \"keyword=True\" (or 'keyword=\"text\"') = [surfaces]")
    for condition, chosen in table.items():
        match = _WHEN.fullmatch(condition)
        if match is None:
            raise ReachError(f"{where}: when {condition!r} is not keyword=True, keyword=False or keyword=\"text\"")
        picked = _str_list(chosen, f"{where} when {condition!r}")
        for sid in picked:
            if sid not in surfaces:
                raise ReachError(f"{where}: unknown surface {sid!r}")
        when[(match["keyword"], match["value"] or repr(match["text"]))] = picked
    client = entry.get("client")
    if client is not None and not isinstance(client, str):
        raise ReachError(f"{where}: client must be a keyword or a position (\"0\")")
    return Wrapper(name, listed, arguments, _str_list(entry.get("unless", []), where), when, entry["source"], client)


def prefix(text: str, entry: dict[str, Any], surfaces: Mapping[str, object]) -> Prefix:
    where = f"{entry.get('__file__', '?')}: prefixes.{text!r}"
    listed = _common(entry, _PREFIX_KEYS, where, surfaces)
    if not text or not text.endswith(("/", ":")):
        raise ReachError(f"{where}: a prefix ends in '/' or ':'")
    deployment = entry.get("deployment", False)
    if not isinstance(deployment, bool):
        raise ReachError(f"{where}: deployment must be true or false")
    return Prefix(text, listed, deployment, entry["source"])


def http_hosts(table: Any, path: Path) -> tuple[str, ...]:
    if table is None:
        return ()
    if not isinstance(table, dict) or set(table) - _HTTP_KEYS:
        raise ReachError(f"{path}: [http] takes only hosts and hosts-source")
    hosts = _str_list(table.get("hosts", []), f"{path}: http.hosts")
    if hosts and not (isinstance(table.get("hosts-source"), str) and table["hosts-source"].strip()):
        raise ReachError(f"{path}: http.hosts has no hosts-source (every fact needs its source)")
    return tuple(h.lower() for h in hosts)
