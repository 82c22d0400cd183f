"""Statements: counts that are unknown stay unknown; ranking and how divided."""

from __future__ import annotations

import pandas as pd
import pytest

from graph import SystemMap
from queries import QueryError
from queries.statements import RANKING_COLUMNS, VOTE_COLUMNS, statement_ranking, votes


def vote_map() -> SystemMap:
    m = SystemMap("demo")
    m.add_node("Session", "kick-off", "Kick-off", session_kind="kick-off")
    m.add_node("Session", "toets", "Toetsing", session_kind="toetsing")
    m.add_node("Statement", "s1", "Minder meten", focus=True)
    m.add_node("Statement", "s2", "Ouders en geluk")
    m.add_node("Statement", "s3", "Niemand koos")
    m.add_node("Statement", "s4", "Nooit gestemd")
    m.add_record(
        "votes", statement="s1", session="kick-off", agree=1, neutral=8, disagree=1, priority=10
    )
    m.add_record("votes", statement="s1", session="toets")
    m.add_record(
        "votes", statement="s2", session="kick-off", agree=6, neutral=0, disagree=2, priority=10
    )
    m.add_record(
        "votes", statement="s3", session="kick-off", agree=0, neutral=0, disagree=0, priority=3
    )
    return m


def test_votes_keep_unknown_counts_unknown() -> None:
    table = votes(vote_map())
    assert list(table.columns) == list(VOTE_COLUMNS)
    unknown = table[(table["statement"] == "s1") & (table["session"] == "toets")].iloc[0]
    for column in ("agree", "neutral", "disagree", "priority", "total", "neutral_share", "balance"):
        assert unknown[column] is pd.NA
    assert str(table["agree"].dtype) == "Int64"
    assert str(table["neutral_share"].dtype) == "Float64"


def test_votes_measure_how_divided_a_statement_is() -> None:
    table = votes(vote_map()).set_index(["statement", "session"])
    both_sides = table.loc[("s1", "kick-off")]
    assert (both_sides["total"], both_sides["neutral_share"], both_sides["balance"]) == (
        10,
        0.8,
        1.0,
    )
    lopsided = table.loc[("s2", "kick-off")]
    assert (lopsided["neutral_share"], lopsided["balance"]) == (0.0, 0.5)
    nobody = table.loc[("s3", "kick-off")]
    assert nobody["total"] == 0
    assert nobody["neutral_share"] is pd.NA
    assert nobody["balance"] is pd.NA


def test_votes_are_ordered_by_statement_and_session() -> None:
    table = votes(vote_map())
    assert list(zip(table["statement"], table["session"], strict=True)) == [
        ("s1", "kick-off"),
        ("s1", "toets"),
        ("s2", "kick-off"),
        ("s3", "kick-off"),
    ]


def test_ranking_puts_unknown_priority_last() -> None:
    ranking = statement_ranking(vote_map())
    assert list(ranking.columns) == list(RANKING_COLUMNS)
    assert ranking["statement"].tolist() == ["s2", "s3", "s1", "s4"]
    assert ranking["rank"].tolist() == [1, 2, pd.NA, pd.NA]
    assert ranking["sessions"].tolist() == [1, 1, 2, 0]
    assert ranking["priority"].tolist() == [10, 3, pd.NA, pd.NA]


def test_ranking_for_one_session_shares_ranks_on_ties() -> None:
    ranking = statement_ranking(vote_map(), session="kick-off")
    assert ranking[["statement", "rank", "priority"]].values.tolist() == [
        ["s1", 1, 10],
        ["s2", 1, 10],
        ["s3", 3, 3],
        ["s4", pd.NA, pd.NA],
    ]
    assert ranking["focus"].tolist() == [True, False, False, False]


def test_ranking_sums_counts_over_sessions() -> None:
    m = vote_map()
    m.add_record(
        "votes", statement="s2", session="toets", agree=1, neutral=2, disagree=0, priority=1
    )
    s2 = statement_ranking(m).set_index("statement").loc["s2"]
    assert (s2["agree"], s2["neutral"], s2["priority"], s2["sessions"]) == (7, 2, 11, 2)


def test_an_unknown_session_is_a_query_error() -> None:
    with pytest.raises(QueryError, match=r"unknown node 'kickoff' \(did you mean 'kick-off'\?\)"):
        statement_ranking(vote_map(), session="kickoff")
