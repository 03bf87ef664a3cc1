"""`routelint --inventory`: every catalog model the code uses, grouped by model, with where, which
surface, its lifecycle and the replacement: the "which models do we depend on and when do they
die" report, from the same facts the rules judge (names, wrappers and other files included).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from routelint.catalog import Catalog, spelling_key
from routelint.engine import Linter, best_use_per_node, shared_uses
from routelint.facts import Incoming
from routelint.files import Pattern, Selection, UnreadableFile, discover, read_source
from routelint.formats import portable
from routelint.lines import line_column, line_starts
from routelint.listing import days_phrase
from routelint.model import Finding
from routelint.notebooks import CellIndex
from routelint.positions import source_spans
from routelint.project import ProjectTable, build_table
from routelint.project_pass import schedule
from routelint.suppress import file_is_skipped


@dataclass(frozen=True)
class Place:
    path: str
    line: int
    column: int
    written: str  # the string as written (without a provider prefix)
    context: str
    surfaces: tuple[str, ...]
    call: str | None
    cell: int | None = None  # in a notebook: the cell (as ruff numbers them), and `line` is the cell's


@dataclass(frozen=True)
class Entry:
    model: str  # catalog ID (a label or misspelling is filed under the ID it stands for)
    status: str  # active, legacy, deprecated, shut-down, unsupported (Model.lifecycle)
    shutdown: dt.date | None
    days_left: int | None
    replacements: tuple[str, ...]
    places: tuple[Place, ...]


def run_inventory(
    linter: Linter, paths: Sequence[Path], *, exclude: Sequence[Pattern], cwd: Path, force_exclude: bool = False,
    selection: Selection = Selection(),
) -> list[Entry]:
    from routelint.onefile import display_path

    files = {}
    for path, _named in discover(paths, exclude, force_exclude=force_exclude, selection=selection):
        shown = display_path(path, cwd)
        files[posixpath.normpath(shown)] = (path, shown)
    texts: dict[str, str | None] = {}
    cells: dict[str, CellIndex] = {}
    for key, (path, _shown) in files.items():
        try:
            source = read_source(path)
        except UnreadableFile:
            texts[key] = None
            continue
        texts[key] = source.text
        if source.notebook is not None:
            cells[key] = source.notebook.index
    table = build_table(
        ((files[k][1], t if t is not None and linter.prefilter.matches(t.encode("utf-8", "surrogatepass")) else None) for k, t in texts.items()),
        linter.reportable,
    )
    places: dict[str, list[Place]] = {}
    found: dict[str, list[tuple[str, Place]]] = {}

    def process(key: str, incoming: tuple[Incoming, ...]) -> Sequence[tuple[str, Incoming]]:
        text = texts.get(key)
        if text is None:
            return ()
        seen, exports = file_uses(linter, text, files[key][1], table, incoming, cells.get(key))
        found[key] = seen
        return exports

    schedule(list(files), set(table.constants), process)
    for key in files:
        for model, place in found.get(key, ()):
            places.setdefault(model, []).append(place)
    return [_entry(linter.catalog, linter.context.today, model, found_places) for model, found_places in sorted(places.items())]


def merge_entries(groups: Iterable[Sequence[Entry]]) -> list[Entry]:
    """The inventories of the groups of a run (files governed by different configs) as one: the
    places of a model are merged where the groups say the same of it (their catalogs may not)."""
    merged: dict[Entry, list[Place]] = {}
    for entries in groups:
        for e in entries:
            merged.setdefault(replace(e, places=()), []).extend(e.places)
    return [
        replace(e, places=tuple(sorted(set(places), key=lambda p: (p.path, p.cell or 0, p.line, p.column))))
        for e, places in sorted(merged.items(), key=lambda item: (item[0].model, repr(item[0])))
    ]


def file_uses(
    linter: Linter, source: str, path: str, table: ProjectTable | None, incoming: Sequence[Incoming] = (),
    cells: CellIndex | None = None,
) -> tuple[list[tuple[str, Place]], tuple[tuple[str, Incoming], ...]]:
    """(catalog ID, place) for every model string of one file, and the file's exports."""
    from routelint.engine import azure_module
    from routelint.extract import extract

    if file_is_skipped(source) or linter.gate(source, path, table, incoming) is None:
        return [], ()
    parsed = linter.parse(source, whole=True)  # an inventory reads every statement
    if isinstance(parsed, Finding):
        return [], ()
    chunks = parsed.chunks
    try:
        facts = extract(parsed.modules, linter.syntax_index(), incoming)
    except RecursionError:
        return [], ()
    if azure_module(facts):
        return [], ()
    identified = [(u, _catalog_id(linter.catalog, u.value)) for u in best_use_per_node(facts.uses)]
    uses = [(u, model) for u, model in identified if model is not None]
    if not uses and not facts.exports:
        return [], ()
    nodes = [u.node for u, _ in uses] + [e.target.call_node for e in facts.exports if e.target.call_node is not None]
    nodes += [e.node for e in facts.exports if e.node is not None]
    starts = line_starts(source)
    where = source_spans(chunks, nodes, source, starts)
    exports = shared_uses(facts.exports, where, source, starts, path, table, cells) if table is not None else ()
    seen: list[tuple[str, Place]] = []
    for use, model in uses:
        line, column = line_column(starts, where[id(use.node)].start + (use.span[0] if use.span else 0))
        call = use.call + (f" at {use.call_site}" if use.call_site else "") if use.call else None
        cell = None
        if cells is not None:
            cell, line, column = cells.cell_place((line, column))
        place = Place(path, line, column, use.value, use.context, use.surfaces, call, cell)
        seen.append((model, place))
    return seen, exports


