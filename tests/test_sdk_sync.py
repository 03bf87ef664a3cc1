"""Tests of the sdk.toml generator: against the installed ``openai`` SDK (the test extra pins the
release rules/sdk.toml is generated from), and against small fake SDKs for each rule."""

from __future__ import annotations

import difflib
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

from routelint import sdk_sync
from routelint.catalog import load_catalog

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

RULES = Path(__file__).resolve().parents[1] / "rules"
SDK_TOML = RULES / "sdk.toml"
SURFACE_IDS = set(tomllib.loads((RULES / "surfaces.toml").read_text(encoding="utf-8"))["surfaces"])


@pytest.fixture(scope="module")
def sdk() -> sdk_sync.SdkFiles:
    if importlib.util.find_spec("openai") is None:
        pytest.skip("the openai SDK is not installed")
    return sdk_sync.SdkFiles(*sdk_sync.find_openai_package())


@pytest.fixture(scope="module")
def layout() -> sdk_sync.Layout:
    return sdk_sync.load_layout(RULES)


@pytest.fixture(scope="module")
def result(sdk: sdk_sync.SdkFiles) -> sdk_sync.Generated:
    return sdk_sync.run(sdk.root, sdk.version, today="2000-01-01")


@pytest.fixture(scope="module")
def generated(result: sdk_sync.Generated) -> str:
    return result.text


@pytest.fixture(scope="module")
def catalog(generated: str) -> dict:
    return tomllib.loads(generated)


@pytest.fixture(scope="module")
def models(catalog: dict) -> dict:
    return catalog["models"]


def _without_date(text: str) -> list[str]:
    return re.sub(r'(?m)^generated-on = ".*"$', 'generated-on = "<today>"', text).splitlines(keepends=True)


# ---- the pinned SDK -------------------------------------------------------------------------

def test_committed_catalog_is_up_to_date(generated: str) -> None:
    """The drift test: the pinned SDK's notices are all classified (else run() raised) and
    reproduce rules/sdk.toml."""
    committed = SDK_TOML.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(_without_date(committed), _without_date(generated),
                                        "rules/sdk.toml (committed)", "rules/sdk.toml (regenerated)"))
    assert not diff, f"rules/sdk.toml is stale: run `python -m routelint.sdk_sync --output rules/sdk.toml`\n{diff}"


def test_every_notice_of_the_pinned_sdk_is_classified(result: sdk_sync.Generated) -> None:
    facts = result.facts
    assert not facts.unclassified
    kinds = {o.kind for o in facts.outcomes}
    assert kinds == {"model", "surface-shutdown", "surface-retired", "parameter", "batch-endpoint", "excluded"}
    excluded = [o for o in facts.outcomes if o.kind == "excluded"]
    assert all(o.detail for o in excluded)


def test_every_exclusion_is_needed(result: sdk_sync.Generated) -> None:
    """An entry of sdk-notices.toml that no notice of the pinned SDK needs is stale: it could
    hide a future notice. Remove it."""
    assert result.facts.unused_exclusions == []


def test_output_loads_with_the_catalog_loader(generated: str, tmp_path: Path) -> None:
    overlay = tmp_path / "sdk.toml"
    overlay.write_text(generated, encoding="utf-8")
    loaded = load_catalog([overlay])
    assert loaded.surfaces["evals"].shutdown is not None
    assert loaded.surfaces["images.variations"].status == "retired"
    assert loaded.parameters["responses.prompt"].surface == "responses"


def test_output_follows_the_schema(catalog: dict) -> None:
    assert set(catalog) == {"meta", "models", "surfaces", "parameters"}
    assert catalog["meta"]["generated-from"].startswith("openai==")
    allowed = {"snapshot-of", "surfaces", "shutdown", "shutdown-source", "status", "status-source",
               "replacements", "replacements-source", "note"}
    for model, table in catalog["models"].items():
        assert set(table) <= allowed and table["surfaces"], model
        assert set(table["surfaces"]) <= SURFACE_IDS, model
        for key in ("shutdown", "status", "replacements"):
            assert (key in table) == (f"{key}-source" in table), (model, key)
        if "shutdown" in table:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table["shutdown"]), model
    for surface, table in catalog["surfaces"].items():
        assert surface in SURFACE_IDS and table["note"], surface
        assert set(table) in ({"shutdown", "shutdown-source", "note"}, {"status", "status-source", "note"})
    for pid, table in catalog["parameters"].items():
        assert list(table) == ["surface", "name", "shutdown", "shutdown-source", "note"]
        assert pid == f"{table['surface']}.{table['name']}" and table["surface"] in SURFACE_IDS


