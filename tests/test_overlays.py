"""Catalogs written by `--sync-catalog` (their [meta] names the SDK): a newer one replaces the
shipped sdk.toml, removals included; an older one is refused, since it would undo newer facts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from routelint.catalog import load_catalog, rules_dir, sdk_version, shipped_meta
from routelint.catalog_data import CatalogError

SHIPPED = (rules_dir() / "sdk.toml").read_text(encoding="utf-8")
VERSION = sdk_version(shipped_meta())


def overlay(tmp_path: Path, version: str, text: str = SHIPPED) -> Path:
    path = tmp_path / f"openai-{version}.toml"
    path.write_text(re.sub(r'generated-from = "openai==[^"]+"', f'generated-from = "openai=={version}"', text), encoding="utf-8")
    return path


def test_an_overlay_from_an_older_sdk_is_refused(tmp_path: Path) -> None:
    assert VERSION is not None and VERSION > (3, 0)
    path = overlay(tmp_path, "3.0.0")
    with pytest.raises(CatalogError, match=r"generated from openai==3\.0\.0, older than the catalog routelint ships"):
        load_catalog([path])


def test_a_newer_overlay_replaces_the_shipped_facts_removals_included(tmp_path: Path) -> None:
    shipped = load_catalog()
    gone = "gpt-3.5-turbo-16k-0613"  # a dated snapshot nothing else in the catalog refers to
    assert gone in shipped.models
    text = re.sub(rf'\n\[models\."{re.escape(gone)}"\][^\[]*(\[models\."{re.escape(gone)}"\.surfaces\][^\[]*)?', "\n", SHIPPED)
    newer = load_catalog([overlay(tmp_path, "99.0.0", text)])
    assert gone not in newer.models
    assert set(shipped.models) - set(newer.models) == {gone}
    assert newer.meta["generated-from"] == "openai==99.0.0"


def test_two_sdk_overlays_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="only one catalog generated from the SDK"):
        load_catalog([overlay(tmp_path, "98.0.0"), overlay(tmp_path, "99.0.0")])


def test_a_hand_written_extension_still_overrides_shipped_values(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text('[models."gpt-5.5"]\nnote = "ours"\nnote-source = "internal"\n', encoding="utf-8")
    assert load_catalog([path]).models["gpt-5.5"].note == "ours"
