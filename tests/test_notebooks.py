"""Notebooks (issue #16): code cells read as one module with IPython syntax masked, positions
mapped back to (cell, line, column), and fixes written back changing only the characters of the
model string inside the notebook's JSON."""
from __future__ import annotations

import codecs
import json
import sys
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness import DEFAULT_TODAY
from routelint.catalog import load_catalog
from routelint.engine import Linter
from routelint.lines import split_lines, split_lines_keepends
from routelint.notebook_magics import mask, prepare_cell
from routelint.notebooks import Notebook, NotebookError, read_notebook, write_fixed

FIXTURES = Path(__file__).parent / "fixtures_notebooks"
LABEL, FIXED = b'\\"GPT Image 2\\"', b'\\"gpt-image-2\\"'  # as the JSON holds them


@cache
def linter() -> Linter:
    return Linter(load_catalog(), today=DEFAULT_TODAY)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def found(nb: Notebook, name: str = "nb.ipynb") -> set[tuple[str, tuple[int, int, int]]]:
    """(code, (cell, line in the cell, column)) of each finding."""
    return {(f.code, nb.locate(*f.start)) for f in linter().lint_source(nb.text, name).findings}


def fix(data: bytes, name: str = "nb.ipynb") -> bytes:
    nb = read_notebook(data, name)
    return write_fixed(data, nb, linter().fix_source(nb.text, name).source)


def cell_sources(data: bytes) -> list[str]:
    raw = json.loads(data.decode("utf-8-sig"))
    cells = raw["cells"] if raw["nbformat"] == 4 else raw["worksheets"][0]["cells"]
    return ["".join(c.get("source", c.get("input", ""))) for c in cells]


# Reading: cells, numbering, masking, problems


def test_cells_are_numbered_among_all_cells_as_ruff_numbers_them() -> None:
    nb = read_notebook(fixture("multi_cell.ipynb"))
    assert [(c.index, c.first_line, c.line_count) for c in nb.cells] == [(2, 1, 1), (4, 2, 2), (5, 4, 1)]
    assert nb.text == 'IMAGE = "gpt-5.5"\nfrom openai import OpenAI\nclient = OpenAI()\nclient.images.generate(model=IMAGE, prompt="x")\n'
    assert nb.problems == () and nb.language == "python"
    assert [nb.locate(line, 3) for line in (1, 2, 3, 4)] == [(2, 1, 3), (4, 1, 3), (4, 2, 3), (5, 1, 3)]


def test_a_constant_bound_in_one_cell_counts_in_another() -> None:
    nb = read_notebook(fixture("multi_cell.ipynb"))
    assert found(nb) == {("RL301", (2, 1, 9))}


def test_magics_are_masked_and_every_other_line_stays_as_written() -> None:
    data = fixture("magics.ipynb")
    nb = read_notebook(data)
    assert nb.problems == ()
    text = split_lines(nb.text)
    assert text[:9] == ["pass", "pass", "pass", "files = None", "home = None", "pass", "pass", "from openai import OpenAI", "client = OpenAI()"]
    for cell, source in zip(nb.cells, cell_sources(data)):
        written = split_lines(source)
        for k in range(cell.line_count):
            masked = text[cell.first_line - 1 + k]
            assert masked == written[k] or masked in ("", "pass", "    pass") or masked.endswith(" = None")
    # %%time runs its body as Python; %%bash and %%writefile do not, so their cells are empty lines.
    assert text[9:14] == ["", 'resp = client.images.generate(model="GPT Image 2", prompt="x")', "", "", 'PROMPT = """']
    assert found(nb) == {("RL101", (2, 2, 37)), ("RL101", (4, 7, 36))}


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("%pip install openai\nx = 1\n", "pass\nx = 1\n", id="line-magic"),
        pytest.param("!pip install openai\n!!ls", "pass\npass", id="shell"),
        pytest.param("files = !ls\nx, y = %who_ls\nself.home = %env HOME\n", "files = None\nx, y = None\nself.home = None\n", id="assign"),
        pytest.param("obj?\n??obj\nobj.attr??\nnp.*load*?\n", "pass\npass\npass\npass\n", id="help"),
        pytest.param("x = 1  # what?\nx != 2\ny %= 3\n", "x = 1  # what?\nx != 2\ny %= 3\n", id="python-alone"),
        pytest.param("if x:\n    %time f()\n\t!ls\n", "if x:\n    pass\n\tpass\n", id="indented-block"),
        pytest.param('s = """\n%not a magic\n!nor this\n"""\n%yes', 's = """\n%not a magic\n!nor this\n"""\npass', id="triple-quoted"),
        pytest.param("s = 'a\\\n%inside'\n%outside\n", "s = 'a\\\n%inside'\npass\n", id="continued-string"),
        pytest.param("f(a,\n%x)\n", "f(a,\n%x)\n", id="inside-brackets"),
        pytest.param("x = 1 + \\\n%y\n", "x = 1 + \\\n%y\n", id="after-backslash"),
        pytest.param("!pip install \\\n    openai\nx = 1\n", "pass\n\nx = 1\n", id="continued-magic"),
        pytest.param("# %comment\ns = '#'\n%x\n", "# %comment\ns = '#'\npass\n", id="comments-and-hash-in-strings"),
        pytest.param("/f 1 2\n,f a b\n;f a b\n", "pass\npass\npass\n", id="autocall-escapes"),
        pytest.param("\n%%time\nx = 1\n%time y = 2\n", "\n\nx = 1\npass\n", id="python-cell-magic"),
        pytest.param("%%bash\necho hi\r\n\rdone", "\n\r\n\r", id="foreign-cell-magic"),
        pytest.param("%%writefile f.py\nMODEL = 'x'\n", "\n\n", id="writefile"),
        pytest.param("await f()\nasync with a as b:\n    pass\n", "await f()\nasync with a as b:\n    pass\n", id="top-level-await"),
    ],
)
def test_mask(source: str, expected: str) -> None:
    assert mask(source) == expected
    assert len(split_lines(mask(source))) == len(split_lines(source))


