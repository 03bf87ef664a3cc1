"""Which files, and which statements of a file, can hold something a rule reports: regular
expressions built from the catalog, run before anything is parsed.

The contract, tested over every fixture and by a property test: a file the prefilter settles as
clean has no finding. It holds by construction, because the engine judges only what the
prefilter can see:

- A model string (RL101, RL102, RL201, RL202, RL301, RL302) is judged only when its literal is
  *written* the way `Prefilter.quoted` matches (`written_as_candidate`, asked by the extractor):
  a quote, whitespace, an optional provider prefix ("openai/"), the first two words of a catalog
  ID or label, each intact, then only characters a catalog name can hold (and escapes), up to a
  closing quote. `"gpt-5.5"`, `" GPT Image 2 "` and `"gpt_5.5"` are candidates; `"o4=1"`,
  `"gpt-4 is great!"` and `"gpt\\x2d5"` (an escape inside the first two words) are not.
- RL203 needs a call written `resource.method` (`videos.create`, with whitespace, comments,
  parentheses or `with_raw_response` between: what LibCST reads as one attribute chain), which
  is `Prefilter.called`, in a file that names the SDK's package (only a file importing it is
  judged for SDK calls); or a URL naming the surface's path (`/videos`), `Prefilter.paths`.
- RL204 needs a deprecated parameter written as a keyword (`prompt=`) or a dict key
  (`"prompt":`), which is `Prefilter.called` too (so in a file naming the package); the
  extractor reads no other spelling.
- A URL naming its model in the query (`?model=`, `&model=`) is a candidate too; the engine
  judges a model found in a URL only when the literal it sits in holds that query as written
  (`url_query_as_written`), or, for a name the query refers to, the name's own literal.
- RL203 through a URL the extractor assembles (`API_BASE + "videos"`, escapes, implicit
  concatenation) is reported only in a file the prefilter lets through (`Linter._problems`).

The bytes a file is judged on are its text in UTF-8 (a UTF-8 file's own bytes), folded by one
`bytes.translate`: ASCII letters lowered, both quote characters made `"`. The quoted pattern then
starts with one literal byte, which the regex engine finds with memchr: about three times faster
than a `["']` class over the same bytes. The rules only report ASCII values (after stripping
whitespace), so lowering ASCII is all the case folding needed.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Callable

from routelint.catalog_data import Catalog, spelling_key, spelling_parts

_URL_MODEL = re.compile(rb"[?&]model=")
FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ'", b'abcdefghijklmnopqrstuvwxyz"')

# str.strip() removes these (Python's whitespace); a value is judged after strip(), so they may
# stand before or after a model. Between its words only ASCII separators can (the value must be
# ASCII). tests/test_prefilter.py checks this list against every code point.
UNICODE_WHITESPACE = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_ASCII_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_ASCII_SEPARATORS = _ASCII_WHITESPACE + "_-"


@dataclass(frozen=True)
class Prefilter:
    """Whether a file can hold anything a rule reports (a superset), over `file_bytes(text)`."""

    quoted: re.Pattern[bytes]
    resources: tuple[bytes, ...]  # a cheap substring test before `called`
    called: re.Pattern[bytes]  # SDK calls on shut-down surfaces, deprecated parameters
    paths: re.Pattern[bytes]  # a URL naming a shut-down surface's path
    package: bytes  # the SDK's package name, lower case: `called` counts only in a file naming it
    path_resources: tuple[bytes, ...] = ()  # a cheap substring test before `paths`

    def matches(self, data: bytes) -> bool:
        folded = data.translate(FOLD)
        if self.quoted.search(folded):
            return True
        if b"model=" in folded and _URL_MODEL.search(folded):  # a URL naming its model in its query
            return True
        if any(r in folded for r in self.path_resources) and self.paths.search(folded):
            return True
        # An SDK call path (RL203) and a deprecated parameter (RL204) are judged only in a file
        # that imports the SDK (judge.imports_openai), whose text then names its package:
        # `prompt=` in a file that never mentions it (getpass, cmd, pdb) settles nothing.
        return self.package in folded and any(r in folded for r in self.resources) and self.called.search(folded) is not None

    def written_as_candidate(self, literal: str) -> bool:
        """Whether a string literal's source text (quotes and prefix included) is one the
        prefilter finds: only such literals are judged, so the prefilter never hides a finding."""
        return self.quoted.search(file_bytes(literal).translate(FOLD)) is not None


def url_query_as_written(literal: str) -> bool:
    """Whether a literal's source text holds a model query the prefilter sees (`?model=`)."""
    return _URL_MODEL.search(file_bytes(literal).translate(FOLD)) is not None


