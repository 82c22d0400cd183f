"""Tables people read: at 100 columns (output that is not a terminal) or the terminal's
width, a table wraps its wide cells onto the next lines of their row instead of
cutting them off, numbers are rounded to what a reader needs, and yes/no is a word."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner

from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from queries.agenda import agenda
from versterkt.cli import main
from versterkt.output import render

ROUND_2 = str(EXAMPLE_CYCLE / "ronde-2")


def column(lines: list[str], header: str, first: str) -> list[str]:
    """The cells of the column under ``header``, each row's wrapped lines joined; a row
    starts where the column ``first`` (the leftmost) has text."""
    start = lines[0].index(header)
    rows: list[list[str]] = []
    for line in lines[2:]:
        if line[: len(first)].strip():
            rows.append([])
        rows[-1].append(line[start:].strip())
    return [" ".join(part for part in row if part) for row in rows]


def test_the_agendas_reasons_are_never_cut_at_100_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    result = CliRunner().invoke(main, ["agenda", ROUND_2])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 100
    expected = ["; ".join(reasons) for reasons in agenda(load_map(ROUND_2))["reasons"]]
    assert len(expected) >= 5
    # the headers are Dutch: the command speaks the locale's language (Dutch here)
    assert column(lines, "redenen", "prioriteit") == [re.sub(r"\s+", " ", e) for e in expected]


@pytest.mark.parametrize("width", [80, 100, 140])
def test_a_table_of_ten_columns_prints_within_the_width_it_is_given(width: int) -> None:
    table = agenda(load_map(VLEUTEN))
    assert len(table.columns) == 10
    text = render(table, "table", width=width)
    assert max(map(len, text.splitlines())) <= width
    lines = text.splitlines()
    if lines[0].startswith("-[ 1 ]"):
        # too many columns for the width: one block per row, each header by its value
        blocks = re.split(r"^-\[ \d+ \]-*$", text, flags=re.M)[1:]
        assert len(blocks) == len(table)
        for block, reasons in zip(blocks, table["reasons"], strict=True):
            value = re.search(r"^redenen +(.*?)(?=^\S|\Z)", block, flags=re.M | re.S)
            assert value and " ".join(value.group(1).split()) == "; ".join(reasons)
    else:
        assert column(lines, "redenen", "prioriteit") == [
            re.sub(r"\s+", " ", "; ".join(reasons)) for reasons in table["reasons"]
        ]


def test_numbers_are_rounded_and_yes_no_is_a_word() -> None:
    answer = pd.DataFrame(
        {"name": ["a", "b", "c", "d"], "share": [0.067888, 1.0, -1.5, 12345.678],
         "known": [True, False, True, False], "count": [3, 12, 0, 7]}
    )  # fmt: skip
    lines = render(answer, "table", width=100, lang="en").splitlines()
    assert [line.split() for line in lines[2:]] == [
        ["a", "0.0679", "yes", "3"],
        ["b", "1", "no", "12"],
        ["c", "-1.5", "yes", "0"],
        ["d", "12346", "no", "7"],
    ]
    # in Dutch: a decimal comma, and ja/nee
    lines = render(answer, "table", width=100, lang="nl").splitlines()
    assert [line.split() for line in lines[2:]] == [
        ["a", "0,0679", "ja", "3"],
        ["b", "1", "nee", "12"],
        ["c", "-1,5", "ja", "0"],
        ["d", "12346", "nee", "7"],
    ]
    # csv and json keep every digit
    assert "0.067888" in render(answer, "csv") and "0.067888" in render(answer, "json")
