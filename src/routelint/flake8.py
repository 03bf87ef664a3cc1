"""The flake8 plugin: `flake8 --select RL` (or `extend-select = RL`) reports routelint's findings.

Registered as the `RL` entry point of `flake8.extension` (pyproject.toml); flake8 loads it when
routelint is installed beside it. Each file goes through `hosted.file_findings`, so a settings
module checked by flake8 still sees the modules that send its constants somewhere. flake8's own
`# noqa` handling applies on top of routelint's; each file is checked with its nearest
routelint config, as the command line checks it.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator

from routelint import __version__


class Plugin:
    name = "routelint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        # flake8 hands a tree to every plugin that asks for one; routelint parses on its own.
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from routelint.hosted import file_findings

        text = "".join(self.lines)
        standard_input = self.filename in ("stdin", "-")
        name = "stdin.py" if standard_input else self.filename
        for finding in file_findings(name, text):
            yield finding.start[0], finding.start[1] - 1, f"{finding.code} {finding.message}", type(self)
