"""Command line: options -> settings -> the run (runner.py) -> report (cli_report.py). No logic of
its own; the commands that print something and exit are in cli_info.py."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routelint import __version__, cli_info, cli_report
from routelint.cli_report import EXIT_CLEAN, EXIT_ERROR

if TYPE_CHECKING:
    import datetime as dt

    from routelint.cache import ResultCache
    from routelint.config import Settings
    from routelint.configs import Configs
    from routelint.engine import Linter

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
@click.option("--version", is_flag=True, is_eager=True, expose_value=False, callback=lambda ctx, _p, value: cli_info.version(ctx, value), help="Show the version and the catalog's source, and exit.")
def main(**options: object) -> None:
    """Lint Python code for OpenAI model strings that are wrong for where they go.

    `routelint check PATHS` is the same as `routelint PATHS` (ruff's spelling); `routelint server`
    runs the language server over standard input and output (the `lsp` extra)."""
    cli_report.never_fail_to_print()
    from routelint.interrupts import EXIT_SIGINT, EXIT_SIGTERM, Terminated, handled

    paths: tuple[Path, ...] = tuple(options["paths"])  # type: ignore[arg-type]
    if paths and str(paths[0]) == "check" and not paths[0].exists():
        options["paths"] = paths[1:]  # the subcommand, unless a file of that name is meant
    if paths and str(paths[0]) == "server" and not paths[0].exists():
        cli_info.server(paths[1:], options)  # `routelint server [--today DATE]`: the language server
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
        from routelint.catalog_data import CatalogError
        from routelint.config import ConfigError

        if isinstance(exc, (CatalogError, ConfigError)):
            click.echo(f"routelint: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        raise
    sys.exit(code)


def _stopped(name: str, code: int) -> None:
    """One line, no traceback: fixes already written stay (each file whole), no other is made."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    click.echo(f"routelint: stopped by {name}; the run is incomplete (a file --fix already wrote is fixed whole)", err=True)
    sys.exit(code)


def _run(options: dict[str, Any]) -> int:
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
        return cli_info.explain(options["explain"], options["output_format"])
    if options["sync_catalog"] is not None:
        return cli_info.sync_catalog(options, cli_info.cwd())
    if options["list_rules"]:
        from routelint.docs import all_rules
        from routelint.listing import list_rules

        click.echo(list_rules(all_rules(), options["output_format"]), nl=False)
        return EXIT_CLEAN
    cwd = cli_info.cwd()
    configs = _configs(options, cwd)
    settings = configs.for_folder(cwd)  # the run's own: fail-on, --list-models
    today = cfg.resolve_today(options["today"])
    if options["show_settings"]:
        return cli_info.show_settings(options, configs, today)
    from routelint.catalog import load_catalog

    if options["list_models"]:
        return cli_info.list_models(options, load_catalog(settings.extend_catalog), today)
    return _lint(options, configs, today, cwd)


def _configs(options: dict[str, Any], cwd: Path) -> Configs:
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


def _lint(options: dict[str, Any], configs: Configs, today: dt.date, cwd: Path) -> int:
    from routelint import config as cfg
    from routelint.buffer import run_stdin
    from routelint.runner import run_paths

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

        cli_info.check_paths_exist(paths)
        files, warnings, _problems = files_to_check(paths, configs, bool(options["force_exclude"]))
        for warning in warnings:
            click.echo(f"routelint: {warning}", err=True)
        shown = display_paths(cwd)
        cli_report.emit(options, "".join(f"{shown(path)}\n" for path in files))
        return EXIT_CLEAN
    if options["inventory"]:
        from routelint.inventory import inventory_paths, render_inventory

        cli_info.check_paths_exist(paths)
        entries = inventory_paths(make_linter, configs, paths, cwd=cwd, force_exclude=bool(options["force_exclude"]))
        cli_report.emit(options, render_inventory(entries, options["output_format"]))
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
        cli_info.check_paths_exist(paths)

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
    code = cli_report.report_outcome(options, outcome, stream_err, cwd)
    for cache in caches.values():  # after the report: whatever happens to the cache, the findings are out
        if cache is not None:
            cache.save()
            for warning in cache.warnings:
                click.echo(f"routelint: warning: {warning}", err=True)
    return code


def _cache(options: dict[str, Any], settings: Settings, today: dt.date) -> ResultCache | None:
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