def test_spot_facts(models: dict, sdk: sdk_sync.SdkFiles) -> None:
    assert models["gpt-5"]["shutdown"] == "2026-12-11"
    assert models["gpt-4o-2024-05-13"]["shutdown"] == "2026-10-23"
    assert models["gpt-4o-2024-05-13"]["snapshot-of"] == "gpt-4o"
    assert models["gpt-4o"]["shutdown"] == "2027-01-14"
    assert models["gpt-image-1"]["shutdown"] == "2026-10-23"
    assert models["gpt-image-1"]["replacements"] == ["gpt-image-2.5-sunburst", "gpt-image-2.5-flare"]
    assert "replacements" not in models["dall-e-3"] and "GPT image model" in models["dall-e-3"]["note"]
    assert models["dall-e-2"]["shutdown"] == models["dall-e-3"]["shutdown"] == "2026-05-12"
    assert models["sora-2"]["shutdown"] == "2026-09-24"
    assert models["sora-2"]["shutdown-source"].startswith(f"openai=={sdk.version}:openai/resources/videos.py:")
    assert set(models["gpt-5.5-pro"]["surfaces"]) == {"responses"}
    assert "realtime" in models["gpt-realtime-1.5"]["surfaces"]
    assert "chat.completions" not in models["gpt-realtime-1.5"]["surfaces"]
    assert "realtime" in models["gpt-audio-1.5"]["surfaces"]
    assert models["gpt-5.1-mini"]["status"] == "unsupported" and models["gpt-5.1-mini"]["note"]
    assert models["gpt-3.5-turbo-0125"]["snapshot-of"] == "gpt-3.5-turbo"
    for not_a_model in ("256x256", "hd", "standard", "auto", "gpt-4o-mini-tts-2025-03-20", "/v1/videos"):
        assert not_a_model not in models


def test_sources_point_at_the_fact(sdk: sdk_sync.SdkFiles, catalog: dict) -> None:
    """A source names the line that holds the fact, e.g. the date of a wrapped item."""
    models, surfaces, parameters = catalog["models"], catalog["surfaces"], catalog["parameters"]
    cases = [(models["gpt-5"]["shutdown-source"], "2026-12-11"),
             (models["gpt-image-1"]["shutdown-source"], "October 23, 2026"),
             (models["gpt-5.5-pro"]["surfaces"]["responses"], "model:"),
             (models["whisper-1"]["surfaces"]["audio.translations"], "supports only `whisper-1`"),
             (surfaces["evals"]["shutdown-source"], "November 30, 2026"),
             (surfaces["videos"]["shutdown-source"], "September 24, 2026"),
             (surfaces["audio.translations"]["shutdown-source"], "February 26, 2027"),
             (surfaces["images.variations"]["status-source"], "This endpoint is retired"),
             (parameters["responses.prompt"]["shutdown-source"], "November 30, 2026"),
             (parameters["realtime.prompt"]["shutdown-source"], "November 30, 2026")]
    for source, needle in cases:
        path, line = re.fullmatch(r"openai==[^:]+:openai/(.+):(\d+)", source).groups()  # type: ignore[union-attr]
        assert needle in sdk.lines(path)[int(line) - 1], source


def test_surface_facts(catalog: dict) -> None:
    surfaces = catalog["surfaces"]
    assert surfaces["videos"]["shutdown"] == "2026-09-24" and "Sora API" in surfaces["videos"]["note"]
    assert surfaces["audio.translations"]["shutdown"] == "2027-02-26"
    assert surfaces["evals"]["shutdown"] == "2026-11-30"
    assert "/resources/evals/evals.py:" in surfaces["evals"]["shutdown-source"]
    assert surfaces["evals"]["note"] == ("The Evals API is deprecated. OpenAI scheduled its shutdown for "
                                         "November 30, 2026. Use Promptfoo instead.")
    assert surfaces["images.variations"] == {
        "status": "retired", "status-source": surfaces["images.variations"]["status-source"],
        "note": "This endpoint is retired and no longer available."}
    assert "assistants" not in surfaces and "images" not in surfaces  # deprecated without a date; generate/edit stay


