"""Perspectives: what each group's quotes and reviews touch."""

from __future__ import annotations

import pytest

from graph import SystemMap
from queries import QueryError
from queries.perspectives import EMPHASIS_COLUMNS, group_emphasis


def group_map() -> SystemMap:
    m = SystemMap("demo")
    for number in (1, 2, 3):
        m.add_record("rounds", number=number, name=f"Ronde {number}")
    m.add_node("Factor", "druk", "Druk", level="persoon", role="uitkomst")
    m.add_node("Factor", "toetsen", "Toetsen", level="organisatie", role="bron")
    m.add_link("l1", "INFLUENCES", "toetsen", "druk", sign="+")
    m.add_node("Quote", "q1", "Veel toetsen", group="ouder", about=("toetsen", "l1"))
    m.add_node("Quote", "q2", "Druk", group="ouder", about=("druk",))
    m.add_node("Quote", "q3", "Toetsen en druk", group="jongere", about=("l1", "druk"))
    m.add_record("reviews", id="r1", link="l1", round=1, group="jongere", verdict="eens")
    m.add_record("reviews", id="r2", link="l1", round=2, group="jongere", verdict="aanvulling")
    return m


def test_each_group_with_what_it_touches_most_first() -> None:
    table = group_emphasis(group_map())
    assert list(table.columns) == list(EMPHASIS_COLUMNS)
    assert table[["group", "item", "kind", "quotes", "reviews", "total"]].values.tolist() == [
        ["jongere", "l1", "INFLUENCES", 1, 2, 3],
        ["jongere", "druk", "Factor", 1, 0, 1],
        ["ouder", "druk", "Factor", 1, 0, 1],
        ["ouder", "l1", "INFLUENCES", 1, 0, 1],
        ["ouder", "toetsen", "Factor", 1, 0, 1],
    ]
    assert table.loc[0, "name"] == "Toetsen → Druk"


def test_one_group_and_one_round() -> None:
    """A round's own reviews count from the next round on, as in queries.cycle."""
    table = group_emphasis(group_map(), "jongere", as_of_round=1)
    assert table[["item", "reviews", "total"]].values.tolist() == [["druk", 0, 1], ["l1", 0, 1]]
    table = group_emphasis(group_map(), "jongere", as_of_round=2)
    assert table[["item", "reviews", "total"]].values.tolist() == [["l1", 1, 2], ["druk", 0, 1]]
    table = group_emphasis(group_map(), "jongere", as_of_round=3)
    assert table[["item", "reviews", "total"]].values.tolist() == [["l1", 2, 3], ["druk", 0, 1]]


def test_an_unknown_group_is_a_query_error() -> None:
    with pytest.raises(QueryError, match=r"unknown group 'ouders' \(did you mean 'ouder'\?\)"):
        group_emphasis(group_map(), "ouders")
