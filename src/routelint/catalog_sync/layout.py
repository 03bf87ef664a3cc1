"""The generator's own data: which SDK files feed which surface (``rules/sdk-layout.toml``),
and the deprecation notices that are deliberately not facts (``rules/sdk-notices.toml``)."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from re import Pattern
from typing import Any

from routelint.tomlfile import TomlError, read_toml

LAYOUT_FILE, NOTICES_FILE = "sdk-layout.toml", "sdk-notices.toml"
_SURFACE_KEYS = {"fields", "classes", "resources", "why"}


class LayoutError(ValueError):
    """A layout or notices file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Exclusion:
    match: Pattern[str]
    files: tuple[str, ...]
    why: str

    def covers(self, rel: str, text: str) -> bool:
        return bool(self.match.search(text)) and (not self.files or any(fnmatch.fnmatchcase(rel, g) for g in self.files))


@dataclass(frozen=True)
class Layout:
    fields: Mapping[str, tuple[str, ...]]  # surface -> "<path under types/>:<class>" of its `model` fields
    classes: Mapping[str, tuple[str, ...]]  # surface -> more classes of its requests (no `model` field)
    resources: Mapping[str, tuple[str, ...]]  # surface -> "resources/<file>[:<method>]" or "resources/<folder>/"
    excluded_fields: Mapping[str, str]  # `model` fields that list no model IDs -> why
    batch_fields: tuple[str, ...]  # "<path>:<class or method>.<field>" whose deprecated values are API paths
    exclusions: tuple[Exclusion, ...]
    surface_paths: Mapping[str, tuple[str, ...]]  # surface -> API paths, from surfaces.toml

    def surface_of_class(self, rel: str, qual: str) -> str | None:
        """The surface a class of types/ feeds ("types/image_create_variation_params.py", "ImageCreateVariationParams")."""
        key = f"{rel[len('types/'):]}:{qual}"
        return next((s for s, keys in self.fields.items() if key in keys), None) or next(
            (s for s, keys in self.classes.items() if key in keys), None)

    def surface_of_resource(self, rel: str, method: str) -> str | None:
        """The surface a method of resources/ reaches: the most specific entry (file:method, file, folder)."""
        best: tuple[float, str] | None = None
        for surface, entries in self.resources.items():
            for entry in entries:
                if entry == f"{rel}:{method}":
                    rank = 3.0
                elif entry == rel:
                    rank = 2.0
                elif entry.endswith("/") and rel.startswith(entry):
                    rank = 1 + len(entry) / 10_000  # the deeper folder wins
                else:
                    continue
                if best is None or rank > best[0]:
                    best = (rank, surface)
        return best[1] if best else None

    def surface_of(self, rel: str, owner: str) -> str | None:
        """The surface of the class (types/) or method (resources/) that ``owner`` names."""
        if rel.startswith("types/"):
            return self.surface_of_class(rel, owner)
        if rel.startswith("resources/"):
            return self.surface_of_resource(rel, owner.rsplit(".", 1)[-1])
        return None

    def class_order(self, surface: str) -> tuple[str, ...]:
        return self.fields.get(surface, ()) + self.classes.get(surface, ())

    def exclusion_for(self, rel: str, text: str) -> Exclusion | None:
        return next((e for e in self.exclusions if e.covers(rel, text)), None)

    def surface_with_path(self, path: str) -> str | None:
        """The surface whose `paths` hold ``path`` or a path above it ("/v1/videos/{id}" is videos')."""
        found = [(len(p), s) for s, paths in self.surface_paths.items() for p in paths
                 if path == p or path.startswith(p.rstrip("/") + "/")]
        return max(found)[1] if found else None


def _read(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except TomlError as exc:
        raise LayoutError(str(exc)) from exc


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LayoutError(f"{where}: must be a list of strings")
    return tuple(value)


def load_layout(rules: Path) -> Layout:
    """Read sdk-layout.toml, sdk-notices.toml and the surfaces' paths from surfaces.toml in ``rules``."""
    data, notices = _read(rules / LAYOUT_FILE), _read(rules / NOTICES_FILE)
    unknown = set(data) - {"surfaces", "excluded-fields", "batch"}
    if unknown:
        raise LayoutError(f"{rules / LAYOUT_FILE}: unknown key(s) {sorted(unknown)}")
    fields, classes, resources = {}, {}, {}
    for surface, table in data.get("surfaces", {}).items():
        where = f"{rules / LAYOUT_FILE}: surfaces.{surface!r}"
        if not isinstance(table, dict) or set(table) - _SURFACE_KEYS:
            raise LayoutError(f"{where}: only {sorted(_SURFACE_KEYS)} are allowed")
        fields[surface] = _strings(table.get("fields", []), f"{where}.fields")
        classes[surface] = _strings(table.get("classes", []), f"{where}.classes")
        resources[surface] = _strings(table.get("resources", []), f"{where}.resources")
    excluded = data.get("excluded-fields", {})
    if not all(isinstance(v, str) and v for v in excluded.values()):
        raise LayoutError(f"{rules / LAYOUT_FILE}: excluded-fields: each needs its reason")
    batch = data.get("batch", {})
    exclusions = []
    for index, entry in enumerate(notices.get("notice", [])):
        where = f"{rules / NOTICES_FILE}: notice #{index + 1}"
        if not isinstance(entry, dict) or set(entry) - {"match", "files", "why"} or not entry.get("why") \
                or not isinstance(entry.get("match"), str):
            raise LayoutError(f"{where}: needs match = \"<regex>\" and why = \"...\" (files = [...] optional)")
        files = entry.get("files", [])
        try:
            pattern = re.compile(entry["match"])
        except re.error as exc:
            raise LayoutError(f"{where}: match: {exc}") from exc
        exclusions.append(Exclusion(pattern, _strings([files] if isinstance(files, str) else files, where), entry["why"]))
    surfaces_toml = _read(rules / "surfaces.toml").get("surfaces", {})
    return Layout(
        fields=fields, classes=classes, resources=resources, excluded_fields=dict(excluded),
        batch_fields=_strings(batch.get("fields", []), f"{rules / LAYOUT_FILE}: batch.fields"),
        exclusions=tuple(exclusions),
        surface_paths={s: tuple(t.get("paths", [])) for s, t in surfaces_toml.items() if isinstance(t, dict)},
    )