def test_parameter_facts(catalog: dict) -> None:
    for pid, surface, path in [("responses.prompt", "responses", "types/responses/response_create_params.py"),
                               ("realtime.prompt", "realtime", "types/realtime/realtime_session_create_request_param.py")]:
        table = catalog["parameters"][pid]
        assert (table["surface"], table["name"], table["shutdown"]) == (surface, "prompt", "2026-11-30")
        assert f"openai/{path}:" in table["shutdown-source"]
        assert table["note"] == "OpenAI scheduled the shutdown of saved prompts for November 30, 2026."


def test_audio_translations_accept_only_what_the_endpoint_supports(models: dict) -> None:
    """"This endpoint supports only `whisper-1`": the other audio models lose the surface."""
    on_translations = {m for m, t in models.items() if "audio.translations" in t["surfaces"]}
    assert on_translations == {"whisper-1"}
    assert {"audio.transcriptions", "realtime.transcription"} <= set(models["gpt-4o-transcribe"]["surfaces"])


def test_image_variations_is_its_own_surface(models: dict) -> None:
    assert {"images", "images.variations"} <= set(models["dall-e-2"]["surfaces"])
    assert "image_create_variation_params.py" not in models["gpt-image-2"]["surfaces"]["images"]
    assert "image_create_variation_params.py" in models["gpt-image-2"]["surfaces"]["images.variations"]


def test_every_scanned_literal_id_is_in_the_catalog(sdk: sdk_sync.SdkFiles, layout: sdk_sync.Layout,
                                                    models: dict) -> None:
    fields = sdk_sync.scan_model_fields(sdk)
    missing = {key: sorted(set(ids) - set(models)) for key, (_, ids) in fields.items()
               if key not in layout.excluded_fields and set(ids) - set(models)}
    assert not missing


def test_layout_covers_every_model_field(sdk: sdk_sync.SdkFiles, layout: sdk_sync.Layout) -> None:
    """A `model` field added to the SDK must be mapped to a surface or excluded on purpose."""
    found = set(sdk_sync.scan_model_fields(sdk))
    mapped = [key for keys in layout.fields.values() for key in keys]
    assert len(mapped) == len(set(mapped)), "a field is mapped twice"
    assert set(layout.fields) | set(layout.resources) <= SURFACE_IDS
    assert not found - set(mapped) - set(layout.excluded_fields), "unmapped model fields"
    assert not (set(mapped) | set(layout.excluded_fields)) - found, "mapped fields the SDK no longer has"
    assert not set(mapped) & set(layout.excluded_fields)
    assert all(layout.excluded_fields.values()), "an excluded field without its reason"


def test_find_openai_package_in_another_interpreter(sdk: sdk_sync.SdkFiles) -> None:
    assert sdk_sync.find_openai_package(sys.executable) == (sdk.root, sdk.version)


@pytest.mark.slow
def test_main_writes_the_file_and_reports_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  generated: str) -> None:
    out = tmp_path / "sdk.toml"
    assert sdk_sync.main(["--today", "2000-01-01", "--output", str(out), "--report"]) == 0
    assert out.read_text(encoding="utf-8") == generated
    assert "all classified" in capsys.readouterr().err
    sdk_sync.main(["--today", "2000-01-02", "--output", str(out)])
    assert "no semantic changes" in capsys.readouterr().err


# ---- comparing catalogs -----------------------------------------------------------------------

def test_diff_reports_a_moved_date(generated: str) -> None:
    edited, count = re.subn(r'(\[models\."gpt-5"\]\nshutdown = ")2026-12-11"', r'\g<1>2027-03-01"', generated)
    assert count == 1
    assert sdk_sync.diff_catalogs(generated, edited) == ["model gpt-5: shutdown 2026-12-11 -> 2027-03-01"]


def test_diff_ignores_date_of_generation_and_sources(generated: str) -> None:
    assert sdk_sync.diff_catalogs(generated, generated) == []
    moved = re.sub(r"chat_model\.py:\d+", "chat_model.py:1", generated.replace("2000-01-01", "2001-02-03"))
    assert sdk_sync.diff_catalogs(generated, moved) == []