def file_bytes(text: str) -> bytes:
    """What the prefilter reads for a text: its UTF-8 encoding (for a UTF-8 file, its bytes)."""
    return text.encode("utf-8", "surrogatepass")


def build_prefilter(catalog: Catalog) -> Prefilter:
    leading = _leading_whitespace()
    quoted = '"' + f"(?={_first_bytes(catalog)})" + leading + _quoted_body(catalog, _byte_class(_ASCII_SEPARATORS) + "*")
    quoted += f"(?:{_byte_class(_tail_chars(catalog))}|{_UNICODE_WHITESPACE_BYTES}|\\\\[\\s\\S])*\""
    resources = sorted({r for r, _ in _call_pairs(catalog, shut_down=True)} | set(_parameter_names(catalog)))
    return Prefilter(
        re.compile(quoted.encode("latin-1")),
        tuple(r.encode() for r in resources),
        re.compile("|".join(_called_patterns(catalog, paths=False)).encode("latin-1") or b"(?!)"),
        re.compile("|".join(_url_path_patterns(catalog)).encode("latin-1") or b"(?!)"),
        catalog.code.sdk.package.lower().encode("ascii"),
        tuple(r.encode() for r in _path_resources(catalog)),
    )


@dataclass(frozen=True)
class StatementFilter:
    """Which top-level statements of a candidate file go to LibCST: those holding a candidate
    string or shut-down resource (a seed: what a finding can be about), and those giving a
    model by name (`model=X`, `"model": X`, `model: str = X`, a wrapper's call: a link), through
    which a constant from another statement reaches a call; outline.py keeps a link only where
    it shares a name with what is kept.

    Several simple patterns over the lower-cased text, each with a literal or one-class prefix
    the regex engine scans for quickly, rather than one case-insensitive alternation. Text, not
    bytes: the hits are offsets into the source."""

    patterns: tuple[re.Pattern[str], ...]
    # A word each pattern's matches contain, or that a file must hold for its matches to matter
    # ("" for none): `in` finds a word faster than a regex scan, and most words are in no file.
    needles: tuple[str, ...] = ()
    # Which patterns find links (a name a model may pass through), not seeds.
    linking: tuple[bool, ...] = ()
    # `**x` matters only in a call that reaches the API (an SDK method, a wrapper) or in a dict
    # display (a request built from another): such a hit counts only for such a statement
    # (outline.py asks `calls_api` and looks for the display).
    weak: re.Pattern[str] = re.compile("(?!)")
    calls: re.Pattern[str] = re.compile("(?!)")
    wrapper_names: frozenset[str] = frozenset()

    @functools.cached_property
    def ignoring_case(self) -> tuple[re.Pattern[str], ...]:
        """For the rare text whose lower() changes its length (compiled when first needed)."""
        return tuple(re.compile(p.pattern, re.IGNORECASE) for p in (*self.patterns, self.weak))

    def hits(self, source: str) -> tuple[list[int], list[int], list[int]]:
        """Sorted offsets: (seeds, links, `**` arguments that matter in an API call)."""
        lowered = source.lower()
        same = len(lowered) == len(source)
        patterns = (*self.patterns, self.weak) if same else self.ignoring_case
        text = lowered if same else source
        needles = self.needles if same and self.needles else ("",) * len(self.patterns)
        linking = self.linking or (False,) * len(self.patterns)
        found: tuple[list[int], list[int]] = ([], [])
        for pattern, needle, link in zip(patterns[:-1], needles, linking):
            if needle in text:
                found[link].extend(m.start() for m in pattern.finditer(text))
        return sorted(found[0]), sorted(found[1]), [m.start() for m in patterns[-1].finditer(text)]

    def calls_api(self, statement: str, aliases: frozenset[str]) -> bool:
        """Whether a statement's text holds an SDK method call or a call of a wrapper (by its
        name, or by a name it is imported as): a superset, by words."""
        lowered = statement.lower()
        if self.calls.search(lowered):
            return True
        names = self.wrapper_names | {a.lower() for a in aliases}
        return any(m.group(1) in names for m in _CALLED_NAME.finditer(lowered))