def _catalog_id(catalog: Catalog, value: str) -> str | None:
    value = value.strip()
    if value in catalog.models:
        return value
    label = catalog.label_for(value)
    if label is not None:
        return label.target
    return catalog.spellings.get(spelling_key(value)) if value.isascii() else None


def _entry(catalog: Catalog, today: dt.date, model_id: str, places: list[Place]) -> Entry:
    model = catalog.models[model_id]
    days = model.days_left(today)
    status = model.lifecycle(today)
    ordered = tuple(sorted(set(places), key=lambda p: (p.path, p.cell or 0, p.line, p.column)))
    return Entry(model_id, status, model.shutdown, days, model.replacements, ordered)


def render_inventory(entries: Sequence[Entry], output_format: str) -> str:
    if output_format == "json":
        return json.dumps(portable([_as_json(e) for e in entries]), indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        header = ["model", "status", "shutdown", "days_left", "replacements", "path", "line", "column", "written", "context", "surfaces", "call", "cell"]
        writer.writerow(header)
        for e in entries:
            for p in e.places:
                writer.writerow(portable([  # type: ignore[arg-type]  # portable keeps a list a list
                    e.model, e.status, e.shutdown or "", "" if e.days_left is None else e.days_left, " ".join(e.replacements),
                    p.path, p.line, p.column, p.written, p.context, " ".join(p.surfaces), p.call or "", p.cell or "",
                ]))
        return out.getvalue()
    lines = []
    for e in entries:
        when = f", shutdown {e.shutdown} ({days_phrase(e.days_left)})" if e.shutdown else ""
        instead = f"; replacement: {', '.join(e.replacements)}" if e.replacements else ""
        lines.append(f"{e.model} [{e.status}{when}]{instead}: {len(e.places)} use{'s' if len(e.places) != 1 else ''}")
        for p in e.places:
            spelled = f' as "{p.written}"' if p.written != e.model else ""
            goes = f" -> {' or '.join(p.surfaces)}" if p.surfaces else ""
            via = f" via {p.call}" if p.call else ""
            at = f"cell {p.cell}:" if p.cell is not None else ""
            lines.append(f"  {p.path}:{at}{p.line}:{p.column}{spelled} ({p.context}){goes}{via}")
    models = len(entries)
    lines.append(f"{models} model{'s' if models != 1 else ''} in use.")
    return "\n".join(lines) + "\n"




def _as_json(entry: Entry) -> dict[str, Any]:
    return {
        "model": entry.model,
        "status": entry.status,
        "shutdown": entry.shutdown.isoformat() if entry.shutdown else None,
        "days_left": entry.days_left,
        "replacements": list(entry.replacements),
        "uses": [
            {
                "filename": p.path, "cell": p.cell, "location": {"row": p.line, "column": p.column}, "written": p.written,
                "context": p.context, "surfaces": list(p.surfaces), "call": p.call,
            }
            for p in entry.places
        ],
    }