def test_automagic_is_masked_only_in_a_cell_that_does_not_parse_otherwise() -> None:
    assert prepare_cell("pip install openai\ncd ..\nx = 1\n") == ("pass\npass\nx = 1\n", None)
    assert prepare_cell("pwd\npip = 1\n") == ("pwd\npip = 1\n", None)  # Python as written
    # In a cell that needs automagic, lines that Python reads on are kept.
    kept = "run (x)\nls .attr\ntime = 1\n"
    assert prepare_cell("pip install openai\n" + kept) == ("pass\n" + kept, None)


def test_a_cell_that_does_not_parse_is_one_problem_and_empty_lines() -> None:
    nb = read_notebook(fixture("broken.ipynb"))
    [(cell, line, message)] = nb.problems
    assert (cell, line) == (2, 1) and message.startswith("cannot parse: ")
    assert split_lines(nb.text) == ['MODEL_A = "GPT Image 2"', "", "", 'MODEL_B = "GPT Image 2"', ""]
    assert found(nb) == {("RL101", (1, 1, 11)), ("RL101", (3, 1, 11))}


def test_a_problem_names_a_line_inside_its_cell() -> None:
    data = json.dumps({"cells": [{"cell_type": "code", "source": ["x = 1\n", "y = (\n", "\n"]}], "nbformat": 4}).encode()
    [(cell, line, message)] = read_notebook(data).problems
    # Python 3.9's parser names the line where the file ends; 3.10 and later the opening bracket.
    assert (cell, line) == ((1, 2) if sys.version_info >= (3, 10) else (1, 3)) and message.startswith("cannot parse: ")


@pytest.mark.parametrize("name", ["empty.ipynb", "markdown_only.ipynb"])
def test_a_notebook_without_code_cells(name: str) -> None:
    data = fixture(name)
    nb = read_notebook(data)
    assert (nb.text, nb.cells, nb.problems) == ("", (), ())
    assert write_fixed(data, nb, "") == data
    with pytest.raises(ValueError):
        nb.locate(1, 1)


def test_empty_code_cells_are_one_empty_line_each() -> None:
    nb = read_notebook(fixture("empty_cells.ipynb"))
    assert nb.text == '\n\nMODEL = "GPT Image 2"\n'
    assert [(c.index, c.first_line, c.line_count) for c in nb.cells] == [(1, 1, 1), (2, 2, 1), (3, 3, 1)]
    assert found(nb) == {("RL101", (3, 1, 9))}


