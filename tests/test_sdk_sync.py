"""Tests of the sdk.toml generator against the installed ``openai`` SDK (the test extra pins it)."""

from __future__ import annotations

import difflib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

if importlib.util.find_spec("openai") is None:
    pytest.skip("the openai SDK is not installed", allow_module_level=True)

from routelint import sdk_sync  # noqa: E402

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

SDK_TOML = Path(__file__).resolve().parents[1] / "rules" / "sdk.toml"
SURFACE_IDS = {  # rules/README.md
    "chat.completions", "responses", "responses.image_generation", "realtime", "realtime.transcription",
    "images", "videos", "audio.speech", "audio.transcriptions", "audio.translations", "embeddings",
    "moderations", "completions", "assistants", "fine_tuning", "live",
}


@pytest.fixture(scope="module")
def sdk() -> sdk_sync.SdkFiles:
    return sdk_sync.SdkFiles(*sdk_sync.find_openai_package())


@pytest.fixture(scope="module")
def generated(sdk: sdk_sync.SdkFiles) -> str:
    return sdk_sync.generate(sdk.root, sdk.version, today="2000-01-01")


@pytest.fixture(scope="module")
def models(generated: str) -> dict:
    return tomllib.loads(generated)["models"]


def _without_date(text: str) -> list[str]:
    return re.sub(r'(?m)^generated-on = ".*"$', 'generated-on = "<today>"', text).splitlines(keepends=True)


def test_committed_catalog_is_up_to_date(generated: str) -> None:
    committed = SDK_TOML.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(_without_date(committed), _without_date(generated),
                                        "rules/sdk.toml (committed)", "rules/sdk.toml (regenerated)"))
    assert not diff, f"rules/sdk.toml is stale: run `python -m routelint.sdk_sync --output rules/sdk.toml`\n{diff}"


def test_output_is_valid_and_follows_the_schema(generated: str) -> None:
    catalog = tomllib.loads(generated)
    assert set(catalog) == {"meta", "models", "surfaces"}
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
        assert surface in SURFACE_IDS and set(table) <= {"shutdown", "shutdown-source", "note"}


def test_spot_facts(models: dict) -> None:
    assert models["gpt-5"]["shutdown"] == "2026-12-11"
    assert models["gpt-4o-2024-05-13"]["shutdown"] == "2026-10-23"
    assert models["gpt-4o-2024-05-13"]["snapshot-of"] == "gpt-4o"
    assert models["gpt-4o"]["shutdown"] == "2027-01-14"
    assert models["gpt-image-1"]["shutdown"] == "2026-10-23"
    assert models["gpt-image-1"]["replacements"] == ["gpt-image-2.5-sunburst", "gpt-image-2.5-flare"]
    assert "replacements" not in models["dall-e-3"] and "GPT image model" in models["dall-e-3"]["note"]
    assert models["sora-2"]["shutdown"] == "2026-09-24"
    assert models["sora-2"]["shutdown-source"].startswith("openai==3.51.0:openai/resources/videos.py:")
    assert set(models["gpt-5.5-pro"]["surfaces"]) == {"responses"}
    assert "realtime" in models["gpt-realtime-1.5"]["surfaces"]
    assert "chat.completions" not in models["gpt-realtime-1.5"]["surfaces"]
    assert "realtime" in models["gpt-audio-1.5"]["surfaces"]
    assert models["gpt-5.1-mini"]["status"] == "unsupported" and models["gpt-5.1-mini"]["note"]
    assert models["gpt-3.5-turbo-0125"]["snapshot-of"] == "gpt-3.5-turbo"
    for not_a_model in ("256x256", "hd", "standard", "auto", "gpt-4o-mini-tts-2025-03-20"):
        assert not_a_model not in models


def test_sources_point_at_the_fact(sdk: sdk_sync.SdkFiles, models: dict) -> None:
    """A source names the line that holds the fact, e.g. the date of a wrapped item."""
    for model, key, needle in [("gpt-5", "shutdown-source", "2026-12-11"),
                               ("gpt-image-1", "shutdown-source", "October 23, 2026"),
                               ("gpt-5.5-pro", None, "model:")]:
        source = models[model][key] if key else models[model]["surfaces"]["responses"]
        path, line = re.fullmatch(r"openai==[^:]+:openai/(.+):(\d+)", source).groups()  # type: ignore[union-attr]
        assert needle in sdk.lines(path)[int(line) - 1], source


