"""Command line: options -> settings -> engine -> report. No logic of its own."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from routelint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
OUTPUT_FORMATS = ("text", "json", "csv")  # csv: --inventory only


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", help="Rule codes or prefixes to enable, comma-separated (default: RL).")
@click.option("--ignore", help="Rule codes or prefixes to disable, comma-separated.")
@click.option("--extend-select", help="Rule codes or prefixes to enable on top of the configured ones.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default="text", show_default=True)
@click.option("--today", metavar="YYYY-MM-DD", help="The date lifecycle rules compare with (default: ROUTELINT_TODAY, else today in UTC).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="Use this config file instead of searching for one.")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe (route-changing) fixes.")
@click.option("--diff", is_flag=True, help="Print the diff --fix would apply; write nothing; exit 1 when there is a diff.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit 1 when any file was changed.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", help="With '-' as the path: the name to report, match config against, and per-file-ignores.")
@click.option("--force-exclude", is_flag=True, help="Apply exclude and .gitignore also to files named on the command line.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("--inventory", is_flag=True, help="List every model the code uses, by model, with surface, shutdown date and replacement (text, json or csv); exit 0.")
@click.version_option(__version__, "--version", message="%(prog)s %(version)s")
def main(**options: object) -> None:
    """Lint Python code for OpenAI model strings that are wrong for where they go."""
    try:
        code = _run(options)
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


def _run(options: dict) -> int:
    from routelint import config as cfg
    from routelint.catalog import load_catalog
    from routelint.checks import ALL_CHECKS
    from routelint.engine import Linter
    from routelint.report import render
    from routelint.runner import run_paths, run_stdin

    all_codes = sorted(check.CODE for check in ALL_CHECKS)
    if options["explain"]:
        return _explain(options["explain"], ALL_CHECKS)
    cwd = Path.cwd()
    settings = cfg.load_settings(options["config_path"], cwd=cwd)
    for key in ("select", "ignore", "extend_select"):
        where = f"{settings.config_file or 'defaults'}: {key.replace('_', '-')}"
        cfg.validate_codes(getattr(settings, key), all_codes, where)
        cfg.validate_codes(_codes(options[key]) or (), all_codes, f"--{key.replace('_', '-')}")
    for codes in settings.per_file_ignores.values():
        cfg.validate_codes(codes, all_codes, f"{settings.config_file}: per-file-ignores")
    settings = cfg.with_overrides(
        settings,
        select=_codes(options["select"]),
        ignore=_codes(options["ignore"]),
        extend_select=_codes(options["extend_select"]),
    )
    today = cfg.resolve_today(options["today"])
    catalog = load_catalog(settings.extend_catalog)
    linter = Linter(catalog, today=today, horizon_days=settings.deprecation_horizon_days, model_names=settings.model_names)
    paths = list(options["paths"]) or [Path(".")]
    if options["output_format"] == "csv" and not options["inventory"]:
        raise cfg.ConfigError("--output-format csv is for --inventory")
    if options["inventory"]:
        from routelint.inventory import render_inventory, run_inventory

        missing = [p for p in paths if not p.exists() and not p.is_symlink()]
        if missing:
            raise cfg.ConfigError(f"path does not exist: {missing[0]}")
        entries = run_inventory(linter, paths, exclude=settings.exclude_patterns(), cwd=cwd, force_exclude=bool(options["force_exclude"]))
        click.echo(render_inventory(entries, options["output_format"]), nl=False)
        return EXIT_CLEAN
    fix, unsafe, diff = bool(options["fix"]), bool(options["unsafe_fixes"]), bool(options["diff"])
    output_format, quiet = options["output_format"], bool(options["quiet"])

    if [str(p) for p in paths] == ["-"]:
        data = sys.stdin.buffer.read()
        name = options["stdin_filename"] or "-"
        outcome, fixed_text = run_stdin(linter, settings, data, name, cwd=cwd, fix=fix, unsafe=unsafe, diff=diff)
        if fixed_text is not None:
            sys.stdout.write(fixed_text)
            sys.stdout.flush()
            stream_err = True
        else:
            stream_err = False
    else:
        missing = [p for p in paths if not p.exists() and not p.is_symlink()]
        if missing:
            raise cfg.ConfigError(f"path does not exist: {missing[0]}")
        outcome = run_paths(
            linter, settings, paths, cwd=cwd, fix=fix, unsafe=unsafe, diff=diff, force_exclude=bool(options["force_exclude"])
        )
        stream_err = False

    for error in outcome.errors:
        click.echo(f"routelint: {error}", err=True)
    if diff:
        for chunk in outcome.diffs:
            sys.stdout.write(chunk)
        if not quiet:
            fixable = sum(1 for f in outcome.findings if f.fix and (unsafe or f.fix.applicability == "safe"))
            click.echo(f"Would fix {fixable} finding{'s' if fixable != 1 else ''}.", err=True)
        return EXIT_FINDINGS if outcome.diffs and not options["exit_zero"] else EXIT_CLEAN
    text = render(outcome.findings, output_format, fixed=outcome.fixed, unsafe_available=outcome.unsafe_available, quiet=quiet)
    if stream_err:
        click.echo(text, nl=False, err=True)
    else:
        click.echo(text, nl=False)
    if options["exit_zero"]:
        return EXIT_CLEAN
    if outcome.errors:
        return EXIT_FINDINGS
    if options["exit_non_zero_on_fix"] and outcome.changed_files:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if outcome.findings else EXIT_CLEAN


def _explain(code: str, checks: tuple) -> int:
    for check in checks:
        if check.CODE == code.upper() or check.NAME == code.lower():
            click.echo(f"# {check.CODE} {check.NAME}\n\nSeverity: {check.SEVERITY}. Fix: {check.FIX}.\n")
            click.echo((check.__doc__ or "").strip())
            return EXIT_CLEAN
    click.echo(f"routelint: error: unknown rule {code!r}", err=True)
    return EXIT_ERROR