def test_nbformat_3_worksheets_and_input() -> None:
    data = fixture("v3.ipynb")
    nb = read_notebook(data)
    assert [c.index for c in nb.cells] == [2, 3] and nb.language is None
    assert found(nb) == {("RL101", (3, 1, 30))}
    assert fix(data) == data.replace(LABEL, FIXED, 1)


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param(b'{"cells": [', "invalid JSON", id="truncated"),
        pytest.param(b"[]", "the notebook is not an object", id="not-an-object"),
        pytest.param(b'{"cells": [], "nbformat": 5}', "nbformat 5 is not supported", id="nbformat-5"),
        pytest.param(b'{"cells": []}', "nbformat None is not supported", id="no-nbformat"),
        pytest.param(b'{"nbformat": 4}', 'needs a "cells" list', id="no-cells"),
        pytest.param(b'{"nbformat": 4, "cells": {}}', "cells is not a list", id="cells-not-a-list"),
        pytest.param(b'{"nbformat": 4, "cells": [3]}', "cell 1 is not an object", id="cell-not-an-object"),
        pytest.param(b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', 'code cell 1 has no "source"', id="bad-source"),
        pytest.param(b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 1]}]}', 'code cell 1 has no "source"', id="bad-line"),
        pytest.param(b'{"nbformat": 4, "cells": []} x', "extra data", id="trailing-data"),
        pytest.param(b'{"nbformat": 4, "cells": [], "x": "\xff"}', "not UTF-8", id="not-utf8"),
        pytest.param(b"", "invalid JSON", id="empty-file"),
    ],
)
def test_not_a_notebook(data: bytes, message: str) -> None:
    with pytest.raises(NotebookError, match=message):
        read_notebook(data)


def test_an_error_says_where_in_the_json() -> None:
    with pytest.raises(NotebookError) as caught:
        read_notebook(b'{\n "nbformat": 4,\n "cells": [\n  {"cell_type": "code" "source": []}\n ]\n}\n')
    assert caught.value.position == (4, 24)


# Writing fixes back


def crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def ensure_ascii(data: bytes) -> bytes:
    return (json.dumps(json.loads(data), indent=1, sort_keys=True, ensure_ascii=True) + "\n").encode()


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda data: data, id="as-written"),
        pytest.param(crlf, id="crlf-json"),
        pytest.param(ensure_ascii, id="ensure-ascii"),
        pytest.param(lambda data: data.rstrip(b"\n"), id="no-final-newline"),
        pytest.param(lambda data: codecs.BOM_UTF8 + data, id="bom"),
        pytest.param(lambda data: json.dumps(json.loads(data), indent=4).encode(), id="indent-4-keys-unsorted"),
    ],
)
def test_a_fix_changes_only_the_model_string(shape) -> None:  # type: ignore[no-untyped-def]
    data = shape(fixture("label.ipynb"))
    assert data.count(LABEL) == 1
    fixed = fix(data)
    assert fixed == data.replace(LABEL, FIXED)
    assert found(read_notebook(fixed)) == set()


def test_a_fix_skips_masked_lines_and_foreign_cells() -> None:
    data = fixture("magics.ipynb")
    fixed = fix(data)
    before, after = cell_sources(data), cell_sources(fixed)
    assert after == [before[0], before[1].replace("GPT Image 2", "gpt-image-2"), before[2], before[3].replace("GPT Image 2", "gpt-image-2"), before[4]]
    assert fixed.count(LABEL) == 2  # %%bash and %%writefile are not Python
    assert len(fixed) == len(data)  # the same length: nothing else was re-escaped


def test_a_source_written_as_one_string_stays_one_string() -> None:
    data = fixture("string_source.ipynb")
    fixed = fix(data)
    assert fixed == data.replace(LABEL, FIXED) and not fixed.endswith(b"\n")
    assert isinstance(json.loads(fixed)["cells"][2]["source"], str)


@pytest.mark.parametrize("ascii_file", [False, True])
def test_new_characters_are_escaped_as_the_file_escapes(ascii_file: bool) -> None:
    data = fixture("label.ipynb")
    data = ensure_ascii(data) if ascii_file else data
    nb = read_notebook(data)
    new_text = nb.text.replace("GPT Image 2", "gpt-imagé-2 😀 \\t ' \t")
    fixed = write_fixed(data, nb, new_text)
    expected = b'\\"gpt-imag\\u00e9-2 \\ud83d\\ude00 \\\\t \' \\t\\"' if ascii_file else '\\"gpt-imagé-2 😀 \\\\t \' \\t\\"'.encode()
    assert fixed == data.replace(LABEL, expected)
    assert read_notebook(fixed).text == new_text


