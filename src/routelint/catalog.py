"""Load the model catalog (rules/*.toml) into frozen, validated objects.

Checks never hold model IDs, dates or labels: everything they know comes from here, and every
fact carries the source it was taken from (rules/README.md describes the schema).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from routelint import catalog_code, catalog_reach
from routelint.catalog_code import CodeFacts
from routelint.catalog_reach import Prefix, Wrapper

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

SHIPPED_FILES = ("sdk.toml", "surfaces.toml", "curated.toml", "wrappers.toml", "code.toml")
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
_SECTIONS = ("models", "surfaces", "labels", "wrappers", "prefixes", "parameters")
_OFF_ROUTE_KEYS = {"prefer", "reason", "source"}
_TOP_KEYS = {
    "meta", "models", "surfaces", "labels", "local-calls", "http", "wrappers", "prefixes", "parameters", "batch",
    *catalog_code.SCHEMA,
}
# Separators people type between the parts of an ID: "gpt 5.5", "gpt_image_2", "gpt5.5".
_SEPARATORS = re.compile(r"[\s_\-]+")


class CatalogError(Exception):
    """A catalog file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class OffRoute:
    prefer: str
    reason: str
    source: str


@dataclass(frozen=True)
class Model:
    id: str
    surfaces: Mapping[str, str] = field(default_factory=dict)  # surface -> source
    snapshot_of: str | None = None
    shutdown: dt.date | None = None
    shutdown_source: str | None = None
    status: str = "active"
    status_source: str | None = None
    replacements: tuple[str, ...] = ()
    replacements_source: str | None = None
    note: str | None = None
    off_route: Mapping[str, OffRoute] = field(default_factory=dict)
    # Closed surfaces where no source says whether this ID is accepted: RL301 does not judge it
    # there (surface -> why). Elsewhere a closed surface that does not list it rejects it.
    unknown_on: Mapping[str, str] = field(default_factory=dict)

    def is_shut_down(self, today: dt.date) -> bool:
        return self.shutdown is not None and self.shutdown <= today

    def days_left(self, today: dt.date) -> int | None:
        return None if self.shutdown is None else (self.shutdown - today).days

    def lifecycle(self, today: dt.date) -> str:
        """active, legacy, deprecated, shut-down or unsupported, as of `today`: only legacy and
        unsupported are stored, the rest follow from the shutdown date (rules/README.md). The one
        place a status is worked out: --list-models, --inventory and the rules agree."""
        if self.status == "unsupported":
            return "unsupported"
        if self.shutdown is not None:
            return "shut-down" if self.shutdown <= today else "deprecated"
        return self.status


@dataclass(frozen=True)
class Surface:
    id: str
    title: str
    calls: tuple[str, ...] = ()
    calls_source: str | None = None
    closed: bool = False
    closed_source: str | None = None
    shutdown: dt.date | None = None
    shutdown_source: str | None = None
    note: str | None = None
    start_with: tuple[str, ...] = ()
    start_with_why: str | None = None
    start_with_source: str | None = None
    dict_types: tuple[str, ...] = ()  # a dict whose "type" is one of these is a config of this surface
    dict_keys: tuple[str, ...] = ()  # a dict under one of these keys is a config of this surface
    config_keywords: tuple[str, ...] = ()  # keywords of this surface's calls that hold its config dict
    dicts_source: str | None = None
    paths: tuple[str, ...] = ()  # URL paths of raw HTTP / websocket requests ("/v1/chat/completions")
    paths_source: str | None = None
    status: str | None = None  # "retired": no longer available, with no date
    status_source: str | None = None

    @property
    def ends(self) -> bool:
        """Whether the surface has a shutdown date or is retired: every call into it is an RL203."""
        return self.shutdown is not None or self.status == "retired"

    def is_gone(self, today: dt.date) -> bool:
        return self.status == "retired" or (self.shutdown is not None and self.shutdown <= today)


@dataclass(frozen=True)
class Parameter:
    """A request parameter with an announced shutdown (RL204): `prompt=` of the Responses API."""

    id: str  # "<surface>.<name>"
    surface: str
    name: str
    shutdown: dt.date | None
    shutdown_source: str | None
    note: str | None = None


@dataclass(frozen=True)
class BatchCalls:
    """The Batch API calls whose `endpoint=` names the path every request line goes to."""

    calls: tuple[str, ...]
    endpoint_keyword: str
    source: str


@dataclass(frozen=True)
class Label:
    text: str
    target: str
    fix: str
    note: str
    source: str


