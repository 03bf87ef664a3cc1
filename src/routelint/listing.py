"""The commands that answer questions instead of linting: --list-rules, --list-models, --show-settings.

They read the catalog, the config and the rule modules, never Python sources, so nothing here
may import LibCST (a test runs them in a subprocess and looks at sys.modules).
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routelint.catalog_data import Catalog, Model
from routelint.config import Settings, decide_rules
from routelint.docs import RuleDoc
from routelint.rule import Advice, map_advice

# Lifecycle as of --today. Only "legacy" and "unsupported" are stored; the rest follow from the
# shutdown date (rules/README.md).
STATUSES = ("active", "legacy", "deprecated", "shut-down", "unsupported")


def model_status(model: Model, today: dt.date) -> str:
    return model.lifecycle(today)


# --- --list-rules -----------------------------------------------------------------------------


def list_rules(rules: Sequence[RuleDoc], output_format: str) -> str:
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity,
            "fixable": rule.fixable,
            "fix": rule.fix,
            "summary": rule.summary,
            "url": rule.url,
        }
        for rule in rules
    ]
    if output_format == "json":
        return _json(rows)
    table = [["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"]]
    table += [[rule.code, rule.name, rule.severity, rule.fix, rule.summary] for rule in rules]
    return _table(table)


# --- --list-models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRow:
    """One catalog ID as the model map shows it, as of a date."""

    id: str
    snapshot_of: str | None
    snapshots: tuple[str, ...]
    labels: tuple[str, ...]
    surfaces: tuple[str, ...]
    status: str
    shutdown: dt.date | None
    days_left: int | None  # negative once the date has passed
    replacements: tuple[str, ...]
    start_with: tuple[str, ...]  # surfaces whose map answer is this model
    advice: Advice | None  # what the map suggests instead, for a model that is going away and names no replacement
    note: str | None
    sources: Mapping[str, str]  # fact -> source

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "snapshot_of": self.snapshot_of,
            "snapshots": list(self.snapshots),
            "labels": list(self.labels),
            "surfaces": list(self.surfaces),
            "status": self.status,
            "shutdown": self.shutdown.isoformat() if self.shutdown else None,
            "days_left": self.days_left,
            "replacement": self.replacements[0] if len(self.replacements) == 1 else None,
            "replacements": list(self.replacements),
            "start_with": list(self.start_with),
            "advice": None if self.advice is None else {
                "model": self.advice.model, "surface": self.advice.surface_title, "source": self.advice.source,
            },
            "note": self.note,
            "sources": dict(self.sources),
        }


def model_rows(catalog: Catalog, today: dt.date, *, surface: str | None = None, statuses: Sequence[str] = ()) -> list[ModelRow]:
    """Every catalog ID (snapshots too: they are IDs people write), sorted, filtered."""
    labels: dict[str, list[str]] = {}
    for label in catalog.labels.values():
        labels.setdefault(label.target, []).append(label.text)
    starts: dict[str, list[str]] = {}
    for surf in catalog.surfaces.values():
        for model_id in surf.start_with:
            starts.setdefault(model_id, []).append(surf.id)
    rows = []
    for model in sorted(catalog.models.values(), key=lambda m: m.id):
        if surface is not None and surface not in model.surfaces:
            continue
        status = model_status(model, today)
        if statuses and status not in statuses:
            continue
        rows.append(
            ModelRow(
                id=model.id,
                snapshot_of=model.snapshot_of,
                snapshots=catalog.snapshots_of(model.id),
                labels=tuple(sorted(labels.get(model.id, []), key=str.casefold)),
                surfaces=tuple(sorted(model.surfaces)),
                status=status,
                shutdown=model.shutdown,
                days_left=model.days_left(today),
                replacements=model.replacements,
                start_with=tuple(sorted(starts.get(model.id, []))),
                advice=None if model.replacements or model.shutdown is None else map_advice(catalog, model, today, name_the_api=True),
                note=model.note,
                sources=_sources(model, catalog),
            )
        )
    return rows


def _sources(model: Model, catalog: Catalog) -> dict[str, str]:
    facts: dict[str, str] = {}
    for key, source in (
        ("shutdown", model.shutdown_source),
        ("status", model.status_source),
        ("replacements", model.replacements_source),
    ):
        if source:
            facts[key] = source
    for surface_id, source in sorted(model.surfaces.items()):
        facts[f"surface:{surface_id}"] = source
    for surface_id, advice in sorted(model.off_route.items()):
        facts[f"off-route:{surface_id}"] = advice.source
    for label in sorted(catalog.labels.values(), key=lambda item: item.text.casefold()):
        if label.target == model.id:
            facts[f"label:{label.text}"] = label.source
    return facts


def list_models(
    catalog: Catalog, today: dt.date, output_format: str, *, surface: str | None = None, statuses: Sequence[str] = ()
) -> str:
    rows = model_rows(catalog, today, surface=surface, statuses=statuses)
    if output_format == "json":
        return _json([row.as_json() for row in rows])
    out = []
    if surface is not None:
        out.append(start_with(catalog, surface, today))
    if output_format != "full":  # fits 100 columns; `full` is the wide table with every column
        narrow = [["ID", "STATUS", "SHUTDOWN", "WHEN", "INSTEAD"]]
        for row in rows:
            if row.replacements:
                more = len(row.replacements) - 1
                instead = row.replacements[0] + (f" +{more}" if more else "")
            else:
                instead = f"{row.advice.model}*" if row.advice else "-"
            when = days_phrase(row.days_left) or "-"
            narrow.append([row.id, row.status, row.shutdown.isoformat() if row.shutdown else "-", when, instead])
        lines = _table(narrow).rstrip("\n").split("\n")
        out.append("\n".join(line if len(line) <= 100 else line[:99] + "…" for line in lines))
        what = f"{len(rows)} model ID{'s' if len(rows) != 1 else ''}"
        out.append(
            f"{what} as of {today.isoformat()}. INSTEAD: the named replacement (+N more), or the model\n"
            "map's advice (*). --output-format full adds every replacement, labels, surfaces and sources;\n"
            "json gives every fact's source."
        )
        return "\n\n".join(out) + "\n"
    table = [["ID", "STATUS", "SHUTDOWN", "WHEN", "REPLACEMENT", "MAP ADVICE", "LABELS", "SURFACES", "SOURCE"]]
    for row in rows:
        table.append(
            [
                row.id,
                row.status,
                row.shutdown.isoformat() if row.shutdown else "-",
                days_phrase(row.days_left) or "-",
                ", ".join(row.replacements) or "-",
                row.advice.model if row.advice else "-",
                ", ".join(row.labels) or "-",
                ", ".join(row.surfaces) or "-",
                row.sources.get("shutdown") or row.sources.get("status") or "-",
            ]
        )
    out.append(_table(table).rstrip("\n"))
    what = f"{len(rows)} model ID{'s' if len(rows) != 1 else ''}"
    out.append(f"{what} as of {today.isoformat()}; --output-format json gives every fact's source.")
    return "\n\n".join(out) + "\n"


def days_phrase(days: int | None) -> str:
    """`16 days left`, `today`, `281 days ago`: as --list-models and --inventory both say it."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''} left" if days > 0 else f"{-days} day{'s' if days != -1 else ''} ago"