def test_an_edit_across_two_strings_of_a_source_list() -> None:
    cells = [{"cell_type": "code", "metadata": {}, "source": ['MODEL = "GPT Im', 'age 2"\n', "x = 1"]}]
    data = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1).encode()
    fixed = fix(data)
    source = json.loads(fixed)["cells"][0]["source"]
    assert "".join(source) == 'MODEL = "gpt-image-2"\nx = 1' and len(source) == 3
    nb = read_notebook(data)
    # One change over both strings: the new text goes to the first, the rest of the old leaves the second.
    replaced = write_fixed(data, nb, nb.text.replace('"GPT Image 2"', '"x"'))
    assert json.loads(replaced)["cells"][0]["source"] == ['MODEL = "x', '"\n', "x = 1"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: t.replace("files = None", "files = Nonf"), id="masked-line"),
        pytest.param(lambda t: t.replace("pass", "pasS", 1), id="masked-magic"),
        pytest.param(lambda t: t + "x = 1\n", id="a-new-line"),
        pytest.param(lambda t: t.replace("\n", "\r\n", 1), id="a-line-break"),
    ],
)
def test_write_fixed_refuses_what_it_cannot_place(change) -> None:  # type: ignore[no-untyped-def]
    data = fixture("magics.ipynb")
    nb = read_notebook(data)
    with pytest.raises(NotebookError):
        write_fixed(data, nb, change(nb.text))


def test_write_fixed_refuses_text_added_to_an_empty_cell() -> None:
    data = fixture("empty_cells.ipynb")
    nb = read_notebook(data)
    with pytest.raises(NotebookError, match="empty cell"):
        write_fixed(data, nb, "x\n" + nb.text[1:])


def test_write_fixed_refuses_a_cell_that_does_not_parse_and_other_bytes() -> None:
    data = fixture("broken.ipynb")
    nb = read_notebook(data)
    lines = split_lines(nb.text)
    lines[1] = "def fixed(): pass"
    with pytest.raises(NotebookError, match="does not parse"):
        write_fixed(data, nb, "\n".join(lines))
    other = fixture("label.ipynb")
    with pytest.raises(NotebookError, match="not the one"):
        write_fixed(other, nb, nb.text.replace("GPT", "gpt"))


# Properties over generated notebooks

SNIPPETS = [
    ["import os"],
    ["x = 1  # what?"],
    ["%matplotlib inline"],
    ["!pip install openai"],
    ["files = !ls -la"],
    ["os.path?"],
    ["%time y = sum(range(3))"],
    ['s = """', "%not a magic", "!nor a shell", '"""'],
    ["for i in range(2):", "    %time print(i)"],
    ['print("café ✓ \\"quoted\\" \\\\ back\\ttab 😀")'],
    ["await asyncio.sleep(0)"],
    ["ff = 'a\x0cb'  # a form feed, and\u2028a line separator Python keeps inside the line"],
    ["def g():", "    return 1"],
    [""],
    ["t = '\\u00e9'  # é"],
]
FOREIGN_CELLS = ["%%bash\necho 'plant-me'\n", "%%time\nz = 1", "x = (", ""]
PLANT = 'PLANTED_MODEL = "plant-me"'
LABEL_LINE = 'client.images.generate(model="GPT Image 2", prompt="x")'


@st.composite
def code_text(draw: st.DrawFn, planted: str | None = None) -> tuple[str, int]:
    """A cell's text made of whole statements, and the 1-based line of `planted` in it (0 if none)."""
    snippets = draw(st.lists(st.sampled_from(SNIPPETS), max_size=4))
    at = draw(st.integers(0, len(snippets)))
    if planted is not None:
        snippets.insert(at, [planted])
    lines = [line for snippet in snippets for line in snippet]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + (ending if lines and draw(st.booleans()) else "")
    return text, (sum(len(s) for s in snippets[:at]) + 1 if planted is not None else 0)


@st.composite
def source_shape(draw: st.DrawFn, text: str) -> str | list[str]:
    shape = draw(st.sampled_from(["string", "lines", "chunks"]))
    if shape == "string":
        return text
    if shape == "lines":
        return split_lines_keepends(text)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=4)))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


OUTPUTS = [
    {"name": "stdout", "output_type": "stream", "text": ["café ✓ 😀 plant-me\n"]},
    {"data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAE=\n"}, "metadata": {}, "output_type": "display_data"},
]


