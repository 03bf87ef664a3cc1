"""Turn every deprecation notice of the SDK into a fact, or find it in the exclusion table.

Facts: a model's shutdown, status, replacements and note ("Deprecated values:" items, and prose
that names models before a shutdown date); a whole surface shut down or retired (a dated or
"endpoint is retired" notice on *every* method of the surface); a request parameter with a
shutdown date (a dated notice on a field of the surface's request types or a method argument);
a Batch API path no longer accepted (checked against the surface it belongs to). A notice that
is none of these and that ``rules/sdk-notices.toml`` does not list is *unclassified*, and the
generator stops on it: a change of wording must never pass in silence.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from routelint.catalog_sync.layout import Layout
from routelint.catalog_sync.notices import Notice, sentences
from routelint.catalog_sync.sdk import SdkFiles, Wrapped, shutdown_date, without_urls

KINDS = ("model", "surface-shutdown", "surface-retired", "parameter", "batch-endpoint", "excluded")
_ITEM_IDS = re.compile(r'^(?:"[^"]+", )*"[^"]+":')
_ANNOUNCED = re.compile(r"Announced shutdown date: (\d{4}-\d{2}-\d{2})\.")
_UNSUPPORTED = re.compile(r"Not a supported model ID\.")
_USE_INSTEAD = re.compile(r"Use (.+?) instead\.")
_NAMED = re.compile(r"`([^`\s]+)`|\"([^\"\s]+)\"")
_RETIRED = re.compile(
    r"\b(?:this|the) endpoint (?:is|has been|was) (?:now )?retired\b|\b(?:this|the) endpoint (?:is )?no longer available\b"
    r"|\b(?:this|the) endpoint no longer accepts requests\b|\bretired [\w -]*?endpoint\b",
    re.IGNORECASE,
)
_SUPPORTS_ONLY = re.compile(
    r"\b(?:this|the) endpoint (?:supports only|only supports) ((?:`[^`]+`(?:,? (?:and|or) |, )?)+)", re.IGNORECASE)
_ADVICE = re.compile(r"^(?:Migrate|Use)\b")


class UnclassifiedNotices(ValueError):
    """Deprecation notices that are neither a fact nor listed in sdk-notices.toml."""

    def __init__(self, problems: list[tuple[Notice, str]]) -> None:
        self.problems = problems
        lines = [f"openai/{n.place}: {n.text!r} ({why})" for n, why in problems]
        super().__init__(
            f"{len(problems)} deprecation notice(s) of the SDK are neither a fact nor listed in "
            "rules/sdk-notices.toml:\n  " + "\n  ".join(lines))


@dataclass(frozen=True)
class Outcome:
    notice: Notice
    kind: str  # one of KINDS
    detail: str  # the fact ("surface evals"), or the exclusion's reason


@dataclass
class Facts:
    models: dict[str, dict[str, tuple[object, str]]] = field(default_factory=dict)  # id -> fact -> (value, source)
    surfaces: dict[str, dict[str, str]] = field(default_factory=dict)
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    unclassified: list[tuple[Notice, str]] = field(default_factory=list)
    unused_exclusions: list[str] = field(default_factory=list)


def is_model_field(name: str) -> bool:
    return name == "model" or name.endswith(("Model", "ModelParam"))


def citation_order(rel: str) -> tuple[int, str]:
    """Which file a model fact cites: the alias definitions (types/shared/*, types/**/*_model.py),
    then request params, then other types (beta last), then resources/."""
    if rel.startswith("types/shared/"):
        rank = 0
    elif rel.startswith("types/") and rel.endswith("_model.py"):
        rank = 1
    elif rel.startswith("types/") and not rel.startswith("types/beta/"):
        rank = 2 if rel.endswith("_params.py") else 3
    else:
        rank = 4 if rel.startswith("types/") else 5
    return (rank, rel)


def item_facts(text: str) -> dict[str, tuple[object, int]]:
    """What one "Deprecated values:" item states, each with its position in ``text``."""
    start = _ITEM_IDS.match(text).end()  # type: ignore[union-attr]
    facts: dict[str, tuple[object, int]] = {}
    announced, prose = _ANNOUNCED.search(text, start), shutdown_date(text[start:])
    if announced:
        facts["shutdown"] = (announced.group(1), announced.start(1))
    elif prose:
        facts["shutdown"] = (prose[0], start + prose[1])
    unsupported, use = _UNSUPPORTED.search(text, start), _USE_INSTEAD.search(text, start)
    if unsupported:
        facts["status"] = ("unsupported", unsupported.start())
    if use:
        names = [n.strip(" `") for n in re.split(r",|\bor\b|\band\b", use.group(1))]
        facts["replacements"] = (tuple(n for n in names if n), use.start(1))
    if not announced:  # the boilerplate "Announced shutdown date" items say nothing more
        facts["note"] = (text[start:].strip(), start)
    return facts


def _named(text: str) -> list[str]:
    return [a or b for a, b in _NAMED.findall(text)]


def _with_advice(n: Notice) -> str:
    """A docstring's sentence and the "Migrate to ..." / "Use ... instead." sentence after it."""
    if n.kind != "docstring" or n.where is None:
        return n.text
    after = [s for pos, s in sentences(n.where) if pos >= n.start + len(n.text)]
    return f"{n.text} {after[0]}" if after and _ADVICE.match(after[0]) else n.text


