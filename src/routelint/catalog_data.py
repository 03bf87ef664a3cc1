"""The catalog's data: frozen objects that every rule reads (rules/README.md describes the
schema they are read from, catalog.py loads them). Every fact carries the source it was taken from.

Also here: how near-miss spellings of an ID are folded (`spelling_key`), which the prefilter
and RL102 share with the catalog's spelling index.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from routelint.catalog_code import CodeFacts
from routelint.catalog_reach import Prefix, Wrapper

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
class LabelRoute:
    """Where a label goes on one surface, when the map names another model there than the
    label's own target ("GPT-5.5 Instant" on Responses: gpt-5.5, not chat-latest)."""

    target: str
    fix: str
    source: str


@dataclass(frozen=True)
class Label:
    text: str
    target: str
    fix: str
    note: str
    source: str
    on: Mapping[str, LabelRoute] = field(default_factory=dict)  # surface id -> its route

    def route(self, surface_ids: Sequence[str]) -> LabelRoute:
        """The target, fix and source for a string that goes to `surface_ids`: a surface's own
        route when every one of them names the same one, else the label's."""
        routes = {self.on.get(s) for s in surface_ids}
        if len(routes) > 1:  # the surfaces disagree (a constant sent to Chat and Responses): no fix fits both
            return LabelRoute(self.target, "none", self.source)
        only = routes.pop() if routes else None
        return only if only is not None else LabelRoute(self.target, self.fix, self.source)


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


def spelling_index(
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
