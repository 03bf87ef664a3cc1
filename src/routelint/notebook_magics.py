"""IPython syntax in a notebook cell, masked so that Python (and LibCST) can read the cell.

The kernel passes a cell through IPython's input transformers before Python sees it. routelint
masks what they would rewrite instead, keeping every line (line numbers stay exact) and every
line it does not mask as written (columns stay exact):

- A cell magic on the cell's first non-blank line (`%%bash`, `%%writefile f.py`, `%%sql`,
  `%%html`): its body is not Python, and the whole cell becomes empty lines, unless the magic
  runs its body as Python (`%%time`, `%%timeit`, `%%capture`, `%%prun`: PYTHON_BODY), when only
  that first line is emptied.
- At the start of a statement (not inside brackets or a string, not after a backslash
  continuation): a line magic (`%pip install x`, `%time x = f()`), a shell escape (`!ls`,
  `!!ls`), help (`?obj`, `??obj`, `obj?`, `obj??`) and the autocall escapes (`/f x`, `,f a b`,
  `;f a b`) become `pass` at their indentation (a magic may be a block's only statement);
  `x = !ls` and `x = %env VAR` keep `x = ` and end in `None`, so `x` is still bound. The
  backslash-continued lines of a masked line are emptied.
- Only in a cell that does not parse otherwise: automagic, a line magic called without its `%`
  (`pip install openai`, `cd ..`): a statement that starts with a magic's name, blanks and an
  argument, unless the argument starts as Python would go on (`pip = 1`, `run (x)`, `ls .x`).

Top-level `await`, `async for` and `async with` need nothing: `ast.parse` and LibCST accept them.

Limitation: which lines start a statement is found by a small scanner (quotes, triple quotes,
escapes, comments, brackets, backslash continuations), not by Python's tokenizer, which stops at
the first `!` or `?`. An f-string that nests its own triple quotes in a replacement field
(Python 3.12) can mislead it; a line it then masks or leaves is at worst a cell reported as not
parsing.
"""
from __future__ import annotations

import ast
import re
import warnings

from routelint import lines

PYTHON_BODY = frozenset({"time", "timeit", "capture", "prun", "debug", "memit", "px"})
_CELL_MAGIC = re.compile(r"%%([\w.]*)")
_ESCAPES = "%!?/,;"  # characters that start an IPython escape; none can start a Python statement
_INDENT = " \t\f"
_ASSIGN = re.compile(r"[ \t\f]*[^\W\d][\w.]*(?:[ \t]*,[ \t]*[^\W\d][\w.]*)*[ \t]*=[ \t]*(?=[!%])")
_HELP_END = re.compile(r"[\w.*]+[ \t]*\?\??[ \t]*")
# IPython's line magics and default aliases, which automagic lets a cell call without `%`.
_MAGIC_NAMES = (
    "alias", "alias_magic", "autoawait", "autocall", "automagic", "bookmark", "cat", "cd", "clear", "colors",
    "conda", "config", "cp", "debug", "dhist", "dirs", "doctest_mode", "edit", "env", "gui", "history",
    "killbgscripts", "ldir", "less", "load", "load_ext", "loadpy", "logoff", "logon", "logstart", "logstate",
    "logstop", "ls", "lsmagic", "macro", "magic", "mamba", "man", "matplotlib", "micromamba", "mkdir", "more", "mv",
    "notebook", "page", "pastebin", "pdb", "pdef", "pdoc", "pfile", "pinfo", "pinfo2", "pip", "popd", "pprint",
    "precision", "prun", "psearch", "psource", "pushd", "pwd", "pycat", "pylab", "quickref", "recall", "rehashx",
    "reload_ext", "rerun", "reset", "reset_selective", "rm", "rmdir", "run", "save", "sc", "set_env", "store", "sx",
    "system", "tb", "time", "timeit", "unalias", "unload_ext", "uv", "who", "who_ls", "whos", "xdel", "xmode",
)
_AUTOMAGIC = re.compile(rf"(?:{'|'.join(sorted(_MAGIC_NAMES, key=len, reverse=True))})[ \t]+(?![=(\[,:;]|\.\w)\S")
# A cell without any of these has nothing to mask: a line starting with an escape, a line ending
# in `?`, an `= !` or `= %`.
_MAYBE_IPYTHON = re.compile(r"(?:^|[\r\n])[ \t\f]*[%!?/,;]|\?[ \t]*(?:[\r\n]|$)|=[ \t]*[!%]")
# Outside a string: what changes the scanner's state.
_TOKENS = re.compile(r"""#|'''|\"\"\"|['"]|[(\[{]|[)\]}]|\\$""")
# Inside a string: an escape (a backslash and the character after it, if any) or the closing quote.
_CLOSING = {q: re.compile(r"\\.?|" + re.escape(q)) for q in ("'", '"', "'''", '"""')}


