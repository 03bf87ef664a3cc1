"""routelint.positions: in LibCST's rendering, the offsets PositionProvider gives, for every kind
of node a finding can sit on; in the source, exactly the node's text, however LibCST renders it."""
from __future__ import annotations

import sysconfig
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from harness import all_fixtures
from routelint.lines import line_column, line_starts
from routelint.positions import Span, rendered, source_spans

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLES = [
    *(f.path for f in all_fixtures()),
    *(STDLIB / name for name in ("dataclasses.py", "argparse.py", "email/_header_value_parser.py")),
]
KINDS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.FormattedStringText, cst.Call, cst.Attribute)


@dataclass(frozen=True)
class WholeFile:
    text: str
    first_line: int = 1


class Collect(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, KINDS):
            self.nodes.append(node)
        return True


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_positions_are_libcst_positions(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        pytest.skip("a fixture of a syntax error")
    collect = Collect()
    module.visit(collect)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    code, found = rendered(module, frozenset(id(node) for node in collect.nodes))
    starts = line_starts(code)
    assert collect.nodes or path.name in ("no_candidate.py",)
    for node in collect.nodes:
        span = expected[node]
        start, end = found[id(node)]
        assert (*line_column(starts, start), *line_column(starts, end)) == (
            span.start.line, span.start.column + 1, span.end.line, span.end.column + 1
        ), cst.Module([]).code_for_node(node)
    in_source = source_spans([(WholeFile(source), module)], collect.nodes, source, line_starts(source))
    for node in collect.nodes:
        start, end = found[id(node)]
        span = in_source[id(node)]
        assert span.exact and source[span.start : span.end] == code[start:end]
        assert code != source or (span.start, span.end) == (start, end)


def test_a_chunk_later_in_the_file_is_shifted_to_its_lines() -> None:
    text = 'x = ("gpt-4o"\n     )\n'
    source = "\n" * 9 + text
    module = cst.parse_module(text)
    literal = module.body[0].body[0].value  # type: ignore[attr-defined]
    spans = source_spans([(WholeFile(text, first_line=10), module)], [literal], source, line_starts(source))
    assert spans == {id(literal): Span(14, 22, True)}
    assert source[14:22] == '"gpt-4o"'


@pytest.mark.parametrize(
    "source",
    [
        'def f():\n    pass\n    \\\n    g(prompt="a")\n    g(model="b")\n',  # a line of only `\\`: LibCST drops it
        'if True:\n\x0c    pass\n    g(model="b")\nz(prompt="a")\n',  # a form feed LibCST repeats
        '\\\n\\\nx = 1\ng(model="b")\n',
    ],
)
def test_offsets_map_back_where_the_rendering_differs_from_the_source(source: str) -> None:
    module = cst.parse_module(source)
    assert module.code != source  # else this case tests nothing
    collect = Collect()
    module.visit(collect)
    wanted = [n for n in collect.nodes if isinstance(n, cst.SimpleString)]
    spans = source_spans([(WholeFile(source), module)], wanted, source, line_starts(source))
    for node in wanted:
        span = spans[id(node)]
        assert span.exact and source[span.start : span.end] == node.value  # type: ignore[attr-defined]
