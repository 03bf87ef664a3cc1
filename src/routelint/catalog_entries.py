"""One entry of a rules file (a model, a surface, a parameter, a label, [batch]) read into the
catalog's data, with its checks: known keys only, a source for every fact, dates and lists in
their shape. The errors name the file and the entry (catalog.py merges the files first).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from routelint.catalog_data import BatchCalls, CatalogError, Label, LabelRoute, Model, OffRoute, Parameter, Surface

FIX_KINDS = ("safe", "unsafe", "none")
STATUSES = ("active", "legacy", "unsupported")

_MODEL_KEYS = {
    "snapshot-of", "surfaces", "shutdown", "shutdown-source", "status", "status-source",
    "replacements", "replacements-source", "note", "note-source", "off-route", "unknown-on",
}
_SURFACE_KEYS = {
    "title", "calls", "calls-source", "closed", "closed-source", "shutdown", "shutdown-source",
    "note", "start-with", "start-with-why", "start-with-source",
    "dict-types", "dict-keys", "config-keywords", "dicts-source", "paths", "paths-source",
    "status", "status-source",
}
_PARAMETER_KEYS = {"surface", "name", "shutdown", "shutdown-source", "note"}
_BATCH_KEYS = {"calls", "endpoint-keyword", "source"}
SURFACE_STATUSES = ("retired",)
_LABEL_KEYS = {"target", "fix", "note", "source"}
_LABEL_ROUTE_KEYS = {"target", "fix", "source"}
_OFF_ROUTE_KEYS = {"prefer", "reason", "source"}


def check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed - {"__file__"}
    if unknown:
        raise CatalogError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")


def needs_source(entry: dict[str, Any], key: str, where: str) -> str | None:
    if key not in entry:
        return None
    source = entry.get(f"{key}-source")
    if not isinstance(source, str) or not source.strip():
        raise CatalogError(f"{where}: {key} has no {key}-source (every fact needs its source)")
    return source


def date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CatalogError(f"{where}: malformed date {value!r} (want YYYY-MM-DD)") from None


def str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def model(mid: str, entry: dict[str, Any], surfaces: Mapping[str, Surface]) -> Model:
    where = f"{entry['__file__']}: models.{mid!r}"
    check_keys(entry, _MODEL_KEYS, where)
    surf = entry.get("surfaces", {})
    if not isinstance(surf, dict):
        raise CatalogError(f"{where}: surfaces must be a table of surface = source")
    for sid, source in surf.items():
        if sid not in surfaces:
            raise CatalogError(f"{where}: unknown surface {sid!r}")
        if not isinstance(source, str) or not source:
            raise CatalogError(f"{where}: surface {sid!r} needs its source as a string")
    status = entry.get("status", "active")
    if status not in STATUSES:
        raise CatalogError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
    needs_source(entry, "status", where)
    needs_source(entry, "replacements", where)
    if "note" in entry and not any(
        k in entry for k in ("note-source", "shutdown-source", "status-source", "replacements-source")
    ):
        raise CatalogError(f"{where}: note has no source")
    if not isinstance(entry.get("snapshot-of", ""), str):
        raise CatalogError(f"{where}: snapshot-of must be a model ID (a string), got {entry['snapshot-of']!r}")
    off_route = {}
    routes = entry.get("off-route", {})
    if not isinstance(routes, dict) or not all(isinstance(spec, dict) for spec in routes.values()):
        raise CatalogError(f"{where}: off-route must be a table of surface = {{prefer, reason, source}}, got {routes!r}")
    for sid, spec in routes.items():
        check_keys(spec, _OFF_ROUTE_KEYS, f"{where} off-route.{sid}")
        if sid not in surfaces or not all(isinstance(spec.get(k), str) for k in _OFF_ROUTE_KEYS):
            raise CatalogError(f"{where}: off-route.{sid} needs a known surface, prefer, reason and source")
        off_route[sid] = OffRoute(spec["prefer"], spec["reason"], spec["source"])
    unknown = entry.get("unknown-on", {})
    if not isinstance(unknown, dict) or not all(
        sid in surfaces and isinstance(why, str) and why for sid, why in unknown.items()
    ):
        raise CatalogError(f"{where}: unknown-on must be a table of known surface = why no source decides it, got {unknown!r}")
    return Model(
        id=mid,
        surfaces=MappingProxyType(dict(surf)),
        snapshot_of=entry.get("snapshot-of"),
        shutdown=date(entry.get("shutdown"), where),
        shutdown_source=needs_source(entry, "shutdown", where),
        status=status,
        status_source=entry.get("status-source"),
        replacements=str_list(entry.get("replacements", []), where),
        replacements_source=entry.get("replacements-source"),
        note=entry.get("note"),
        off_route=MappingProxyType(off_route),
        unknown_on=MappingProxyType(dict(unknown)),
    )


def surface(sid: str, entry: dict[str, Any]) -> Surface:
    where = f"{entry['__file__']}: surfaces.{sid!r}"
    check_keys(entry, _SURFACE_KEYS, where)
    if "title" not in entry:
        raise CatalogError(f"{where}: a surface needs a title (surfaces.toml)")
    for key in ("calls", "closed", "start-with", "paths"):
        needs_source(entry, key, where)
    for url_path in str_list(entry.get("paths", []), where):
        if not url_path.startswith("/"):
            raise CatalogError(f"{where}: paths must start with '/', got {url_path!r}")
    if any(k in entry for k in ("dict-types", "dict-keys", "config-keywords")) and not entry.get("dicts-source"):
        raise CatalogError(f"{where}: dict-types / dict-keys / config-keywords need dicts-source")
    if not isinstance(entry.get("closed", False), bool):
        raise CatalogError(f"{where}: closed must be true or false")
    if entry.get("status", "retired") not in SURFACE_STATUSES:
        raise CatalogError(f"{where}: status {entry['status']!r} is not one of {', '.join(SURFACE_STATUSES)}")
    if "status" in entry and not entry.get("note"):
        raise CatalogError(f"{where}: a retired surface needs the source's words in note")
    return Surface(
        id=sid,
        title=entry["title"],
        calls=str_list(entry.get("calls", []), where),
        calls_source=entry.get("calls-source"),
        closed=entry.get("closed", False),
        closed_source=entry.get("closed-source"),
        shutdown=date(entry.get("shutdown"), where),
        shutdown_source=needs_source(entry, "shutdown", where),
        note=entry.get("note"),
        start_with=str_list(entry.get("start-with", []), where),
        start_with_why=entry.get("start-with-why"),
        start_with_source=entry.get("start-with-source"),
        dict_types=str_list(entry.get("dict-types", []), where),
        dict_keys=str_list(entry.get("dict-keys", []), where),
        config_keywords=str_list(entry.get("config-keywords", []), where),
        dicts_source=entry.get("dicts-source"),
        paths=str_list(entry.get("paths", []), where),
        paths_source=entry.get("paths-source"),
        status=entry.get("status"),
        status_source=needs_source(entry, "status", where),
    )


def parameter(pid: str, entry: dict[str, Any], surfaces: Mapping[str, Surface]) -> Parameter:
    where = f"{entry['__file__']}: parameters.{pid!r}"
    check_keys(entry, _PARAMETER_KEYS, where)
    surface, name = entry.get("surface"), entry.get("name")
    if not isinstance(surface, str) or surface not in surfaces or not isinstance(name, str) or pid != f"{surface}.{name}":
        raise CatalogError(f"{where}: needs a known surface and a name, and its ID must be <surface>.<name>")
    if "shutdown" not in entry:
        raise CatalogError(f"{where}: a deprecated parameter needs its shutdown date")
    return Parameter(
        id=pid,
        surface=surface,
        name=name,
        shutdown=date(entry.get("shutdown"), where),
        shutdown_source=needs_source(entry, "shutdown", where),
        note=entry.get("note"),
    )


def batch(table: Any, path: Path) -> BatchCalls:
    if not isinstance(table, dict) or set(table) != _BATCH_KEYS or not isinstance(table["endpoint-keyword"], str) or not isinstance(table["source"], str):
        raise CatalogError(f"{path}: [batch] needs exactly calls = [...], endpoint-keyword = \"...\" and source = \"...\"")
    return BatchCalls(str_list(table["calls"], f"{path}: batch"), table["endpoint-keyword"], table["source"])


def label(text: str, entry: dict[str, Any], surfaces: Mapping[str, Surface]) -> Label:
    where = f"{entry['__file__']}: labels.{text!r}"
    check_keys(entry, _LABEL_KEYS | {"on"}, where)
    _strings(entry, _LABEL_KEYS, where)
    on = entry.get("on", {})
    if not isinstance(on, dict):
        raise CatalogError(f"{where}: on must be a table of surfaces")
    routes = {}
    for surface_id, route in sorted(on.items()):
        route_where = f"{where}: on.{surface_id!r}"
        if surface_id not in surfaces:
            raise CatalogError(f"{route_where}: no such surface")
        if not isinstance(route, dict):
            raise CatalogError(f"{route_where}: must be a table with target, fix and source")
        check_keys(route, _LABEL_ROUTE_KEYS, route_where)
        _strings(route, _LABEL_ROUTE_KEYS, route_where)
        routes[surface_id] = LabelRoute(route["target"], route["fix"], route["source"])
    return Label(text, entry["target"], entry["fix"], entry["note"], entry["source"], MappingProxyType(routes))


def _strings(entry: dict[str, Any], keys: set[str], where: str) -> None:
    """Every key present as a string, and `fix` one of FIX_KINDS."""
    missing = [k for k in sorted(keys) if not isinstance(entry.get(k), str)]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    if entry["fix"] not in FIX_KINDS:
        raise CatalogError(f"{where}: fix must be one of {', '.join(FIX_KINDS)}")
