"""Command line: options -> settings -> engine -> report. No logic of its own."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from routelint import __version__

if TYPE_CHECKING:
    import datetime as dt

    from routelint.cache import ResultCache
    from routelint.catalog import Catalog
    from routelint.config import Settings
    from routelint.configs import Configs
    from routelint.engine import Linter
    from routelint.onefile import RunOutcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Kept in step with report.OUTPUT_FORMATS (a test checks): importing report here would import the
# engine for --help and the listing commands.
OUTPUT_FORMATS = ("text", "concise", "full", "json", "sarif", "github", "gitlab", "csv")  # csv: --inventory only
MODEL_STATUSES = ("active", "legacy", "deprecated", "shut-down", "unsupported")  # listing.STATUSES


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", help="Rule codes or prefixes to enable, comma-separated (default: RL).")
@click.option("--ignore", help="Rule codes or prefixes to disable, comma-separated.")
@click.option("--extend-select", help="Rule codes or prefixes to enable on top of the configured ones.")
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="text/concise: one line per finding; full: with the source line and fix; json (ruff's shape); "
    "sarif (2.1.0, code scanning); github (workflow annotations); gitlab (code quality).",
)
@click.option("--statistics", is_flag=True, help="Print counts by rule (and how many are fixable) instead of the findings.")
@click.option("--today", metavar="YYYY-MM-DD", help="The date lifecycle rules compare with (default: ROUTELINT_TODAY, else today in UTC).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="Use this config file instead of searching for one.")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe (route-changing) fixes.")
@click.option("--diff", is_flag=True, help="Print the diff --fix would apply; write nothing; exit 1 when there is a diff, or a file could not be fixed or read.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit 1 when any file was changed.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (not when a file could not be fixed or written).")
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning", "note")),
    help="Exit 1 only for findings of this severity or above (default: fail-on in the config, else warning).",
)
@click.option("--output-file", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to this file instead of standard output.")
@click.option("--show-files", is_flag=True, help="List the files that would be checked, and exit.")
@click.option("--add-noqa", is_flag=True, help="Add '# noqa: CODE' to every line with a finding (to adopt routelint on existing code), and exit.")
@click.option("--stdin-filename", help="With '-' as the path: the name to report, match config against, and per-file-ignores.")
@click.option("--force-exclude", is_flag=True, help="Apply exclude and .gitignore also to files named on the command line.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Print a line of run statistics to standard error: files, prefilter, parses, cache hits, time per phase.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: the number of CPUs); used only when there are enough files.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), help="Where to keep the result cache (default: .routelint_cache next to the config, else in the working directory).")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("--list-rules", is_flag=True, help="List the rules (code, name, severity, fix, summary) and exit.")
@click.option("--list-models", is_flag=True, help="Print the catalog as a model map (status as of --today) and exit.")
@click.option("--surface", metavar="SURFACE", help="With --list-models: only models this API surface accepts, after the map's advice for it.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(MODEL_STATUSES, case_sensitive=False),
    help="With --list-models: only models with this status (repeatable).",
)
@click.option(
    "--show-settings", is_flag=True,
    help="Print the config file that governs PATH (a file or folder, default .), its resolved settings, and which rules are on, and why.",
)
@click.option(
    "--sync-catalog",
    "sync_catalog",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[PATH]",
    help="Write a catalog overlay from the openai package installed here (default path: "
    ".routelint_cache/catalog/openai-<version>.toml), print what changed against the shipped catalog, and exit. "
    "Point extend-catalog at it.",
)
@click.option("--inventory", is_flag=True, help="List every model the code uses, by model, with surface, shutdown date and replacement (text, json or csv); exit 0.")
@click.option("--python", "sync_python", metavar="PY", help="With --sync-catalog: read the openai package of this interpreter.")
@click.option("--version", is_flag=True, is_eager=True, expose_value=False, callback=lambda ctx, _p, value: _version(ctx, value), help="Show the version and the catalog's source, and exit.")
def main(**options: object) -> None:
    """Lint Python code for OpenAI model strings that are wrong for where they go.

    `routelint check PATHS` is the same as `routelint PATHS` (ruff's spelling); `routelint server`
    runs the language server over standard input and output (the `lsp` extra)."""
    _never_fail_to_print()
    from routelint.interrupts import EXIT_SIGINT, EXIT_SIGTERM, Terminated, handled

    paths: tuple[Path, ...] = tuple(options["paths"])  # type: ignore[arg-type]
    if paths and str(paths[0]) == "check" and not paths[0].exists():
        options["paths"] = paths[1:]  # the subcommand, unless a file of that name is meant
    if paths and str(paths[0]) == "server" and not paths[0].exists():
        _server(paths[1:], options)  # `routelint server [--today DATE]`: the language server
    if options["stdin_filename"] and not options["paths"]:
        options["paths"] = (Path("-"),)  # --stdin-filename alone reads standard input, as ruff does
    try:
        with handled():
            code = _run(options)
    except KeyboardInterrupt:  # worker processes are stopped by now (pool.Pool)
        _stopped("SIGINT", EXIT_SIGINT)
    except Terminated:
        _stopped("SIGTERM", EXIT_SIGTERM)
    except click.ClickException:
        raise
    except Exception as exc:  # a known error class carries its own message
        from routelint.catalog import CatalogError
        from routelint.config import ConfigError

        if isinstance(exc, (CatalogError, ConfigError)):
            click.echo(f"routelint: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        raise
    sys.exit(code)


def _server(paths: tuple[Path, ...], options: dict) -> None:
    """`routelint server`: the language server over standard input and output (server.py), with
    the `lsp` extra. It takes no paths; --today (else ROUTELINT_TODAY) dates the lifecycle rules."""
    from routelint import config as cfg

    if paths:
        raise click.UsageError("`routelint server` takes no PATHS (the editor sends the documents)")
    try:
        import pygls  # noqa: F401  (the extra's presence, before anything is started)
    except ImportError:
        click.echo("routelint: error: the language server needs the lsp extra: pip install 'routelint[lsp]'", err=True)
        sys.exit(EXIT_ERROR)
    try:
        cfg.resolve_today(options["today"])  # a bad date is said now, not at the first check
    except cfg.ConfigError as exc:
        click.echo(f"routelint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    from routelint.server import serve

    serve(today=options["today"])
    sys.exit(EXIT_CLEAN)


def _stopped(name: str, code: int) -> None:
    """One line, no traceback: fixes already written stay (each file whole), no other is made."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    click.echo(f"routelint: stopped by {name}; the run is incomplete (a file --fix already wrote is fixed whole)", err=True)
    sys.exit(code)


def _never_fail_to_print() -> None:
    """A message or a finding must never crash on a console that cannot show its characters
    (PYTHONIOENCODING=ascii, a C locale): what the encoding lacks is written as escapes.
    Undecodable file names keep the surrogateescape handler Python chose for them (their bytes
    go out as they came in)."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        errors = getattr(stream, "errors", None)
        if errors not in ("strict", "surrogateescape"):
            continue
        if errors == "surrogateescape":
            try:
                codecs.lookup_error(_ESCAPE)
            except LookupError:
                codecs.register_error(_ESCAPE, _escape)
        try:
            stream.reconfigure(errors="backslashreplace" if errors == "strict" else _ESCAPE)  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # not a TextIOWrapper (a test's capture)
            pass


_ESCAPE = "routelint.surrogateescape-else-backslashreplace"


def _escape(error: UnicodeError) -> tuple[bytes, int]:
    """surrogateescape for the bytes of undecodable names, backslashreplace for the rest."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = bytearray()
    for char in error.object[error.start : error.end]:
        if "\udc80" <= char <= "\udcff":
            out.append(ord(char) - 0xDC00)
        else:
            out += char.encode("ascii", "backslashreplace")
    return bytes(out), error.end


def _run(options: dict) -> int:
    from routelint import config as cfg

    commands = [name for name in ("explain", "list_rules", "list_models", "show_settings") if options[name]]
    if options["sync_catalog"] is not None:
        commands.append("sync_catalog")
    if len(commands) > 1:
        raise click.UsageError(f"--{commands[0].replace('_', '-')} and --{commands[1].replace('_', '-')} cannot be combined")
    if (options["surface"] or options["statuses"]) and not options["list_models"]:
        raise click.UsageError("--surface and --status only go with --list-models")
    allowed = ("text", "json", "full") if commands == ["list_models"] else ("text", "json")
    if commands and options["output_format"] not in allowed:
        raise click.UsageError(f"--{commands[0].replace('_', '-')} prints {' or '.join(allowed)}, not {options['output_format']}")
    if (options["list_rules"] or options["list_models"]) and options["paths"]:
        raise click.UsageError(f"--{commands[0].replace('_', '-')} takes no PATHS")
    if options["sync_python"] and options["sync_catalog"] is None:
        raise click.UsageError("--python only goes with --sync-catalog")
    if options["inventory"] and options["output_format"] not in ("text", "json", "csv"):
        raise click.UsageError(f"--inventory prints text, json or csv, not {options['output_format']}")
    if options["add_noqa"] and (options["fix"] or options["diff"]):
        raise click.UsageError("--add-noqa cannot be combined with --fix or --diff")
    if options["unsafe_fixes"] and not (options["fix"] or options["diff"]):
        click.echo("routelint: warning: --unsafe-fixes does nothing without --fix or --diff", err=True)
    if options["explain"]:
        return _explain(options["explain"], options["output_format"])
    if options["sync_catalog"] is not None:
        return _sync_catalog(options, _cwd())
    if options["list_rules"]:
        from routelint.docs import all_rules
        from routelint.listing import list_rules

        click.echo(list_rules(all_rules(), options["output_format"]), nl=False)
        return EXIT_CLEAN
    cwd = _cwd()
    configs = _configs(options, cwd)
    settings = configs.for_folder(cwd)  # the run's own: fail-on, --list-models
    today = cfg.resolve_today(options["today"])
    if options["show_settings"]:
        return _show_settings(options, configs, today)
    from routelint.catalog import load_catalog

    if options["list_models"]:
        return _list_models(options, load_catalog(settings.extend_catalog), today)
    return _lint(options, configs, today, cwd)


def _configs(options: dict, cwd: Path) -> Configs:
    """Which settings govern each file (the --config file's, else each file's nearest config),
    each config validated when it is first read, with the command line's overrides on top."""
    from routelint import config as cfg
    from routelint.checks import ALL_CHECKS
    from routelint.configs import Configs

    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    if options["select"] is not None and not _codes(options["select"]):
        raise click.UsageError("--select needs at least one rule code or prefix (an empty selection would check nothing)")

    def adjust(settings: Settings) -> Settings:
        for key in ("select", "ignore", "extend_select"):
            where = f"{settings.config_file or 'defaults'}: {key.replace('_', '-')}"
            cfg.validate_codes(getattr(settings, key), all_codes, where)
        for codes in settings.per_file_ignores.values():
            cfg.validate_codes(codes, all_codes, f"{settings.config_file}: per-file-ignores")
        return cfg.with_overrides(
            settings,
            select=_codes(options["select"]),
            ignore=_codes(options["ignore"]),
            extend_select=_codes(options["extend_select"]),
        )

    for key in ("select", "ignore", "extend_select"):
        cfg.validate_codes(_codes(options[key]) or (), all_codes, f"--{key.replace('_', '-')}")
    if options["config_path"] is not None:
        return Configs(cwd=cwd, fixed=adjust(cfg.load_settings(options["config_path"], cwd=cwd)))
    return Configs(cwd=cwd, adjust=adjust)


def _lint(options: dict, configs: Configs, today: dt.date, cwd: Path) -> int:
    from routelint import config as cfg
    from routelint.runner import run_paths, run_stdin

    def make_linter(settings: Settings) -> Linter:
        return configs.linter(settings, today)

    paths = list(options["paths"]) or [Path(".")]
    # A command-line value wins; else the config that governs the working folder decides.
    options["fail_on"] = options["fail_on"] or configs.for_folder(cwd).fail_on
    if options["output_format"] == "csv" and not options["inventory"]:
        raise cfg.ConfigError("--output-format csv is for --inventory")
    if options["show_files"]:
        from routelint.onefile import display_paths
        from routelint.runner import files_to_check

        _check_paths_exist(paths)
        files, warnings, _problems = files_to_check(paths, configs, bool(options["force_exclude"]))
        for warning in warnings:
            click.echo(f"routelint: {warning}", err=True)
        shown = display_paths(cwd)
        _emit(options, "".join(f"{shown(path)}\n" for path in files))
        return EXIT_CLEAN
    if options["inventory"]:
        from routelint.inventory import inventory_paths, render_inventory

        _check_paths_exist(paths)
        entries = inventory_paths(make_linter, configs, paths, cwd=cwd, force_exclude=bool(options["force_exclude"]))
        _emit(options, render_inventory(entries, options["output_format"]))
        return EXIT_CLEAN
    fix, unsafe, diff = bool(options["fix"]), bool(options["unsafe_fixes"]), bool(options["diff"])
    caches: dict[int, ResultCache | None] = {}
    if [str(p) for p in paths] == ["-"]:
        data = sys.stdin.buffer.read()
        name = options["stdin_filename"] or "-"
        settings = configs.for_folder(cwd) if name == "-" else configs.for_file(Path(name))  # the nearest config above the name
        outcome, fixed = run_stdin(
            make_linter(settings), settings, data, name, cwd=cwd, fix=fix, unsafe=unsafe, diff=diff, configs=configs
        )
        stream_err = fixed is not None
        if fixed is not None:  # bytes in the input's own encoding, whatever the console's is
            sys.stdout.flush()
            sys.stdout.buffer.write(fixed)
            sys.stdout.buffer.flush()
    else:
        _check_paths_exist(paths)

        def cache_for(settings: Settings) -> ResultCache | None:  # one per settings: no two configs share results
            if id(settings) not in caches:
                caches[id(settings)] = _cache(options, settings, today)
            return caches[id(settings)]

        outcome = run_paths(
            make_linter, configs, paths, cwd=cwd, fix=fix, unsafe=unsafe, diff=diff,
            force_exclude=bool(options["force_exclude"]), jobs=options["jobs"] or os.cpu_count() or 1, cache=cache_for,
            add_noqa=bool(options["add_noqa"]),
        )
        stream_err = False
    code = _report(options, outcome, stream_err, cwd)
    for cache in caches.values():  # after the report: whatever happens to the cache, the findings are out
        if cache is not None:
            cache.save()
            for warning in cache.warnings:
                click.echo(f"routelint: warning: {warning}", err=True)
    return code


def _report(options: dict, outcome: RunOutcome, stream_err: bool, cwd: Path) -> int:
    """Print the run's outcome; its exit code."""
    from routelint.report import ReportOptions, render

    diff, unsafe = bool(options["diff"]), bool(options["unsafe_fixes"])
    output_format, quiet = options["output_format"], bool(options["quiet"])
    if options["verbose"]:
        click.echo(_statistics_line(outcome), err=True)
        from routelint.catalog import shipped_meta
        from routelint.freshness import newer_sdk_note

        note = newer_sdk_note(shipped_meta())
        if note:
            click.echo(f"routelint: note: {note}", err=True)

    for warning in outcome.warnings:
        click.echo(f"routelint: {warning}", err=True)
    for error in outcome.errors:
        click.echo(f"routelint: {error}", err=True)
    if options["add_noqa"]:
        n = outcome.noqa_added
        click.echo(f"Added {n} noqa directive{'s' if n != 1 else ''}.", err=True)
        if not outcome.findings:  # what could not be silenced is reported below, as findings
            return EXIT_FINDINGS if outcome.errors else EXIT_CLEAN
    if diff:
        for chunk in outcome.diffs:
            sys.stdout.write(chunk)
        # A diff shows what could be fixed; a file that could not be read is no less a reason to
        # fail (with --exit-zero too, as for a file that could not be fixed, below).
        unreadable = [f for f in outcome.findings if f.code == "RL001"]
        for finding in unreadable:
            click.echo(f"routelint: {finding.path}:{finding.start[0]}:{finding.start[1]}: {finding.code} {finding.message}", err=True)
        if not quiet:
            fixable = sum(1 for f in outcome.findings if f.fix and (unsafe or f.fix.applicability == "safe"))
            click.echo(f"Would fix {fixable} finding{'s' if fixable != 1 else ''}.", err=True)
        if outcome.errors:
            return EXIT_FINDINGS
        return EXIT_FINDINGS if (outcome.diffs or unreadable) and not options["exit_zero"] else EXIT_CLEAN
    report = ReportOptions(
        fixed=outcome.fixed,
        unsafe_available=outcome.unsafe_available,
        quiet=quiet,
        statistics=bool(options["statistics"]),
        color=_use_color(stream_err),
        sources=outcome.sources,
        notebooks=outcome.notebooks,
        files_seen=outcome.files_seen,
        cwd=cwd,
        outside=frozenset(outcome.outside),
    )
    text = render(outcome.findings, output_format, options=report)
    _emit(options, text, err=stream_err, color=report.color)
    if outcome.errors:  # a file left unfixed or unwritten: --exit-zero is for findings, not for this
        return EXIT_FINDINGS
    if options["exit_zero"]:
        return EXIT_CLEAN
    if options["exit_non_zero_on_fix"] and outcome.changed_files:
        return EXIT_FINDINGS
    failing = SEVERITY_RANK[options["fail_on"] or "warning"]
    return EXIT_FINDINGS if any(SEVERITY_RANK.get(f.severity, 0) >= failing for f in outcome.findings) else EXIT_CLEAN


SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


def _emit(options: dict, text: str, *, err: bool = False, color: bool = False) -> None:
    """The report, to standard output (or error) or to --output-file, which gets it uncoloured."""
    if options["output_file"] is None:
        click.echo(text, nl=False, err=err, color=color)
        return
    try:
        options["output_file"].write_text(text, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        from routelint.config import ConfigError

        raise ConfigError(f"cannot write --output-file {options['output_file']}: {exc.strerror or exc}") from None


def _version(ctx: click.Context, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from routelint.catalog import CatalogError, _read_toml, sdk_version, shipped_meta
    from routelint.config import ConfigError, load_settings
    from routelint.freshness import newer_sdk_note

    lines = []
    try:
        meta = shipped_meta()
        source = f"catalog from {meta.get('generated-from', 'unknown')}, generated {meta.get('generated-on', 'unknown')}"
        try:  # the overlays the configuration in this folder activates
            for path in load_settings(None, cwd=_cwd()).extend_catalog:
                overlay = {k: str(v) for k, v in _read_toml(path).get("meta", {}).items()}
                kind = f"SDK overlay from {overlay['generated-from']}" if sdk_version(overlay) else "catalog extension"
                lines.append(f"  {kind}: {path}")
                meta = overlay if sdk_version(overlay) else meta
        except (ConfigError, CatalogError) as exc:
            lines.append(f"  extend-catalog unreadable: {exc}")
        note = newer_sdk_note(meta)
        if note:
            lines.append(f"  note: {note}")
    except CatalogError as exc:
        source = f"catalog unreadable: {exc}"
    click.echo("\n".join([f"routelint {__version__} ({source})", *lines]))
    ctx.exit(EXIT_CLEAN)


def _sync_catalog(options: dict, cwd: Path) -> int:
    """Regenerate the SDK part of the catalog from the user's own openai package."""
    import datetime as dt

    from routelint import sdk_sync
    from routelint.catalog import rules_dir

    try:
        package, version = sdk_sync.find_openai_package(options["sync_python"])
    except Exception as exc:  # noqa: BLE001 - no openai there, or the interpreter failed
        click.echo(f"routelint: error: cannot find the openai package: {exc}", err=True)
        return EXIT_ERROR
    try:
        text = sdk_sync.generate(package, version, today=dt.date.today().isoformat())
    except ValueError as exc:  # the SDK contradicts itself, or changed shape: say where
        click.echo(f"routelint: error: cannot build a catalog from openai=={version}: {exc}", err=True)
        return EXIT_ERROR
    target = Path(options["sync_catalog"]) if options["sync_catalog"] else cwd / ".routelint_cache" / "catalog" / f"openai-{version}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    changes = sdk_sync.diff_catalogs((rules_dir() / "sdk.toml").read_text(encoding="utf-8"), text)
    click.echo(f"Wrote {target} from openai=={version}.")
    if changes:
        click.echo("Changes against the catalog routelint ships:")
        for line in changes:
            click.echo(f"  {line}")
    else:
        click.echo("No changes against the catalog routelint ships.")
    click.echo(f'To use it: extend-catalog = ["{target}"] in [tool.routelint].')
    return EXIT_CLEAN


def _cache(options: dict, settings: Settings, today: dt.date) -> ResultCache | None:
    """The result cache for one settings of the run, or None with --no-cache (and when fixing):
    .routelint_cache next to its config (ruff keeps one per project too), else in the working
    folder; or --cache-dir, where each settings has its own file (the run key holds them)."""
    if options["no_cache"] or options["fix"] or options["diff"]:
        return None
    from routelint.cache import ResultCache
    from routelint.catalog import catalog_digest

    folder = options["cache_dir"] or settings.root / ".routelint_cache"
    run_key = repr((__version__, catalog_digest(settings.extend_catalog), settings, today, settings.deprecation_horizon_days))
    return ResultCache(folder, run_key)


def _statistics_line(outcome: object) -> str:
    seen, parsed, hits = outcome.files_seen, outcome.parsed, outcome.cache_hits  # type: ignore[attr-defined]
    phases = ", ".join(f"{name} {seconds:.3f}s" for name, seconds in outcome.seconds.items())  # type: ignore[attr-defined]
    skipped = seen - parsed - hits
    return f"routelint: {seen} files seen, {hits} from cache, {skipped} settled by the prefilter, {parsed} parsed; {phases}"


def _use_color(to_stderr: bool) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stderr if to_stderr else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def _cwd() -> Path:
    """The working directory; a clear error when it is gone (deleted under a shell still in it)."""
    try:
        return Path.cwd()
    except OSError as exc:
        from routelint.config import ConfigError

        raise ConfigError(f"the working directory cannot be used ({exc.strerror}; was it deleted?): cd to a folder that exists") from None


def _check_paths_exist(paths: list[Path]) -> None:
    from routelint.config import ConfigError
    from routelint.files import may_exist

    missing = [p for p in paths if not may_exist(p)]
    if missing:
        raise ConfigError(f"path does not exist: {missing[0]}")


def _show_settings(options: dict, configs: Configs, today: dt.date) -> int:
    from routelint.docs import all_rules
    from routelint.listing import show_settings, today_source

    paths = list(options["paths"]) or [Path(".")]
    if len(paths) > 1:
        raise click.UsageError("--show-settings takes at most one PATH")
    _check_paths_exist(paths)
    text = show_settings(
        configs.for_path(paths[0]),  # the config that governs that file or folder
        paths[0],
        all_rules(),
        today=today,
        today_from=today_source(options["today"]),
        output_format=options["output_format"],
    )
    click.echo(text, nl=False)
    return EXIT_CLEAN


def _list_models(options: dict, catalog: Catalog, today: dt.date) -> int:
    from routelint.listing import list_models

    surface = options["surface"]
    if surface is not None and surface not in catalog.surfaces:
        known = ", ".join(sorted(catalog.surfaces))
        raise click.BadParameter(f"unknown surface {surface!r} (known: {known})", param_hint="--surface")
    statuses = tuple(s.lower() for s in options["statuses"])
    click.echo(list_models(catalog, today, options["output_format"], surface=surface, statuses=statuses), nl=False)
    return EXIT_CLEAN


def _explain(code: str, output_format: str) -> int:
    from routelint.docs import find_rule

    rule = find_rule(code)
    if rule is None:
        click.echo(f"routelint: error: unknown rule {code!r}", err=True)
        return EXIT_ERROR
    if output_format == "json":
        import json

        fields = {"code": rule.code, "name": rule.name, "severity": rule.severity, "fixable": rule.fixable,
                  "fix": rule.fix, "summary": rule.summary, "url": rule.url, "explanation": rule.body}
        click.echo(json.dumps(fields, indent=2, ensure_ascii=False))
    else:
        click.echo(rule.markdown(level=1), nl=False)
    return EXIT_CLEAN
