"""Give LibCST only what it can parse without taking the whole process down.

LibCST's native parser recurses on the machine stack. Nesting deep enough overflows that stack,
and the process dies with SIGSEGV, which no `except` can catch (LibCST issues #619, #980,
#1000): one generated file would end the run for every other file. So before LibCST sees a
source:

- CPython's parser reads it first (C speed, about a tenth of LibCST's time). What it refuses as
  nested too deeply or too complex (more than 200 nested brackets, 100 indentation levels, its
  own stack limit) is refused here too, with CPython's reason: no interpreter would run it.
- The nesting depth of that tree must stay within MAX_DEPTH. CPython keeps `a or b or c ...`
  flat while LibCST nests it one level per operand, so such a chain counts as deep as it is
  long.
- LibCST then runs on a thread whose stack has a known size (PARSER_STACK_BYTES), not on
  whatever stack the caller has (1 MB on Windows' main thread, 128 KB on a musl thread). The
  engine walks the tree on that thread too, with a recursion limit to match (RECURSION_LIMIT):
  Python's default of 1,000 frames is used up by ~200 levels of nesting, and a prompt written as
  500 implicitly concatenated strings is 500 levels deep in LibCST's tree.

A source CPython cannot parse for an ordinary reason (a syntax error, or syntax newer than this
interpreter) goes to LibCST unchecked, which reports the error or parses the newer syntax. A
source CPython accepts and LibCST does not (its grammar has limits of its own, e.g. on very long
implicit string concatenations) is reported as such, not as a syntax error.
"""
from __future__ import annotations

import ast
import sys
import threading
import warnings
from typing import Callable, TypeVar

import libcst as cst

from routelint.interrupts import unsignalled_threads

# Each level of nesting costs LibCST's parser up to ~7 KB of stack (measured: nested brackets,
# the costliest form); MAX_DEPTH levels plus CPython's 200 brackets stay far below this.
PARSER_STACK_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 1000
# Walking LibCST's tree takes ~5 Python frames per level; on that stack 20,000 frames are safe
# (measured: a chain of 24,000 additions parses and is walked in 64 MB).
RECURSION_LIMIT = 20_000

T = TypeVar("T")


class Unparseable(Exception):
    """The source is nested too deeply to parse safely, or valid Python that LibCST cannot parse."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.line = line


def parse_module(source: str) -> cst.Module:
    """LibCST's parse, or Unparseable; LibCST's syntax errors in code Python rejects too pass through."""
    python_accepts = check_depth(source)
    try:
        return on_large_stack(lambda: cst.parse_module(source))
    except cst.ParserSyntaxError as exc:
        if not python_accepts:
            raise
        reason = f"Python accepts this code, LibCST's parser does not ({exc.message.strip()})"
        raise Unparseable(reason, exc.raw_line) from None
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever else LibCST raises on this input
        raise Unparseable(libcst_failure(exc, python_accepts)) from None


def libcst_failure(exc: Exception, python_accepts: bool) -> str:
    """Why LibCST failed on a source for a reason other than a syntax error.

    LibCST validates the nodes it builds (CSTValidationError "Cannot concatenate string and
    bytes." for `b"x" "y"`, found by the fuzzer), and some valid code trips it up (a TypeError on
    `() if 0 else(lambda:())`, LibCST issue #1061): either way the code cannot be checked, which
    is RL001, not a traceback."""
    detail = f"{type(exc).__name__}: {exc}".strip()
    if python_accepts:
        return f"Python accepts this code, LibCST does not ({detail})"
    return str(exc).strip() or detail


def check_depth(source: str) -> bool:
    """Raise Unparseable when the source is too deep; else whether CPython could parse it."""
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" and such are not ours to print
            warnings.simplefilter("ignore")
            tree = compile(source, "<source>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (RecursionError, MemoryError):
        raise Unparseable("the code is nested too deeply for Python's parser") from None
    except SyntaxError as exc:
        # "too many nested parentheses", "too many levels of indentation"
        if exc.msg.startswith("too many") or "too complex" in exc.msg:
            raise Unparseable(exc.msg, exc.lineno or 1) from None
        return False
    except ValueError:  # a NUL byte: LibCST reports it
        return False
    depth, line = nesting_depth(tree)
    if depth > MAX_DEPTH:
        raise Unparseable(f"the code is nested more than {MAX_DEPTH} levels deep", line)
    return True


def nesting_depth(tree: ast.AST) -> tuple[int, int]:
    """(depth, line where it is reached), without recursion: the tree may be arbitrarily deep."""
    deepest, where = 0, 1
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if type(node) is ast.BoolOp:
            depth += len(node.values) - 1  # LibCST nests `a or b or c` as a chain
        if depth > deepest:
            deepest, where = depth, getattr(node, "lineno", where)
            if deepest > MAX_DEPTH:
                break
        depth += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                stack.append((value, depth))
            elif type(value) is list:
                stack.extend((item, depth) for item in value if isinstance(item, ast.AST))
    return deepest, where


def on_large_stack(function: Callable[[], T]) -> T:
    """function() on a thread with a PARSER_STACK_BYTES stack, where Python's recursion limit is
    raised to RECURSION_LIMIT while it runs; its exception is re-raised here. Called on such a
    thread already, it simply calls function()."""
    if getattr(_state, "large_stack", False):
        return function()
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        _state.large_stack = True
        _raise_recursion_limit()
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread below
            outcome.append((False, exc))
        finally:
            _restore_recursion_limit()

    try:
        previous = threading.stack_size(PARSER_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform that cannot size thread stacks
        return function()
    try:
        thread = threading.Thread(target=run, name="routelint-large-stack", daemon=True)
        with unsignalled_threads():  # a signal for the process must reach the thread that holds writes
            thread.start()
    except RuntimeError:  # no thread could be started: run here, the depth gate still holds
        return function()
    finally:
        threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[return-value]
    raise value  # type: ignore[misc]


# The recursion limit is one number for the whole process: it is raised while any large-stack
# thread runs and put back when the last one ends, never left raised.
_state = threading.local()
_limit_lock = threading.Lock()
_limit_users = 0
_saved_limit = 0


def _raise_recursion_limit() -> None:
    global _limit_users, _saved_limit
    with _limit_lock:
        if _limit_users == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, RECURSION_LIMIT))
        _limit_users += 1


def _restore_recursion_limit() -> None:
    global _limit_users
    with _limit_lock:
        _limit_users -= 1
        if _limit_users == 0:
            sys.setrecursionlimit(_saved_limit)
