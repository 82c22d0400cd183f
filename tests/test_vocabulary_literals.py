"""The words of the cycle have one home: a status, a verdict or an adjustment kind is
written as a string in :mod:`graph.vocabulary` only (and in the message catalogue,
which is not Python). Everywhere else the code names the enum member, so a word
renamed in the vocabulary cannot be left behind in a table or a comparison.

The source is read with :mod:`ast`: every string constant counts, a docstring does
not (it is prose, and a doctest's expected output such as ``'hypothese'`` is the
enum's repr).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph.vocabulary import AdjustmentKind, Status, Verdict

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "queries", "views", "loaders", "versterkt", "sessie")
HOME = ROOT / "graph" / "vocabulary.py"
WORDS = {word.value for kind in (Status, Verdict, AdjustmentKind) for word in kind}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def literals(source: str) -> list[tuple[int, str]]:
    """Each word of the vocabulary written as a string constant: (line, word)."""
    tree = ast.parse(source)
    prose = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in WORDS
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
