"""One line-splitting rule everywhere: Python's (`\\n`, `\\r\\n`, `\\r`), never str.splitlines'."""
from __future__ import annotations

import pytest

from routelint.lines import first_lines, line_column, line_starts, split_lines, split_lines_keepends
from routelint.place import checked_edit
from routelint.suppress import file_is_skipped, suppressed_lines

ODD = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("odd", ODD)
def test_only_python_line_breaks_split(odd: str) -> None:
    text = f"a{odd}b\nc\r\nd\re"
    assert split_lines(text) == [f"a{odd}b", "c", "d", "e"]
    assert split_lines_keepends(text) == [f"a{odd}b\n", "c\r\n", "d\r", "e"]
    assert "".join(split_lines_keepends(text)) == text
    assert line_column(line_starts(text), text.index("e")) == (4, 1)


@pytest.mark.parametrize("odd", ODD)
def test_first_lines_of_text_and_of_bytes(odd: str) -> None:
    text = f"a{odd}b\rc\r\nd\ne"
    assert first_lines(text, 2) == [f"a{odd}b\r", "c\r\n"]
    assert first_lines(text.encode(), 2) == [f"a{odd}b\r".encode(), b"c\r\n"]
    assert first_lines("a\rb", 5) == ["a\r", "b"] and first_lines("", 2) == [] and first_lines("a\r\n", 2) == ["a\r\n"]


@pytest.mark.parametrize("odd", ODD)
def test_suppressions_count_lines_as_python_does(odd: str) -> None:
    source = f"# a comment{odd}with an odd character\nx = 1\ny = 2  # noqa: RL101\n"
    assert suppressed_lines(source) == {3: frozenset({"RL101"})}
    assert suppressed_lines(source, {3}) == {3: frozenset({"RL101"})}


@pytest.mark.parametrize("odd", ODD)
def test_suppressions_when_this_python_cannot_tokenize(odd: str) -> None:
    # A 3.12 f-string reusing its quotes: Python 3.11's tokenizer refuses it, and suppressions
    # come from a line scan, which must split lines as the tokenizer would.
    source = f'# {odd}\nx = f"{{d["k"]}}"  # {odd}\ny = 2  # noqa: RL101\n'
    assert suppressed_lines(source, {3})[3] == frozenset({"RL101"})


def test_a_lone_cr_ends_a_line_for_suppressions() -> None:
    source = 'MODEL = "GPT-5.5"\rg(model="gpt-image2")  # noqa\r'
    assert suppressed_lines(source) == {2: None}


@pytest.mark.parametrize("odd", ODD)
def test_skip_file_in_a_first_comment_block_holding_odd_characters(odd: str) -> None:
    assert file_is_skipped(f"# header{odd}more\n# routelint: skip-file\nMODEL = 'x'\n")
    assert not file_is_skipped(f"x = 1{odd}# routelint: skip-file\n")


def test_an_edit_is_made_only_where_the_source_holds_the_judged_text_and_changes_it() -> None:
    source = 'a = "x"\nb = "y"\n'
    starts = line_starts(source)
    assert checked_edit(source, 12, 15, '"y"', '"z"', starts) is not None
    assert checked_edit(source, 11, 14, '"y"', '"z"', starts) is None  # the text there is not the judged one
    assert checked_edit(source, 12, 15, '"y"', '"y"', starts) is None  # nothing would change: no fix to count