_CALLED_NAME = re.compile(r"(\w+)\s*\(")


def build_statement_filter(catalog: Catalog, model_names: Sequence[str]) -> StatementFilter:
    # A superset of the byte patterns: any Unicode whitespace counts as a separator here.
    quoted = "[\"']\\s*" + _quoted_body(catalog, r"[\s_\-]*", as_bytes=False)
    quoted += f"(?:{_str_class(_tail_chars(catalog))}|\\s|\\\\[\\s\\S])*[\"']"
    words = [rf"{re.escape(n.lower())}\w*(?:\s*[=:]|[\"']\s*:)" for n in ("model", *model_names)]
    # `**params` carries a request dict; a URL path names its surface; a wrapper's model may be
    # positional or deep in a config dict.
    paths = sorted({p.lower() for s in catalog.surfaces.values() for p in s.paths})
    wrappers = sorted({name.rsplit(".", 1)[-1].lower() for name in catalog.wrappers})
    # Seeds: a candidate string, a call or parameter of a shut-down surface, a URL naming its
    # model in its query; links: a model given by name, a URL path (`API_BASE + "chat/completions"`
    # says which surface a model in the same request goes to), a wrapper's call.
    seeds: list[tuple[str, str]] = [(quoted, ""), *((t, _leading_word(t)) for t in _called_patterns(catalog))]
    seeds.append((r"[?&]model=", "model="))
    links: list[tuple[str, str]] = [(t, n.lower()) for t, n in zip(words, ("model", *model_names))]
    if paths:
        # After a slash or at the start of a string piece (`API_BASE + "chat/completions"`).
        tails = "|".join(re.escape(p.replace(catalog.code.sdk.path_prefix, "", 1)) for p in paths)
        links.append((rf"[\"'/}}](?:{tails})", ""))
    links += [(_word(w) + r"\s*\(", w) for w in wrappers]  # a call
    # A provider prefix and a value in an f-string (`provider=f"openai:{model}"`)
    prefixes = sorted(p.lower() for p, entry in catalog.prefixes.items() if not entry.deployment)
    if prefixes:
        leading = {re.match(r"\w*", p).group(0) for p in prefixes}  # type: ignore[union-attr]
        needle = leading.pop() if len(leading) == 1 else ""  # "openai"
        links.append((rf"fr?(?:[\"']{{3}}|[\"'])(?:{'|'.join(re.escape(p) for p in prefixes)})\{{", needle))
    # An environment variable set (`os.environ["APP_MODEL"] = name`), which a request may read by
    # name elsewhere (deferred.EnvRead); an Agents SDK run's `run_config=`, whose model provider
    # decides where the agent's model goes (visitor._run_with_a_provider)
    links.append((r"environ\[\s*[\"'][^\"']+[\"']\s*\]\s*=(?!=)", "environ"))
    # (looked for only in a file that names a model provider: openai-agents' own tree passes
    # `run_config=` in hundreds of statements, 4% of its run time as links)
    links.append((r"run_config\s*=", "model_provider"))
    # a response's dict (`{"object": "list", "voices": VOICES}`): a table it serves is a listing
    # (visitor._served_table)
    links.append((r"[\"']object[\"']\s*:", "object"))
    paired = seeds + links
    return StatementFilter(
        tuple(re.compile(t) for t, _ in paired),
        needles=tuple(n for _, n in paired),
        linking=(False,) * len(seeds) + (True,) * len(links),
        # `f(**params)` / `{**base}` carry a request dict (not `x**2`); forwarded `**kwargs`
        # lead nowhere we can follow.
        weak=re.compile(r"[(,{]\s*\*\*\s*(?!kw)[a-z_]"),
        calls=re.compile(_sdk_calls_pattern(catalog)),
        wrapper_names=frozenset(wrappers),
    )