def prepare_cell(source: str, filename: str = "<cell>") -> tuple[str, tuple[int, str] | None]:
    """(the cell masked, None), or (the cell's line breaks only, (line, message)) when the cell
    does not parse even masked."""
    masked = mask(source)
    error = syntax_error(masked, filename)
    if error is None:
        return masked, None
    retry = mask(source, automagic=True)
    if retry != masked and syntax_error(retry, filename) is None:
        return retry, None
    return "".join(lines.NEWLINE.findall(source)), error


def mask(source: str, *, automagic: bool = False) -> str:
    if not automagic and not _MAYBE_IPYTHON.search(source):
        return source
    contents = lines.split_lines(source)
    endings = [*lines.NEWLINE.findall(source), ""]
    start = 0
    first = next((i for i, text in enumerate(contents) if text.strip()), None)
    if first is not None:
        magic = _CELL_MAGIC.match(contents[first].lstrip(_INDENT))
        if magic is not None:
            if magic.group(1) not in PYTHON_BODY:
                return "".join(endings)
            contents[first] = ""
            start = first + 1
    quote: str | None = None
    depth, continued, magic_continues = 0, False, False
    for i in range(start, len(contents)):
        text = contents[i]
        if magic_continues:
            contents[i] = ""
            magic_continues = text.endswith("\\")
            continue
        if quote is None and depth == 0 and not continued:
            masked = _mask_statement(text, automagic)
            if masked is not None:
                contents[i] = masked
                magic_continues = text.endswith("\\")
                continue
        quote, depth, continued = _scan(text, quote, depth)
    return "".join(text + ending for text, ending in zip(contents, endings))


def _mask_statement(text: str, automagic: bool) -> str | None:
    """The line that replaces a statement's first line, or None when it is Python."""
    body = text.lstrip(_INDENT)
    indent = text[: len(text) - len(body)]
    if not body:
        return None
    if body[0] in _ESCAPES or _HELP_END.fullmatch(body) or (automagic and _AUTOMAGIC.match(body)):
        return indent + "pass"
    assign = _ASSIGN.match(text)
    if assign is not None:
        return assign.group() + "None"
    return None


def _scan(text: str, quote: str | None, depth: int) -> tuple[str | None, int, bool]:
    """After one line: (the string still open, the open brackets, whether it ends in a backslash
    continuation). A single-quoted string left open without a backslash is a syntax error,
    closed here so that one bad line does not shift the rest."""
    i = 0
    while True:
        if quote is not None:
            closing = _CLOSING[quote]
            found = closing.search(text, i)
            while found is not None and found.group()[0] == "\\":
                if found.end() == len(text) and len(found.group()) == 1:  # a backslash ends the line
                    return quote, depth, False
                found = closing.search(text, found.end())
            if found is None:
                return (quote if len(quote) == 3 else None), depth, False
            i, quote = found.end(), None
        token = _TOKENS.search(text, i)
        if token is None or token.group() == "#":
            return None, depth, False
        kind = token.group()
        if kind == "\\":
            return None, depth, True
        if kind[0] in "'\"":
            quote = kind
        elif kind in "([{":
            depth += 1
        else:
            depth = max(depth - 1, 0)
        i = token.end()


def syntax_error(source: str, filename: str = "<cell>") -> tuple[int, str] | None:
    """(line, message) when Python cannot parse `source`. Code nested too deeply for this stack
    is left to the engine, which parses it on a large one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for "\d" and friends is not ours to print
            ast.parse(source, filename)
    except SyntaxError as exc:
        return exc.lineno or 1, f"cannot parse: {exc.msg}"
    except ValueError as exc:  # a NUL byte, before Python 3.12
        return 1, f"cannot parse: {exc}"
    except RecursionError:
        return None
    return None
