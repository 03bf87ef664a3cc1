"""What a rule module provides, and what its check returns.

A rule is a module in `routelint.checks` with CODE, NAME, SEVERITY, FIX, SUMMARY, FACT (the fact
type it judges), a module docstring that is its documentation, and a pure `check(fact, ctx)`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from routelint.catalog_data import Catalog, Model, Surface

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
    origin: str | None = None  # that other file's path (set by the engine)
    # Where the fact behind the verdict comes from (`openai==3.63.0:openai/...:124`) and what the
    # catalog says besides: shown by `full`, JSON, SARIF and --explain, not on the one-line form.
    source: str | None = None
    note: str | None = None


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

    def rejecting_surfaces(self, model: Model, surface_ids: Sequence[str]) -> tuple[Surface, ...]:
        """The surfaces a model string goes to, when every one of them is closed and none
        accepts `model` (RL301's verdict); empty when some may accept it or nothing is known.
        A wrapper that picks its surface per request may send it to any of them."""
        surfaces = [self.catalog.surfaces.get(s) for s in surface_ids]
        if not surfaces or any(
            s is None or not s.closed or s.id in model.surfaces or s.id in model.unknown_on for s in surfaces
        ):
            return ()
        return tuple(s for s in surfaces if s is not None)

    def fix_blocker(self, target_id: str, surface_ids: Sequence[str]) -> str | None:
        """Why rewriting a string to `target_id` would trade one finding for another, or land
        where nothing checks it (issue 18: a fix never creates a finding), as a clause that
        follows the ID ("which shut down on ..."): the target is one the API does not accept, is
        shut down or shuts down within the horizon (RL201 / RL202), no surface the string goes to accepts it (RL301) or is known
        to (`unknown-on`), or it is off-route there (RL302). None: a clean fix."""
        target = self.model(target_id)
        if target is None:
            return None
        if target.status == "unsupported":  # RL201 reports it whatever the date
            return "which the API does not accept"
        if target.is_shut_down(self.today):
            return f"which shut down on {target.shutdown}"
        days = target.days_left(self.today)
        if days is not None and 0 < days <= self.horizon_days:
            return f"which shuts down on {target.shutdown}"
        surfaces = [self.catalog.surfaces.get(s) for s in surface_ids]
        if surfaces and all(s is not None and s.closed and s.id not in target.surfaces for s in surfaces):
            titles = " or the ".join(s.title for s in surfaces if s is not None)
            unknown = all(s is not None and s.id in target.unknown_on for s in surfaces)
            verdict = f"which no source says the {titles} accepts" if unknown else f"which the {titles} does not accept"
            return verdict + self.where_it_goes(target)
        if surface_ids and surface_ids[0] in target.off_route:  # RL302 judges the first surface
            return f"which is off-route on the {self.surface_title(surface_ids[0])} (prefer {target.off_route[surface_ids[0]].prefer})"
        return None

    def live_titles(self, model: Model) -> list[str]:
        """The titles of the surfaces where a message sends the reader: those whose start-with
        advice names the model, else those that accept it and have not ended, else all."""
        surfaces = sorted(
            (s for s in (self.catalog.surfaces.get(sid) for sid in model.surfaces) if s is not None),
            key=lambda s: s.title,
        )
        live = [s for s in surfaces if not s.ends]
        advised = [s for s in live if model.id in s.start_with]
        return [s.title for s in advised or live or surfaces]

    def where_it_goes(self, model: Model) -> str:
        """` (call responses.create() with it)`: the SDK call of a surface that accepts the model
        and still runs, one whose start-with advice names it first, so that a message without a
        fix still names the right call."""
        live = [
            s for s in (self.catalog.surfaces.get(sid) for sid in sorted(model.surfaces))
            if s is not None and s.calls and not s.ends
        ]
        live.sort(key=lambda s: model.id not in s.start_with)
        return f" (call {live[0].calls[0]}() with it)" if live else ""


@dataclass(frozen=True)
class Advice:
    """The model map's start-with answer for a surface: advice, never an official replacement."""

    surface_title: str | None  # None: where the model goes is unknown, and every surface's answer is this one
    model: str
    source: str | None

    def phrase(self) -> str:
        if self.surface_title is None:
            return f"the model map suggests {self.model}"
        return f"for the {self.surface_title} the model map suggests {self.model}"


def map_advice(
    catalog: Catalog, model: Model, today: dt.date, surface_id: str | None = None, *, name_the_api: bool = False
) -> Advice | None:
    """What the map says to start with where the model goes (`surface_id`), else on the first of
    its surfaces that has an answer: the answer closest to the model by name (`gpt-4o-audio-preview`
    -> gpt-audio-1.5, `gpt-4o` -> gpt-5.5), never the model itself or one that is shut down. Where
    the model goes is unknown and all its surfaces' answers agree, the advice names no surface: a
    message must not suggest the string goes to one it may never reach (`name_the_api`: always
    name it, as `--list-models` does for each model)."""
    words = set(_WORDS.findall(model.id.casefold()))
    answers: list[Advice] = []
    surfaces = [s for s in (catalog.surfaces.get(sid) for sid in ([surface_id] if surface_id else sorted(model.surfaces))) if s is not None]
    for surface in surfaces:
        choices = [
            m for m in surface.start_with
            if m != model.id and m in catalog.models and not catalog.models[m].is_shut_down(today)
        ]
        if choices:
            best = max(choices, key=lambda m: (len(words & set(_WORDS.findall(m))), -choices.index(m)))
            answers.append(Advice(surface.title, best, surface.start_with_source))
    if not answers:
        return None
    advised = {s.title for s in surfaces if s.start_with}  # the APIs the map answers for (not Assistants)
    if not name_the_api and surface_id is None and advised <= {a.surface_title for a in answers} and len({a.model for a in answers}) == 1:
        return replace(answers[0], surface_title=None)
    return answers[0]


_WORDS = re.compile(r"[a-z]+|[0-9.]+")


def dated_problem(
    code: str, node: cst.CSTNode, what: str, date: dt.date, ctx: CheckContext, *, source: str | None = None, note: str | None = None
) -> Problem | None:
    """`what` shut down on `date` (an error), or shuts down on it (a warning, within the horizon)."""
    days = (date - ctx.today).days
    if days > ctx.horizon_days:
        return None
    if days <= 0:
        return Problem(code, f"{what} shut down on {date}", node, "error", source=source, note=note)
    left = f"{days} day{'s' if days != 1 else ''} left"
    return Problem(code, f"{what} shuts down on {date} ({left})", node, "warning", source=source, note=note)


def quoted(value: str) -> str:
    """A string as written by the user, in double quotes, on one line: a line break, a tab or any
    other unprintable character is shown escaped (`"GPT\\nImage 2"`), as are quotes and
    backslashes, so that a finding stays one line in every output format."""
    shown = "".join(
        "\\" + c if c in '"\\' else c if c.isprintable() else repr(c)[1:-1] for c in value
    )
    return f'"{shown}"'


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
