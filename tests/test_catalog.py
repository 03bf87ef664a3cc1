"""The catalog loader: the shipped files agree and cover the model map; bad files fail clearly."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from routelint.catalog import load_catalog
from routelint.catalog_data import CatalogError, spelling_key

CATALOG = load_catalog()


def test_every_model_map_row_is_in_the_catalog() -> None:
    labels = {
        "GPT-5.5 Instant": ("chat-latest", "unsafe"),
        "GPT-5.5 Thinking": ("gpt-5.5", "unsafe"),
        "GPT-5.5 Pro": ("gpt-5.5-pro", "safe"),
        "GPT Image 2": ("gpt-image-2", "safe"),
        "ChatGPT Images 2.0": ("gpt-image-2", "unsafe"),
        "GPT-5.3-Codex": ("gpt-5.3-codex", "safe"),
        "Realtime 1.5": ("gpt-realtime-1.5", "safe"),
        "GPT-Realtime-1.5": ("gpt-realtime-1.5", "safe"),
        "Audio 1.5": ("gpt-audio-1.5", "safe"),
        "GPT-Audio-1.5": ("gpt-audio-1.5", "safe"),
        "Sora 2": ("sora-2", "safe"),
        "Sora 2 Pro": ("sora-2-pro", "safe"),
    }
    for text, (target, fix) in labels.items():
        label = CATALOG.labels[text.casefold()]
        assert (label.target, label.fix) == (target, fix), text
        assert label.source
    for model_id in ("gpt-5.5", "gpt-5.5-pro", "gpt-image-2", "gpt-5.3-codex", "gpt-realtime-1.5", "gpt-audio-1.5", "sora-2", "sora-2-pro", "chat-latest"):
        assert model_id in CATALOG.models
    assert CATALOG.models["sora-2"].shutdown == dt.date(2026, 9, 24)
    assert CATALOG.surfaces["videos"].shutdown == dt.date(2026, 9, 24)
    assert set(CATALOG.models["gpt-5.5-pro"].surfaces) == {"responses"}
    assert "chat.completions" in CATALOG.models["gpt-audio-1.5"].surfaces
    assert CATALOG.models["gpt-audio-1.5"].off_route["realtime"].prefer == "gpt-realtime-1.5"


def test_required_surfaces_exist_with_call_paths() -> None:
    required = {
        "chat.completions", "responses", "realtime", "images", "videos", "audio.speech",
        "audio.transcriptions", "audio.translations", "embeddings", "moderations", "completions",
        "assistants", "fine_tuning",
    }
    assert required <= set(CATALOG.surfaces)
    for surface_id in required:
        assert CATALOG.surfaces[surface_id].calls, surface_id


def test_every_fact_has_a_source() -> None:
    for model in CATALOG.models.values():
        assert all(model.surfaces.values())
        assert model.shutdown is None or model.shutdown_source
        assert not model.replacements or model.replacements_source
    for surface in CATALOG.surfaces.values():
        assert surface.calls_source and surface.closed_source
        assert surface.shutdown is None or surface.shutdown_source


def test_spelling_keys_are_unambiguous_and_fold_case_and_separators() -> None:
    assert spelling_key("GPT_Image 2") == spelling_key("gpt-image-2")
    assert CATALOG.spellings[spelling_key("gpt5.5")] == "gpt-5.5"
    assert CATALOG.spellings[spelling_key("gpt-5.5-instant")] == "chat-latest"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, words",
    [
        ('[models."x"]\ncolour = "red"\n', ["extra.toml", "'x'", "colour"]),
        ('[models."x"]\nshutdown = "2026-13-45"\nshutdown-source = "s"\n', ["extra.toml", "malformed date"]),
        ('[models."x"]\nshutdown = "2026-01-01"\n', ["extra.toml", "shutdown-source"]),
        ('[models."x"]\nreplacements = ["nope"]\nreplacements-source = "s"\n', ["extra.toml", "'nope'", "not in the catalog"]),
        ('[models."x".surfaces]\nwarp = "s"\n', ["extra.toml", "unknown surface"]),
        ('[labels."Thing"]\ntarget = "nope"\nfix = "safe"\nnote = "n"\nsource = "s"\n', ["extra.toml", "Thing", "not in the catalog"]),
        ('[models."x"]\n[models."x"]\n', ["extra.toml", "invalid TOML"]),
        ("[widgets]\n", ["extra.toml", "widgets"]),
        ('[surfaces."x"]\ntitle = "X"\npaths = ["/v1/x"]\n', ["extra.toml", "'x'", "paths-source"]),
        ('[surfaces."x"]\ntitle = "X"\npaths = ["v1/x"]\npaths-source = "s"\n', ["extra.toml", "must start with '/'"]),
        ('[http]\nhosts = ["api.example.com"]\n', ["extra.toml", "hosts-source"]),
        ('[http]\nports = [443]\n', ["extra.toml", "[http]"]),
        ('[wrappers."lib.Chat"]\nsurfaces = ["responses"]\narguments = ["model"]\n', ["extra.toml", "lib.Chat", "source"]),
        ('[wrappers."lib.Chat"]\nsurfaces = ["warp"]\narguments = ["model"]\nsource = "s"\n', ["extra.toml", "lib.Chat", "unknown surface"]),
        ('[wrappers."lib.Chat"]\nsurfaces = []\narguments = ["model"]\ncolour = 1\nsource = "s"\n', ["extra.toml", "lib.Chat", "colour"]),
        ('[wrappers."lib.Chat"]\nsurfaces = []\narguments = ["a b"]\nsource = "s"\n', ["extra.toml", "lib.Chat", "arguments"]),
        ('[wrappers."Chat"]\nsurfaces = []\narguments = ["model"]\nsource = "s"\n', ["extra.toml", "package.Name"]),
        ('[wrappers."lib.Chat"]\narguments = ["model"]\nwhen = { "x=1" = ["responses"] }\nsource = "s"\n', ["extra.toml", "keyword=True"]),
        ('[models."m"]\nunknown-on = { warp = "why" }\n', ["extra.toml", "'m'", "unknown-on"]),
        ('[models."m"]\nunknown-on = { responses = "" }\n', ["extra.toml", "'m'", "unknown-on"]),
        ('[prefixes."corp:"]\nsurfaces = ["responses"]\n', ["extra.toml", "corp:", "source"]),
        ('[prefixes."openai"]\nsource = "s"\n', ["extra.toml", "ends in"]),
        ('[prefixes."corp/"]\ndeployment = "yes"\nsource = "s"\n', ["extra.toml", "deployment"]),
        ('[sdk]\npackage = "openai2"\n', ["extra.toml", "[sdk]", "package-source"]),
        ('[sdk]\npackage-source = "s"\n', ["extra.toml", "[sdk]", "package-source without package"]),
        ('[sdk]\nclients = "OpenAI"\nclients-source = "s"\n', ["extra.toml", "[sdk]", "clients", "list of strings"]),
        ('[azure]\nclients = []\nclients-source = "s"\n', ["extra.toml", "[azure]", "clients", "non-empty"]),
        ('[http-libraries]\nverbs = ["post"]\n', ["extra.toml", "[http-libraries]", "verbs"]),
        ('[model-keywords]\nsuffixes = ["model", 1]\nsuffixes-source = "s"\n', ["extra.toml", "[model-keywords]", "suffixes"]),
        ('[response-types]\npackages = ["openai"]\npackages-source = " "\n', ["extra.toml", "packages-source"]),
    ],
)
def test_bad_catalog_files_fail_naming_file_and_entry(tmp_path: Path, text: str, words: list[str]) -> None:
    with pytest.raises(CatalogError) as error:
        load_catalog([write(tmp_path, text)])
    for word in words:
        assert word in str(error.value)


def test_user_files_override_shipped_values(tmp_path: Path) -> None:
    catalog = load_catalog([write(tmp_path, '[models."gpt-4"]\nshutdown = "2030-01-01"\nshutdown-source = "ours"\n')])
    assert catalog.models["gpt-4"].shutdown == dt.date(2030, 1, 1)
    assert catalog.models["gpt-4"].shutdown_source == "ours"
    assert catalog.digest != CATALOG.digest


def _shipped_catalog_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, added: str) -> str:
    """The error of loading the shipped rules with `added` appended to the shipped file `name`."""
    import shutil

    from routelint import catalog as catalog_module

    rules = tmp_path / "rules"
    shutil.copytree(catalog_module.rules_dir(), rules)
    with open(rules / name, "a") as stream:
        stream.write(added)
    monkeypatch.setattr(catalog_module, "rules_dir", lambda: rules)
    with pytest.raises(CatalogError) as error:
        load_catalog()
    return str(error.value)


def test_shipped_files_that_disagree_fail_naming_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    added = '\n[models."gpt-5"]\nshutdown = "2030-01-01"\nshutdown-source = "a mistake"\n'
    message = _shipped_catalog_error(tmp_path, monkeypatch, "curated.toml", added)
    assert "curated.toml" in message and "sdk.toml" in message and "gpt-5" in message and "2030-01-01" in message


def test_wrappers_prefixes_and_hosts_carry_their_sources() -> None:
    assert CATALOG.wrappers["langchain_openai.ChatOpenAI"].surfaces == ("chat.completions", "responses")
    assert CATALOG.wrappers["agents.RealtimeRunner"].arguments == ("config.model_settings.model_name",)
    assert all(w.source for w in CATALOG.wrappers.values())
    assert CATALOG.prefixes["azure/"].deployment and CATALOG.prefixes["openai-chat:"].surfaces == ("chat.completions",)
    assert "api.openai.com" in CATALOG.hosts
    for surface in CATALOG.surfaces.values():
        assert not surface.paths or surface.paths_source


def test_code_facts_carry_their_sources() -> None:
    """rules/code.toml: every fact of the schema is there, with a source naming the package,
    version, file and line it was read from."""
    from routelint.catalog_code import SCHEMA

    code = CATALOG.code
    assert set(code.sources) == {f"{section}.{key}" for section, keys in SCHEMA.items() for key in keys}
    for name, source in code.sources.items():
        assert re.search(r"[\w.-]+==[\w.]+:[\w/.]+\.py:\d+", source), (name, source)
    assert code.sdk.package == "openai" and code.sdk.path_prefix == "/v1/"
    assert code.sdk.response_wrappers == {"with_raw_response", "with_streaming_response"}
    assert code.azure.clients == {"AzureOpenAI", "AsyncAzureOpenAI"}
    assert code.http.raw_body_keywords == ("data", "content")
    assert all(path.startswith(code.sdk.path_prefix) for s in CATALOG.surfaces.values() for path in s.paths)


def test_user_files_override_code_facts_and_shipped_ones_must_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = '[model-keywords]\nsuffixes = ["model", "engine"]\nsuffixes-source = "ours"\n'
    catalog = load_catalog([write(tmp_path, extra)])
    assert catalog.code.model_keyword_suffixes == ("model", "engine")
    assert catalog.code.sources["model-keywords.suffixes"] == "ours"
    assert catalog.code.sdk == CATALOG.code.sdk
    added = '\n[sdk]\npackage = "openai2"\npackage-source = "a mistake"\n'
    message = _shipped_catalog_error(tmp_path, monkeypatch, "wrappers.toml", added)
    assert "wrappers.toml" in message and "code.toml" in message and "sdk.package" in message


def test_user_files_add_wrappers(tmp_path: Path) -> None:
    extra = '[wrappers."ourlib.Chat"]\nsurfaces = ["responses"]\narguments = ["engine"]\nsource = "ourlib docs"\n'
    catalog = load_catalog([write(tmp_path, extra)])
    assert catalog.wrappers["ourlib.Chat"].arguments == ("engine",)
