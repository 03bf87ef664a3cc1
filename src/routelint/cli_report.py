"""What a run prints and how it ends: the report (to standard output, standard error or
--output-file), the statistics line, colour, the exit code from the findings, and output that
never fails on a console that cannot show a character."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from routelint.onefile import RunOutcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


def report_outcome(options: dict[str, Any], outcome: RunOutcome, stream_err: bool, cwd: Path) -> int:
    """Print the run's outcome; its exit code."""
    from routelint.report import ReportOptions, render

    diff, unsafe = bool(options["diff"]), bool(options["unsafe_fixes"])
    output_format, quiet = options["output_format"], bool(options["quiet"])
    if options["verbose"]:
        click.echo(statistics_line(outcome), err=True)
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
        color=use_color(stream_err),
        sources=outcome.sources,
        notebooks=outcome.notebooks,
        files_seen=outcome.files_seen,
        cwd=cwd,
        outside=frozenset(outcome.outside),
    )
    text = render(outcome.findings, output_format, options=report)
    emit(options, text, err=stream_err, color=report.color)
    if outcome.errors:  # a file left unfixed or unwritten: --exit-zero is for findings, not for this
        return EXIT_FINDINGS
    if options["exit_zero"]:
        return EXIT_CLEAN
    if options["exit_non_zero_on_fix"] and outcome.changed_files:
        return EXIT_FINDINGS
    failing = SEVERITY_RANK[options["fail_on"] or "warning"]
    return EXIT_FINDINGS if any(SEVERITY_RANK.get(f.severity, 0) >= failing for f in outcome.findings) else EXIT_CLEAN


def emit(options: dict[str, Any], text: str, *, err: bool = False, color: bool = False) -> None:
    """The report, to standard output (or error) or to --output-file, which gets it uncoloured."""
    if options["output_file"] is None:
        click.echo(text, nl=False, err=err, color=color)
        return
    try:
        options["output_file"].write_text(text, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        from routelint.config import ConfigError

        raise ConfigError(f"cannot write --output-file {options['output_file']}: {exc.strerror or exc}") from None


def statistics_line(outcome: RunOutcome) -> str:
    seen, parsed, hits = outcome.files_seen, outcome.parsed, outcome.cache_hits
    phases = ", ".join(f"{name} {seconds:.3f}s" for name, seconds in outcome.seconds.items())
    skipped = seen - parsed - hits
    return f"routelint: {seen} files seen, {hits} from cache, {skipped} settled by the prefilter, {parsed} parsed; {phases}"


def use_color(to_stderr: bool) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stderr if to_stderr else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def never_fail_to_print() -> None:
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
