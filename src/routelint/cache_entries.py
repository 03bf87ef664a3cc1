"""What a cache file holds, read back field by field: nothing in it is trusted (another program
may have written it), so an entry whose every field does not have the shape cache.py writes is
None, and the file is linted again."""
from __future__ import annotations

import re
from dataclasses import astuple
from typing import Any, Callable, TypeVar

from routelint.facts import Incoming, Target
from routelint.model import Edit, Finding, Fix
from routelint.project import Constant, FileFacts

Stamp = tuple[int, int, int]  # (mtime_ns, ctime_ns, inode) of a file, taken before it was read

_DIGEST = re.compile(r"[0-9a-f]{64}")
_MAX_INT = 2**63  # sizes, stamps and positions as the filesystem and the engine give them




def entry(raw: object) -> tuple[int, Stamp, str, tuple[Finding, ...] | None, tuple[Constant, ...]] | None:
    """A stored entry, checked field by field; None unless every field has the shape `store`
    writes. Nothing in a cache file is trusted: another program may have written it."""
    if not isinstance(raw, list) or len(raw) != 7:
        return None
    size, mtime_ns, ctime_ns, inode, digest, findings, constants = raw
    if not (_whole(size) and _whole(mtime_ns, low=-_MAX_INT) and _whole(ctime_ns, low=-_MAX_INT) and _whole(inode)):
        return None
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        return None
    parsed, kept = each(findings, finding), each(constants, _constant)
    if (parsed is None and findings is not None) or kept is None:
        return None
    return size, (mtime_ns, ctime_ns, inode), digest, parsed, kept


_Item = TypeVar("_Item")


def each(raw: object, parse: Callable[[object], _Item | None]) -> tuple[_Item, ...] | None:
    """Every item of a stored list, each checked by `parse`; None when `raw` is not a list or
    any item is not what it should be (an entry is trusted whole or not at all)."""
    if not isinstance(raw, list):
        return None
    items = [parse(item) for item in raw]
    if any(item is None for item in items):
        return None
    return tuple(item for item in items if item is not None)


def _whole(value: object, *, low: int = 0) -> bool:
    return type(value) is int and low <= value < _MAX_INT


def _position(value: object) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2 and all(_whole(n) for n in value):
        return value[0], value[1]
    return None


def _strings(data: dict[str, object], keys: tuple[str, ...]) -> bool:
    return all(isinstance(data.get(k), str) for k in keys)


_FINDING_KEYS = frozenset(("code", "name", "severity", "message", "path", "start", "end", "fix", "source", "note", "used_in"))


def finding(data: object) -> Finding | None:
    if not isinstance(data, dict) or set(data) != _FINDING_KEYS or not _strings(data, ("code", "name", "severity", "message", "path")):
        return None
    start, end = _position(data["start"]), _position(data["end"])
    if start is None or end is None:
        return None
    fix = data["fix"]
    if fix is not None:
        fix = _fix(fix)
        if fix is None:
            return None
    if any(data[key] is not None and not isinstance(data[key], str) for key in ("source", "note", "used_in")):
        return None
    return Finding(
        data["code"], data["name"], data["severity"], data["message"], data["path"], start, end, fix, data["source"], data["note"],
        data["used_in"],
    )


def _fix(data: object) -> Fix | None:
    if not isinstance(data, dict) or set(data) != {"applicability", "message", "edits"}:
        return None
    if data["applicability"] not in ("safe", "unsafe") or not isinstance(data["message"], str) or not isinstance(data["edits"], list):
        return None
    edits = []
    for edit in data["edits"]:
        if not isinstance(edit, dict) or set(edit) != {"content", "start", "end", "offsets"} or not isinstance(edit["content"], str):
            return None
        start, end, offsets = _position(edit["start"]), _position(edit["end"]), _position(edit["offsets"])
        if start is None or end is None or offsets is None:
            return None
        edits.append(Edit(edit["content"], start, end, offsets))
    return Fix(data["applicability"], data["message"], tuple(edits))


def _constant(data: object) -> Constant | None:
    if not isinstance(data, list) or len(data) != 4:
        return None
    name, value, line, column = data
    if not isinstance(name, str) or not isinstance(value, str) or not _whole(line) or not _whole(column):
        return None
    return Constant(name, value, line, column)


def round_entry(raw: object) -> tuple[str, str, tuple[Finding, ...], tuple[tuple[str, Incoming], ...]] | None:
    if not isinstance(raw, list) or len(raw) != 4:
        return None
    digest, shape, findings, exports = raw
    if not (isinstance(digest, str) and _DIGEST.fullmatch(digest) and isinstance(shape, str) and _DIGEST.fullmatch(shape)):
        return None
    parsed, uses = each(findings, finding), each(exports, _export_in)
    if parsed is None or uses is None:
        return None
    return digest, shape, parsed, uses


def export_out(target: str, use: Incoming) -> list[Any]:
    t = use.target
    return [
        target, use.name, list(use.keys), t.surface, list(t.alternatives), t.call, t.call_site, t.wrapper, t.elsewhere,
        t.origin, sorted(t.silenced),
    ]


def _optional(value: object) -> bool:
    return value is None or isinstance(value, str)


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(type(v) is str for v in value)


def _export_in(raw: object) -> tuple[str, Incoming] | None:

    if not isinstance(raw, list) or len(raw) != 11:
        return None
    target, name, keys, surface, alternatives, call, call_site, wrapper, elsewhere, origin, silenced = raw
    if not (isinstance(target, str) and isinstance(name, str) and _texts(keys) and _texts(alternatives) and _texts(silenced)):
        return None
    if not (_optional(surface) and _optional(call) and _optional(call_site) and _optional(origin)):
        return None
    if not (isinstance(wrapper, bool) and isinstance(elsewhere, bool)):
        return None
    remote = Target(
        surface, tuple(alternatives), call, None, call_site, wrapper, elsewhere, None, origin, frozenset(silenced)
    )
    return target, Incoming(name, remote, tuple(keys))


def facts_out(facts: FileFacts) -> list[Any]:
    """The fields of a project index entry after its size, stamp and digest (cache.store_facts)."""
    from_imports, imports = facts.imports
    return [
        [list(astuple(c)) for c in facts.constants],
        [[module, level, sorted(names)] for module, level, names in from_imports],
        list(imports), sorted(facts.words), sorted(facts.attributes),
    ]


def facts_entry(raw: object) -> tuple[int, Stamp, str, FileFacts] | None:
    """A project index entry, checked field by field as `entry` is."""
    if not isinstance(raw, list) or len(raw) != 10:
        return None
    size, mtime_ns, ctime_ns, inode, digest, constants, from_imports, imports, words, attributes = raw
    if not (_whole(size) and _whole(mtime_ns, low=-_MAX_INT) and _whole(ctime_ns, low=-_MAX_INT) and _whole(inode)):
        return None
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        return None
    kept, statements = each(constants, _constant), each(from_imports, _from_import)
    if kept is None or statements is None or not (_texts(imports) and _texts(words) and _texts(attributes)):
        return None
    facts = FileFacts(kept, (statements, tuple(imports)), frozenset(words), frozenset(attributes))
    return size, (mtime_ns, ctime_ns, inode), digest, facts


def _from_import(data: object) -> tuple[str, int, frozenset[str]] | None:
    if not isinstance(data, list) or len(data) != 3:
        return None
    module, level, names = data
    if not isinstance(module, str) or not _whole(level) or not _texts(names):
        return None
    return module, level, frozenset(names)