def test_diff_reports_models_surfaces_and_parameters(generated: str) -> None:
    removed = re.sub(r'(?s)\[models\."o1-pro"\].*?(?=\n\[models\."o1-pro-)', "", generated)
    assert sdk_sync.diff_catalogs(removed, generated) == ["new model o1-pro (responses)"]
    narrowed = generated.replace('[models."gpt-5.5".surfaces]\nassistants', '[models."gpt-5.5".surfaces]\nx_assistants')
    assert "model gpt-5.5: surface assistants added" in sdk_sync.diff_catalogs(narrowed, generated)
    without = re.sub(r'(?s)\n\[parameters\."responses\.prompt"\].*?(?=\n\[|\Z)', "", generated)
    without = re.sub(r'(?s)\n\[surfaces\."evals"\].*?(?=\n\[)', "", without)
    assert sdk_sync.diff_catalogs(without, generated) == ["new surface evals, shutdown 2026-11-30",
                                                          "new parameter responses.prompt, shutdown 2026-11-30"]


# ---- the rules, one by one, on fake SDKs ---------------------------------------------------------

LAYOUT = """
[surfaces.widgets]
fields = ["widget_create_params.py:WidgetCreateParams"]
resources = ["resources/widgets.py"]

[surfaces.gadgets]
fields = ["gadget_params.py:GadgetParams"]
resources = ["resources/gadgets/"]

[surfaces."widgets.legacy"]
resources = ["resources/widgets.py:create_legacy"]

[batch]
fields = ["types/batch_create_params.py:BatchCreateParams.endpoint"]
"""
SURFACES = """
[surfaces.widgets]
paths = ["/v1/widgets"]
[surfaces.gadgets]
paths = ["/v1/gadgets"]
[surfaces."widgets.legacy"]
paths = ["/v1/widgets/legacy"]
"""
PARAMS = '''
class WidgetCreateParams(TypedDict, total=False):
    model: Required[Literal["w-1", "w-2"]]
    """The model.

    Deprecated values:

    - "w-1": Announced shutdown date: 2027-05-01. See the page.
    """

    style: str
    """The style.{style}"""
'''
RESOURCE = '''
class Widgets(SyncAPIResource):
    {deco}
    def create(self, *, model: str, style: str) -> Widget:
        """Create a widget.{doc}

        Args:
          model: The model.

          style: The style.
        """

    {deco}
    def retrieve(self, widget_id: str) -> Widget:
        """Retrieve a widget.{doc}"""

    def create_legacy(self) -> Widget:
        """Create a legacy widget.{legacy}"""
'''


def fake(tmp_path: Path, *, deco: str = "", doc: str = "", style: str = "", legacy: str = "",
         notices: str = "", extra: dict[str, str] | None = None) -> tuple[sdk_sync.SdkFiles, Path]:
    root, rules = tmp_path / "openai", tmp_path / "rules"
    files = {"types/widget_create_params.py": PARAMS.format(style=style),
             "resources/widgets.py": RESOURCE.format(deco=deco or "", doc=doc, legacy=legacy),
             "resources/gadgets/gadgets.py": "class Gadgets:\n    def list(self):\n        pass\n",
             "types/batch_create_params.py": "class BatchCreateParams(TypedDict):\n    endpoint: str\n",
             "types/gadget_params.py": 'class GadgetParams(TypedDict):\n    model: Literal["w-1"]\n',
             **(extra or {})}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    rules.mkdir(exist_ok=True)
    (rules / "sdk-layout.toml").write_text(LAYOUT, encoding="utf-8")
    (rules / "sdk-notices.toml").write_text(notices, encoding="utf-8")
    (rules / "surfaces.toml").write_text(SURFACES, encoding="utf-8")
    return sdk_sync.SdkFiles(root, "9.9.9"), rules


def gen(sdk: sdk_sync.SdkFiles, rules: Path) -> dict:
    return tomllib.loads(sdk_sync.generate(sdk.root, sdk.version, today="2000-01-01", rules=rules))


def test_a_fake_sdk_without_notices_but_its_item(tmp_path: Path) -> None:
    catalog = gen(*fake(tmp_path))
    assert catalog["models"]["w-1"]["shutdown"] == "2027-05-01"
    assert "surfaces" not in catalog and "parameters" not in catalog