@st.composite
def notebooks(draw: st.DrawFn, planted: str) -> tuple[bytes, int, int]:
    """(the notebook's bytes, the 1-based number of the cell holding `planted`, its line there)."""
    cells: list[dict[str, object]] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["code", "foreign", "markdown", "raw"]))
        if kind in ("markdown", "raw"):
            cells.append({"cell_type": kind, "metadata": {}, "source": draw(source_shape(f"# Notes\n{PLANT}"))})
            continue
        text = draw(code_text())[0] if kind == "code" else draw(st.sampled_from(FOREIGN_CELLS))
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": OUTPUTS, "source": draw(source_shape(text))})
    text, line = draw(code_text(planted))
    at = draw(st.integers(0, len(cells)))
    cells.insert(at, {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": draw(source_shape(text))})
    notebook = {"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    indent = draw(st.sampled_from([1, 2, 4]))
    raw = json.dumps(notebook, indent=indent, ensure_ascii=draw(st.booleans()), sort_keys=draw(st.booleans()))
    raw += "\n" if draw(st.booleans()) else ""
    data = raw.encode()
    return (crlf(data) if draw(st.booleans()) else data), at + 1, line


# What a fix may put in a string: anything but a quote, a backslash, a line break or a NUL.
NEW_CONTENT = st.text(st.characters(blacklist_characters='"\\\n\r\x00', blacklist_categories=("Cs",)), max_size=12)


@given(notebooks(PLANT), NEW_CONTENT)
def test_changing_a_planted_string_changes_only_its_characters(case: tuple[bytes, int, int], new: str) -> None:
    data, cell, _ = case
    nb = read_notebook(data)
    assert write_fixed(data, nb, nb.text) == data
    assert nb.text.count('"plant-me"') == 1
    changed = nb.text.replace('"plant-me"', f'"{new}"')
    fixed = write_fixed(data, nb, changed)
    again = read_notebook(fixed)
    assert again.text == changed and again.cells == nb.cells and again.problems == nb.problems
    expected = json.loads(data)
    source = expected["cells"][cell - 1]["source"]
    assert "".join(json.loads(fixed)["cells"][cell - 1]["source"]) == "".join(source).replace("plant-me", new)
    expected["cells"][cell - 1]["source"] = json.loads(fixed)["cells"][cell - 1]["source"]
    assert json.loads(fixed) == expected
    # Every changed byte is inside the planted cell's source strings...
    old_doc, new_doc = data.decode(), fixed.decode()
    head = next((i for i, (a, b) in enumerate(zip(old_doc, new_doc)) if a != b), min(len(old_doc), len(new_doc)))
    tail = next((i for i, (a, b) in enumerate(zip(reversed(old_doc), reversed(new_doc))) if a != b), 0)
    pieces = nb.pieces[[c.index for c in nb.cells].index(cell)]
    assert pieces[0].start <= head and len(old_doc) - tail <= pieces[-1].end
    # ... and changing it back gives the notebook byte for byte, when one string held the literal
    # (characters deleted at the boundary of two strings may come back in the other one).
    if any('"plant-me"' in piece.value for piece in pieces):
        assert write_fixed(fixed, again, nb.text) == data


@given(notebooks(LABEL_LINE))
def test_a_planted_label_is_found_in_its_cell_line_and_column(case: tuple[bytes, int, int]) -> None:
    data, cell, line = case
    nb = read_notebook(data)
    assert ("RL101", (cell, line, 30)) in found(nb)


def test_reading_a_5_mb_notebook_is_fast() -> None:
    image = "iVBORw0KGgo" * 10_000  # ~100 KB of base64 per output
    cells = [
        {"cell_type": "code", "execution_count": i, "metadata": {}, "source": [f'MODEL_{i} = "GPT Image 2"\n', "x = 1\n" * 20],
         "outputs": [{"data": {"image/png": image, "text/plain": ["<Figure>"]}, "metadata": {}, "output_type": "display_data"}]}
        for i in range(50)
    ]
    data = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1).encode()
    assert len(data) > 5_000_000
    started = time.perf_counter()
    nb = read_notebook(data)
    read = time.perf_counter() - started
    started = time.perf_counter()
    fixed = write_fixed(data, nb, nb.text.replace("GPT Image 2", "gpt-image-2"))
    written = time.perf_counter() - started
    assert fixed.count(FIXED) == 50
    # json.loads alone takes ~15 ms here; a notebook read must stay of that order, not grow with it squared.
    assert read < 1.0 and written < 1.0, (read, written)
