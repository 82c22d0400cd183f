"""The words of the cycle have one home: a status, a verdict, an adjustment kind or a
link kind (its relationship type and its sheet word) is written as a string in
:mod:`graph.vocabulary` only (and in the message catalogue, which is not Python).
Everywhere else the code names the enum member, so a word renamed in the vocabulary
cannot be left behind in a table or a comparison.

The source is read with :mod:`ast`: every string constant counts, a docstring does
not (it is prose, and a doctest's expected output such as ``'hypothese'`` is the
enum's repr). Only a constant that is the word itself counts, so Cypher text naming a
relationship type (``MATCH ()-[r:INFLUENCES]->()``) does not.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest

from graph import SystemMap, schema
from graph.vocabulary import AdjustmentKind, LinkKind, Status, Verdict

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "queries", "views", "loaders", "versterkt", "sessie")
HOME = ROOT / "graph" / "vocabulary.py"
WORDS = {word.value for kind in (Status, Verdict, AdjustmentKind) for word in kind}
#: A link kind as the map stores it and as the sheet writes it.
LINK_KIND_WORDS = {kind.value for kind in LinkKind} | {kind.word for kind in LinkKind}
#: Where a link kind may not be spelled: the packages and the benchmarks.
LINK_KIND_PACKAGES = (*PACKAGES, "benchmarks")


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def literals(source: str, words: set[str] = WORDS) -> list[tuple[int, str]]:
    """Each of ``words`` written as a string constant: (line, word)."""
    tree = ast.parse(source)
    prose = docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in words
        and id(node) not in prose
    ]


def test_no_status_verdict_or_adjustment_word_outside_its_enum() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {word!r}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != HOME
        for line, word in literals(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_link_kind_outside_its_enum() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {word!r}"
        for package in LINK_KIND_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != HOME
        for line, word in literals(path.read_text(encoding="utf-8"), LINK_KIND_WORDS)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('def f(kinds=("INFLUENCES",)):\n    pass', [(1, "INFLUENCES")]),
        ('if link.kind != "COOPERATES_WITH":\n    pass', [(1, "COOPERATES_WITH")]),
        ('WORD = {"kan bijsturen": 1}', [(1, "kan bijsturen")]),
        ('q = "MATCH (a)-[r:INFLUENCES]->(b) RETURN r"', []),
        ('"""m.links("INFLUENCES")"""\nx = LinkKind.INFLUENCES', []),
    ],
)
def test_the_scan_finds_a_link_kind_in_code_and_not_in_cypher_or_prose(
    source: str, expected: list[tuple[int, str]]
) -> None:
    assert literals(source, LINK_KIND_WORDS) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('STYLES = {"bevestigd": 1}', [(1, "bevestigd")]),
        ('if kind == "knoop hernoemd":\n    pass', [(1, "knoop hernoemd")]),
        ('def f():\n    """A doc naming \'eens\'."""\n    return "oneens"', [(3, "oneens")]),
        ('"""eens"""\nx = Verdict.AGREE', []),
        ('x = "eensgezind"', []),
    ],
)
def test_the_scan_finds_a_word_in_code_and_not_in_prose(
    source: str, expected: list[tuple[int, str]]
) -> None:
    assert literals(source) == expected


def test_the_vocabulary_itself_holds_every_word() -> None:
    assert {word for _, word in literals(HOME.read_text(encoding="utf-8"))} == WORDS
    home = literals(HOME.read_text(encoding="utf-8"), LINK_KIND_WORDS)
    assert {word for _, word in home} == LINK_KIND_WORDS


def test_every_link_kind_has_one_entry_in_the_schema_and_each_entry_a_kind() -> None:
    assert list(schema.LINK_KINDS) == list(LinkKind)
    for kind in LinkKind:
        spec = schema.LINK_KINDS[kind.value]
        assert spec.kind is kind and spec.name == kind.value == kind.name
        assert (spec.value, spec.derived) == (kind.word, kind.derived)
        assert spec.sources and spec.targets
    for spec in schema.LINK_KINDS.values():
        assert LinkKind(spec.name) is spec.kind
    assert len({kind.word for kind in LinkKind}) == len(LinkKind)
    sheet = [kind for kind in LinkKind if not kind.derived]
    assert schema.LINK_KIND_CHOICES == tuple(kind.word for kind in sheet)
    assert [spec.kind for spec in schema.LINK_KIND_BY_VALUE.values()] == sheet
    assert [kind for kind in LinkKind if kind.derived] == [LinkKind.ABOUT, LinkKind.SAID_IN]


def test_a_link_kind_is_written_as_the_relationship_type() -> None:
    kind = LinkKind("INFLUENCES")
    assert kind is LinkKind.INFLUENCES and kind == "INFLUENCES"
    assert (str(kind), f"{kind}", repr(kind)) == ("INFLUENCES", "INFLUENCES", "'INFLUENCES'")
    assert json.dumps({kind: [kind]}) == '{"INFLUENCES": ["INFLUENCES"]}'
    frame = pd.DataFrame({"kind": [kind, LinkKind.SAID_IN]})
    assert frame.to_csv(index=False) == "kind\nINFLUENCES\nSAID_IN\n"
    m = SystemMap("m")
    m.add_node("Factor", "a", "A")
    m.add_node("Factor", "b", "B")
    m.add_link("ab", kind, "a", "b", sign="+")
    m.add_link("ba", "INFLUENCES", "b", "a", sign="-")
    assert [link.id for link in m.links("INFLUENCES")] == ["ab", "ba"]
    assert [link.id for link in m.links(LinkKind.INFLUENCES)] == ["ab", "ba"]
