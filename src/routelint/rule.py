"""What a rule module provides, and what its check returns.

A rule is a module in `routelint.checks` with CODE, NAME, SEVERITY, FIX, SUMMARY, FACT (the fact
type it judges), a module docstring that is its documentation, and a pure `check(fact, ctx)`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from routelint.catalog import Catalog, Model

if TYPE_CHECKING:
    import libcst as cst

DOCS_URL = "https://github.com/routelint/routelint/blob/main/docs/rules.md"
SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Suggestion:
    """A rewrite of the model string: the new value and whether it keeps the route."""

    value: str
    applicability: str  # safe | unsafe
    message: str


@dataclass(frozen=True)
class Problem:
    """A check's verdict, before positions are known (most files never need them)."""

    code: str
    message: str
    node: cst.CSTNode
    severity: str
    suggestion: Suggestion | None = None
    call_node: cst.CSTNode | None = None  # a related call whose line the message names
    span: tuple[int, int] | None = None  # the model's characters in node's source text (set by the engine)
    call_site: str | None = None  # "path:line" of a related call in another file (set by the engine)


@dataclass(frozen=True)
class CheckContext:
    catalog: Catalog
    today: dt.date
    horizon_days: int

    def model(self, value: str) -> Model | None:
        return self.catalog.models.get(value)

    def surface_title(self, surface_id: str) -> str:
        surface = self.catalog.surfaces.get(surface_id)
        return surface.title if surface else surface_id


def rule_url(code: str, name: str) -> str:
    return f"{DOCS_URL}#{code.lower()}-{name}"


def call_phrase(call: str | None) -> str:
    """How messages name the call (or URL, or prefix) that gives a string its surface; the
    engine adds where the call is."""
    if not call:
        return ""
    return f"{call}(){{at}}" if all(part.isidentifier() for part in call.split(".")) else f"{call}{{at}}"


def source_phrase(source: str | None) -> str:
    return f" (source: {source})" if source else ""


def rule_metadata(module: object) -> Mapping[str, object]:
    return {key: getattr(module, key) for key in ("CODE", "NAME", "SEVERITY", "FIX", "SUMMARY")}
