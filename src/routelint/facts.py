"""The facts the extractor hands to the checks: plain values, judged by nobody yet.

They live apart from the extractor so that the checks (and everything that only reads rule
metadata: --list-rules, --explain, the docs) can be imported without importing LibCST.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True)
class ModelUse:
    """A string in a model context."""

    value: str
    node: cst.CSTNode  # the string literal; findings are reported here
    context: str  # keyword, assignment, dict, subscript, parameter, environment
    surface: str | None = None  # the API surface it is sent to, when known
    call: str | None = None  # the SDK call path that gives the surface
    call_node: cst.CSTNode | None = None  # where that call is (for messages)
    rewritable: bool = True  # a plain string literal whose content can be replaced exactly
    why_not_rewritable: str | None = None


@dataclass(frozen=True)
class ApiCall:
    """A call that reaches an SDK surface."""

    path: str  # the matched SDK method path, e.g. videos.create
    surface: str
    node: cst.CSTNode  # the called expression (client.videos.create)
