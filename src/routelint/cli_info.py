"""The commands that print something and exit (--version, --explain, --list-models,
--show-settings, --sync-catalog, `routelint server`), and the checks of the working folder and
the paths that the lint shares with them."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routelint import __version__
from routelint.cli_report import EXIT_CLEAN, EXIT_ERROR

if TYPE_CHECKING:
    import datetime as dt

    from routelint.catalog_data import Catalog
    from routelint.configs import Configs


def server(paths: tuple[Path, ...], options: dict[str, Any]) -> None:
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


def version(ctx: click.Context, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from routelint.catalog import read_catalog_toml, sdk_version, shipped_meta
    from routelint.catalog_data import CatalogError
    from routelint.config import ConfigError, load_settings
    from routelint.freshness import newer_sdk_note

    lines = []
    try:
        meta = shipped_meta()
        source = f"catalog from {meta.get('generated-from', 'unknown')}, generated {meta.get('generated-on', 'unknown')}"
        try:  # the overlays the configuration in this folder activates
            for path in load_settings(None, cwd=cwd()).extend_catalog:
                overlay = {k: str(v) for k, v in read_catalog_toml(path).get("meta", {}).items()}
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


def sync_catalog(options: dict[str, Any], cwd: Path) -> int:
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


def show_settings(options: dict[str, Any], configs: Configs, today: dt.date) -> int:
    from routelint.docs import all_rules
    from routelint.listing import show_settings, today_source

    paths = list(options["paths"]) or [Path(".")]
    if len(paths) > 1:
        raise click.UsageError("--show-settings takes at most one PATH")
    check_paths_exist(paths)
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


def list_models(options: dict[str, Any], catalog: Catalog, today: dt.date) -> int:
    from routelint.listing import list_models

    surface = options["surface"]
    if surface is not None and surface not in catalog.surfaces:
        known = ", ".join(sorted(catalog.surfaces))
        raise click.BadParameter(f"unknown surface {surface!r} (known: {known})", param_hint="--surface")
    statuses = tuple(s.lower() for s in options["statuses"])
    click.echo(list_models(catalog, today, options["output_format"], surface=surface, statuses=statuses), nl=False)
    return EXIT_CLEAN


def explain(code: str, output_format: str) -> int:
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


def cwd() -> Path:
    """The working directory; a clear error when it is gone (deleted under a shell still in it)."""
    try:
        return Path.cwd()
    except OSError as exc:
        from routelint.config import ConfigError

        raise ConfigError(f"the working directory cannot be used ({exc.strerror}; was it deleted?): cd to a folder that exists") from None


def check_paths_exist(paths: list[Path]) -> None:
    from routelint.config import ConfigError
    from routelint.discovery import may_exist

    missing = [p for p in paths if not may_exist(p)]
    if missing:
        raise ConfigError(f"path does not exist: {missing[0]}")
