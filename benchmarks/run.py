"""Benchmark routelint against ruff and the project's own Fixit and Semgrep equivalents.

Builds the corpora from the running interpreter's stdlib into a temporary folder, runs the tools
interleaved (medians of --runs samples), checks that every peer finds the planted cases, and
prints a markdown table with the issue's targets. See benchmarks/README.md.

    .venv/bin/python benchmarks/run.py                 # the default run (< 15 min on 2 cores)
    .venv/bin/python benchmarks/run.py --verify        # only: do the peers find what routelint finds?
    .venv/bin/python benchmarks/run.py --profile 200   # cProfile routelint over 200 worst-case files
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpora
import measure
import tools as toolkit

HERE = Path(__file__).resolve().parent
SLOW = 2.0  # seconds: a probe this slow may count as a sample (start-up effects are noise then)


@dataclass
class Cell:
    """One tool (or one way of running it) on one corpus."""

    corpus: corpora.Corpus
    tool: toolkit.Tool
    argv: list[str]
    prime_only_probe: bool = False  # the probe fills a cache: never a sample
    samples: list[measure.Sample] = field(default_factory=list)
    probe: measure.Sample | None = None
    tally: toolkit.Tally | None = None  # planted cases found, from the probe's output

    @property
    def label(self) -> str:
        return self.tool.label

    def median(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.samples else None

    def max_rss(self) -> float | None:
        """Peak memory of the probe run: its largest process or its sampled tree sum, whichever is more."""
        if self.probe is None:
            return None
        values = [v for v in (self.probe.max_rss_mb, self.probe.tree_rss_mb) if v]
        return max(values) if values else None


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    found = toolkit.discover(args, HERE)
    for note in found.notes:
        print(f"note: {note}", file=sys.stderr)
    if found.routelint is None:
        print("error: routelint is not installed in this environment", file=sys.stderr)
        return 2
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="routelint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            return _profile(args, found, work)
        corpus_list = _build(args, work)
        if args.verify:
            return _verify(args, found, corpus_list, work)
        return _benchmark(args, found, corpus_list, work)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            print(f"note: corpora kept in {work}", file=sys.stderr)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="timed runs per tool and corpus (default 5; targets need >= 5)")
    p.add_argument("--sample", type=int, default=200, help="stdlib files in the worst-case corpus (0: all; default 200)")
    p.add_argument("--seed", type=int, default=0, help="seed of the worst-case sample")
    p.add_argument("--plant", choices=("top", "nested"), default="top",
                   help="where planted statements go: between top-level statements, or inside the longest function")
    p.add_argument("--corpora", default="stdlib,worst,small,settings",
                   help="comma-separated: stdlib, worst, small, settings, sdists (downloads the openai and openai-agents sdists)")
    p.add_argument("--modules", type=int, default=400, help="modules of the settings app (default 400)")
    p.add_argument("--tools", default="routelint,ruff,fixit,semgrep", help="comma-separated tools to run")
    p.add_argument("--peers-on-stdlib", action="store_true", help="also run Fixit and Semgrep on the whole stdlib tree (slow)")
    p.add_argument("--budget", type=float, default=180.0,
                   help="seconds one tool may spend on one corpus, probe included; a slower tool gets fewer runs "
                        "(marked in the table). Default 180")
    p.add_argument("--today", default="2026-11-25", help="routelint --today (the lifecycle rules compare with it)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="semgrep -j (default: CPUs)")
    p.add_argument("--routelint", help="routelint executable (default: beside this Python, else PATH)")
    p.add_argument("--ruff", help="ruff executable")
    p.add_argument("--fixit", help="fixit executable")
    p.add_argument("--semgrep", help="semgrep executable")
    p.add_argument("--verify", action="store_true", help="only check that each tool finds the planted cases; exit 1 if not")
    p.add_argument("--profile", type=int, metavar="N", help="only: cProfile routelint over N worst-case files, print the top entries")
    p.add_argument("--workdir", help="build the corpora here (kept) instead of a temporary folder")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--output", help="also write the markdown report to this file")
    return p.parse_args(argv)


def _build(args: argparse.Namespace, work: Path) -> list[corpora.Corpus]:
    wanted = {c.strip() for c in args.corpora.split(",") if c.strip()}
    if args.verify:
        wanted = {"worst", "small"}
    built = []
    if "stdlib" in wanted:
        built.append(corpora.build_stdlib(work / "corpora" / "stdlib"))
    if "worst" in wanted:
        built.append(corpora.build_worst(work / "corpora" / "worst", sample=args.sample, seed=args.seed, plant_mode=args.plant))
    if "small" in wanted:
        built.append(corpora.build_small(work / "corpora" / "small-clean", planted=False))
        built.append(corpora.build_small(work / "corpora" / "small-planted", planted=True))
    if "settings" in wanted:
        built.extend(corpora.build_settings(work / "corpora" / "settings", modules=args.modules, seed=args.seed))
    if "sdists" in wanted:
        built.extend(corpora.build_sdists(work / "corpora" / "sdists"))
    for c in built:
        print(f"corpus {c.name}: {c.files} files, {c.lines} lines ({c.root})", file=sys.stderr)
    toolkit.write_fixit_config(work)
    return built


def _cells(args: argparse.Namespace, found: toolkit.Found, corpus_list: list[corpora.Corpus], work: Path) -> list[list[Cell]]:
    """Per corpus, the cells to run (stdlib: routelint and ruff, unless --peers-on-stdlib)."""
    selected = {t.strip() for t in args.tools.split(",") if t.strip()} | {"routelint"}
    groups = []
    for c in corpus_list:
        cells = []
        for tool in found.all():
            if tool.name not in selected:
                continue
            if c.name == "stdlib" and tool.name in ("fixit", "semgrep") and not args.peers_on_stdlib:
                continue
            if c.name == "small (clean)" and tool.name in ("fixit", "semgrep"):
                continue
            cells.append(Cell(c, tool, tool.command(c.root)))
            if tool.name == "routelint" and found.routelint_cache and (c.name in ("stdlib", "settings app") or c.name.endswith(", one file") or c.root.parent.name == "sdists"):
                warm = toolkit.routelint_warm(tool, work / "routelint-cache")
                cells.append(Cell(c, warm, warm.command(c.root), prime_only_probe=True))
        groups.append(cells)
    return groups


def _benchmark(args: argparse.Namespace, found: toolkit.Found, corpus_list: list[corpora.Corpus], work: Path) -> int:
    started = dt.datetime.now()
    load_before = os.getloadavg()
    groups = _cells(args, found, corpus_list, work)
    for cells in groups:
        _measure_group(cells, args, work)
    report = _report(args, found, groups, started, load_before, os.getloadavg())
    print(report)
    if args.output:
        Path(args.output).write_text(report)
    return 0


def _measure_group(cells: list[Cell], args: argparse.Namespace, work: Path) -> None:
    """Probe every cell once (output, memory), then interleave the timed runs, rotating the order.

    The probe warms the page cache and .pyc files; it becomes a sample only for a slow tool, where
    that does not matter, and where the budget would otherwise allow too few runs."""
    remaining: dict[int, int] = {}
    for i, cell in enumerate(cells):
        print(f"  probe  {cell.corpus.name:<22} {cell.label}", file=sys.stderr, flush=True)
        cell.probe = measure.run(cell.argv, cwd=work, env=cell.tool.env, memory=True)
        cell.tool.check(cell.probe)
        cell.tally = _tally(cell.tool, cell.probe, cell.corpus, work)
        allowed = max(1, int(args.budget // max(cell.probe.seconds, 1e-3)))  # runs the budget allows
        if cell.prime_only_probe or allowed > args.runs or cell.probe.seconds < SLOW:
            remaining[i] = min(args.runs, allowed)
        else:  # too slow to spend a run on the probe alone
            cell.samples.append(cell.probe)
            remaining[i] = min(args.runs, allowed) - 1
    rounds = max(remaining.values(), default=0)
    for r in range(rounds):
        order = list(range(len(cells)))
        order = order[r % len(order):] + order[: r % len(order)]
        for i in order:
            if remaining[i] > 0:
                cell = cells[i]
                print(f"  run {r + 1}/{rounds} {cell.corpus.name:<22} {cell.label}", file=sys.stderr, flush=True)
                sample = measure.run(cell.argv, cwd=work, env=cell.tool.env)
                cell.tool.check(sample)
                cell.samples.append(sample)
                remaining[i] -= 1


def _tally(tool: toolkit.Tool, sample: measure.Sample, c: corpora.Corpus, work: Path) -> toolkit.Tally | None:
    if tool.findings is None or not c.planted:
        return None
    return toolkit.tally(tool.findings(sample.stdout), c.root, work, corpora.PLANTED_RULES)


def _verify(args: argparse.Namespace, found: toolkit.Found, corpus_list: list[corpora.Corpus], work: Path) -> int:
    from table import verification

    entries = []
    for c in corpus_list:
        for tool in found.all():
            if tool.findings is not None and c.planted:
                sample = measure.run(tool.command(c.root), cwd=work, env=tool.env)
                tool.check(sample)
                entries.append((c, tool.label, _tally(tool, sample, c, work)))
    lines, ok = verification(entries)
    print("\n".join(lines))
    return 0 if ok else 1


def _profile(args: argparse.Namespace, found: toolkit.Found, work: Path) -> int:
    import pstats

    c = corpora.build_worst(work / "corpora" / "profile", sample=args.profile, seed=args.seed, plant_mode=args.plant)
    out = work / "routelint.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "routelint", *found.routelint.command(c.root)[1:]]
    sample = measure.run(argv, cwd=work, env=found.routelint.env)
    print(f"routelint under cProfile: {c.files} files, {c.lines} lines, {sample.seconds:.1f} s wall (rc {sample.returncode})")
    for key in ("tottime", "cumulative"):
        print(f"\n## top 25 by {key}\n")
        pstats.Stats(str(out), stream=sys.stdout).sort_stats(key).print_stats(25)
    return 0


def _report(args, found, groups, started, load_before, load_after) -> str:
    from table import render

    return render(args, found, groups, started=started, load=(load_before, load_after), platform_line=_machine())


def _machine() -> str:
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()} ({sys.executable})")


if __name__ == "__main__":
    sys.exit(main())
