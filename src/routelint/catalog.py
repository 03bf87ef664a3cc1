"""Load the model catalog (rules/*.toml) into frozen, validated objects (catalog_data.py).

Checks never hold model IDs, dates or labels: everything they know comes from here, and every
fact carries the source it was taken from (rules/README.md describes the schema). The shipped
files must agree with each other; a user's extend-catalog file overrides them; each entry is
read by catalog_entries.py once the files are merged.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from routelint import catalog_code, catalog_reach
from routelint import catalog_entries as entries
from routelint.catalog_code import CodeFacts
from routelint.catalog_data import BatchCalls, Catalog, CatalogError, spelling_index
from routelint.tomlfile import TomlError, parse_toml, read_toml_bytes

SHIPPED_FILES = ("sdk.toml", "surfaces.toml", "curated.toml", "wrappers.toml", "code.toml")
_SECTIONS = ("models", "surfaces", "labels", "wrappers", "prefixes", "parameters")
_TOP_KEYS = {
    "meta", "models", "surfaces", "labels", "local-calls", "http", "wrappers", "prefixes", "parameters", "batch",
    *catalog_code.SCHEMA,
}


def rules_dir() -> Path:
    """The shipped rules/ folder: inside the wheel, or the repository's top level when editable."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent.parent / "rules"):
        if (candidate / "surfaces.toml").is_file():
            return candidate
    raise CatalogError(f"cannot find the routelint catalog (rules/*.toml) near {here}")


def shipped_meta(base: Path | None = None) -> Mapping[str, str]:
    """[meta] of the shipped sdk.toml: which SDK release the catalog was generated from, when."""
    path = (base or rules_dir()) / "sdk.toml"
    return {k: str(v) for k, v in _table(read_catalog_toml(path), "meta", path).items()}


def load_catalog(extra_files: Iterable[Path] = ()) -> Catalog:
    """Shipped files must agree with each other; user files (extend-catalog) override them."""
    extra_files = tuple(extra_files)
    user_files = {Path(p) for p in extra_files}
    base = rules_dir()
    files = sdk_layers(base, extra_files)
    merged: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in _SECTIONS}
    meta: dict[str, str] = {}
    local_calls: set[str] = set()
    hosts: list[str] = []
    batch: BatchCalls | None = None
    code: dict[str, tuple[Any, str]] = {}
    code_origin: dict[str, Path] = {}
    origin: dict[tuple[str, str, str], Path] = {}
    digest = hashlib.sha256()
    for path, strict in files:
        raw = _read_bytes(path)
        data = _parse_toml(path, raw)
        digest.update(_digest_part(path, raw))
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise CatalogError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
        meta.update({k: str(v) for k, v in _table(data, "meta", path).items()})
        local_calls.update(_local_calls(data.get("local-calls"), path))
        hosts.extend(_reach(catalog_reach.http_hosts, data.get("http"), path))
        if "batch" in data:
            batch = entries.batch(data["batch"], path)
        _merge_code(code, code_origin, _reach(catalog_code.read_sections, data, path), path, strict)
        for section in _SECTIONS:
            for entry_id, entry in _table(data, section, path).items():
                if not isinstance(entry, dict):
                    raise CatalogError(f"{path}: {section}.{entry_id!r} must be a table")
                _merge_entry(merged[section], section, entry_id, entry, path, strict, origin, path in user_files)
    code_facts = _reach(catalog_code.build, code, f"{base} (code.toml)")
    catalog = _build(merged, meta, digest.hexdigest(), frozenset(local_calls), code_facts, tuple(dict.fromkeys(hosts)))
    return replace(catalog, extra_files=tuple(str(p) for p in extra_files), batch=batch)


def _merge_code(
    merged: dict[str, tuple[Any, str]], origin: dict[str, Path], found: Mapping[str, tuple[Any, str]], path: Path, shipped: bool
) -> None:
    """code.toml's facts key by key: shipped files must agree, a user's file overrides."""
    for name, (value, source) in found.items():
        if shipped and name in merged and merged[name][0] != value:
            raise CatalogError(f"{path}: {name} = {value!r} disagrees with {origin[name]} ({merged[name][0]!r})")
        merged[name], origin[name] = (value, source), path


def sdk_version(meta: Mapping[str, Any]) -> tuple[int, ...] | None:
    """(3, 63, 0) from `generated-from = "openai==3.63.0"`; None for a file no generator wrote."""
    found = re.fullmatch(r"openai==(\d+(?:\.\d+)*)", str(meta.get("generated-from", "")))
    return tuple(int(part) for part in found.group(1).split(".")) if found else None


def sdk_layers(base: Path, extra_files: Iterable[Path]) -> list[tuple[Path, bool]]:
    """The catalog files to load, in order, each with whether it is shipped (shipped files must
    agree; user files override). An overlay written by `--sync-catalog` (its [meta] names the SDK
    it was generated from) *replaces* the shipped sdk.toml, so that what the newer SDK dropped is
    dropped too; one generated from an SDK older than the shipped catalog is refused: it would
    quietly undo newer facts."""
    extra = [Path(p) for p in extra_files]
    shipped_version = sdk_version(shipped_meta(base))
    overlays = []
    for path in extra:
        version = sdk_version(_table(read_catalog_toml(path), "meta", path))
        if version is None:
            continue
        if shipped_version is not None and version < shipped_version:
            raise CatalogError(
                f"{path}: generated from openai=={'.'.join(map(str, version))}, older than the catalog routelint ships "
                f"(openai=={'.'.join(map(str, shipped_version))}): remove it from extend-catalog, or regenerate it "
                "with `routelint --sync-catalog` from a newer openai"
            )
        overlays.append(path)
    if len(overlays) > 1:
        raise CatalogError(f"{overlays[1]}: only one catalog generated from the SDK can replace sdk.toml (also {overlays[0]})")
    shipped = [(base / name, True) for name in SHIPPED_FILES if not (overlays and name == "sdk.toml")]
    return shipped + [(path, path in overlays) for path in extra]