def test_surface_shutdowns(generated: str) -> None:
    surfaces = tomllib.loads(generated)["surfaces"]
    assert surfaces["videos"]["shutdown"] == "2026-09-24"
    assert "Sora API" in surfaces["videos"]["note"]
    assert surfaces["audio.translations"]["shutdown"] == "2027-02-26"
    assert "assistants" not in surfaces  # deprecated without a date


def test_every_scanned_literal_id_is_in_the_catalog(sdk: sdk_sync.SdkFiles, models: dict) -> None:
    fields = sdk_sync.scan_model_fields(sdk)
    missing = {key: sorted(set(ids) - set(models)) for key, (_, ids) in fields.items()
               if key not in sdk_sync.EXCLUDED_FIELDS and set(ids) - set(models)}
    assert not missing


def test_mapping_covers_every_model_field(sdk: sdk_sync.SdkFiles) -> None:
    """A `model` field added to the SDK must be mapped to a surface or excluded on purpose."""
    found = set(sdk_sync.scan_model_fields(sdk))
    mapped = [key for keys in sdk_sync.SURFACE_FIELDS.values() for key in keys]
    assert len(mapped) == len(set(mapped)), "a field is mapped twice"
    assert set(sdk_sync.SURFACE_FIELDS) <= SURFACE_IDS
    assert not found - set(mapped) - set(sdk_sync.EXCLUDED_FIELDS), "unmapped model fields"
    assert not (set(mapped) | set(sdk_sync.EXCLUDED_FIELDS)) - found, "mapped fields the SDK no longer has"
    assert not set(mapped) & set(sdk_sync.EXCLUDED_FIELDS)


def _fake_sdk(tmp_path: Path, files: dict[str, str]) -> sdk_sync.SdkFiles:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / "resources").mkdir(exist_ok=True)
    return sdk_sync.SdkFiles(tmp_path, "9.9.9")


def test_an_unmapped_field_stops_the_generator(tmp_path: Path) -> None:
    sdk = _fake_sdk(tmp_path, {"types/new_params.py":
                               'class NewParams:\n    model: Literal["x-1", "x-2"]\n'})
    with pytest.raises(ValueError, match=r"new_params\.py:NewParams"):
        sdk_sync.model_surfaces(sdk)


def test_conflicting_dates_name_both_places(tmp_path: Path) -> None:
    block = 'M = Literal["x-1"]\n"""Deprecated values:\n\n- "x-1": Announced shutdown date:\n  {}. See x.\n"""\n'
    sdk = _fake_sdk(tmp_path, {"types/shared/m.py": block.format("2026-01-01"),
                               "types/other.py": block.format("2027-01-01")})
    with pytest.raises(ValueError) as err:
        sdk_sync.model_facts(sdk, ["x-1"])
    assert "types/shared/m.py:5" in str(err.value) and "types/other.py:5" in str(err.value)


def test_diff_reports_a_moved_date(generated: str) -> None:
    edited, count = re.subn(r'(\[models\."gpt-5"\]\nshutdown = ")2026-12-11"', r'\g<1>2027-03-01"', generated)
    assert count == 1
    assert sdk_sync.diff_catalogs(generated, edited) == ["model gpt-5: shutdown 2026-12-11 -> 2027-03-01"]


def test_diff_ignores_date_of_generation_and_sources(generated: str) -> None:
    assert sdk_sync.diff_catalogs(generated, generated) == []
    moved = re.sub(r"chat_model\.py:\d+", "chat_model.py:1", generated.replace("2000-01-01", "2001-02-03"))
    assert sdk_sync.diff_catalogs(generated, moved) == []


def test_diff_reports_models_and_surfaces(generated: str) -> None:
    removed = re.sub(r'(?s)\[models\."o1-pro"\].*?(?=\n\[models\."o1-pro-)', "", generated)
    changes = sdk_sync.diff_catalogs(removed, generated)
    assert changes == ["new model o1-pro (responses)"]
    narrowed = generated.replace('[models."gpt-5.5".surfaces]\nassistants', '[models."gpt-5.5".surfaces]\nx_assistants')
    assert "model gpt-5.5: surface assistants added" in sdk_sync.diff_catalogs(narrowed, generated)


def test_main_writes_the_file_and_reports_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  generated: str) -> None:
    out = tmp_path / "sdk.toml"
    assert sdk_sync.main(["--today", "2000-01-01", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == generated
    sdk_sync.main(["--today", "2000-01-02", "--output", str(out)])
    assert "no semantic changes" in capsys.readouterr().err


def test_find_openai_package_in_another_interpreter(sdk: sdk_sync.SdkFiles) -> None:
    assert sdk_sync.find_openai_package(sys.executable) == (sdk.root, sdk.version)
