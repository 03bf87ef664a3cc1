"""Coverage-guided fuzzing of lint_source / fix_source on arbitrary bytes, decoding included.

    fuzz/run.sh 60                      # fuzz for 60 seconds (installs nothing; see below)
    python fuzz/fuzz_lint.py -max_total_time=60 fuzz/.work/corpus   # libFuzzer flags as usual

Needs atheris (`pip install -e '.[fuzz]'`; it builds against clang's libFuzzer). check() is the
property every input must keep, and needs nothing but routelint: tests/test_fuzz_regressions.py
replays every input kept in tests/fuzz_regressions/ through it on each test run, and run.sh
turns each crash libFuzzer writes into such a file (the bytes' repr, as text).
"""
from __future__ import annotations

import ast
import datetime as dt
import hashlib
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def _linter():  # type: ignore[no-untyped-def]
    from routelint.catalog import load_catalog
    from routelint.engine import Linter

    return Linter(load_catalog(), today=dt.date(2026, 11, 25))


# Most random bytes are not Python; spliced into these as a string literal, every input also
# reaches the model-string paths (catalog lookups, spellings, fixes) inside a valid program.
TEMPLATES = (
    "MODEL = {}\n",
    "import openai\nclient.chat.completions.create(model={}, messages=[])\n",
    "client.images.generate(model={}, prompt='p')  # routelint: ignore[RL301]\n",
    "client.realtime.client_secrets.create(session={{'type': 'realtime', 'model': {}}})\n",
    "cfg = {{'model': {}}}\nclient.responses.create(**cfg)\n",
)


def check(data: bytes) -> None:
    """Decoding fails only with UnreadableFile; linting never raises; fixing never raises (a fix
    that broke the syntax or did not converge would be a bug: fixes only replace a string's
    content with a model ID), and a second fix changes nothing. The same for the input's text
    planted as a model string into each of TEMPLATES."""
    from routelint.files import UnreadableFile, decode

    try:
        text, _ = decode(data, "fuzz.py")
    except UnreadableFile:
        text = None
    if text is not None:
        _check_text(text)
    value = data.decode("utf-8", "replace")
    template = TEMPLATES[len(data) % len(TEMPLATES)]
    _check_text(template.format(repr(value)))


def _check_text(text: str) -> None:
    linter = _linter()
    result = linter.lint_source(text, "fuzz.py")
    for finding in result.findings:
        assert finding.path == "fuzz.py" and finding.start <= finding.end, finding
    fixed = linter.fix_source(text, "fuzz.py", unsafe=True)
    again = linter.fix_source(fixed.source, "fuzz.py", unsafe=True)
    assert again.source == fixed.source and not again.fixed, "a second fix changed the text"


def _seed(corpus: Path, dictionary: Path) -> None:
    """Start from every fixture and example, with the catalog's IDs and labels as a dictionary."""
    from routelint.catalog import load_catalog

    corpus.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted((ROOT / "examples").glob("*.py")):
        data = source.read_bytes()
        (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)
    catalog = load_catalog()
    words = set(catalog.models) | {label.text for label in catalog.labels.values()}
    words |= {"model=", "MODEL = ", '{"model": ', "client.chat.completions.create(", "client.images.generate(",
              "client.responses.create(", "client.realtime.connect(", "client.videos.create(", "import openai\n",
              "# routelint: ignore", "# noqa", "# -*- coding: latin-1 -*-\n", "\xef\xbb\xbf", "\r\n", "\r", "\t"}
    dictionary.parent.mkdir(parents=True, exist_ok=True)
    dictionary.write_text("".join(f"{_dict_entry(w)}\n" for w in sorted(words)), encoding="ascii")


def _dict_entry(word: str) -> str:
    escaped = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "".join(f"\\x{b:02x}" for b in c.encode("utf-8", "surrogateescape")) for c in word)
    return f'"{escaped}"'


def _keep(crashes: Path, regressions: Path) -> int:
    """Each crash-*/timeout-*/oom-* file libFuzzer wrote becomes tests/fuzz_regressions/<name>.txt."""
    regressions.mkdir(parents=True, exist_ok=True)
    kept = 0
    for artifact in sorted(crashes.glob("*-*")):
        data = artifact.read_bytes()
        target = regressions / f"{artifact.name.split('-')[0]}-{hashlib.sha1(data).hexdigest()[:12]}.txt"
        if not target.exists():
            target.write_text(repr(data) + "\n", encoding="ascii")
            print(f"kept {artifact} as {target}")
            kept += 1
    return kept


def load_regression(path: Path) -> bytes:
    data = ast.literal_eval(path.read_text(encoding="ascii"))
    assert isinstance(data, bytes), path
    return data


def main() -> None:
    if sys.argv[1:2] == ["--seed"]:
        _seed(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--keep"]:
        _keep(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: pip install -e '.[fuzz]' (it needs clang and libFuzzer)")
    with atheris.instrument_imports(include=["routelint"]):
        import routelint.engine
        import routelint.extract
        import routelint.files
        import routelint.safeparse
        import routelint.suppress  # noqa: F401
    _linter()  # load the catalog before fuzzing starts
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