def catalog_digest(extra_files: Iterable[Path] = ()) -> str:
    """Catalog.digest without parsing anything: a run whose results are all cached never needs
    the catalog itself (parsing the TOML is most of routelint's start-up time)."""
    digest = hashlib.sha256()
    for path in [rules_dir() / name for name in SHIPPED_FILES] + [Path(p) for p in extra_files]:
        digest.update(_digest_part(path, _read_bytes(path)))
    return digest.hexdigest()


def _digest_part(path: Path, raw: bytes) -> bytes:
    return path.name.encode() + b"\0" + hashlib.sha256(raw).digest()


def read_catalog_toml(path: Path) -> dict[str, Any]:
    """A catalog file's table, or a CatalogError naming it."""
    return _parse_toml(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return read_toml_bytes(path, what="catalog file")
    except TomlError as exc:
        raise CatalogError(str(exc)) from None


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        return parse_toml(path, raw)
    except TomlError as exc:
        raise CatalogError(str(exc)) from None


def _table(data: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    """data[key], a table; {} when it is not there."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise CatalogError(f"{path}: {key} must be a table ([{key}]), got {value!r}")
    return value


def _merge_entry(
    into: dict[str, dict[str, Any]],
    section: str,
    entry_id: str,
    entry: dict[str, Any],
    path: Path,
    strict: bool,
    origin: dict[tuple[str, str, str], Path],
    user: bool = False,
) -> None:
    """Merge one file's entry into the catalog's. The entry's errors name the file it came from:
    the last user file (extend-catalog) that changed it, else the shipped file that made it."""
    target = into.setdefault(entry_id, {})
    for key, value in entry.items():
        where = (section, entry_id, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            # Tables of facts (surfaces, off-route) merge key by key; the first source wins.
            for sub, sub_value in value.items():
                target[key].setdefault(sub, sub_value) if strict else target[key].update(
                    {sub: sub_value}
                )
            continue
        if strict and key in target and target[key] != value:
            raise CatalogError(
                f"{path}: {section}.{entry_id!r} {key} = {value!r} disagrees with "
                f"{origin[where]} ({target[key]!r})"
            )
        target[key] = dict(value) if isinstance(value, dict) else value
        origin[where] = path
    if user:
        target["__file__"] = str(path)
    target.setdefault("__file__", str(path))


def _local_calls(table: Any, path: Path) -> tuple[str, ...]:
    if table is None:
        return ()
    if not isinstance(table, dict) or set(table) != {"names", "source"} or not isinstance(table["source"], str):
        raise CatalogError(f"{path}: [local-calls] needs exactly names = [...] and source = \"...\"")
    return entries.str_list(table["names"], f"{path}: local-calls")


def _reach(function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except (catalog_reach.ReachError, catalog_code.CodeError) as exc:
        raise CatalogError(str(exc)) from None


def _build(
    merged: dict[str, dict[str, dict[str, Any]]],
    meta: dict[str, str],
    digest: str,
    local_calls: frozenset[str],
    code: CodeFacts,
    hosts: tuple[str, ...] = (),
) -> Catalog:
    surfaces = {sid: entries.surface(sid, e) for sid, e in sorted(merged["surfaces"].items())}
    models = {mid: entries.model(mid, e, surfaces) for mid, e in sorted(merged["models"].items())}
    labels = {}
    for text, entry in sorted(merged["labels"].items()):
        label = entries.label(text, entry, surfaces)
        for target in (label.target, *(route.target for route in label.on.values())):
            if target not in models:
                raise CatalogError(f"{entry['__file__']}: labels.{text!r}: target {target!r} is not in the catalog")
        labels[text.casefold()] = label
    for model in models.values():
        where = f"{merged['models'][model.id]['__file__']}: models.{model.id!r}"
        for ref in (model.snapshot_of, *model.replacements, *(o.prefer for o in model.off_route.values())):
            if ref is not None and ref not in models:
                raise CatalogError(f"{where}: refers to {ref!r}, which is not in the catalog")
    for surface in surfaces.values():
        for ref in surface.start_with:
            if ref not in models:
                raise CatalogError(f"{merged['surfaces'][surface.id]['__file__']}: surfaces.{surface.id!r}: start-with {ref!r} is not in the catalog")
    parameters = {pid: entries.parameter(pid, e, surfaces) for pid, e in sorted(merged["parameters"].items())}
    spellings, spelling_heads = spelling_index(models, labels.values())
    return Catalog(
        models=MappingProxyType(models),
        surfaces=MappingProxyType(surfaces),
        labels=MappingProxyType(labels),
        meta=MappingProxyType(meta),
        digest=digest,
        spellings=spellings,
        spelling_heads=spelling_heads,
        code=code,
        local_calls=local_calls,
        wrappers=MappingProxyType(
            {n: _reach(catalog_reach.wrapper, n, e, surfaces) for n, e in sorted(merged["wrappers"].items())}
        ),
        prefixes=MappingProxyType(
            {t: _reach(catalog_reach.prefix, t, e, surfaces) for t, e in sorted(merged["prefixes"].items())}
        ),
        hosts=hosts,
        parameters=MappingProxyType(parameters),
    )
