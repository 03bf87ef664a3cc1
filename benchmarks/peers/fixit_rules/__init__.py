"""Fixit 2 (LibCST) equivalents of three routelint rules, written for benchmarks/run.py only.

They cover the same syntax as benchmarks/peers/semgrep.yml: `model=` keywords, assignments to a
name or attribute containing "model", dict "model" keys. The labels are those of
rules/curated.toml. They are plain Fixit rules (default metadata, as a Fixit user writes them), so
the benchmark measures what the Fixit route costs. Check them with
`PYTHONPATH=benchmarks/peers fixit test fixit_rules`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst
from fixit import Invalid, LintRule, Valid

LABELS = frozenset(
    label.casefold()
    for label in (
        "GPT-5.5 Instant", "GPT-5.5 Thinking", "GPT-5.5 Pro", "GPT Image 2", "ChatGPT Images 2.0",
        "GPT-5.3-Codex", "Realtime 1.5", "Audio 1.5", "Sora 2", "Sora 2 Pro",
    )
)
REALTIME_MODEL = re.compile(r"gpt-(4o-(mini-)?)?realtime")
VIDEO_METHODS = frozenset({
    "create", "retrieve", "list", "delete", "create_character", "download_content", "edit",
    "extend", "get_character", "remix", "create_and_poll", "poll",
})
RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})


def _text(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _chain(node: cst.BaseExpression) -> tuple[str, ...]:
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    parts.append(node.value if isinstance(node, cst.Name) else "")
    return tuple(reversed([p for p in parts if p not in RESPONSE_WRAPPERS]))


def _model_keyword(node: cst.Call) -> Iterator[cst.BaseExpression]:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "model":
            yield arg.value


class DisplayNameAsModelId(LintRule):
    """A ChatGPT or product label is used as an API model ID (routelint RL101)."""

    MESSAGE = "A ChatGPT or product label is used as an API model ID"
    VALID = [
        Valid('client.images.generate(model="gpt-image-2")'),
        Valid('title = "GPT Image 2"'),
    ]
    INVALID = [
        Invalid('client.images.generate(model="GPT Image 2")'),
        Invalid('self.default_model = "Sora 2"'),
        Invalid('config = {"model": "gpt image 2"}'),
    ]

    def _check(self, value: cst.BaseExpression) -> None:
        text = _text(value)
        if text is not None and text.strip().casefold() in LABELS:
            self.report(value)

    def visit_Call(self, node: cst.Call) -> None:
        for value in _model_keyword(node):
            self._check(value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target.target
            if isinstance(name, cst.Attribute):
                name = name.attr
            if isinstance(name, cst.Name) and "model" in name.value.casefold():
                self._check(node.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if _text(node.key) == "model":
            self._check(node.value)


class ShutDownVideosApi(LintRule):
    """A call into the Videos API (Sora), which shut down on 2026-09-24 (routelint RL203)."""

    MESSAGE = "A call into the Videos API (Sora), which shut down on 2026-09-24"
    VALID = [
        Valid('import openai\nclient.images.generate(model="gpt-image-2")'),
        Valid("youtube.videos.list()"),
    ]
    INVALID = [
        Invalid('import openai\nclient.videos.create(model="sora-2")'),
        Invalid('from openai import OpenAI\nOpenAI().videos.with_raw_response.retrieve("v")'),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.imports_openai = False

    def visit_Module(self, node: cst.Module) -> None:
        self.imports_openai = False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = alias.name
            while isinstance(name, cst.Attribute):
                name = name.value
            if isinstance(name, cst.Name) and name.value == "openai":
                self.imports_openai = True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = node.module
        while isinstance(module, cst.Attribute):
            module = module.value
        if not node.relative and isinstance(module, cst.Name) and module.value == "openai":
            self.imports_openai = True

    def visit_Call(self, node: cst.Call) -> None:
        chain = _chain(node.func)
        if len(chain) >= 2 and chain[-2] == "videos" and chain[-1] in VIDEO_METHODS and self.imports_openai:
            self.report(node.func)


class RealtimeModelOnChat(LintRule):
    """A realtime model sent to Chat Completions or Responses (routelint RL301, one case)."""

    MESSAGE = "A realtime model sent to Chat Completions or Responses, which do not accept it"
    VALID = [
        Valid('client.chat.completions.create(model="gpt-5.5")'),
        Valid('client.realtime.connect(model="gpt-realtime-1.5")'),
    ]
    INVALID = [
        Invalid('client.chat.completions.create(model="gpt-realtime-1.5")'),
        Invalid('client.responses.create(model="gpt-4o-realtime-preview")'),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        chain = _chain(node.func)
        if chain[-1:] not in (("create",), ("parse",), ("stream",)):
            return
        if chain[-3:-1] != ("chat", "completions") and chain[-2:-1] != ("responses",):
            return
        for value in _model_keyword(node):
            text = _text(value)
            if text is not None and REALTIME_MODEL.match(text):
                self.report(value)
