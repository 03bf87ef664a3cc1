"""What changed between two sdk.toml texts, sources and the date of generation aside."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from routelint.tomlfile import parse_toml

_KINDS = {"models": "model", "surfaces": "surface", "parameters": "parameter"}


def _changes(label: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    """What changed in one model, surface or parameter table, sources aside."""
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if key.endswith("-source") or a == b:
            continue
        if key == "surfaces":
            yield from (f"{label}: surface {s} added" for s in sorted(set(b or {}) - set(a or {})))
            yield from (f"{label}: surface {s} removed" for s in sorted(set(a or {}) - set(b or {})))
        else:
            yield f"{label}: new {key} {b}" if a is None else f"{label}: {key} {a} removed" if b is None \
                else f"{label}: {key} {a} -> {b}"


def diff_catalogs(old_text: str, new_text: str) -> list[str]:
    """Semantic changes between two sdk.toml texts, ignoring sources and ``generated-on``."""
    old, new = parse_toml("the old catalog", old_text), parse_toml("the new catalog", new_text)
    changes = []
    versions = (old.get("meta", {}).get("generated-from"), new.get("meta", {}).get("generated-from"))
    if versions[0] != versions[1]:
        changes.append(f"SDK: {versions[0]} -> {versions[1]}")
    for kind, name in _KINDS.items():
        before, after = old.get(kind, {}), new.get(kind, {})
        for key in sorted(set(before) | set(after)):
            label = f"{name} {key}"
            if key not in before:
                extra = (f" ({', '.join(sorted(after[key].get('surfaces', {})))})" if kind == "models"
                         else "".join(f", {k} {after[key][k]}" for k in ("shutdown", "status") if k in after[key]))
                changes.append(f"new {label}{extra}")
            elif key not in after:
                changes.append(f"removed {label}")
            else:
                changes.extend(_changes(label, before[key], after[key]))
    return changes
