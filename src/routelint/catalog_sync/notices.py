"""Every deprecation notice of the SDK, with where it stands.

A notice is a ``deprecated(...)`` decorator (any spelling, any arguments), an item of a
"Deprecated values:" block, or a sentence of a docstring, comment or other string that says
deprecated / shut down / retired / sunset / no longer available / no longer accepts / will be
removed. Nothing here judges a notice: :mod:`.classify` turns each into a fact or finds it in
the exclusion table, and stops the generator on any other.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

from routelint.catalog_sync.sdk import SdkFiles, Wrapped, without_urls

NOTICE_WORDS = re.compile(
    r"deprecat|shut(?:s|ting)?[ -]?down|shutdown|\bretired\b|\bretirement|\bsunset|discontinued"
    r"|no longer (?:available|accept|supported)|will be removed|end[ -]of[ -]life",
    re.IGNORECASE,
)
ITEM_IDS = re.compile(r'^(?:"[^"]+", )*"[^"]+":')
_HEADER = re.compile(r"^(\w+):(?:\s+|$)")
_SECTION = re.compile(r"^(?:Args|Arguments|Parameters|Returns|Raises|Yields|Example|Examples|Note):$")
_BULLET = re.compile(r"^(?:[-*]|\d+\.) ")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'*\[(_])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl)\.$", re.IGNORECASE)
# A sentence that only marks what follows ("Deprecated." + "Use X instead.") joins the next one.
_MARKER = re.compile(r"^\W*deprecated\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Notice:
    rel: str  # path inside the package: "resources/images.py"
    line: int  # where the sentence starts
    text: str  # the sentence; a decorator's whole message; an item without its "- "
    kind: str  # "decorator", "item", "docstring", "comment", "string"
    scope: str = "code"  # what it documents: "module", "class", "method", "field" (an attribute or argument), "code"
    owner: str = ""  # the class or function documented: "Images.create_variation", "ImageCreateVariationParams"
    field: str = ""  # the attribute or argument documented ("model", "prompt"); "" for the owner itself
    where: Wrapped | None = None  # the joined lines holding ``text``, for the line of a position
    start: int = 0  # where ``text`` starts in ``where``
    ids: tuple[str, ...] = ()  # an item's quoted values; for a comment, the strings of its line

    def line_at(self, pos: int) -> int:
        """The line of position ``pos`` of ``text``."""
        return self.where.line_at(self.start + pos) if self.where else self.line

    @property
    def method(self) -> str:
        return self.owner.rsplit(".", 1)[-1]

    @property
    def place(self) -> str:
        return f"{self.rel}:{self.line}"


def is_notice(text: str) -> bool:
    return bool(NOTICE_WORDS.search(without_urls(text)))


def sentences(wrapped: Wrapped) -> Iterator[tuple[int, str]]:
    """(offset, sentence) of a paragraph; a bare marker sentence joins the one after it."""
    pieces: list[tuple[int, str]] = []
    pos = 0
    for part in _SPLIT.split(wrapped.text):
        pos = wrapped.text.index(part, pos)
        if pieces and (_ABBREVIATION.search(pieces[-1][1]) or _MARKER.match(pieces[-1][1])):
            start = pieces.pop()[0]
            part = wrapped.text[start:pos + len(part)]
            pos = start
        pieces.append((pos, part))
        pos += len(part)
    yield from pieces


def _regions(lines: list[tuple[int, str]], method: bool) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    """(argument or "", lines) of a docstring: a method's Args entries apart from its own text."""
    field, indent_of_args, entry_indent, current = "", -1, -1, []  # type: ignore[var-annotated]
    for number, raw in lines:
        text, indent = raw.strip(), len(raw) - len(raw.lstrip())
        if method and _SECTION.match(text):
            yield field, current
            field, current = "", []
            indent_of_args = indent if text in ("Args:", "Arguments:", "Parameters:") else -1
            entry_indent = -1
            continue
        header = _HEADER.match(text) if indent_of_args >= 0 else None
        if header and indent > indent_of_args and (entry_indent < 0 or indent <= entry_indent):
            yield field, current  # (a line dedented under an entry still belongs to it: the SDK has them)
            field, current, entry_indent = header.group(1), [], indent
            raw = " " * indent + text[header.end():]
        current.append((number, raw))
    yield field, current


def _units(lines: list[tuple[int, str]]) -> Iterator[tuple[str, Wrapped]]:
    """("paragraph" | "bullet" | "item" | "header", joined lines): blank lines and bullets start a
    unit, the bullets after a "Deprecated values:" line are its items, and a paragraph that only
    says "Deprecated." joins the paragraph after it."""
    unit: list[tuple[int, str]] = []
    kind, indent, in_block = "paragraph", -1, False
    for number, raw in [*lines, (0, "")]:
        text, here = raw.strip(), len(raw) - len(raw.lstrip())
        marker = kind == "paragraph" and bool(unit) and bool(_MARKER.match(" ".join(t for _, t in unit)))
        bullet = bool(_BULLET.match(text)) or text == "Deprecated values:"
        if marker and (not text or not bullet) and number:
            if text:
                unit.append((number, text))
            continue
        if (not text or bullet or (kind != "paragraph" and here <= indent)) and unit:
            yield kind, Wrapped.of(unit)
            unit = []
        if not text:
            in_block = in_block and kind != "item"
            kind = "paragraph"
            continue
        if text == "Deprecated values:":
            in_block = True
            yield "header", Wrapped.of([(number, text)])
            kind = "paragraph"
            continue
        if bullet:
            kind, indent = ("item" if in_block else "bullet"), here
            text = text[2:] if in_block and text.startswith("- ") else text
        elif kind != "paragraph" and here <= indent:
            kind, in_block = "paragraph", False
        unit.append((number, text))


