"""docs/editors.md's Neovim snippet, run: `nvim --headless` with it as its init file, against a
temporary project, reading the diagnostics routelint's server sends (issue #19 item 2). Skipped
when Neovim is not installed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server's extra (pip install -e '.[test]')")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "editors.md"
PROBE = """
vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
  table.insert(out, string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, code, d.message))
end
vim.fn.writefile(out, "diagnostics.txt")
vim.cmd("qa!")
"""


def snippet() -> str:
    """The Lua block that follows the marker naming this test."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- tests/editors/test_neovim.py runs this block -->\n```lua\n(.*?)```", text, re.DOTALL)
    assert found, "docs/editors.md lost the Neovim block this test runs"
    return found.group(1)


@pytest.mark.slow
def test_neovim_snippet_shows_routelint_diagnostics(project: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("Neovim is not installed (apt-get install neovim)")
    (project / "init.lua").write_text(snippet())
    (project / "probe.lua").write_text(PROBE)
    (project / "app.py").write_text('from openai import OpenAI\n\nOpenAI().images.generate(model="GPT Image 2", prompt="x")\n')
    bin_folder = str(Path(sys.executable).parent)  # the `routelint` command of this environment
    env = {**os.environ, "PATH": bin_folder + os.pathsep + os.environ.get("PATH", ""), "ROUTELINT_TODAY": "2026-11-25"}
    done = subprocess.run(
        [nvim, "--headless", "-u", "init.lua", "app.py", "-c", "luafile probe.lua"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = (project / "diagnostics.txt").read_text().splitlines()
    assert lines == ['3:32 RL101 "GPT Image 2" is a product label, not an API model ID; the model it names is gpt-image-2']