def endpoint_methods(sdk: SdkFiles, layout: Layout, surface: str) -> set[tuple[str, str]]:
    """(file, Class.method) of every public method of the resource code mapped to ``surface``."""
    found = set()
    for rel in sdk.files("resources"):
        for cls in (n for n in sdk.tree(rel).body if isinstance(n, ast.ClassDef)):
            for fn in cls.body:
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or fn.name.startswith("_"):
                    continue
                decorators = {getattr(d, "attr", getattr(d, "id", "")) for d in fn.decorator_list}
                if not decorators & {"property", "cached_property", "overload"} \
                        and layout.surface_of_resource(rel, fn.name) == surface:
                    found.add((rel, f"{cls.name}.{fn.name}"))
    return found


def supported_only(sdk: SdkFiles, layout: Layout) -> dict[str, tuple[tuple[str, ...], str]]:
    """surface -> (the only model IDs it supports, source): "This endpoint supports only `whisper-1`."."""
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    for rel in sdk.files("resources"):
        if "endpoint" not in sdk.text(rel):
            continue
        for fn in ast.walk(sdk.tree(rel)):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or not ast.get_docstring(fn, clean=False):
                continue
            surface = layout.surface_of_resource(rel, fn.name)
            node = fn.body[0].value  # type: ignore[attr-defined]
            if not surface:
                continue
            lines = sdk.lines(rel)[node.lineno - 1:node.end_lineno]
            own = [(node.lineno + i, line.strip().strip('"')) for i, line in enumerate(lines)]
            wrapped = Wrapped.of(own[:next((i for i, (_, t) in enumerate(own) if t == "Args:"), len(own))])
            for m in _SUPPORTS_ONLY.finditer(wrapped.text):
                ids = tuple(re.findall(r"`([^`]+)`", m.group(1)))
                where = sdk.source(rel, wrapped.line_at(m.start()))
                if surface in found and found[surface][0] != ids:
                    raise ValueError(f"{surface}: supports only {found[surface][0]} at {found[surface][1]} "
                                     f"but {ids} at {where}")
                found.setdefault(surface, (ids, where))
    return found