@pytest.mark.parametrize("wording", [
    "The Widgets API shut down on May 1, 2027.",
    "OpenAI scheduled its shutdown for May 1, 2027.",
    "OpenAI scheduled the shutdown of the Widgets API for May 1, 2027.",
    "The Widgets API is scheduled to permanently shut down on May 1, 2027.",
    "The endpoint was retired on May 1, 2027.",
    "The Widgets API is deprecated and will be removed on May 1, 2027.",
    "Announced shutdown date: 2027-05-01.",
    "The Widgets API sunsets on 1 May 2027.",
])
@pytest.mark.parametrize("spelling", [
    '@typing_extensions.deprecated("{}")', '@deprecated("{}")', '@typing_extensions.deprecated("{}", category=None)',
    '@warnings.deprecated(\n        "{}"\n    )',
])
def test_a_dated_decorator_on_every_method_shuts_the_surface(tmp_path: Path, wording: str, spelling: str) -> None:
    catalog = gen(*fake(tmp_path, deco=spelling.format(wording)))
    widgets = catalog["surfaces"]["widgets"]
    assert widgets["shutdown"] == "2027-05-01" and widgets["note"] == wording
    assert widgets["shutdown-source"].startswith("openai==9.9.9:openai/resources/widgets.py:")
    line = int(widgets["shutdown-source"].rsplit(":", 1)[1])
    assert wording in (tmp_path / "openai/resources/widgets.py").read_text().splitlines()[line - 1]


def test_a_dated_docstring_on_every_method_shuts_the_surface(tmp_path: Path) -> None:
    doc = "\n\n        Deprecated.\n\n        The endpoint shuts down on\n        June 2, 2027. Migrate to gadgets."
    catalog = gen(*fake(tmp_path, deco='@typing_extensions.deprecated("deprecated")', doc=doc))
    assert catalog["surfaces"]["widgets"] == {
        "shutdown": "2027-06-02", "shutdown-source": "openai==9.9.9:openai/resources/widgets.py:10",
        "note": "Deprecated. The endpoint shuts down on June 2, 2027. Migrate to gadgets."}


def test_a_notice_on_some_methods_only_stops_the_generator(tmp_path: Path) -> None:
    sdk, rules = fake(tmp_path, extra={"resources/widgets.py": RESOURCE.format(
        deco="", doc="", legacy="").replace("    def retrieve", '    @deprecated("Shut down on May 1, 2027.")\n    def retrieve')})
    with pytest.raises(sdk_sync.UnclassifiedNotices, match=r"resources/widgets\.py:.*not resources/widgets\.py:Widgets\.create"):
        gen(sdk, rules)


def test_an_endpoint_retired_without_a_date(tmp_path: Path) -> None:
    catalog = gen(*fake(tmp_path, legacy="\n\n        This endpoint is retired and no longer available.\n        "))
    assert catalog["surfaces"] == {"widgets.legacy": {
        "status": "retired", "status-source": "openai==9.9.9:openai/resources/widgets.py:20",
        "note": "This endpoint is retired and no longer available."}}


def test_a_dated_request_field_is_a_parameter(tmp_path: Path) -> None:
    style = "\n\n    This field is deprecated. OpenAI scheduled the shutdown of styles for\n    July 3, 2027.\n    "
    catalog = gen(*fake(tmp_path, style=style, notices="[[notice]]\nmatch = '^This field is deprecated\\.$'\nwhy = 'x'\n"))
    assert catalog["parameters"] == {"widgets.style": {
        "surface": "widgets", "name": "style", "shutdown": "2027-07-03",
        "shutdown-source": "openai==9.9.9:openai/types/widget_create_params.py:15",
        "note": "OpenAI scheduled the shutdown of styles for July 3, 2027."}}


def test_an_unclassified_notice_names_file_line_and_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    sdk, rules = fake(tmp_path, style="\n\n    This field will be removed soon.\n    ")
    with pytest.raises(sdk_sync.UnclassifiedNotices) as err:
        gen(sdk, rules)
    assert "openai/types/widget_create_params.py:14: 'This field will be removed soon.'" in str(err.value)
    monkeypatch.setattr("routelint.catalog_sync.command.find_openai_package", lambda python=None: (sdk.root, sdk.version))
    assert sdk_sync.main(["--rules", str(rules)]) == 2
    assert "widget_create_params.py:14" in capsys.readouterr().err