def reportable_test(catalog: Catalog) -> Callable[[str], bool]:
    """Whether a string could be reported as a model, wherever it goes (a superset): a catalog
    ID, label or near miss, after a provider prefix; or a URL with a model query."""
    prefixes = tuple(sorted(catalog.prefixes, key=len, reverse=True))

    def reportable(text: str) -> bool:
        if "model=" in text:
            return True
        value = text.strip()
        value = next((value[len(p) :] for p in prefixes if value.startswith(p)), value)
        return value in catalog.models or spelling_key(value) in catalog.spellings or catalog.label_for(value) is not None

    return reportable


# --- building the patterns --------------------------------------------------------------------
def _names(catalog: Catalog) -> list[str]:
    return [*catalog.models, *(label.text for label in catalog.labels.values())]


def _quoted_body(catalog: Catalog, separators: str, *, as_bytes: bool = True) -> str:
    """An optional provider prefix, then the first two words of a catalog name as a trie."""
    followers: dict[str, set[str]] = {}
    for name in _names(catalog):
        first, second = spelling_parts(name)
        followers.setdefault(first, set()).add(second)
    escape = _escape_bytes if as_bytes else re.escape
    second_words = {
        first: _trie({n: "" for n in nexts if n}, escape, separators) if any(nexts) else "" for first, nexts in followers.items()
    }
    prefixes = "|".join(escape(p.lower()) for p in sorted(catalog.prefixes, key=len, reverse=True))
    return (f"(?:{prefixes})?" if prefixes else "") + _trie(second_words, escape, separators)


def _trie(words: dict[str, str], escape: Callable[[str], str], separators: str, prefix: str = "") -> str:
    """Alternation over `words` (word -> the pattern that must follow it, "" for nothing), one
    branch per next letter, so a failed match costs a branch or two."""
    branches = []
    if prefix in words:
        tail = words[prefix]
        branches.append(separators + tail if tail else "")
    nexts = sorted({w[len(prefix)] for w in words if w.startswith(prefix) and len(w) > len(prefix)})
    for char in nexts:
        branches.append(escape(char) + _trie(words, escape, separators, prefix + char))
    if not branches:
        return "(?!)"
    if len(branches) == 1:
        return branches[0]
    if "" in branches:  # a word ends here: what follows it is optional
        rest = [b for b in branches if b]
        return "(?:" + "|".join(rest) + ")?"
    return "(?:" + "|".join(branches) + ")"


def _tail_chars(catalog: Catalog) -> set[str]:
    """What may follow the first two words inside a candidate string: any character of a catalog
    name or prefix (case-folded), and the ASCII separators."""
    chars = set(_ASCII_SEPARATORS)
    for text in [*_names(catalog), *catalog.prefixes]:
        chars.update(text.casefold())
    return chars


def _first_bytes(catalog: Catalog) -> str:
    """A lookahead class for the byte after the opening quote: most quotes fail right there."""
    firsts = {name.casefold()[:1] for name in [*_names(catalog), *catalog.prefixes] if name}
    return _byte_class(set(_ASCII_WHITESPACE) | firsts | set(UNICODE_WHITESPACE))


def _leading_whitespace() -> str:
    """What str.strip() removes before a model: a string that starts with `-` or `_` is a flag
    or a name ("-o 1"), never a model (Catalog.near_miss)."""
    return f"(?:{_byte_class(_ASCII_WHITESPACE)}|{_UNICODE_WHITESPACE_BYTES})*"


def _byte_class(chars: Iterable[str]) -> str:
    """A character class over UTF-8 bytes (as a latin-1 pattern string) matching the first byte
    of each of `chars`; chars beyond ASCII allow any byte from 0x80 (a superset)."""
    ascii_chars = sorted(c for c in chars if ord(c) < 0x80)
    wide = any(ord(c) >= 0x80 for c in chars)
    body = "".join("\\" + c if c in "\\]^-[" else c for c in ascii_chars)
    return "[" + body + ("\x80-\xff" if wide else "") + "]"


def _str_class(chars: Iterable[str]) -> str:
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in sorted(chars)) + "]"


def _escape_bytes(text: str) -> str:
    """`text` as a regex over its UTF-8 bytes (a latin-1 pattern string)."""
    return re.escape(text.encode("utf-8").decode("latin-1"))


_UNICODE_WHITESPACE_BYTES = "(?:" + "|".join(_escape_bytes(c) for c in UNICODE_WHITESPACE) + ")"