def _docstring_notices(sdk: SdkFiles, rel: str, node: ast.Constant, owner: str, field: str,
                       scope: str) -> Iterator[Notice]:
    source = sdk.lines(rel)[node.lineno - 1:node.end_lineno]
    first = source[0].lstrip()
    quote = re.match(r"^[rRuU]?(\"\"\"|'''|\"|')", first)
    source[0] = " " * (len(source[0]) - len(first)) + first[quote.end() if quote else 0:]
    source[-1] = re.sub(r"(\"\"\"|'''|\"|')\s*$", "", source[-1])
    numbered = list(zip(range(node.lineno, node.lineno + len(source)), source))
    for arg, lines in _regions(numbered, scope == "method"):
        here = "field" if arg or field else scope
        header = None  # a "Deprecated values:" line with no item after it is a notice of its own
        for kind, wrapped in _units(lines):
            if header and kind != "item":
                yield Notice(rel, header.numbers[0], header.text, "docstring", here, owner, arg or field, header)
            header = wrapped if kind == "header" else None
            if kind == "item":
                head = ITEM_IDS.match(wrapped.text)
                ids = tuple(re.findall(r'"([^"]+)"', head.group(0))) if head else ()
                yield Notice(rel, wrapped.numbers[0], wrapped.text, "item", here, owner, arg or field, wrapped, 0, ids)
            elif kind != "header":
                for start, sentence in sentences(wrapped):
                    if is_notice(sentence):
                        yield Notice(rel, wrapped.line_at(start), sentence, "docstring", here, owner,
                                     arg or field, wrapped, start)
        if header:
            yield Notice(rel, header.numbers[0], header.text, "docstring", here, owner, arg or field, header)


def _is_deprecated_call(node: ast.AST) -> bool:
    func = node.func if isinstance(node, ast.Call) else node
    return getattr(func, "attr", getattr(func, "id", None)) == "deprecated"


def _decorator_notice(sdk: SdkFiles, rel: str, deco: ast.expr, owner: str, scope: str) -> Notice:
    args = deco.args if isinstance(deco, ast.Call) else []
    message = args[0] if args else None
    if isinstance(message, ast.Constant) and isinstance(message.value, str):
        text = message.value
        line = next((n for n in range(message.lineno, (message.end_lineno or message.lineno) + 1)
                     if text[:30] in sdk.lines(rel)[n - 1]), message.lineno)
    else:
        text, line = (ast.unparse(message) if message else ""), deco.lineno
    return Notice(rel, line, text, "decorator", scope, owner)


def file_notices(sdk: SdkFiles, rel: str) -> Iterator[Notice]:
    """Every notice of one module, in the order of the file."""
    if not NOTICE_WORDS.search(sdk.text(rel)):  # most modules say nothing of the kind: no parse
        return
    tree, seen = sdk.tree(rel), set()

    def body(statements: list[ast.stmt], owner: str, kind: str) -> Iterator[Notice]:
        for index, st in enumerate(statements):
            prev = statements[index - 1] if index else None
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and isinstance(st.value.value, str):
                seen.add(id(st.value))
                target = prev.target if isinstance(prev, ast.AnnAssign) else (
                    prev.targets[0] if isinstance(prev, ast.Assign) else None)
                field = target.id if isinstance(target, ast.Name) and index else ""
                scope = {"def": "method", "class": "class", "module": "module"}.get(kind, "code") if not index else "code"
                yield from _docstring_notices(sdk, rel, st.value, owner, field, scope)
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{owner}.{st.name}" if owner else st.name
                for deco in st.decorator_list:
                    if _is_deprecated_call(deco):
                        seen.update(id(a) for a in getattr(deco, "args", []))
                        yield _decorator_notice(sdk, rel, deco, name,
                                                "class" if isinstance(st, ast.ClassDef) else "method")
                yield from body(st.body, name, "class" if isinstance(st, ast.ClassDef) else "def")
            else:
                for part in ("body", "orelse", "finalbody"):
                    inner = getattr(st, part, None)
                    if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                        yield from body(inner, owner, "block")
                for handler in getattr(st, "handlers", []):
                    yield from body(handler.body, owner, "block")

    yield from body(tree.body, "", "module")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_deprecated_call(node) and not (node.args and id(node.args[0]) in seen):
            seen.update(id(a) for a in node.args)
            yield _decorator_notice(sdk, rel, node, "", "code")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in seen \
                and is_notice(node.value):
            yield Notice(rel, node.lineno, node.value, "string")
    text = sdk.text(rel)
    if re.search(r"#[^\n]*(?:" + NOTICE_WORDS.pattern + ")", text, re.IGNORECASE):
        strings: dict[int, list[str]] = {}  # line -> its string literals (a Literal item and its comment)
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING:
                strings.setdefault(tok.start[0], []).append(tok.string.strip("\"'"))
            elif tok.type == tokenize.COMMENT and is_notice(tok.string):
                yield Notice(rel, tok.start[0], tok.string.lstrip("#").strip(), "comment",
                             ids=tuple(strings.get(tok.start[0], ())))


def all_notices(sdk: SdkFiles) -> list[Notice]:
    return [n for rel in sdk.files() for n in file_notices(sdk, rel)]