def test_an_exclusion_matches_only_its_files(tmp_path: Path) -> None:
    entry = "[[notice]]\nmatch = 'will be removed soon'\nfiles = ['{}']\nwhy = 'a test'\n"
    style = "\n\n    This field will be removed soon.\n    "
    assert "parameters" not in gen(*fake(tmp_path / "a", style=style, notices=entry.format("types/*_params.py")))
    with pytest.raises(sdk_sync.UnclassifiedNotices):
        gen(*fake(tmp_path / "b", style=style, notices=entry.format("resources/*")))


@pytest.mark.parametrize("text", [
    '# This value is deprecated\nX = 1\n',  # a comment
    'MESSAGE = "calling this is deprecated"\n',  # a string
    'class A:\n    x: int\n    """Deprecated values:\n    """\n',  # a block that lists nothing
    'class A:\n    x: int\n    """Deprecated values:\n\n    - small: no longer accepted.\n    """\n',  # an unquoted item
    'f = deprecated(helper)\n',  # not a decorator, no message
])
def test_every_kind_of_notice_must_be_classified(tmp_path: Path, text: str) -> None:
    with pytest.raises(sdk_sync.UnclassifiedNotices, match=r"openai/lib/x\.py:\d+"):
        gen(*fake(tmp_path, extra={"lib/x.py": text}))


def test_a_batch_path_must_belong_to_a_surface_that_ends(tmp_path: Path) -> None:
    batch = ('class BatchCreateParams(TypedDict):\n    endpoint: Literal["/v1/widgets"]\n    """The endpoint.\n\n'
             '    Deprecated values:\n\n    - "/v1/widgets": The Widgets API shut down on May 1, 2027. Batch creation\n'
             '      no longer accepts this endpoint.\n    """\n')
    with pytest.raises(sdk_sync.UnclassifiedNotices, match="surface widgets is neither shut down nor retired"):
        gen(*fake(tmp_path / "a", extra={"types/batch_create_params.py": batch}))
    sdk, rules = fake(tmp_path / "b", deco='@deprecated("Shut down on May 1, 2027.")',
                      extra={"types/batch_create_params.py": batch})
    assert gen(sdk, rules)["surfaces"]["widgets"]["shutdown"] == "2027-05-01"
    sdk, rules = fake(tmp_path / "c", deco='@deprecated("Shut down on May 2, 2027.")',
                      extra={"types/batch_create_params.py": batch})
    with pytest.raises(sdk_sync.UnclassifiedNotices, match="2027-05-01 here, but surface widgets shuts down on 2027-05-02"):
        gen(sdk, rules)


def test_the_endpoint_supports_only(tmp_path: Path) -> None:
    sdk, rules = fake(tmp_path, doc="\n\n        This endpoint only supports `w-2`.")
    models = gen(sdk, rules)["models"]
    assert models["w-2"]["surfaces"] == {"widgets": "openai==9.9.9:openai/resources/widgets.py:7"}
    assert list(models["w-1"]["surfaces"]) == ["gadgets"]
    with pytest.raises(ValueError, match="w-2 is listed only where the endpoint does not support it"):
        gen(*fake(tmp_path / "a", doc="\n\n        This endpoint supports only `w-1`."))
    sdk, rules = fake(tmp_path / "b", doc="\n\n        This endpoint supports only `w-3`.")
    with pytest.raises(ValueError, match=r"widgets supports only \['w-3'\], but its fields do not list"):
        gen(sdk, rules)


def test_a_dated_comment_on_a_literal_item_is_a_model_fact(tmp_path: Path) -> None:
    params = PARAMS.replace('model: Required[Literal["w-1", "w-2"]]',
                            'model: Required[Literal[\n        "w-1",\n        "w-2",  # shut down on June 9, 2027\n    ]]')
    catalog = gen(*fake(tmp_path, extra={"types/widget_create_params.py": params.format(style="")}))
    assert catalog["models"]["w-2"]["shutdown"] == "2027-06-09"
    assert catalog["models"]["w-2"]["shutdown-source"] == "openai==9.9.9:openai/types/widget_create_params.py:5"


def test_an_unmapped_field_stops_the_generator(tmp_path: Path) -> None:
    sdk, rules = fake(tmp_path, extra={"types/new_params.py": 'class NewParams:\n    model: Literal["x-1", "x-2"]\n'})
    with pytest.raises(ValueError, match=r"new_params\.py:NewParams"):
        gen(sdk, rules)