class _Classifier:
    def __init__(self, sdk: SdkFiles, layout: Layout, known: Iterable[str]) -> None:
        self.sdk, self.layout, self.known = sdk, layout, set(known)
        self.facts = Facts()
        self.surface_claims: dict[str, list[tuple[Notice, str, str | None, int]]] = {}  # surface -> (n, kind, date, pos)
        self.param_claims: dict[str, list[tuple[tuple[int, str, int], Notice, str, int]]] = {}
        self.supporting: list[tuple[Notice, str]] = []  # "the endpoint is retired" on a field: (notice, surface)
        self.markers: list[Notice] = []
        self.batch: list[Notice] = []
        self.rest: list[tuple[Notice, str]] = []

    def model_fact(self, model: str, fact: str, value: object, where: str) -> None:
        first = self.facts.models.setdefault(model, {}).setdefault(fact, (value, where))
        if first[0] != value:
            raise ValueError(f"{model}: {fact} {first[0]!r} at {first[1]} but {value!r} at {where}")

    def item(self, n: Notice) -> None:
        targets = [m for m in n.ids if m in self.known or is_model_field(n.field)]
        if not targets:
            key = f"{n.rel}:{n.method if n.rel.startswith('resources/') else n.owner}.{n.field}"
            if key in self.layout.batch_fields and n.ids and all(i.startswith("/") for i in n.ids):
                self.batch.append(n)
            else:
                self.rest.append((n, "a deprecated value that names no model"))
            return
        for fact, (value, pos) in item_facts(n.text).items():
            for model in targets:
                self.model_fact(model, fact, value, self.sdk.source(n.rel, n.line_at(pos)))
        self.outcome(n, "model", ", ".join(targets))

    def dated(self, n: Notice, date: str, pos: int) -> None:
        # the models named before the date; a comment also names the strings of its line (a Literal's item)
        named = [m for m in dict.fromkeys((*n.ids, *_named(n.text[:pos]))) if m in self.known]
        surface = self.layout.surface_of(n.rel, n.owner)
        if named and (n.scope != "field" or is_model_field(n.field)):
            for model in named:
                self.model_fact(model, "shutdown", date, self.sdk.source(n.rel, n.line_at(pos)))
            self.outcome(n, "model", ", ".join(named))
        elif n.scope == "field" and surface and not is_model_field(n.field):
            rank = self.layout.class_order(surface)
            key = f"{n.rel[len('types/'):]}:{n.owner}"
            order = (rank.index(key), "", 0) if key in rank else (len(rank), n.rel, n.line)
            self.param_claims.setdefault(f"{surface}.{n.field}", []).append((order, n, date, pos))
        elif n.scope == "method" and surface and n.rel.startswith("resources/"):
            self.surface_claims.setdefault(surface, []).append((n, "shutdown", date, pos))
        else:
            self.rest.append((n, "a shutdown date, but not of a model, a mapped surface or a request field"))

    def undated(self, n: Notice) -> None:
        surface = self.layout.surface_of(n.rel, n.owner)
        if n.kind == "decorator" and n.scope == "method" and n.text.strip().lower() in ("", "deprecated"):
            self.markers.append(n)
        elif _RETIRED.search(without_urls(n.text)) and surface:
            if n.scope == "method" and n.rel.startswith("resources/"):
                self.surface_claims.setdefault(surface, []).append((n, "retired", None, 0))
            else:
                self.supporting.append((n, surface))
        else:
            self.rest.append((n, "no fact: not in the exclusion table"))

    def outcome(self, n: Notice, kind: str, detail: str) -> None:
        self.facts.outcomes.append(Outcome(n, kind, detail))

    def settle_surfaces(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Surface facts from method notices that cover every method of the surface:
        (file, Class.method) -> (kind, surface) of each method that states one."""
        settled = {}
        for surface, claims in sorted(self.surface_claims.items()):
            for kind in ("shutdown", "retired"):
                mine = sorted((c for c in claims if c[1] == kind), key=lambda c: (c[0].rel, c[0].line))
                if not mine:
                    continue
                methods = endpoint_methods(self.sdk, self.layout, surface)
                missing = sorted(methods - {(c[0].rel, c[0].owner) for c in mine})
                dates = sorted({c[2] for c in mine if c[2]})
                if missing or len(dates) > 1:
                    why = (f"says {kind} for some methods of surface {surface} but not "
                           f"{', '.join(f'{r}:{m}' for r, m in missing[:4])}{' ...' if len(missing) > 4 else ''}"
                           if missing else f"surface {surface} has several shutdown dates {dates}")
                    self.facts.unclassified.extend((c[0], why) for c in mine)
                    continue
                first, _, date, pos = mine[0]
                table = self.facts.surfaces.setdefault(surface, {})
                where = self.sdk.source(first.rel, first.line_at(pos) if date else first.line)
                if date:
                    table.update({"shutdown": date, "shutdown-source": where})
                else:
                    table.update({"status": "retired", "status-source": where})
                table.setdefault("note", _with_advice(first))
                settled.update({(c[0].rel, c[0].owner): (f"surface-{kind}", surface) for c in mine})
                for c in mine:
                    self.outcome(c[0], f"surface-{kind}", surface)
        return settled

    def settle_parameters(self) -> None:
        for pid, claims in sorted(self.param_claims.items()):
            claims.sort(key=lambda c: c[0])
            dates = {c[2] for c in claims}
            if len(dates) > 1:
                why = f"parameter {pid} has several shutdown dates {sorted(dates)}"
                self.facts.unclassified.extend((c[1], why) for c in claims)
                continue
            _, first, date, pos = claims[0]
            surface, name = pid.rsplit(".", 1)
            self.facts.parameters[pid] = {"surface": surface, "name": name, "shutdown": date,
                                          "shutdown-source": self.sdk.source(first.rel, first.line_at(pos)),
                                          "note": first.text}
            for c in claims:
                self.outcome(c[1], "parameter", pid)

    def settle_batch(self) -> None:
        """A path Batch no longer accepts is covered when its surface ends (on the date said, if any)."""
        for n in self.batch:
            said, covered, problems = shutdown_date(n.text), [], []
            for path in n.ids:
                surface = self.layout.surface_with_path(path)
                table = self.facts.surfaces.get(surface or "", {})
                if surface is None:
                    problems.append(f"Batch no longer accepts {path}, but no surface of surfaces.toml has that path")
                elif not (table.get("shutdown") or table.get("status")):
                    problems.append(f"Batch no longer accepts {path}, but surface {surface} is neither shut down nor retired")
                elif said and table.get("shutdown") != said[0]:
                    problems.append(f"{path}: {said[0]} here, but surface {surface} shuts down on {table.get('shutdown')}")
                else:
                    covered.append(f"{path}: covered by surface {surface}")
            if problems:
                self.facts.unclassified.append((n, "; ".join(problems)))
            else:
                self.outcome(n, "batch-endpoint", "; ".join(covered))

    def run(self, notices: list[Notice]) -> Facts:
        for n in sorted(notices, key=lambda n: (citation_order(n.rel), n.line)):
            if n.kind == "item":
                self.item(n)
                continue
            found = shutdown_date(n.text)
            if found:
                self.dated(n, *found)
            else:
                self.undated(n)
        settled = self.settle_surfaces()
        self.settle_parameters()
        self.settle_batch()
        for n, surface in self.supporting:
            if self.facts.surfaces.get(surface, {}).get("status") == "retired":
                self.outcome(n, "surface-retired", surface)
            else:
                self.rest.append((n, f"says the endpoint is retired, but surface {surface} is not"))
        for n in self.markers:
            if (n.rel, n.owner) in settled:
                kind, surface = settled[(n.rel, n.owner)]
                self.outcome(n, kind, f"{surface} (a bare `deprecated` marker on a method whose docstring states it)")
            else:
                self.rest.append((n, "a bare `deprecated` marker on a method that states no fact"))
        used = set()
        for n, why in self.rest:
            exclusion = self.layout.exclusion_for(n.rel, n.text)
            if exclusion:
                used.add(id(exclusion))
                self.outcome(n, "excluded", exclusion.why)
            else:
                self.facts.unclassified.append((n, why))
        self.facts.unused_exclusions = [e.match.pattern for e in self.layout.exclusions if id(e) not in used]
        self.facts.unclassified.sort(key=lambda p: (p[0].rel, p[0].line))
        return self.facts


def classify(sdk: SdkFiles, layout: Layout, notices: list[Notice], known: Iterable[str]) -> Facts:
    """Every notice as a fact or an exclusion; ``Facts.unclassified`` holds the rest."""
    return _Classifier(sdk, layout, known).run(notices)


def counts(facts: Facts) -> Mapping[str, int]:
    return {kind: sum(o.kind == kind for o in facts.outcomes) for kind in KINDS}
