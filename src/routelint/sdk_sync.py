"""Generate ``rules/sdk.toml`` from the files of an installed ``openai`` SDK.

The SDK is the most current public list of model IDs and announced shutdowns, so the
catalog copies its facts, each with the line it comes from. The package is read as text
and parsed with :mod:`ast`: importing it would run its code and need its dependencies.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import datetime as dt
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, Iterator, NamedTuple, Sequence, Tuple

# The `model` fields of openai/types/ ("<path>:<class>") that feed each surface. A (model,
# surface) fact cites the first field of its surface that lists the model, so the request
# params come first. The fields after them mirror those params (response objects, realtime
# and websocket events, `responses.compact`, tool-search copies of the image tool) and list
# the same IDs today; they are mapped, not excluded, so that an ID added there is not lost.
SURFACE_FIELDS: Dict[str, Tuple[str, ...]] = {
    "chat.completions": ("chat/completion_create_params.py:CompletionCreateParamsBase",),
    "responses": (
        "responses/response_create_params.py:ResponseCreateParamsBase",
        "beta/response_create_params.py:ResponseCreateParamsBase",
        "responses/response_compact_params.py:ResponseCompactParams",
        "beta/response_compact_params.py:ResponseCompactParams",
        "responses/response.py:Response",
        "beta/beta_response.py:BetaResponse",
        "responses/responses_client_event.py:ResponseCreate",
        "responses/responses_client_event_param.py:ResponseCreate",
        "beta/beta_responses_client_event.py:ResponseCreate",
        "beta/beta_responses_client_event_param.py:ResponseCreate",
    ),
    "responses.image_generation": (
        "responses/tool_param.py:ImageGeneration",
        "responses/tool.py:ImageGeneration",
        "beta/beta_tool.py:ImageGeneration",
        "beta/beta_tool_param.py:ImageGeneration",
        "responses/response_tool_search_output_item_param.py:ToolImageGeneration",
        "responses/response_tool_search_output_item_param_param.py:ToolImageGeneration",
        "beta/beta_response_tool_search_output_item_param.py:ToolImageGeneration",
        "beta/beta_response_tool_search_output_item_param_param.py:ToolImageGeneration",
    ),
    "assistants": (
        "beta/assistant_create_params.py:AssistantCreateParams",
        "beta/assistant_update_params.py:AssistantUpdateParams",
        "beta/thread_create_and_run_params.py:ThreadCreateAndRunParamsBase",
        "beta/threads/run_create_params.py:RunCreateParamsBase",
    ),
    "images": (
        "image_generate_params.py:ImageGenerateParamsBase",
        "image_edit_params.py:ImageEditParamsBase",
        "image_create_variation_params.py:ImageCreateVariationParams",
    ),
    "videos": ("video_create_params.py:VideoCreateParams", "video.py:Video"),
    "realtime": (
        "realtime/realtime_session_create_request_param.py:RealtimeSessionCreateRequestParam",
        "realtime/call_accept_params.py:CallAcceptParams",
        "beta/realtime/session_create_params.py:SessionCreateParams",
        "realtime/realtime_session_create_request.py:RealtimeSessionCreateRequest",
        "realtime/realtime_session_create_response.py:RealtimeSessionCreateResponse",
        "beta/realtime/session.py:Session",
        "beta/realtime/session_update_event.py:Session",
        "beta/realtime/session_update_event_param.py:Session",
    ),
    "realtime.transcription": (
        "realtime/audio_transcription_param.py:AudioTranscriptionParam",
        "beta/realtime/transcription_session_create_params.py:InputAudioTranscription",
        "realtime/audio_transcription.py:AudioTranscription",
        "beta/realtime/transcription_session.py:InputAudioTranscription",
        "beta/realtime/transcription_session_update.py:SessionInputAudioTranscription",
        "beta/realtime/transcription_session_update_param.py:SessionInputAudioTranscription",
    ),
    "audio.speech": ("audio/speech_create_params.py:SpeechCreateParams",),
    "audio.transcriptions": ("audio/transcription_create_params.py:TranscriptionCreateParamsBase",),
    "audio.translations": ("audio/translation_create_params.py:TranslationCreateParams",),
    "embeddings": ("embedding_create_params.py:EmbeddingCreateParams",),
    "moderations": ("moderation_create_params.py:ModerationCreateParams",),
    "completions": ("completion_create_params.py:CompletionCreateParamsBase",),
    "fine_tuning": ("fine_tuning/job_create_params.py:JobCreateParams",),
    "live": (
        "live/session_config_param.py:SessionConfigParam",
        "live/media_session_config_param.py:MediaSessionConfigParam",
        "live/session_accept_params.py:Session",
        "live/session_config.py:SessionConfig",
        "live/session_resource.py:SessionResource",
    ),
}

# `model` fields whose Literals are not model IDs. A custom voice's prompt takes the
# voice generator's *version* ("auto" or a date such as "2026-10-08"), not a model.
EXCLUDED_FIELDS: Dict[str, str] = {
    "audio/voice_create_params.py:CreateVoiceRequestPrompt": "voice-generator versions, not model IDs",
}

# Resource modules whose dated deprecations retire a whole surface. The Assistants API is
# deprecated "in favor of the Responses API" with no date, so it yields no shutdown.
RESOURCE_SURFACES: Dict[str, str] = {
    "resources/videos.py": "videos",
    "resources/audio/translations.py": "audio.translations",
    "resources/beta/assistants.py": "assistants",
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DATE = r"(?:" + "|".join(_MONTHS) + r") \d{1,2}, \d{4}"
_ANNOUNCED = re.compile(r"Announced shutdown date: (\d{4}-\d{2}-\d{2})\.")
_PROSE_SHUTDOWN = re.compile(r"(?:shut down|retired) on (" + _DATE + ")")
_ENDPOINT_SHUTDOWN = re.compile(r"The endpoint[^.]*? shut down on (" + _DATE + r")\.(?: Migrate[^.]*\.)?")
_UNSUPPORTED = re.compile(r"Not a supported model ID\.")
_USE_INSTEAD = re.compile(r"Use (.+?) instead\.")
_ITEM_IDS = re.compile(r'^(?:"[^"]+", )*"[^"]+":')
_SNAPSHOT = re.compile(r"^(.+)-(?:\d{4}-\d{2}-\d{2}|\d{4})$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_]+$")
_LOCATE = ("import importlib.util as u, importlib.metadata as m, json; s = u.find_spec('openai'); "
           "print(json.dumps(s and [list(s.submodule_search_locations)[0], "
           "m.distribution('openai').metadata['Version']]))")


class SdkFiles:
    """An installed ``openai`` package read as text; each module is parsed once."""

    def __init__(self, package_dir: Path, version: str) -> None:
        self.root, self.version = Path(package_dir), version
        self._trees: dict[str, ast.Module] = {}

    def lines(self, rel: str) -> list[str]:
        return (self.root / rel).read_text(encoding="utf-8").splitlines()

    def tree(self, rel: str) -> ast.Module:
        if rel not in self._trees:
            self._trees[rel] = ast.parse((self.root / rel).read_text(encoding="utf-8"), rel)
        return self._trees[rel]

    def files(self, top: str) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in (self.root / top).rglob("*.py"))

    def source(self, rel: str, line: int) -> str:
        return f"openai=={self.version}:openai/{rel}:{line}"


class Wrapped(NamedTuple):
    """Docstring lines joined with single spaces, so sentences can wrap; keeps each line's number."""

    text: str
    starts: Tuple[int, ...]
    numbers: Tuple[int, ...]

    @classmethod
    def of(cls, lines: Iterable[tuple[int, str]]) -> Wrapped:
        text, starts, numbers = "", [], []
        for number, piece in lines:
            starts.append(len(text) + 1 if text else 0)
            numbers.append(number)
            text = f"{text} {piece}" if text else piece
        return cls(text, tuple(starts), tuple(numbers))

    def line_at(self, pos: int) -> int:
        return self.numbers[bisect.bisect_right(self.starts, pos) - 1]