def start_with(catalog: Catalog, surface_id: str, today: dt.date) -> str:
    """The map's answer to "which model should I start with for this job" on one surface."""
    surface = catalog.surfaces[surface_id]
    if surface.start_with:
        lines = [f"Start with {' or '.join(surface.start_with)} on the {surface.title} ({surface.id})."]
    else:
        lines = [f"The model map names no model to start with on the {surface.title} ({surface.id})."]
    if surface.shutdown is not None:
        verb = "shut down" if surface.shutdown <= today else "shuts down"
        lines.append(f"The {surface.title} {verb} on {surface.shutdown.isoformat()}.")
    if surface.start_with_why:
        lines.append(surface.start_with_why)
    if surface.start_with_source:
        lines.append(f"Source: {surface.start_with_source}")
    return "\n".join(lines)


# --- --show-settings --------------------------------------------------------------------------


def today_source(option: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """Where resolve_today took the date from, in its order."""
    if option:
        return "--today"
    return "ROUTELINT_TODAY" if environ.get("ROUTELINT_TODAY") else "today in UTC"


def show_settings(
    settings: Settings, path: Path, rules: Sequence[RuleDoc], *, today: dt.date, today_from: str, output_format: str
) -> str:
    decisions = decide_rules(settings, [rule.code for rule in rules], path)
    names = {rule.code: rule.name for rule in rules}
    values = {
        "select": list(settings.select),
        "ignore": list(settings.ignore),
        "extend-select": list(settings.extend_select),
        "exclude": list(settings.exclude),
        "extend-exclude": list(settings.extend_exclude),
        "per-file-ignores": {k: list(v) for k, v in settings.per_file_ignores.items()},
        "extend-catalog": [str(p) for p in settings.extend_catalog],
        "model-names": list(settings.model_names),
        "deprecation-horizon-days": settings.deprecation_horizon_days,
        "test-code": settings.test_code,
    }
    config_file = str(settings.config_file) if settings.config_file else None
    if output_format == "json":
        return _json(
            {
                "path": path.as_posix(),
                "config_file": config_file,
                "root": str(settings.root),
                "today": today.isoformat(),
                "today_from": today_from,
                "settings": values,
                "rules": [
                    {"code": d.code, "name": names[d.code], "enabled": d.enabled, "why": d.why} for d in decisions
                ],
            }
        )
    out = [
        f"Settings for {path.as_posix()}",
        f"  config file: {config_file or 'none found (defaults)'}",
        f"  patterns relative to: {settings.root}",
        f"  today: {today.isoformat()} ({today_from})",
    ]
    out += [f"  {key} = {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    out += ["", "Rules:"]
    table = [[d.code, names[d.code], "on" if d.enabled else "off", d.why] for d in decisions]
    out += ["  " + line for line in _table(table).splitlines()]
    return "\n".join(out) + "\n"


# --- helpers ----------------------------------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _table(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns, two spaces apart; the last column is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