def _call_pairs(catalog: Catalog, *, shut_down: bool) -> list[tuple[str, str]]:
    """(resource, method) of every SDK call path (`videos.create` -> (videos, create)); with
    `shut_down`, of the calls on shut-down surfaces only."""
    pairs = set()
    for surface in catalog.surfaces.values():
        if surface.ends or not shut_down:
            for call in surface.calls:
                parts = call.lower().split(".")
                if len(parts) >= 2:
                    pairs.add((parts[-2], parts[-1]))
    return sorted(pairs)


# What LibCST reads as one attribute chain may hold between a resource and its method:
# whitespace, newlines, comments, line continuations and closing parentheses around the dot, and
# the SDK's response wrappers (`with_raw_response`, rules/code.toml) as a step of their own. A comment
# runs to the end of its line (the lookahead): without it, `(?:#[^\r\n]*)*` could split a line
# of `#####` in exponentially many ways before failing (a banner comment after `prompt` took
# minutes).
_GAP = r"(?:[\s)]|\\\r?\n|\\\r|#[^\r\n]*(?![^\r\n]))*"


def _to_method(catalog: Catalog) -> str:
    """What may stand between a resource and its method (_GAP, the response wrappers)."""
    wrappers = "|".join(re.escape(w.lower()) for w in sorted(catalog.code.sdk.response_wrappers))  # over lowered text
    return _GAP + r"\." + _GAP + "(?:(?:" + wrappers + ")" + _GAP + r"\." + _GAP + ")*"


def _path_resources(catalog: Catalog) -> list[str]:
    return sorted(
        {path.rstrip("/").rsplit("/", 1)[-1].lower() for s in catalog.surfaces.values() if s.ends for path in s.paths}
    )


def _called_patterns(catalog: Catalog, *, paths: bool = True) -> list[str]:
    """`resource . method` of the calls on shut-down surfaces, as LibCST reads an attribute
    chain (_to_method). A URL path (`/videos`) names a shut-down surface too. Each pattern
    starts with its literal (the word boundary is checked behind it), so the regex engine can
    scan for it quickly."""
    methods: dict[str, set[str]] = {}
    for resource, method in _call_pairs(catalog, shut_down=True):
        methods.setdefault(resource, set()).add(method)
    to_method = _to_method(catalog)
    patterns = [
        rf"{_word(resource)}{to_method}(?:{'|'.join(re.escape(m) for m in sorted(names))})\b"
        for resource, names in sorted(methods.items())
    ]
    return patterns + (_url_path_patterns(catalog) if paths else []) + _parameter_patterns(catalog)


def _url_path_patterns(catalog: Catalog) -> list[str]:
    """The resource of a URL path naming a shut-down surface, after a slash or at the start of
    a string piece (`API_BASE + "videos"`, `f"{base}videos"`): a request that needs no SDK."""
    return [rf"{re.escape(r)}(?<=[\"'/}}]{re.escape(r)})\b" for r in _path_resources(catalog)]


def _parameter_names(catalog: Catalog) -> list[str]:
    return sorted({p.name.lower() for p in catalog.parameters.values()})


def _parameter_patterns(catalog: Catalog) -> list[str]:
    """A deprecated parameter as a keyword (`prompt =`, not `prompt ==`) or a dict key
    (`"prompt":`, quotes folded to `"` in the bytes and either quote in text)."""
    return [
        rf"{_word(name)}(?:\s*=(?!=)|[\"']\s*:)" for name in _parameter_names(catalog)
    ]


def _sdk_calls_pattern(catalog: Catalog) -> str:
    """`resource.method(` of every SDK call path (`completions.create(`), spaced as LibCST allows."""
    pairs = _call_pairs(catalog, shut_down=False)
    resources = "|".join(sorted({re.escape(r) for r, _ in pairs}))
    methods = "|".join(sorted({re.escape(m) for _, m in pairs}))
    return rf"\b(?:{resources}){_to_method(catalog)}(?:{methods})\s*\(" if pairs else "(?!)"


def _leading_word(pattern: str) -> str:
    """The literal a pattern made by _word or a path branch starts with."""
    return re.match(r"/?\w+", pattern).group(0)  # type: ignore[union-attr]


def _word(word: str) -> str:
    """`word` not preceded by a word character: `\bword`, with the literal first."""
    return rf"{re.escape(word)}(?<!\w{re.escape(word)})"