def find_openai_package(python: str | None = None) -> tuple[Path, str]:
    """Locate ``openai`` and its dist-info version without importing it (``find_spec`` runs none of it)."""
    if python:
        out = subprocess.run([python, "-c", _LOCATE], capture_output=True, text=True, check=True).stdout
        found = json.loads(out)
    else:
        spec = importlib.util.find_spec("openai")
        found = spec and [list(spec.submodule_search_locations or [])[0],
                          importlib.metadata.distribution("openai").metadata["Version"]]
    if not found:
        raise LookupError(f"the openai package is not installed for {python or sys.executable}")
    return Path(found[0]), found[1]


def _english_date(text: str) -> str:
    """"May 12, 2026" -> "2026-05-12" (no locale: strptime's %B depends on it)."""
    month, day, year = re.match(r"(\w+) (\d{1,2}), (\d{4})", text).groups()  # type: ignore[union-attr]
    return dt.date(int(year), _MONTHS.index(month) + 1, int(day)).isoformat()


# ---- model IDs and their surfaces --------------------------------------------------------

def _definition(sdk: SdkFiles, rel: str, name: str) -> tuple[str, ast.expr] | None:
    """Follow ``name`` through the package's relative imports to the expression defining it."""
    for st in sdk.tree(rel).body:
        if isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None:
            targets = st.targets if isinstance(st, ast.Assign) else [st.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return rel, st.value
        if isinstance(st, ast.ImportFrom) and st.level > 0:
            for alias in st.names:
                if (alias.asname or alias.name) == name:
                    base = Path(rel).parents[st.level - 1].joinpath(*(st.module or "").split("."))
                    for module in (base.with_suffix(".py"), base / "__init__.py"):
                        if (sdk.root / module).is_file():
                            return _definition(sdk, module.as_posix(), alias.name)
    return None


def literal_ids(sdk: SdkFiles, rel: str, expr: ast.expr) -> list[str]:
    """The strings of every ``Literal[...]`` in a type expression, through type aliases."""
    if isinstance(expr, ast.Subscript):
        head = expr.value.attr if isinstance(expr.value, ast.Attribute) else getattr(expr.value, "id", "")
        parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if head == "Literal":
            return [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
        return [i for p in parts for i in literal_ids(sdk, rel, p)]
    if isinstance(expr, ast.BinOp):
        return literal_ids(sdk, rel, expr.left) + literal_ids(sdk, rel, expr.right)
    if isinstance(expr, ast.Name):
        found = _definition(sdk, rel, expr.id)
        return literal_ids(sdk, *found) if found else []
    return []


def scan_model_fields(sdk: SdkFiles) -> dict[str, tuple[int, list[str]]]:
    """Every ``model`` field of types/ typed with string Literals or a *Model alias: key -> (line, IDs)."""
    found: dict[str, tuple[int, list[str]]] = {}

    def walk(node: ast.AST, rel: str, qual: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                walk(child, rel, f"{qual}.{child.name}" if qual else child.name)
            elif isinstance(child, ast.AnnAssign) and getattr(child.target, "id", "") == "model":
                ids = literal_ids(sdk, rel, child.annotation)
                names = [n.id for n in ast.walk(child.annotation) if isinstance(n, ast.Name)]
                if ids or any(n.endswith(("Model", "ModelParam")) for n in names):
                    found[f"{rel[len('types/'):]}:{qual}"] = (child.lineno, ids)

    for rel in sdk.files("types"):
        walk(sdk.tree(rel), rel, "")
    return found


def model_surfaces(sdk: SdkFiles) -> dict[str, dict[str, str]]:
    """model ID -> surface -> source; a field that is neither mapped nor excluded is an error."""
    fields = scan_model_fields(sdk)
    mapped = {key for keys in SURFACE_FIELDS.values() for key in keys}
    unmapped, gone = sorted(set(fields) - mapped - set(EXCLUDED_FIELDS)), sorted(mapped - set(fields))
    if unmapped or gone:
        raise ValueError(f"SDK model fields changed: unmapped {unmapped}, no longer found {gone}")
    catalog: dict[str, dict[str, str]] = {}
    for surface, keys in SURFACE_FIELDS.items():
        for key in keys:
            line, ids = fields[key]
            for model in ids:
                catalog.setdefault(model, {}).setdefault(surface, sdk.source("types/" + key.split(":")[0], line))
    return catalog


# ---- "Deprecated values:" blocks ---------------------------------------------------------

def _documented_names(tree: ast.Module) -> dict[int, str]:
    """First line of each attribute or alias docstring -> the name it documents."""
    names: dict[int, str] = {}
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        body = body if isinstance(body, list) else []
        for prev, st in zip(body, body[1:]):
            target = prev.target if isinstance(prev, ast.AnnAssign) else getattr(prev, "targets", [None])[0]
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and isinstance(target, ast.Name):
                names[st.value.lineno] = target.id
    return names


def _arg_header(lines: list[str], index: int, doc_index: int, indent: int) -> str:
    """The ``arg:`` header, in a method docstring, that the line at ``index`` is indented under."""
    for j in range(index - 1, doc_index - 1, -1):
        m = re.match(r"^(\s*)(\w+):", lines[j])
        if m and len(m.group(1)) < indent:
            return m.group(2)
    return ""


def deprecated_items(sdk: SdkFiles, rel: str) -> Iterator[tuple[str, list[str], Wrapped]]:
    """(documented field, quoted IDs, text) for each item of each "Deprecated values:" block."""
    lines, names, doc_start = sdk.lines(rel), _documented_names(sdk.tree(rel)), 0
    for i, raw in enumerate(lines):
        doc_start = i if '"""' in raw else doc_start
        if raw.strip().strip('"') != "Deprecated values:":
            continue
        indent = len(raw) - len(raw.lstrip())
        field = names.get(doc_start + 1) or _arg_header(lines, i, doc_start, indent)
        items: list[list[tuple[int, str]]] = []
        for no in range(i + 1, len(lines)):
            text = lines[no].replace('"""', "").strip()
            if text.startswith("- "):
                items.append([(no + 1, text[2:])])
            elif text and items:
                items[-1].append((no + 1, text))
            elif items or text or '"""' in lines[no]:
                break
            if '"""' in lines[no]:  # the docstring closes on an item's last line
                break
        for item in items:
            wrapped = Wrapped.of(item)
            head = _ITEM_IDS.match(wrapped.text)
            if head:
                yield field, re.findall(r'"([^"]+)"', head.group(0)), wrapped


def _item_facts(text: str) -> dict[str, tuple[object, int]]:
    """What one item states, each with its position in ``text``: {"shutdown": (date, pos), ...}."""
    start = _ITEM_IDS.match(text).end()  # type: ignore[union-attr]
    facts: dict[str, tuple[object, int]] = {}
    announced, prose = _ANNOUNCED.search(text, start), _PROSE_SHUTDOWN.search(text, start)
    if announced:
        facts["shutdown"] = (announced.group(1), announced.start(1))
    elif prose:
        facts["shutdown"] = (_english_date(prose.group(1)), prose.start(1))
    unsupported, use = _UNSUPPORTED.search(text, start), _USE_INSTEAD.search(text, start)
    if unsupported:
        facts["status"] = ("unsupported", unsupported.start())
    if use:
        names = [n.strip(" `") for n in re.split(r",|\bor\b|\band\b", use.group(1))]
        facts["replacements"] = (tuple(n for n in names if n), use.start(1))
    if not announced:  # the boilerplate "Announced shutdown date" items say nothing more
        facts["note"] = (text[start:].strip(), start)
    return facts


def _citation_order(rel: str) -> tuple[int, str]:
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


def model_facts(sdk: SdkFiles, catalog_ids: Iterable[str]) -> dict[str, dict[str, tuple[object, str]]]:
    """model ID -> fact -> (value, source); every file must state the same value."""
    known, result = set(catalog_ids), {}  # type: ignore[var-annotated]
    for rel in sorted(sdk.files("types") + sdk.files("resources"), key=_citation_order):
        for field, ids, wrapped in deprecated_items(sdk, rel):
            on_model_field = field == "model" or field.endswith(("Model", "ModelParam"))
            for fact, (value, pos) in _item_facts(wrapped.text).items():
                where = sdk.source(rel, wrapped.line_at(pos))
                for model in (m for m in ids if m in known or on_model_field):  # not sizes, qualities
                    first = result.setdefault(model, {}).setdefault(fact, (value, where))
                    if first[0] != value:
                        raise ValueError(f"{model}: {fact} {first[0]!r} at {first[1]} but {value!r} at {where}")
    return result


# ---- whole-surface shutdowns -------------------------------------------------------------

def _dated_deprecations(sdk: SdkFiles, rel: str) -> Iterator[tuple[int, str, str]]:
    """(line, date, message) of dated ``deprecated(...)`` decorators and "The endpoint ... shut down" docs."""
    lines = sdk.lines(rel)
    for node in ast.walk(sdk.tree(rel)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for deco in node.decorator_list:
            name = getattr(deco, "func", None)
            args = getattr(deco, "args", None) or [None]
            if getattr(name, "attr", getattr(name, "id", "")) == "deprecated" and isinstance(args[0], ast.Constant):
                date = _PROSE_SHUTDOWN.search(str(args[0].value))
                if date:
                    yield deco.lineno, _english_date(date.group(1)), str(args[0].value)
        doc = ast.get_docstring(node, clean=False) and node.body[0]
        if doc:
            wrapped = Wrapped.of((n + 1, lines[n].strip()) for n in range(doc.lineno - 1, doc.end_lineno or 0))
            m = _ENDPOINT_SHUTDOWN.search(wrapped.text)
            if m:
                yield wrapped.line_at(m.start(1)), _english_date(m.group(1)), m.group(0)


def surface_shutdowns(sdk: SdkFiles) -> dict[str, dict[str, str]]:
    """surface -> {shutdown, shutdown-source, note}, citing the first dated deprecation."""
    result: dict[str, dict[str, str]] = {}
    for rel in sdk.files("resources"):
        found = sorted(_dated_deprecations(sdk, rel))
        if not found:
            continue
        if rel not in RESOURCE_SURFACES or len({date for _, date, _ in found}) > 1:
            raise ValueError(f"{rel}: shutdown dates {sorted({d for _, d, _ in found})} need a single surface")
        line, date, note = found[0]
        result[RESOURCE_SURFACES[rel]] = {"shutdown": date, "shutdown-source": sdk.source(rel, line), "note": note}
    return result


# ---- the catalog --------------------------------------------------------------------------

def build_catalog(sdk: SdkFiles) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, str]]]:
    """The [models] and [surfaces] tables of sdk.toml, keys in the schema's order."""
    surfaces_of = model_surfaces(sdk)
    facts, closed = model_facts(sdk, surfaces_of), surface_shutdowns(sdk)
    strays = sorted(set(facts) - set(surfaces_of))
    if strays:
        raise ValueError(f"Deprecated values on model fields name IDs that no model Literal lists: {strays}")
    models: dict[str, dict[str, object]] = {}
    for model, surfaces in sorted(surfaces_of.items()):
        own, table = facts.get(model, {}), {}  # type: ignore[var-annotated]
        base = _SNAPSHOT.match(model)
        if base and base.group(1) in surfaces_of:
            table["snapshot-of"] = base.group(1)
        closing = [closed.get(s) for s in surfaces]
        if "shutdown" in own:
            table["shutdown"], table["shutdown-source"] = own["shutdown"]
        elif all(closing):  # usable only on surfaces that all shut down: the last one decides
            last = max(closing, key=lambda c: c["shutdown"])  # type: ignore[index]
            table["shutdown"], table["shutdown-source"] = last["shutdown"], last["shutdown-source"]  # type: ignore[index]
        if "status" in own:
            table["status"], table["status-source"] = own["status"]
        names, where = own.get("replacements", ((), ""))
        if names and all(n in surfaces_of for n in names):  # type: ignore[attr-defined]
            table["replacements"], table["replacements-source"] = list(names), where  # type: ignore[call-overload]
        if "note" in own:
            table["note"] = own["note"][0]
        table["surfaces"] = dict(sorted(surfaces.items()))
        models[model] = table
    return models, closed


def _toml(value: object) -> str:
    """A TOML string or list of strings: JSON's escapes are valid in TOML basic strings."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def generate(package_dir: Path, version: str, *, today: str) -> str:
    """The text of sdk.toml; two runs on the same SDK differ only in ``generated-on``."""
    models, surfaces = build_catalog(SdkFiles(package_dir, version))
    out = [f"# Generated by routelint.sdk_sync from openai=={version}. Do not edit: regenerate with",
           "# python -m routelint.sdk_sync --output rules/sdk.toml",
           "", "[meta]", f'generated-from = "openai=={version}"', f'generated-on = "{today}"']
    for model, table in models.items():
        out += ["", f"[models.{_toml(model)}]"] + [f"{k} = {_toml(v)}" for k, v in table.items() if k != "surfaces"]
        out += ["", f"[models.{_toml(model)}.surfaces]"]
        out += [f"{s if _BARE_KEY.match(s) else _toml(s)} = {_toml(src)}"
                for s, src in table["surfaces"].items()]  # type: ignore[attr-defined]
    for surface, fields in sorted(surfaces.items()):
        out += ["", f"[surfaces.{_toml(surface)}]"] + [f"{k} = {_toml(v)}" for k, v in fields.items()]
    return "\n".join(out) + "\n"


# ---- comparing catalogs ------------------------------------------------------------------

def _load(text: str) -> dict:  # type: ignore[type-arg]
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads(text)


def _changes(label: str, old: dict, new: dict) -> Iterator[str]:  # type: ignore[type-arg]
    """What changed in one model or surface table, sources aside."""
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
    old, new = _load(old_text), _load(new_text)
    changes = []
    versions = (old.get("meta", {}).get("generated-from"), new.get("meta", {}).get("generated-from"))
    if versions[0] != versions[1]:
        changes.append(f"SDK: {versions[0]} -> {versions[1]}")
    for kind in ("models", "surfaces"):
        before, after = old.get(kind, {}), new.get(kind, {})
        for key in sorted(set(before) | set(after)):
            label = f"{kind[:-1]} {key}"
            if key not in before:
                changes.append(f"new {label}" + (f" ({', '.join(sorted(after[key].get('surfaces', {})))})"
                                                 if kind == "models" else ""))
            elif key not in after:
                changes.append(f"removed {label}")
            else:
                changes.extend(_changes(label, before[key], after[key]))
    return changes


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate sdk.toml; when overwriting a file, report on stderr what changed in it."""
    parser = argparse.ArgumentParser(prog="python -m routelint.sdk_sync", description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="interpreter whose openai package to read (default: this one)")
    parser.add_argument("--today", default=dt.date.today().isoformat(), help="generated-on date, YYYY-MM-DD")
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    text = generate(*find_openai_package(args.python), today=args.today)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    if args.output.exists():
        changes = diff_catalogs(args.output.read_text(encoding="utf-8"), text)
        print("\n".join(changes) if changes else "sdk.toml: no semantic changes", file=sys.stderr)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
