"""``python -m routelint.sdk_sync``: regenerate sdk.toml, report what every notice became, bump."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from routelint.catalog_sync.build import run
from routelint.catalog_sync.classify import KINDS, Facts, UnclassifiedNotices, counts
from routelint.catalog_sync.diff import diff_catalogs
from routelint.catalog_sync.sdk import find_openai_package

EXIT_OK, EXIT_ERROR = 0, 2


def report(facts: Facts, version: str) -> str:
    """What each kind of notice became, with one example per fact or exclusion."""
    lines = [f"openai=={version}: {len(facts.outcomes)} deprecation notices, all classified"]
    lines += [f"  {kind}: {n}" for kind, n in counts(facts).items() if n]
    seen: dict[tuple[str, str], int] = {}
    for o in facts.outcomes:
        seen[(o.kind, o.detail)] = seen.get((o.kind, o.detail), 0) + 1
    for (kind, detail), n in sorted(seen.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1])):
        if kind != "model":
            lines.append(f"    {kind} x{n}: {detail}")
    if facts.unused_exclusions:
        lines.append("  exclusions no notice of this SDK needs: " + "; ".join(facts.unused_exclusions))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate sdk.toml; when overwriting a file, report on stderr what changed in it."""
    parser = argparse.ArgumentParser(
        prog="python -m routelint.sdk_sync",
        description="Generate rules/sdk.toml from the files of an installed openai SDK.")
    parser.add_argument("--python", help="interpreter whose openai package to read (default: this one)")
    parser.add_argument("--today", default=dt.date.today().isoformat(), help="generated-on date, YYYY-MM-DD")
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    parser.add_argument("--rules", type=Path, help="folder of sdk-layout.toml, sdk-notices.toml and surfaces.toml "
                                                   "(default: the catalog routelint ships)")
    parser.add_argument("--report", action="store_true", help="say on stderr what every deprecation notice became")
    parser.add_argument("--bump", action="store_true",
                        help="move this repository to the SDK of --python: rules/sdk.toml, the test pin in "
                             "pyproject.toml, the docs that cite the SDK, the golden outputs")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="with --bump: the repository (default: here)")
    args = parser.parse_args(argv)
    try:
        if args.bump:
            return _bump(args)
        package, version = find_openai_package(args.python)
        generated = run(package, version, today=args.today, rules=args.rules)
    except UnclassifiedNotices as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ValueError, LookupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.report:
        print(report(generated.facts, version), file=sys.stderr)
    if args.output is None:
        sys.stdout.write(generated.text)
        return EXIT_OK
    if args.output.exists():
        changes = diff_catalogs(args.output.read_text(encoding="utf-8"), generated.text)
        print("\n".join(changes) if changes else "sdk.toml: no semantic changes", file=sys.stderr)
    args.output.write_text(generated.text, encoding="utf-8")
    return EXIT_OK


def _bump(args: argparse.Namespace) -> int:
    from routelint.catalog_sync.bump import bump

    if not (args.repo / "rules" / "sdk.toml").is_file() or not (args.repo / "pyproject.toml").is_file():
        print(f"error: {args.repo} is not a routelint checkout (no rules/sdk.toml, pyproject.toml)", file=sys.stderr)
        return EXIT_ERROR
    done = bump(args.python, args.repo, today=args.today)
    print(f"openai {done.old} -> {done.new}", file=sys.stderr)
    print("\n".join(f"  {c}" for c in done.changes) or "  no semantic changes", file=sys.stderr)
    print("rewrote: " + ", ".join(done.edited), file=sys.stderr)
    if done.review:
        print("golden outputs that changed beyond their SDK sources (review them): " + ", ".join(done.review),
              file=sys.stderr)
    if done.left:
        print(f"still naming {done.old} (hand-written sources and examples: review them):", file=sys.stderr)
        print("\n".join(f"  {line}" for line in done.left), file=sys.stderr)
    print(f"next: pip install -e '.[test]' (installs openai=={done.new}), review `git diff`, run the tests",
          file=sys.stderr)
    return EXIT_OK
