"""A CliRunner that keeps standard output and standard error apart on every supported click."""
from __future__ import annotations

from click.testing import CliRunner


def separate_streams() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes them by default
    except TypeError:  # click >= 8.2 always keeps them apart (and dropped the argument)
        return CliRunner()
