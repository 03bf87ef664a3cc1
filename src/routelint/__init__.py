"""routelint: lint Python code for OpenAI model strings that are wrong for where they go."""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def register(linter: Any) -> None:
    """`pylint --load-plugins=routelint`: pylint calls the named module's `register`. The plugin
    is `routelint.pylint`; pylint is asked to load it by name (it loads a name once, so naming
    both modules registers the checker once). Nothing is imported here: the package stays free
    of pylint for everyone else."""
    linter.load_plugin_modules(["routelint.pylint"])