def test_a_layout_entry_the_sdk_lacks_stops_the_generator(tmp_path: Path) -> None:
    sdk, rules = fake(tmp_path)
    (sdk.root / "resources/gadgets/gadgets.py").unlink()
    shutil.rmtree(sdk.root / "resources/gadgets")
    with pytest.raises(ValueError, match="gadgets: resource resources/gadgets/"):
        gen(sdk, rules)


def test_conflicting_dates_name_both_places(tmp_path: Path) -> None:
    block = 'M = Literal["w-2"]\n"""Deprecated values:\n\n- "w-2": Announced shutdown date:\n  {}. See x.\n"""\n'
    sdk, rules = fake(tmp_path, extra={"types/shared/m.py": block.format("2026-01-01"),
                                       "types/other.py": block.format("2027-01-01")})
    with pytest.raises(ValueError) as err:
        gen(sdk, rules)
    assert "types/shared/m.py:5" in str(err.value) and "types/other.py:5" in str(err.value)


# ---- moving to another SDK release ----------------------------------------------------------------

def test_bump_rewrites_the_sources_the_docs_cite() -> None:
    from routelint.catalog_sync.bump import rewrite_doc, source_moves

    old = '[models."a"]\nshutdown-source = "openai==1.0.0:openai/x.py:7"\n[models."a".surfaces]\ns = "openai==1.0.0:openai/y.py:70"\n'
    new = old.replace("1.0.0", "1.1.0").replace("x.py:7", "x.py:9")
    moves = source_moves(old, new)
    assert moves == {"openai==1.0.0:openai/x.py:7": "openai==1.1.0:openai/x.py:9",
                     "openai==1.0.0:openai/y.py:70": "openai==1.1.0:openai/y.py:70"}
    doc = ("from the `openai` Python SDK (1.0.0) by\n(source: openai==1.0.0:openai/x.py:7), not x.py:70\n"
           "`generated-from = \"openai==1.0.0\"`; openai==1.0.0:openai/z.py:1 is hand-written; 1.0.01\n")
    assert rewrite_doc(doc, "1.0.0", "1.1.0", moves) == (
        "from the `openai` Python SDK (1.1.0) by\n(source: openai==1.1.0:openai/x.py:9), not x.py:70\n"
        "`generated-from = \"openai==1.1.0\"`; openai==1.0.0:openai/z.py:1 is hand-written; 1.0.01\n")


def test_bump_sets_the_test_pin_and_keeps_its_marker() -> None:
    from routelint.catalog_sync.bump import _pin

    text = 'test = [\n    "pytest>=7",\n    "openai==3.51.0; python_version >= \'3.10\'",\n]\n'
    assert _pin(text, "3.63.0") == text.replace("3.51.0", "3.63.0")
    assert _pin('x = ["openai==1.2"]', "1.3") == 'x = ["openai==1.3"]'


@pytest.mark.slow
def test_bump_is_one_command(tmp_path: Path, sdk: sdk_sync.SdkFiles, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """--bump on a checkout generated from an older release: sdk.toml, the pin and the docs follow."""
    repo = tmp_path / "repo"
    shutil.copytree(RULES, repo / "rules")
    old = SDK_TOML.read_text(encoding="utf-8").replace(f"openai=={sdk.version}", "openai==0.0.1")
    (repo / "rules" / "sdk.toml").write_text(old, encoding="utf-8")
    (repo / "pyproject.toml").write_text('test = ["openai==0.0.1; python_version >= \'3.10\'"]\n', encoding="utf-8")
    source = tomllib.loads(old)["surfaces"]["videos"]["shutdown-source"]
    (repo / "README.md").write_text(f"Python SDK (0.0.1); (source: {source})\n", encoding="utf-8")
    monkeypatch.setattr("routelint.catalog_sync.bump.find_openai_package", lambda python=None: (sdk.root, sdk.version))
    assert sdk_sync.main(["--bump", "--repo", str(repo), "--today", "2000-01-01"]) == 0
    assert _without_date((repo / "rules" / "sdk.toml").read_text()) == _without_date(SDK_TOML.read_text())
    assert f'"openai=={sdk.version}; python_version' in (repo / "pyproject.toml").read_text()
    assert (repo / "README.md").read_text() == (
        f"Python SDK ({sdk.version}); (source: {source.replace('0.0.1', sdk.version)})\n")
    assert f"openai 0.0.1 -> {sdk.version}" in capsys.readouterr().err
