"""routelint.positions must give what LibCST's PositionProvider gives, for every kind of node a
finding can sit on."""
from __future__ import annotations

import sysconfig
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from harness import all_fixtures
from routelint.positions import positions

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
    found = positions([(WholeFile(source), module)], collect.nodes)
    assert collect.nodes or path.name in ("no_candidate.py",)
    for node in collect.nodes:
        span = expected[node]
        assert found[id(node)] == (span.start.line, span.start.column + 1, span.end.line, span.end.column + 1), cst.Module([]).code_for_node(node)


def test_a_chunk_later_in_the_file_is_shifted_to_its_lines() -> None:
    text = 'x = ("gpt-4o"\n     )\n'
    module = cst.parse_module(text)
    literal = module.body[0].body[0].value  # type: ignore[attr-defined]
    assert positions([(WholeFile(text, first_line=10), module)], [literal]) == {id(literal): (10, 6, 10, 14)}
