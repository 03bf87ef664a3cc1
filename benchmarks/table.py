"""The markdown report: timings, verification of the planted cases, and the issue's targets."""
from __future__ import annotations

import sys

import corpus as corpora

MIN_RUNS = 5  # the targets are medians of at least this many interleaved runs


def _find(groups, corpus_name: str, label_start: str):
    for cells in groups:
        for cell in cells:
            if cell.corpus.name == corpus_name and cell.label.startswith(label_start):
                return cell
    return None


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or not b:
        return "-"
    return f"{a / b:.2f}x" if a / b >= 0.1 else f"{a / b:.3f}x"


def _rate(lines: int, seconds: float | None) -> str:
    return f"{lines / seconds:,.0f}" if seconds else "-"


def render(args, found, groups, *, started, load, platform_line: str) -> str:
    out = [
        f"## routelint benchmark, {started:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {platform_line}; load average {load[0][0]:.2f} before, {load[1][0]:.2f} after",
        "- versions: " + "; ".join(f"{t.label.split(' ')[0]} {_version_word(t.version)}"
                                    for t in found.all()),
        f"- command: `{' '.join(['benchmarks/run.py', *sys.argv[1:]])}`; medians of interleaved runs "
        f"(runs={args.runs}, budget={args.budget:.0f} s per tool and corpus); worst case: {args.sample or 'all'} "
        f"files (seed {args.seed}, planted {args.plant})",
        "",
        "| corpus | files | lines | tool | runs | median s | lines/s | vs ruff | vs routelint | max RSS MB |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for cells in groups:
        ruff = next((c for c in cells if c.tool.name == "ruff"), None)
        base = next((c for c in cells if c.tool.name == "routelint"), None)
        for cell in cells:
            c, median = cell.corpus, cell.median()
            rss = cell.max_rss()
            out.append(
                f"| {c.name} | {c.files} | {c.lines:,} | {cell.label} | {len(cell.samples)} | {_seconds(median)} | "
                f"{_rate(c.lines, median)} | {_ratio(median, ruff.median() if ruff else None)} | "
                f"{_ratio(median, base.median() if base else None)} | {f'{rss:.0f}' if rss else '-'} |"
            )
    out += ["", "`vs ruff` and `vs routelint`: this row's median divided by theirs (below 1: faster). "
            "`max RSS`: from the first (probe) run, the larger of the largest process's peak (GNU time %M) and "
            "the peak of the process group's summed RSS (sampled every 20 ms, 100 ms after the first second).", ""]
    out += _verification(groups)
    out += _targets(groups)
    notes = list(found.notes)
    for tool in found.all():
        notes += tool.warnings
    for cells in groups:
        for cell in cells:
            if len(cell.samples) < min(args.runs, MIN_RUNS):
                notes.append(f"{cell.corpus.name} / {cell.label}: {len(cell.samples)} run(s) only, "
                             f"the probe took {cell.probe.seconds:.1f} s and --budget is {args.budget:.0f} s")
    if notes:
        out += ["", "Notes:"] + [f"- {n}" for n in dict.fromkeys(notes)]
    return "\n".join(out) + "\n"


def verification(entries) -> tuple[list[str], bool]:
    """Rows for (corpus, tool label, tally) entries, and whether every tool found every case."""
    rules = corpora.PLANTED_RULES
    rows = ["Planted cases found (each rule must be reported once per planted file):", "",
            "| corpus | planted | tool | " + " | ".join(rules) + " | |",
            "|---|---:|---|" + "---:|" * len(rules) + "---|"]
    misses, all_good = [], True
    for c, label, tally in entries:
        good = tally.matches(c.planted, rules)
        all_good &= good
        cols = " | ".join(str(tally.counts.get(r, 0)) for r in rules)
        rows.append(f"| {c.name} | {c.planted} | {label} | {cols} | {'ok' if good else '**MISMATCH**'} |")
        if not good:
            print(f"warning: {label} on {c.name} found {tally.counts}, expected {c.planted} of each", file=sys.stderr)
        for rule, files in tally.missed.items():
            more = f" and {len(files) - 3} more" if len(files) > 3 else ""
            misses.append(f"- {label} missed {rule} in {len(files)} file(s) of {c.name}: "
                          f"{', '.join(files[:3])}{more}")
    return rows + (["", *misses] if misses else []) + [""], all_good


def _verification(groups) -> list[str]:
    entries = [(cell.corpus, cell.label, cell.tally) for cells in groups for cell in cells if cell.tally is not None]
    return verification(entries)[0] if entries else []


def _targets(groups) -> list[str]:
    rows = ["Targets (issue 5):", "", "| target | measured | result |", "|---|---|---|"]

    def verdict(ok: bool | None, *cells) -> str:
        if ok is None:
            return "not measured"
        few = [c for c in cells if c is not None and len(c.samples) < MIN_RUNS]
        word = "PASS" if ok else "FAIL"
        return f"{word} (fewer than {MIN_RUNS} runs)" if few else word

    rl, ruff = _find(groups, "stdlib", "routelint"), _find(groups, "stdlib", "ruff")
    m = (rl.median(), ruff.median()) if rl and ruff else (None, None)
    ok = m[0] <= m[1] if None not in m else None
    rows.append(f"| stdlib, cold, no cache: routelint <= ruff | {_seconds(m[0])} s vs {_seconds(m[1])} s "
                f"({_ratio(*m)}) | {verdict(ok, rl, ruff)} |")

    warm = _find(groups, "stdlib", "routelint (warm")
    m2 = (warm.median(), ruff.median()) if warm and ruff else (None, None)
    ok = m2[0] <= 0.5 * m2[1] if None not in m2 else None
    rows.append(f"| stdlib, warm cache: routelint <= 0.5 x ruff | {_seconds(m2[0])} s vs {_seconds(m2[1])} s "
                f"({_ratio(*m2)}) | {verdict(ok, warm, ruff)} |")

    w = _find(groups, "worst", "routelint")
    for peer, factor in (("fixit", 20), ("semgrep", 5)):
        p = _find(groups, "worst", peer)
        m3 = (p.median(), w.median()) if p and w else (None, None)
        ok = m3[0] >= factor * m3[1] if None not in m3 else None
        rows.append(f"| worst case: routelint >= {factor}x faster than {peer} | {_seconds(m3[1])} s vs "
                    f"{_seconds(m3[0])} s ({_ratio(*m3)} faster) | {verdict(ok, p, w)} |")
    speed = w.corpus.lines / w.median() if w and w.median() else None
    ok = speed >= 40_000 if speed is not None else None
    rows.append(f"| worst case: >= 40,000 lines/s | {f'{speed:,.0f}' if speed else '-'} lines/s | {verdict(ok, w)} |")

    for name in ("small (model strings)", "small (clean)"):
        s = _find(groups, name, "routelint")
        t = s.median() if s else None
        ok = t <= 0.3 if t is not None else None
        rows.append(f"| one small file, {name[7:-1]}, as pre-commit calls it: <= 0.3 s | {_seconds(t)} s | "
                    f"{verdict(ok, s)} |")

    peak = rl.max_rss() if rl else None
    ok = peak <= 150 if peak is not None else None
    rows.append(f"| peak memory, stdlib tree: <= 150 MB | {f'{peak:.0f} MB' if peak else '-'} (probe run) | {verdict(ok)} |")
    return rows


def _version_word(text: str) -> str:
    """The version in a tool's --version line: the first word that starts with a digit."""
    return next((w.strip("(),") for w in text.split() if w[:1].isdigit()), text.split()[-1] if text else "?")