@dataclass(frozen=True)
class Catalog:
    models: Mapping[str, Model]
    surfaces: Mapping[str, Surface]
    labels: Mapping[str, Label]  # casefolded label text -> Label
    meta: Mapping[str, str]
    digest: str  # content hash of every file loaded, for caches
    spellings: Mapping[str, str]  # spelling_key -> canonical ID (RL102)
    spelling_heads: Mapping[str, tuple[str, ...]]  # spelling_key -> how its spellings must start
    code: CodeFacts  # how code reaches the API: the SDK, Azure, HTTP libraries (rules/code.toml)
    local_calls: frozenset[str] = frozenset()  # calls whose model= never reaches the API
    extra_files: tuple[str, ...] = ()  # the extend-catalog files loaded on top of the shipped ones
    wrappers: Mapping[str, Wrapper] = field(default_factory=dict)  # "langchain_openai.ChatOpenAI" -> Wrapper
    prefixes: Mapping[str, Prefix] = field(default_factory=dict)  # "openai/" -> Prefix
    hosts: tuple[str, ...] = ()  # hosts of raw HTTP requests that reach the OpenAI API
    parameters: Mapping[str, Parameter] = field(default_factory=dict)  # "responses.prompt" -> Parameter
    batch: BatchCalls | None = None

    def label_for(self, text: str) -> Label | None:
        """A label match; never for a string that is exactly a catalog ID."""
        if text in self.models:
            return None
        return self.labels.get(text.casefold())

    def near_miss(self, text: str) -> str | None:
        """The catalog ID a misspelling means: same letters and digits in the same order, the
        first two words intact ("gpt5.5", "GPT_Image 2", "sora2"), else None."""
        key = spelling_key(text)
        target = self.spellings.get(key)
        if target is None:
            return None
        start = text.casefold().lstrip()  # "-o 1", "_gpt5": a flag or a name, not a model
        return target if any(re.match(head, start) for head in self.spelling_heads[key]) else None

    def snapshots_of(self, model_id: str) -> tuple[str, ...]:
        return tuple(sorted(m.id for m in self.models.values() if m.snapshot_of == model_id))


def spelling_key(text: str) -> str:
    """Fold case and separators so that near-miss spellings of one ID compare equal."""
    return _SEPARATORS.sub("", text.casefold())


SEPARATOR_PATTERN = r"[\s_\-]*"
_RUNS = re.compile(r"[a-z]+|[0-9.]+")


def spelling_parts(name: str) -> tuple[str, str]:
    """(first word, second word or ""): how every spelling must start, each word intact."""
    runs = _RUNS.findall(name.casefold())
    if not runs:
        return spelling_key(name)[:3], ""
    return runs[0], runs[1] if len(runs) > 1 else ""


def spelling_head(name: str) -> str:
    """A regex the start of every accepted spelling of `name` matches: its first two words,
    each intact ("gpt-image-2" -> gpt, separators, image). Keeping them intact is what lets
    the byte prefilter find every candidate without a parse."""
    first, second = spelling_parts(name)
    return re.escape(first) + (SEPARATOR_PATTERN + re.escape(second) if second else "")


def _spelling_index(
    models: Iterable[str], labels: Iterable[Label]
) -> tuple[Mapping[str, str], Mapping[str, tuple[str, ...]]]:
    """key -> canonical ID, and key -> heads; keys two different IDs share are dropped."""
    seen: dict[str, str | None] = {}
    heads: dict[str, set[str]] = {}
    pairs = [(m, m) for m in models] + [(label.text, label.target) for label in labels]
    for name, target in pairs:
        key = spelling_key(name)
        heads.setdefault(key, set()).add(spelling_head(name))
        if key in seen and seen[key] != target:
            seen[key] = None
        else:
            seen.setdefault(key, target)
    kept = {k: v for k, v in seen.items() if v is not None}
    return MappingProxyType(kept), MappingProxyType({k: tuple(sorted(heads[k])) for k in kept})


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
    return {k: str(v) for k, v in _table(_read_toml(path), "meta", path).items()}


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
            batch = _batch(data["batch"], path)
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
        version = sdk_version(_table(_read_toml(path), "meta", path))
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


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read catalog file: {exc.strerror}") from exc


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        table: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
        return table
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: invalid TOML: not UTF-8 ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: invalid TOML: {exc}") from exc
    except RecursionError:
        raise CatalogError(f"{path}: invalid TOML: nested too deeply") from None


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
    return _str_list(table["names"], f"{path}: local-calls")


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
    surfaces = {sid: _surface(sid, e) for sid, e in sorted(merged["surfaces"].items())}
    models = {mid: _model(mid, e, surfaces) for mid, e in sorted(merged["models"].items())}
    labels = {}
    for text, entry in sorted(merged["labels"].items()):
        label = _label(text, entry)
        if label.target not in models:
            raise CatalogError(f"{entry['__file__']}: labels.{text!r}: target {label.target!r} is not in the catalog")
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
    parameters = {pid: _parameter(pid, e, surfaces) for pid, e in sorted(merged["parameters"].items())}
    spellings, spelling_heads = _spelling_index(models, labels.values())
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


