"""Influence and paths: chains with known signs, strengths and rounds."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from graph import SystemMap
from queries import QueryError
from queries.influence import CHAIN_COLUMNS, driven_by, drivers, influence
from queries.paths import all_paths, shortest_paths


def chain_map() -> SystemMap:
    """x -(+, 0.5)-> a -(+, 2)-> b -(-)-> c <-(+)- d; e -(?)-> c; x can adjust d."""
    m = SystemMap("demo")
    m.add_node("Actor", "x", "X", actor_kind="organisatie")
    for f in "abcde":
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    m.add_link("xa", "INFLUENCES", "x", "a", sign="+", weight=0.5)
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+", weight=2.0)
    m.add_link("bc", "INFLUENCES", "b", "c", sign="-")
    m.add_link("dc", "INFLUENCES", "d", "c", sign="+", weight=3.0)
    m.add_link("ec", "INFLUENCES", "e", "c")
    m.add_link("xd", "CAN_ADJUST", "x", "d")
    return m


def summary(frame) -> list[tuple]:
    return [(tuple(r.path), r.sign, r.strength, r.weights_known) for r in frame.itertuples()]


def test_drivers_multiply_signs_and_weights_along_each_chain() -> None:
    assert summary(drivers(chain_map(), "c")) == [
        (("b", "c"), "-", 1.0, False),
        (("d", "c"), "+", 3.0, True),
        (("e", "c"), None, 1.0, False),
        (("a", "b", "c"), "-", 2.0, False),
        (("x", "a", "b", "c"), "-", 1.0, False),
    ]


def test_drivers_have_the_documented_columns_and_link_ids() -> None:
    chains = drivers(chain_map(), "c")
    assert list(chains.columns) == list(CHAIN_COLUMNS)
    last = chains.iloc[-1]
    assert (last["source"], last["target"], last["length"]) == ("x", "c", 3)
    assert last["links"] == ["xa", "ab", "bc"]
    assert last["names"] == ["X", "A", "B", "C"]


def test_max_depth_limits_the_chains() -> None:
    assert drivers(chain_map(), "c", max_depth=1)["source"].tolist() == ["b", "d", "e"]


def test_driven_by_follows_the_links_forward() -> None:
    assert summary(driven_by(chain_map(), "x")) == [
        (("x", "a"), "+", 0.5, True),
        (("x", "a", "b"), "+", 1.0, True),
        (("x", "a", "b", "c"), "-", 1.0, False),
    ]


def test_parallel_links_are_distinct_chains() -> None:
    m = chain_map()
    m.add_link("dc-2", "INFLUENCES", "d", "c", sign="-")
    direct = drivers(m, "c", max_depth=1)
    assert direct[direct["source"] == "d"]["links"].tolist() == [["dc"], ["dc-2"]]
    assert direct[direct["source"] == "d"]["sign"].tolist() == ["+", "-"]


def test_chains_never_visit_a_node_twice() -> None:
    m = chain_map()
    m.add_link("ca", "INFLUENCES", "c", "a", sign="+")
    assert all(len(set(p)) == len(p) for p in drivers(m, "c", max_depth=6)["path"])
    assert ["b", "c", "a"] in drivers(m, "a", max_depth=6)["path"].tolist()


def test_retired_links_count_only_in_the_rounds_they_were_on_the_map() -> None:
    m = chain_map()
    for number in (1, 2, 3):
        m.add_record("rounds", number=number, name=f"Ronde {number}")
    m.add_link("old", "INFLUENCES", "a", "c", sign="+", round_in=1, round_out=2)
    m.add_link("new", "INFLUENCES", "d", "b", sign="+", round_in=3)

    def direct(**kw):
        return sorted(drivers(m, "c", max_depth=1, **kw)["links"].map(tuple))

    assert ("old",) not in direct()
    assert ("old",) in direct(as_of_round=1)
    assert ("old",) not in direct(as_of_round=2)
    assert ["d", "b", "c"] in drivers(m, "c")["path"].tolist()
    assert ["d", "b", "c"] not in drivers(m, "c", as_of_round=2)["path"].tolist()


def test_a_retired_node_takes_its_links_with_it() -> None:
    m = chain_map()
    m.add_node("Factor", "gone", "Gone", level="persoon", role="bron", round_out=2)
    m.add_link("gone-c", "INFLUENCES", "gone", "c", sign="+")
    assert "gone" not in drivers(m, "c")["source"].tolist()
    assert "gone" in drivers(m, "c", as_of_round=1)["source"].tolist()


def test_no_drivers_gives_an_empty_frame_with_the_columns() -> None:
    chains = drivers(chain_map(), "x")
    assert chains.empty
    assert list(chains.columns) == list(CHAIN_COLUMNS)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: drivers(m, "cc"), "unknown node 'cc' (did you mean 'c'?)"),
        (lambda m: drivers(m, "zzz"), "unknown node 'zzz'"),
        (
            lambda m: drivers(m, "c", max_depth=-1),
            "the depth must be a whole number of at least 1, not -1",
        ),
        (
            lambda m: drivers(m, "c", as_of_round=0),
            "unknown round 0 (rounds: 1)",
        ),
        (lambda m: influence(m, target="c", source="x"), "give a target or a source, not both"),
        (lambda m: all_paths(m, "a", "a"), "a path needs two different nodes, got 'a' twice"),
        (
            lambda m: all_paths(m, "a", "c", kinds=["INFLUENCE"]),
            "unknown link kind 'INFLUENCE' (did you mean 'INFLUENCES'?)",
        ),
    ],
)
def test_bad_questions_raise_query_error(call, message: str) -> None:
    with pytest.raises(QueryError) as info:
        call(chain_map())
    assert str(info.value) == message


def test_drivers_need_an_actor_or_factor() -> None:
    m = chain_map()
    m.add_node("Place", "plein", "Plein")
    with pytest.raises(QueryError, match="'plein' is a Place"):
        drivers(m, "plein")


def test_influence_picks_drivers_or_driven_by() -> None:
    m = chain_map()
    assert influence(m, target="c").equals(drivers(m, "c"))
    assert influence(m, source="a", max_depth=1).equals(driven_by(m, "a", 1))


def test_shortest_paths_lists_every_route_of_the_shortest_length() -> None:
    m = chain_map()
    m.add_link("xd-influence", "INFLUENCES", "x", "d", sign="-")
    paths = shortest_paths(m, "x", "c")
    assert paths["path"].tolist() == [["x", "d", "c"]]
    assert paths["sign"].tolist() == ["-"]
    m.add_link("xb", "INFLUENCES", "x", "b", sign="+")
    assert shortest_paths(m, "x", "c")["path"].tolist() == [["x", "b", "c"], ["x", "d", "c"]]


def test_shortest_paths_over_parallel_links() -> None:
    m = chain_map()
    m.add_link("ab-2", "INFLUENCES", "a", "b", sign="-")
    assert shortest_paths(m, "a", "c")["links"].tolist() == [["ab", "bc"], ["ab-2", "bc"]]


def test_paths_may_follow_other_link_kinds() -> None:
    m = chain_map()
    assert shortest_paths(m, "x", "c")["length"].tolist() == [3]
    mixed = shortest_paths(m, "x", "c", kinds=["INFLUENCES", "CAN_ADJUST"])
    assert mixed["links"].tolist() == [["xd", "dc"]]
    assert mixed["sign"].tolist() == [None]


def test_all_paths_up_to_a_length() -> None:
    m = chain_map()
    kinds = ["INFLUENCES", "CAN_ADJUST"]
    assert all_paths(m, "x", "c", kinds=kinds)["path"].tolist() == [
        ["x", "d", "c"],
        ["x", "a", "b", "c"],
    ]
    assert all_paths(m, "x", "c", max_length=2, kinds=kinds)["path"].tolist() == [["x", "d", "c"]]


def test_no_path_is_an_empty_frame() -> None:
    m = chain_map()
    for frame in (shortest_paths(m, "c", "x"), all_paths(m, "c", "x")):
        assert frame.empty
        assert list(frame.columns) == list(CHAIN_COLUMNS)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=24),
    st.integers(0, 7),
    st.integers(0, 7),
)
def test_shortest_paths_are_those_of_networkx(
    edges: list[tuple[int, int]], source: int, target: int
) -> None:
    """Random maps with parallel links and self-links, against networkx."""
    assume(source != target)
    nodes = "abcdefgh"
    m = SystemMap("demo")
    for n in nodes:
        m.add_node("Factor", n, n.upper(), level="persoon", role="bron")
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes)
    for i, (u, v) in enumerate(edges):
        m.add_link(f"l{i}", "INFLUENCES", nodes[u], nodes[v], sign="+")
        g.add_edge(nodes[u], nodes[v], key=f"l{i}")
    s, t = nodes[source], nodes[target]
    expected = []
    if nx.has_path(g, s, t):
        for path in nx.all_shortest_paths(nx.DiGraph(g), s, t):
            hops = [list(g[u][v]) for u, v in itertools.pairwise(path)]
            expected.extend((path, list(keys)) for keys in itertools.product(*hops))
    found = shortest_paths(m, s, t)
    assert sorted(zip(found["path"], found["links"], strict=True)) == sorted(expected)
