"""The text of ``rules/sdk.toml``: model IDs and their surfaces from the SDK's Literal types,
and the facts of every deprecation notice (:mod:`.classify`)."""
from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routelint.catalog_sync.classify import (
    Facts,
    UnclassifiedNotices,
    classify,
    supported_only,
)
from routelint.catalog_sync.layout import Layout, load_layout
from routelint.catalog_sync.notices import all_notices
from routelint.catalog_sync.sdk import SdkFiles, scan_model_fields

_SNAPSHOT = re.compile(r"^(.+)-(?:\d{4}-\d{2}-\d{2}|\d{4})$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_]+$")
_SURFACE_ORDER = ("shutdown", "shutdown-source", "status", "status-source", "note")
_PARAMETER_ORDER = ("surface", "name", "shutdown", "shutdown-source", "note")


@dataclass(frozen=True)
class Generated:
    text: str  # sdk.toml
    facts: Facts  # what each notice became
    version: str


def default_rules() -> Path:
    from routelint.catalog import rules_dir

    return rules_dir()


def model_surfaces(sdk: SdkFiles, layout: Layout,
                   only: Mapping[str, tuple[tuple[str, ...], str]] | None = None) -> dict[str, dict[str, str]]:
    """model ID -> surface -> source; a `model` field that is neither mapped nor excluded is an error.
    ``only``: surface -> (the IDs its endpoint "supports only", source): the others lose it."""
    fields = scan_model_fields(sdk)
    mapped = {key for keys in layout.fields.values() for key in keys}
    unmapped, gone = sorted(set(fields) - mapped - set(layout.excluded_fields)), sorted(mapped - set(fields))
    if unmapped or gone:
        raise ValueError(f"SDK model fields changed (rules/sdk-layout.toml): unmapped {unmapped}, no longer found {gone}")
    catalog: dict[str, dict[str, str]] = {}
    for surface, keys in layout.fields.items():
        for key in keys:
            line, ids = fields[key]
            for model in ids:
                catalog.setdefault(model, {}).setdefault(surface, sdk.source("types/" + key.split(":")[0], line))
    for surface, (supported, where) in (only or {}).items():
        listed = {m for m, surfaces in catalog.items() if surface in surfaces}
        if set(supported) - listed:
            raise ValueError(f"{where}: {surface} supports only {list(supported)}, but its fields do not list "
                             f"{sorted(set(supported) - listed)}")
        for model in listed:
            if model in supported:
                catalog[model][surface] = where
            else:
                del catalog[model][surface]
    bare = sorted(m for m, surfaces in catalog.items() if not surfaces)
    if bare:  # a model no surface accepts: a judgement for a person, not for the generator
        raise ValueError(f"{', '.join(bare)} is listed only where the endpoint does not support it "
                         f"({'; '.join(f'{s}: {w}' for s, (_, w) in (only or {}).items())})")
    return catalog