def _check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed - {"__file__"}
    if unknown:
        raise CatalogError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")


def _needs_source(entry: dict[str, Any], key: str, where: str) -> str | None:
    if key not in entry:
        return None
    source = entry.get(f"{key}-source")
    if not isinstance(source, str) or not source.strip():
        raise CatalogError(f"{where}: {key} has no {key}-source (every fact needs its source)")
    return source


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CatalogError(f"{where}: malformed date {value!r} (want YYYY-MM-DD)") from None


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _model(mid: str, entry: dict[str, Any], surfaces: Mapping[str, Surface]) -> Model:
    where = f"{entry['__file__']}: models.{mid!r}"
    _check_keys(entry, _MODEL_KEYS, where)
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
    _needs_source(entry, "status", where)
    _needs_source(entry, "replacements", where)
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
        _check_keys(spec, _OFF_ROUTE_KEYS, f"{where} off-route.{sid}")
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
        shutdown=_date(entry.get("shutdown"), where),
        shutdown_source=_needs_source(entry, "shutdown", where),
        status=status,
        status_source=entry.get("status-source"),
        replacements=_str_list(entry.get("replacements", []), where),
        replacements_source=entry.get("replacements-source"),
        note=entry.get("note"),
        off_route=MappingProxyType(off_route),
        unknown_on=MappingProxyType(dict(unknown)),
    )


def _surface(sid: str, entry: dict[str, Any]) -> Surface:
    where = f"{entry['__file__']}: surfaces.{sid!r}"
    _check_keys(entry, _SURFACE_KEYS, where)
    if "title" not in entry:
        raise CatalogError(f"{where}: a surface needs a title (surfaces.toml)")
    for key in ("calls", "closed", "start-with", "paths"):
        _needs_source(entry, key, where)
    for url_path in _str_list(entry.get("paths", []), where):
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
        calls=_str_list(entry.get("calls", []), where),
        calls_source=entry.get("calls-source"),
        closed=entry.get("closed", False),
        closed_source=entry.get("closed-source"),
        shutdown=_date(entry.get("shutdown"), where),
        shutdown_source=_needs_source(entry, "shutdown", where),
        note=entry.get("note"),
        start_with=_str_list(entry.get("start-with", []), where),
        start_with_why=entry.get("start-with-why"),
        start_with_source=entry.get("start-with-source"),
        dict_types=_str_list(entry.get("dict-types", []), where),
        dict_keys=_str_list(entry.get("dict-keys", []), where),
        config_keywords=_str_list(entry.get("config-keywords", []), where),
        dicts_source=entry.get("dicts-source"),
        paths=_str_list(entry.get("paths", []), where),
        paths_source=entry.get("paths-source"),
        status=entry.get("status"),
        status_source=_needs_source(entry, "status", where),
    )


def _parameter(pid: str, entry: dict[str, Any], surfaces: Mapping[str, Surface]) -> Parameter:
    where = f"{entry['__file__']}: parameters.{pid!r}"
    _check_keys(entry, _PARAMETER_KEYS, where)
    surface, name = entry.get("surface"), entry.get("name")
    if not isinstance(surface, str) or surface not in surfaces or not isinstance(name, str) or pid != f"{surface}.{name}":
        raise CatalogError(f"{where}: needs a known surface and a name, and its ID must be <surface>.<name>")
    if "shutdown" not in entry:
        raise CatalogError(f"{where}: a deprecated parameter needs its shutdown date")
    return Parameter(
        id=pid,
        surface=surface,
        name=name,
        shutdown=_date(entry.get("shutdown"), where),
        shutdown_source=_needs_source(entry, "shutdown", where),
        note=entry.get("note"),
    )


def _batch(table: Any, path: Path) -> BatchCalls:
    if not isinstance(table, dict) or set(table) != _BATCH_KEYS or not isinstance(table["endpoint-keyword"], str) or not isinstance(table["source"], str):
        raise CatalogError(f"{path}: [batch] needs exactly calls = [...], endpoint-keyword = \"...\" and source = \"...\"")
    return BatchCalls(_str_list(table["calls"], f"{path}: batch"), table["endpoint-keyword"], table["source"])


def _label(text: str, entry: dict[str, Any]) -> Label:
    where = f"{entry['__file__']}: labels.{text!r}"
    _check_keys(entry, _LABEL_KEYS, where)
    missing = [k for k in sorted(_LABEL_KEYS) if not isinstance(entry.get(k), str)]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    if entry["fix"] not in FIX_KINDS:
        raise CatalogError(f"{where}: fix must be one of {', '.join(FIX_KINDS)}")
    return Label(text, entry["target"], entry["fix"], entry["note"], entry["source"])
