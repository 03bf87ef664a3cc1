"""--fix, --unsafe-fixes, --diff on real files: every byte that is not the model string stays."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from harness import run_cli
from routelint import engine, fixing

LABEL_LINE = 'client.images.generate(model="GPT Image 2", prompt="x")'
FIXED_LINE = 'client.images.generate(model="gpt-image-2", prompt="x")'


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(f"{LABEL_LINE}\r\nx = 1\r\n".encode(), f"{FIXED_LINE}\r\nx = 1\r\n".encode(), id="crlf"),
        pytest.param(f"{LABEL_LINE}\rx = 1\r".encode(), f"{FIXED_LINE}\rx = 1\r".encode(), id="cr-only"),
        pytest.param(f"x = 1\n{LABEL_LINE}\r\ny = 2\n".encode(), f"x = 1\n{FIXED_LINE}\r\ny = 2\n".encode(), id="mixed"),
        pytest.param(b"\xef\xbb\xbf" + f"{LABEL_LINE}\n".encode(), b"\xef\xbb\xbf" + f"{FIXED_LINE}\n".encode(), id="bom"),
        pytest.param(
            f'# -*- coding: latin-1 -*-\nNAME = "caf\xe9"\n{LABEL_LINE}\n'.encode("latin-1"),
            f'# -*- coding: latin-1 -*-\nNAME = "caf\xe9"\n{FIXED_LINE}\n'.encode("latin-1"),
            id="coding-cookie",
        ),
        pytest.param(
            f"def f():\n\tif True:\n\t\t{LABEL_LINE}\n".encode(), f"def f():\n\tif True:\n\t\t{FIXED_LINE}\n".encode(), id="tabs"
        ),
        pytest.param(
            'é = "ü"; MODEL = "GPT Image 2"  # ✓\n'.encode(), 'é = "ü"; MODEL = "gpt-image-2"  # ✓\n'.encode(), id="non-ascii-before"
        ),
        pytest.param(
            b"MODEL = r'GPT Image 2'\nOTHER_MODEL = u'''GPT Image 2'''\n",
            b"MODEL = r'gpt-image-2'\nOTHER_MODEL = u'''gpt-image-2'''\n",
            id="prefixes-and-quotes",
        ),
        pytest.param(f"{LABEL_LINE}".encode(), f"{FIXED_LINE}".encode(), id="no-final-newline"),
    ],
)
def test_fix_keeps_every_other_byte(project: Path, before: bytes, after: bytes) -> None:
    target = project / "app.py"
    target.write_bytes(before)
    result = run_cli("--fix", "app.py")
    assert target.read_bytes() == after
    assert result.exit_code == 0, result.output
    assert "Fixed" in result.output


def test_fix_keeps_mode_bits_and_writes_through_symlinks(project: Path) -> None:
    real = project / "real.py"
    real.write_text(LABEL_LINE + "\n")
    os.chmod(real, 0o754)
    link = project / "link.py"
    link.symlink_to(real)
    assert run_cli("--fix", "link.py").exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == FIXED_LINE + "\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o754
    assert sorted(p.name for p in project.iterdir()) == ["link.py", "real.py"]  # no temporary left


def test_unsafe_fixes_only_with_the_flag(project: Path) -> None:
    target = project / "app.py"
    target.write_text('MODEL = "GPT-5.5 Instant"\n')
    shown = run_cli("--fix", "app.py")
    assert target.read_text() == 'MODEL = "GPT-5.5 Instant"\n'
    assert shown.exit_code == 1 and "1 more fixable with --fix --unsafe-fixes" in shown.output
    applied = run_cli("--fix", "--unsafe-fixes", "app.py")
    assert target.read_text() == 'MODEL = "chat-latest"\n'
    assert applied.exit_code == 0


def test_remaining_findings_decide_the_exit_code(project: Path) -> None:
    target = project / "app.py"
    target.write_text('IMAGE_MODEL = "GPT Image 2"\nOLD_MODEL = "gpt-4"\n')
    result = run_cli("--fix", "app.py")
    assert result.exit_code == 1
    assert target.read_text() == 'IMAGE_MODEL = "gpt-image-2"\nOLD_MODEL = "gpt-4"\n'
    assert "Fixed 1 finding." in result.output and "RL201" in result.output


def test_exit_non_zero_on_fix(project: Path) -> None:
    (project / "app.py").write_text(LABEL_LINE + "\n")
    assert run_cli("--fix", "--exit-non-zero-on-fix", "app.py").exit_code == 1
    assert run_cli("--fix", "--exit-non-zero-on-fix", "app.py").exit_code == 0  # nothing left to change


def test_no_fix_to_a_shut_down_model(project: Path) -> None:
    # "SORA_2" spells "sora-2", which is shut down: rewriting it would trade RL102 for RL201.
    target = project / "app.py"
    target.write_text('VIDEO_MODEL = "SORA_2"\n')
    result = run_cli("--fix", "app.py")
    assert target.read_text() == 'VIDEO_MODEL = "SORA_2"\n'
    assert "RL102" in result.output and "misspelling of sora-2, which shut down on 2026-09-24; no fix" in result.output


def test_diff_writes_nothing_and_exits_1(project: Path) -> None:
    target = project / "app.py"
    target.write_text(LABEL_LINE + "\n")
    result = run_cli("--diff", "app.py", separate=True)
    assert target.read_text() == LABEL_LINE + "\n"
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n"
        f"-{LABEL_LINE}\n+{FIXED_LINE}\n"
    )
    clean = project / "clean.py"
    clean.write_text(FIXED_LINE + "\n")
    assert run_cli("--diff", "clean.py").exit_code == 0


def test_diff_with_unsafe_fixes(project: Path) -> None:
    (project / "app.py").write_text('MODEL = "GPT-5.5 Instant"\n')
    assert run_cli("--diff", "app.py").exit_code == 0
    result = run_cli("--diff", "--unsafe-fixes", "app.py", separate=True)
    assert result.exit_code == 1 and '+MODEL = "chat-latest"' in result.stdout


def test_a_file_changed_on_disk_is_left_untouched(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = project / "app.py"
    target.write_text(LABEL_LINE + "\n")
    original = engine.Linter.fix_source

    def edit_meanwhile(self, source, path, **kwargs):
        target.write_text("# someone else's edit\n" + LABEL_LINE + "\n")
        return original(self, source, path, **kwargs)

    monkeypatch.setattr(engine.Linter, "fix_source", edit_meanwhile)
    result = run_cli("--fix", "app.py")
    assert target.read_text() == "# someone else's edit\n" + LABEL_LINE + "\n"
    assert result.exit_code == 1 and "changed on disk" in result.output


def test_a_fix_that_would_break_the_syntax_is_not_written(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = project / "app.py"
    target.write_text(LABEL_LINE + "\n")
    monkeypatch.setattr(fixing, "apply_edits", lambda source, edits: source + "def (:\n")
    result = run_cli("--fix", "app.py")
    assert target.read_text() == LABEL_LINE + "\n"
    assert result.exit_code == 1 and "would break the syntax" in result.output


def test_values_that_need_escaping_are_not_rewritten(project: Path, tmp_path: Path) -> None:
    (project / "odd.toml").write_text(
        '[models."acme\\"quoted"]\nnote = "x"\nnote-source = "test"\n'
        '[labels."Acme Quoted"]\ntarget = "acme\\"quoted"\nfix = "safe"\nnote = "n"\nsource = "test"\n'
    )
    (project / "pyproject.toml").write_text('[tool.routelint]\nextend-catalog = ["odd.toml"]\n')
    target = project / "app.py"
    target.write_text('MODEL = "Acme Quoted"\n')
    result = run_cli("--fix", "app.py")
    assert target.read_text() == 'MODEL = "Acme Quoted"\n'
    assert "RL101" in result.output


def test_fixes_that_never_converge_are_an_error_naming_file_and_rules(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = project / "app.py"
    target.write_text('MODEL = "GPT Image 2"\n')
    real_apply = fixing.apply_edits
    monkeypatch.setattr(fixing, "apply_edits", lambda source, edits: real_apply(source, edits) + 'MODEL = "GPT Image 2"\n')
    result = run_cli("--fix", "app.py")
    assert target.read_text() == 'MODEL = "GPT Image 2"\n'
    assert result.exit_code == 1
    assert "app.py: fixes did not converge after 10 rounds (RL101)" in result.output
