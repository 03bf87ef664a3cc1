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
from typing import Any, Callable

from routelint.catalog_data import Catalog, spelling_key
from routelint.config import Settings
from routelint.configs import Configs
from routelint.crossfile import beyond, context_files
from routelint.discovery import Selection, discover
from routelint.engine import MAX_SOURCE_BYTES, Linter
from routelint.facts import Incoming
from routelint.files import SourceFile, UnreadableFile, read_source
from routelint.formats import portable
from routelint.judge import best_use_per_node, module_elsewhere, shared_uses
from routelint.lines import line_column, line_starts
from routelint.listing import days_phrase
from routelint.model import Finding
from routelint.notebooks import CellIndex
from routelint.onefile import display_paths
from routelint.patterns import Pattern
from routelint.positions import source_spans
from routelint.project import ProjectTable, gated_table
from routelint.project_pass import Step, given_files, project_pass
from routelint.runner import files_to_check
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


def inventory_paths(
    make_linter: Callable[[Settings], Linter], configs: Configs, paths: Sequence[Path], *, cwd: Path, force_exclude: bool = False,
) -> list[Entry]:
    """`--inventory` over `paths`: the files by the settings that govern them, each group a
    project of its own with the rest of its project (as runner.run_paths), the groups merged."""
    seen: set[str] = set()
    files, _warnings, _problems = files_to_check(paths, configs, force_exclude, seen)
    return merge_entries(
        run_inventory(make_linter(governing), group, cwd=cwd, settings=governing, context=context_files(paths, governing, cwd, seen, configs))
        for governing, group in configs.group(files)
    )


def run_inventory(
    linter: Linter, paths: Sequence[Path], *, exclude: Sequence[Pattern] = (), cwd: Path, force_exclude: bool = False,
    selection: Selection = Selection(), settings: Settings | None = None, context: Sequence[Path] = (),
) -> list[Entry]:
    """The inventory of the files under `paths`, a project (project_pass.py). `context`: the
    rest of their project (crossfile.context_files, with the `settings` that govern them): the
    files the ones given involve are read as the lint reads them (crossfile.beyond), and a model
    they hold is listed where a file given uses it."""
    shown = display_paths(cwd)
    files = {}
    for path, _named in discover(paths, exclude, force_exclude=force_exclude, selection=selection):
        files[posixpath.normpath(shown(path))] = path
    sources = {key: _read(path) for key, path in files.items()}
    texts = {key: source.text if source is not None else None for key, source in sources.items()}
    named = {key: text for key, text in texts.items() if text is not None and len(text) <= MAX_SOURCE_BYTES}
    found = beyond(linter, named, context, settings, shown) if context and settings is not None else None
    if found is None:
        table, near = gated_table(linter, ((shown(files[key]), text) for key, text in texts.items())), None
    else:
        near = found[0]
        table = near.table
        files.update((posixpath.normpath(task.shown), task.path) for task in found[1])
    given = given_files(files, near)

    def step(key: str, incoming: tuple[Incoming, ...]) -> Step[list[tuple[str, Place]]]:
        source = sources[key] if key in sources else _read(files[key])
        if source is None:
            return None, ()
        cells = source.notebook.index if source.notebook is not None else None
        return file_uses(linter, source.text, shown(files[key]), table, incoming, cells, None if key in given else given)

    passed = project_pass(list(files), table, step, outside=step, near=near)
    places: dict[str, list[Place]] = {}
    for seen in passed.results.values():
        for model, place in seen:
            places.setdefault(model, []).append(place)
    return [_entry(linter.catalog, linter.context.today, model, found_places) for model, found_places in sorted(places.items())]


def _read(path: Path) -> SourceFile | None:
    try:
        return read_source(path)
    except UnreadableFile:
        return None


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
    cells: CellIndex | None = None, given: frozenset[str] | None = None,
) -> tuple[list[tuple[str, Place]], tuple[tuple[str, Incoming], ...]]:
    """(catalog ID, place) for every model string of one file, and the file's exports. `given`:
    the file is past those given to the run, and only the uses made in them are its places."""
    from routelint.extract import extract  # LibCST: imported when a file is first parsed

    if file_is_skipped(source) or linter.gate(source, path, table, incoming) is None:
        return [], ()
    parsed = linter.parse(source, whole=True)  # an inventory reads every statement
    if isinstance(parsed, Finding):
        return [], ()
    chunks = parsed.chunks
    try:
        facts = extract(parsed.modules, linter.syntax_index(), incoming, source="" if cells is not None else source)  # (as the linter reads it)
    except RecursionError:
        return [], ()
    if module_elsewhere(facts):
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
        if given is not None and (use.origin is None or posixpath.normpath(use.origin) not in given):
            continue
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
