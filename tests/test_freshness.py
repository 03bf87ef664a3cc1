"""The installed SDK is compared with the catalog's from its metadata, never by importing it."""
from __future__ import annotations

import subprocess
import sys

from routelint.freshness import installed_sdk, newer_sdk_note

META = {"generated-from": "openai==3.63.0"}


def test_a_newer_sdk_is_named_with_the_command_that_reads_it() -> None:
    note = newer_sdk_note(META, (3, 64, 1))
    assert note == (
        "openai 3.64.1 is installed here, newer than the catalog's openai==3.63.0: "
        "`routelint --sync-catalog` reads its models and shutdown dates"
    )


def test_the_same_or_an_older_sdk_or_none_says_nothing() -> None:
    assert newer_sdk_note(META, (3, 63, 0)) is None
    assert newer_sdk_note(META, (3, 51, 0)) is None
    assert newer_sdk_note({"generated-from": "by hand"}, (9, 0)) is None


def test_the_installed_version_is_read_without_importing_openai() -> None:
    code = "import sys; from routelint.freshness import installed_sdk; installed_sdk(); print('openai' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert installed_sdk() is None or all(isinstance(part, int) for part in installed_sdk())  # type: ignore[union-attr]


def test_version_names_every_active_overlay(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import re

    from click.testing import CliRunner

    from routelint.catalog import rules_dir
    from routelint.cli import main

    shipped = (rules_dir() / "sdk.toml").read_text(encoding="utf-8")
    (tmp_path / "sdk-new.toml").write_text(re.sub(r'generated-from = "[^"]+"', 'generated-from = "openai==99.0.0"', shipped), encoding="utf-8")
    (tmp_path / "ours.toml").write_text('[models."gpt-5.5"]\nnote = "x"\nnote-source = "y"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.routelint]\nextend-catalog = ["sdk-new.toml", "ours.toml"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    output = CliRunner().invoke(main, ["--version"]).output
    assert f"SDK overlay from openai==99.0.0: {tmp_path / 'sdk-new.toml'}" in output
    assert f"catalog extension: {tmp_path / 'ours.toml'}" in output
