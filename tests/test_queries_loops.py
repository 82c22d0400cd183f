"""Loops: polarity and participation on maps with known loops, and agreement with
networkx on generated maps."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import SystemMap
from graph.generate import generated_map
from queries import QueryError
from queries.loops import LOOP_COLUMNS, PARTICIPATION_COLUMNS, loop_participation, loops
from tests.strategies import system_maps


def factor_map(nodes: str, links: list[tuple[str, str, str, str | None]]) -> SystemMap:
    """A map of factors named by letters, with INFLUENCES links (id, from, to, sign)."""
    m = SystemMap("demo")
    for n in nodes:
        m.add_node("Factor", n, n.upper(), level="persoon", role="bron")
    for link_id, source, target, sign in links:
        m.add_link(link_id, "INFLUENCES", source, target, sign=sign)
    return m


def two_loops() -> SystemMap:
    """a <-> b reinforcing (+ +), b <-> c balancing (+ -): they share b."""
    return factor_map(
        "abc",
        [
            ("ab", "a", "b", "+"),
            ("ba", "b", "a", "+"),
            ("bc", "b", "c", "+"),
            ("cb", "c", "b", "-"),
        ],
    )


def test_a_reinforcing_and_a_balancing_loop() -> None:
    found = loops(two_loops())
    assert list(found.columns) == list(LOOP_COLUMNS)
    assert found[["members", "links", "polarity", "sign"]].to_dict("records") == [
        {"members": ["a", "b"], "links": ["ab", "ba"], "polarity": "reinforcing", "sign": "+"},
        {"members": ["b", "c"], "links": ["bc", "cb"], "polarity": "balancing", "sign": "-"},
    ]


def test_participation_counts_the_loops_each_node_sits_in() -> None:
    counts = loop_participation(two_loops())
    assert list(counts.columns) == list(PARTICIPATION_COLUMNS)
    assert counts[["node", "loops", "reinforcing", "balancing", "unknown"]].values.tolist() == [
        ["b", 2, 1, 1, 0],
        ["a", 1, 1, 0, 0],
        ["c", 1, 0, 1, 0],
    ]


def test_members_start_at_the_smallest_id_and_keep_the_direction() -> None:
    m = factor_map("abc", [("cb", "c", "b", "+"), ("ba", "b", "a", "-"), ("ac", "a", "c", "-")])
    (loop,) = loops(m).to_dict("records")
    assert loop["members"] == ["a", "c", "b"]
    assert loop["links"] == ["ac", "cb", "ba"]
    assert loop["names"] == ["A", "C", "B"]
    assert loop["polarity"] == "reinforcing"


def test_an_unknown_sign_makes_the_polarity_unknown() -> None:
    m = factor_map("ab", [("ab", "a", "b", "+"), ("ba", "b", "a", None)])
    assert loops(m)[["polarity", "sign"]].values.tolist() == [["unknown", None]]
    assert loop_participation(m)["unknown"].tolist() == [1, 1]


def test_parallel_links_make_distinct_loops() -> None:
    m = factor_map("ab", [("ab", "a", "b", "+"), ("ab-2", "a", "b", "-"), ("ba", "b", "a", "+")])
    found = loops(m)
    assert found["links"].tolist() == [["ab", "ba"], ["ab-2", "ba"]]
    assert found["polarity"].tolist() == ["reinforcing", "balancing"]
    assert loop_participation(m)["loops"].tolist() == [2, 2]


def test_weights_multiply_into_the_strength() -> None:
    m = factor_map("ab", [])
    m.add_link("ab", "INFLUENCES", "a", "b", sign="-", weight=2.0)
    m.add_link("ba", "INFLUENCES", "b", "a", sign="-", weight=0.25)
    assert loops(m)[["strength", "weights_known"]].values.tolist() == [[0.5, True]]


def test_max_length_bounds_the_loops() -> None:
    m = factor_map("abc", [("ab", "a", "b", "+"), ("bc", "b", "c", "+"), ("ca", "c", "a", "+")])
    assert loops(m)["length"].tolist() == [3]
    assert loops(m, max_length=2).empty
    with pytest.raises(QueryError, match="maximum length"):
        loops(m, max_length=0)


def test_a_retired_link_breaks_its_loop() -> None:
    m = two_loops()
    m.add_link("ca", "INFLUENCES", "c", "a", sign="+", round_out=2)
    m.add_link("ac", "INFLUENCES", "a", "c", sign="-", round_in=2)
    assert loops(m)["members"].tolist() == [["a", "b"], ["b", "c"], ["a", "c", "b"]]
    in_round_1 = loops(m, as_of_round=1)["members"].tolist()
    assert in_round_1 == [["a", "b"], ["b", "c"], ["a", "b", "c"]]


def test_no_loops_gives_empty_frames_with_the_columns() -> None:
    m = factor_map("ab", [("ab", "a", "b", "+")])
    assert list(loops(m).columns) == list(LOOP_COLUMNS)
    assert list(loop_participation(m).columns) == list(PARTICIPATION_COLUMNS)


# --- agreement with networkx ---------------------------------------------------------

SIZE = 6


@st.composite
def influence_maps(draw: st.DrawFn, parallel: bool) -> SystemMap:
    """Random maps of factors and INFLUENCES links, self-links included."""
    pairs = st.tuples(st.integers(0, SIZE - 1), st.integers(0, SIZE - 1))
    edges = draw(st.lists(pairs, max_size=18, unique=not parallel))
    signs = draw(
        st.lists(st.sampled_from(["+", "-", None]), min_size=len(edges), max_size=len(edges))
    )
    nodes = "abcdef"
    return factor_map(
        nodes,
        [
            (f"l{i}", nodes[u], nodes[v], sign)
            for i, ((u, v), sign) in enumerate(zip(edges, signs, strict=True))
        ],
    )


def influence_graph(m: SystemMap) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_edges_from(
        (link.source, link.target, link.id)
        for link in m.links("INFLUENCES")
        if link.get("round_out") is None
        and m.node(link.source).get("round_out") is None
        and m.node(link.target).get("round_out") is None
    )
    return g


def canonical(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


@settings(max_examples=100, deadline=None)
@given(influence_maps(parallel=False), st.integers(1, SIZE))
def test_loops_are_the_simple_cycles_of_networkx(m: SystemMap, bound: int) -> None:
    g = nx.DiGraph(influence_graph(m))
    cycles = list(nx.simple_cycles(g, length_bound=bound))
    found = loops(m, max_length=bound)
    assert len(found) == len(cycles)
    assert sorted(map(tuple, found["members"])) == sorted(map(canonical, cycles))


@settings(max_examples=100, deadline=None)
@given(influence_maps(parallel=True), st.integers(1, SIZE))
def test_parallel_links_multiply_the_cycles_of_networkx(m: SystemMap, bound: int) -> None:
    g = influence_graph(m)
    expected = sum(
        math.prod(g.number_of_edges(u, v) for u, v in zip(c, c[1:] + c[:1], strict=True))
        for c in nx.simple_cycles(nx.DiGraph(g), length_bound=bound)
    )
    found = loops(m, max_length=bound)
    assert len(found) == expected
    for members, links in zip(found["members"], found["links"], strict=True):
        ends = [(m.link(lk).source, m.link(lk).target) for lk in links]
        assert ends == list(zip(members, members[1:] + members[:1], strict=True))


@settings(max_examples=40, deadline=None)
@given(system_maps(), st.integers(1, 4))
def test_loops_on_generated_maps_agree_with_networkx(m: SystemMap, bound: int) -> None:
    g = influence_graph(m)
    expected = sum(
        math.prod(g.number_of_edges(u, v) for u, v in zip(c, c[1:] + c[:1], strict=True))
        for c in nx.simple_cycles(nx.DiGraph(g), length_bound=bound)
    )
    assert len(loops(m, max_length=bound)) == expected
    participation = loop_participation(m, max_length=bound)
    assert participation["loops"].sum() == sum(loops(m, max_length=bound)["length"])


def networkx_loops(m: SystemMap, bound: int) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every loop as (members from the smallest id, link ids): networkx's simple cycles
    of nodes, one loop per choice among parallel links."""
    g = influence_graph(m)
    out = []
    for cycle in nx.simple_cycles(nx.DiGraph(g), length_bound=bound):
        members = canonical(cycle)
        hops = zip(members, members[1:] + members[:1], strict=True)
        out.extend((members, keys) for keys in itertools.product(*(g[u][v] for u, v in hops)))
    return sorted(out)


def loop_list(found: pd.DataFrame) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    members, links = map(tuple, found["members"]), map(tuple, found["links"])
    return sorted(zip(members, links, strict=True))


@settings(max_examples=100, deadline=None)
@given(influence_maps(parallel=True), st.integers(1, SIZE))
def test_loops_are_the_cycles_of_networkx_link_by_link(m: SystemMap, bound: int) -> None:
    assert loop_list(loops(m, max_length=bound)) == networkx_loops(m, bound)


@pytest.mark.parametrize(("seed", "bound"), [(1, 4), (2, 5), (3, 6)])
def test_loops_on_dense_generated_maps_are_the_cycles_of_networkx(seed: int, bound: int) -> None:
    m = generated_map(40, 200, seed)
    expected = networkx_loops(m, bound)
    assert len(expected) > 20  # a map dense enough to have many loops of every length
    assert loop_list(loops(m, max_length=bound)) == expected
