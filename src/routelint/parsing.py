"""The parse stage: `ast` over a skeleton of the file (outline.py chooses the top-level
statements that can matter), then LibCST on those statements only, each a module of its own,
with guards on depth (safeparse.py). Code the running Python cannot parse (newer syntax) goes
to LibCST whole. A file that cannot be parsed is an RL001 finding, never an exception."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from routelint import lines
from routelint.model import Finding, unreadable

if TYPE_CHECKING:
    import ast

    import libcst as cst

    from routelint.outline import Chunk, Outline, Signs
    from routelint.prefilter import StatementFilter


@dataclass(frozen=True)
class Parsed:
    """What the parse stage hands on: the statements LibCST parsed, each with its place in the
    file; the outline that chose them; the offsets of the file's lines."""

    chunks: Sequence[tuple[Chunk, cst.Module]]
    outline: Outline
    line_starts: Sequence[int]

    @property
    def modules(self) -> list[cst.Module]:
        return [module for _, module in self.chunks]


def parse_source(
    source: str, wanted: StatementFilter, signs: Signs, *, whole: bool = False, mentions: Sequence[int] = ()
) -> Finding | Parsed:
    """The outline pass with `ast`, then LibCST on the statements that can matter (`whole`:
    on every statement). Code the running Python cannot parse (newer syntax) falls back to
    LibCST on the whole file."""
    import libcst as cst

    from routelint.outline import outline
    from routelint.skeleton import skeleton

    line_starts = lines.line_starts(source)
    seeds, links, weak = ([0], [], []) if whole else wanted.hits(source)
    if mentions:
        seeds = sorted({*seeds, *mentions})
    strong = sorted([*seeds, *links]) if links else seeds
    # `ast` reads the file with the bodies that cannot matter emptied (skeleton.py);
    # should that not parse, it reads the file itself.
    text, emptied = skeleton(source, line_starts, strong, weak, signs=signs) if not whole else (source, [])
    tree = ast_parse(text) if emptied else None
    if tree is None or isinstance(tree, Finding):
        tree, emptied = ast_parse(source), []
    if isinstance(tree, Finding):
        return _whole_file(source, tree, line_starts)
    from routelint.safeparse import MAX_DEPTH, libcst_failure, nesting_depth

    shape = outline(
        source, tree, seeds, line_starts, signs=signs, whole=whole, weak=weak, calls_api=wanted.calls_api,
        emptied=emptied, links=links,
    )
    # Only what LibCST will parse needs the depth check: the statements inside the chunks.
    spans = [(c.first_line, c.first_line + lines.count_breaks(c.text)) for c in shape.chunks]
    for statement in tree.body:
        # Each level of nesting takes a character at least: a short statement is never too
        # deep. A statement starts at its first decorator.
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        last = statement.end_lineno or statement.lineno  # always set by ast.parse
        start = line_starts[first - 1]
        end = line_starts[last] if last < len(line_starts) else len(source)
        if end - start < MAX_DEPTH - 16:
            continue
        if any(low <= statement.lineno and first <= high for low, high in spans):
            shift = 0
            if any(statement.lineno <= a and b <= last for a, b in emptied):
                whole_statement = ast_parse(source[start:end])  # with its emptied bodies
                if isinstance(whole_statement, Finding):
                    # newer syntax in a body the skeleton emptied (a 3.12 f-string on 3.11;
                    # k-cli-for-devs): read as a file Python cannot parse is
                    error = ast_parse(source)
                    return _whole_file(source, error, line_starts) if isinstance(error, Finding) else replace(
                        whole_statement, start=(first, 1), end=(first, 1)
                    )
                statement, shift = whole_statement.body[0], first - 1
            depth, deep_line = nesting_depth(statement)
            deep_line += shift
            if depth > MAX_DEPTH:  # LibCST's parser would need more stack than any thread has
                return unreadable("", f"cannot parse: the code is nested more than {MAX_DEPTH} levels deep", (deep_line, 1))
    chunks: list[tuple[Chunk, cst.Module]] = []
    for chunk in shape.chunks:
        try:
            chunks.append((chunk, cst.parse_module(chunk.text)))
        except (cst.ParserSyntaxError, RecursionError) as exc:
            if emptied:  # Python read a skeleton: the error may be Python's too, in a body it skipped
                error = ast_parse(source)
                if isinstance(error, Finding):
                    return error
            reason = exc.message if isinstance(exc, cst.ParserSyntaxError) else "nested too deeply"
            message = f"LibCST cannot parse this valid Python ({reason.strip()}): lines not checked"
            return unreadable("", message, (chunk.first_line, 1))
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - LibCST failing to build its tree: see libcst_failure
            return unreadable("", f"cannot parse: {libcst_failure(exc, True)}", (chunk.first_line, 1))
    return Parsed(chunks, shape, line_starts)


def _whole_file(source: str, error: Finding, line_starts: list[int]) -> Finding | Parsed:
    """Code the running Python cannot parse (`error`): LibCST reads every statement, so the
    extractor sees every import and every client, and the outline claims nothing (whether the file
    imports the SDK, which clients are Azure's), as it claims nothing the extractor can see for
    itself. Python's error when LibCST cannot read it either."""
    from routelint.outline import Chunk, Outline

    module = parse_whole(source)
    if isinstance(module, Finding):
        return error
    everything = Chunk(1, 0, source)
    return Parsed([(everything, module)], Outline((everything,), {}, False), line_starts)


def ast_parse(source: str) -> ast.Module | Finding:
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for "\d" and friends is not ours to print
            return ast.parse(source)
    except SyntaxError as exc:
        line, column = exc.lineno or 1, exc.offset or 1
        return unreadable("", f"cannot parse: {exc.msg}", (line, max(column, 1)))
    except (RecursionError, MemoryError):
        return unreadable("", "cannot parse: the file is nested too deeply")
    except ValueError as exc:
        return unreadable("", f"cannot parse: {exc}")


def parses(source: str) -> bool:
    return not isinstance(ast_parse(source), Finding) or not isinstance(parse_whole(source), Finding)


def parse_whole(source: str) -> cst.Module | Finding:
    import libcst as cst

    from routelint.safeparse import Unparseable, parse_module

    try:
        return parse_module(source)  # on a large stack: see routelint.safeparse
    except cst.ParserSyntaxError as exc:
        line, column = exc.raw_line, exc.raw_column + 1
        message = f"cannot parse: {exc.message}".rstrip()
    except Unparseable as exc:
        line, column, message = exc.line, 1, f"cannot parse: {exc}"
    except RecursionError:
        line, column, message = 1, 1, "cannot parse: the file is nested too deeply"
    except (ValueError, TypeError) as exc:  # e.g. a NUL byte, or an unknown encoding declared
        line, column, message = 1, 1, f"cannot parse: {exc}"
    return unreadable("", message, (line, column))