def _classes(sdk: SdkFiles, rel: str) -> set[str]:
    found: set[str] = set()

    def walk(node: ast.AST, qual: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                found.add(f"{qual}.{child.name}" if qual else child.name)
                walk(child, f"{qual}.{child.name}" if qual else child.name)
    walk(sdk.tree(rel), "")
    return found


def check_layout(sdk: SdkFiles, layout: Layout) -> None:
    """Every class and resource the layout names exists in this SDK: a renamed file must not
    silently stop feeding its surface."""
    missing = []
    for surface, keys in layout.classes.items():
        for key in keys:
            rel, _, qual = key.partition(":")
            if not (sdk.root / "types" / rel).is_file() or qual not in _classes(sdk, f"types/{rel}"):
                missing.append(f"{surface}: class {key}")
    for surface, entries in layout.resources.items():
        for entry in entries:
            rel, _, method = entry.partition(":")
            if not (sdk.root / rel).exists() or (method and not any(
                    isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == method
                    for n in ast.walk(sdk.tree(rel)))):
                missing.append(f"{surface}: resource {entry}")
    for entry in layout.batch_fields:
        rel = entry.partition(":")[0]
        if not (sdk.root / rel).is_file():
            missing.append(f"batch: {entry}")
    if missing:
        raise ValueError("rules/sdk-layout.toml names what this SDK does not have: " + "; ".join(missing))


def _model_table(model: str, surfaces: dict[str, str], own: Mapping[str, tuple[Any, str]], surfaces_of: Mapping[str, object],
                 ended: Mapping[str, dict[str, str]]) -> dict[str, object]:
    table: dict[str, object] = {}
    base = _SNAPSHOT.match(model)
    if base and base.group(1) in surfaces_of:
        table["snapshot-of"] = base.group(1)
    closing = [ended.get(s, {}) for s in surfaces]
    dated = [c for c in closing if "shutdown" in c]
    if "shutdown" in own:
        table["shutdown"], table["shutdown-source"] = own["shutdown"]
    elif dated and all(c.get("shutdown") or c.get("status") for c in closing):
        last = max(dated, key=lambda c: c["shutdown"])  # usable only on surfaces that all end: the last one decides
        table["shutdown"], table["shutdown-source"] = last["shutdown"], last["shutdown-source"]
    if "status" in own:
        table["status"], table["status-source"] = own["status"]
    names, where = own.get("replacements", ((), ""))
    if names and all(n in surfaces_of for n in names):
        table["replacements"], table["replacements-source"] = list(names), where
    if "note" in own:
        table["note"] = own["note"][0]
    table["surfaces"] = dict(sorted(surfaces.items()))
    return table


def build(sdk: SdkFiles, layout: Layout) -> tuple[dict[str, dict[str, object]], Facts]:
    """The [models] tables, keys in the schema's order, and the facts of every notice."""
    check_layout(sdk, layout)
    surfaces_of = model_surfaces(sdk, layout, supported_only(sdk, layout))
    facts = classify(sdk, layout, all_notices(sdk), surfaces_of)
    if facts.unclassified:
        raise UnclassifiedNotices(facts.unclassified)
    strays = sorted(set(facts.models) - set(surfaces_of))
    if strays:
        raise ValueError(f"Deprecated values on model fields name IDs that no model Literal lists: {strays}")
    models = {model: _model_table(model, surfaces, facts.models.get(model, {}), surfaces_of, facts.surfaces)
              for model, surfaces in sorted(surfaces_of.items())}
    return models, facts


def _toml(value: object) -> str:
    """A TOML string or list of strings: JSON's escapes are valid in TOML basic strings."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def render(version: str, today: str, models: Mapping[str, dict[str, object]], facts: Facts) -> str:
    out = [f"# Generated by routelint.sdk_sync from openai=={version}. Do not edit: regenerate with",
           "# python -m routelint.sdk_sync --output rules/sdk.toml",
           "", "[meta]", f'generated-from = "openai=={version}"', f'generated-on = "{today}"']
    for model, table in models.items():
        out += ["", f"[models.{_toml(model)}]"] + [f"{k} = {_toml(v)}" for k, v in table.items() if k != "surfaces"]
        out += ["", f"[models.{_toml(model)}.surfaces]"]
        out += [f"{s if _BARE_KEY.match(s) else _toml(s)} = {_toml(src)}"
                for s, src in table["surfaces"].items()]  # type: ignore[attr-defined]
    for kind, order, tables in (("surfaces", _SURFACE_ORDER, facts.surfaces),
                                ("parameters", _PARAMETER_ORDER, facts.parameters)):
        for key, fields in sorted(tables.items()):
            out += ["", f"[{kind}.{_toml(key)}]"] + [f"{k} = {_toml(fields[k])}" for k in order if k in fields]
    return "\n".join(out) + "\n"


def run(package_dir: Path, version: str, *, today: str, rules: Path | None = None) -> Generated:
    """sdk.toml and what every notice became; raises ValueError (UnclassifiedNotices among them)."""
    sdk = SdkFiles(package_dir, version)
    models, facts = build(sdk, load_layout(rules or default_rules()))
    return Generated(render(version, today, models, facts), facts, version)


def generate(package_dir: Path, version: str, *, today: str, rules: Path | None = None) -> str:
    """The text of sdk.toml; two runs on the same SDK differ only in ``generated-on``."""
    return run(package_dir, version, today=today, rules=rules).text
