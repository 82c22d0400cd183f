"""Leverage: signed effects along chains, and betweenness, with who can adjust what."""

from __future__ import annotations

import hashlib

import networkx as nx
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from graph import SystemMap
from graph.cycle import rounds
from graph.generate import generated_map
from queries.leverage import (
    CENTRALITY_COLUMNS,
    EXACT_UP_TO,
    LEVERAGE_COLUMNS,
    SAMPLE_SIZE,
    betweenness,
    centrality,
    leverage_points,
    route_betweenness,
    source_betweenness,
)
from tests.strategies import system_maps


def knob_map() -> SystemMap:
    """f1 -(+, 2)-> o; f1 -(-)-> f2 -(+, 3)-> o; f3 -(?)-> o; x -(+)-> f1.

    School can adjust f2, parents and school can adjust f1.
    """
    m = SystemMap("demo")
    for f in ("o", "f1", "f2", "f3"):
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    for actor in ("school", "ouders", "x"):
        m.add_node("Actor", actor, actor.title(), actor_kind="groep")
    m.add_link("f1-o", "INFLUENCES", "f1", "o", sign="+", weight=2.0)
    m.add_link("f1-f2", "INFLUENCES", "f1", "f2", sign="-")
    m.add_link("f2-o", "INFLUENCES", "f2", "o", sign="+", weight=3.0)
    m.add_link("f3-o", "INFLUENCES", "f3", "o")
    m.add_link("x-f1", "INFLUENCES", "x", "f1", sign="+")
    m.add_link("school-f2", "CAN_ADJUST", "school", "f2")
    m.add_link("school-f1", "CAN_ADJUST", "school", "f1")
    m.add_link("ouders-f1", "CAN_ADJUST", "ouders", "f1")
    return m


def test_effects_add_signed_chains_and_rank_by_size() -> None:
    knobs = leverage_points(knob_map(), "o")
    assert list(knobs.columns) == list(LEVERAGE_COLUMNS)
    assert knobs.to_dict("records") == [
        {
            "factor": "f2",
            "name": "F2",
            "effect": 3.0,
            "chains": 1,
            "unknown_sign_chains": 0,
            "weights_known": True,
            "adjusted_by": ["school"],
        },
        {
            "factor": "f1",
            "name": "F1",
            "effect": -1.0,
            "chains": 2,
            "unknown_sign_chains": 0,
            "weights_known": False,
            "adjusted_by": ["ouders", "school"],
        },
        {
            "factor": "f3",
            "name": "F3",
            "effect": None,
            "chains": 1,
            "unknown_sign_chains": 1,
            "weights_known": False,
            "adjusted_by": [],
        },
    ]


def test_unknown_effects_stay_unknown() -> None:
    assert pd.isna(leverage_points(knob_map(), "o").loc[2, "effect"])


def test_depth_limits_the_chains_counted() -> None:
    knobs = leverage_points(knob_map(), "o", max_depth=1).set_index("factor")
    assert knobs.loc["f1", "effect"] == 2.0
    assert knobs.loc["f1", "chains"] == 1


def test_actors_are_not_ranked_as_factors() -> None:
    assert "x" not in set(leverage_points(knob_map(), "o")["factor"])


def test_a_retired_knob_is_not_listed() -> None:
    m = knob_map()
    m.add_link("x-f2", "CAN_ADJUST", "x", "f2", round_out=2)
    current = leverage_points(m, "o").set_index("factor")
    assert current.loc["f2", "adjusted_by"] == ["school"]
    first = leverage_points(m, "o", as_of_round=1).set_index("factor")
    assert first.loc["f2", "adjusted_by"] == ["school", "x"]


def test_centrality_counts_shortest_routes_through_a_factor() -> None:
    ranking = centrality(knob_map())
    assert list(ranking.columns) == list(CENTRALITY_COLUMNS)
    columns = ["factor", "betweenness", "influences_in", "influences_out"]
    assert ranking[columns].values.tolist() == [
        ["f1", 2.0, 1, 2],
        ["f2", 0.0, 1, 1],
        ["f3", 0.0, 0, 1],
        ["o", 0.0, 3, 0],
    ]
    assert ranking.set_index("factor").loc["f1", "adjusted_by"] == ["ouders", "school"]
    assert not ranking["estimated"].any()


# --- betweenness: the same as networkx's ----------------------------------------------


def influence_digraph(m: SystemMap, as_of_round: int | None = None) -> nx.DiGraph:
    """The INFLUENCES links on the map (as of a round) between actors and factors on the
    map, as a networkx graph."""
    on_map = {n.id for n in m.nodes() if _present(n.fields, as_of_round)}
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in m.nodes() if n.id in on_map and n.kind in ("Actor", "Factor"))
    g.add_edges_from(
        (link.source, link.target)
        for link in m.links("INFLUENCES")
        if _present(link.fields, as_of_round) and {link.source, link.target} <= on_map
    )
    return g


def networkx_betweenness(m: SystemMap, as_of_round: int | None = None) -> dict[str, float]:
    """networkx's unnormalised betweenness of every factor on the graph of influence."""
    g = influence_digraph(m, as_of_round)
    scores = nx.betweenness_centrality(g, normalized=False)
    return {n: scores[n] for n in g if m.node(n).kind == "Factor"}


def _present(fields, as_of_round: int | None) -> bool:
    if as_of_round is None:
        return fields.get("round_out") is None
    out = fields.get("round_out")
    return (fields.get("round_in") or 1) <= as_of_round and (out is None or as_of_round < out)


def assert_same_betweenness(found: dict[str, float], expected: dict[str, float]) -> None:
    assert found.keys() == expected.keys()
    for node, value in expected.items():
        assert found[node] == pytest.approx(value, rel=1e-9, abs=1e-12), node


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=45))
def test_route_betweenness_is_that_of_networkx(edges: list[tuple[int, int]]) -> None:
    """Random directed graphs, with repeated links, self-links and unlinked nodes."""
    nodes = [f"n{i}" for i in range(12)]
    links = [(f"n{u}", f"n{v}") for u, v in edges]
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(links)
    assert_same_betweenness(
        route_betweenness(nodes, links), nx.betweenness_centrality(g, normalized=False)
    )


@settings(max_examples=40, deadline=None)
@given(system_maps(), st.none() | st.integers(1, 3))
def test_centrality_on_generated_maps_is_networkx_betweenness(
    m: SystemMap, as_of_round: int | None
) -> None:
    assume(as_of_round is None or as_of_round in rounds(m))
    ranking = centrality(m, as_of_round=as_of_round)
    found = dict(zip(ranking["factor"], ranking["betweenness"], strict=True))
    assert_same_betweenness(found, networkx_betweenness(m, as_of_round))


@pytest.mark.parametrize("seed", [1, 2])
def test_centrality_on_a_large_generated_map_is_networkx_betweenness(seed: int) -> None:
    m = generated_map(300, 1500, seed)
    ranking = centrality(m)
    assert ranking["betweenness"].max() > 100  # many routes cross this map
    found = dict(zip(ranking["factor"], ranking["betweenness"], strict=True))
    assert_same_betweenness(found, networkx_betweenness(m))


def test_exact_betweenness_is_kept_when_asked_for() -> None:
    m = generated_map(300, 1500, 1)
    assert_same_betweenness(scores_of(centrality(m, exact=True)), networkx_betweenness(m))


# --- betweenness estimated from a sample of sources on large maps -----------------------


def scores_of(ranking: pd.DataFrame) -> dict[str, float]:
    return dict(zip(ranking["factor"], ranking["betweenness"], strict=True))


def sampled_reference(m: SystemMap, skip: int = 0, scaled: bool = True) -> dict[str, float]:
    """networkx's betweenness of every factor counted over the routes out of a sample of
    sources and scaled up, as :func:`centrality` documents its estimate: the sources are
    the nodes with a link to another node, ordered by the SHA-256 of their id; the sample
    is the first SAMPLE_SIZE of them (after ``skip``), the scale their number over
    SAMPLE_SIZE."""
    g = influence_digraph(m)
    starts = [v for v in g if any(w != v for w in g.successors(v))]
    ordered = sorted(starts, key=lambda v: hashlib.sha256(v.encode("utf-8")).hexdigest())
    sample = ordered[skip : skip + SAMPLE_SIZE]
    counted = nx.betweenness_centrality_subset(g, sample, list(g), normalized=False)
    scale = len(starts) / SAMPLE_SIZE if scaled else 1.0
    return {n: counted[n] * scale for n in g if m.node(n).kind == "Factor"}


def same_betweenness(found: dict[str, float], expected: dict[str, float]) -> bool:
    return found.keys() == expected.keys() and all(
        found[n] == pytest.approx(value, rel=1e-9, abs=1e-12) for n, value in expected.items()
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=45),
    st.lists(st.integers(0, 11), unique=True, max_size=12),
)
def test_source_betweenness_is_that_of_networkx(
    edges: list[tuple[int, int]], sources: list[int]
) -> None:
    """Random directed graphs, with repeated links, self-links and unlinked nodes, and
    any set of sources."""
    nodes = [f"n{i}" for i in range(12)]
    links = [(f"n{u}", f"n{v}") for u, v in edges]
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(links)
    chosen = [f"n{i}" for i in sources]
    assert_same_betweenness(
        source_betweenness(nodes, links, chosen),
        nx.betweenness_centrality_subset(g, chosen, nodes, normalized=False),
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_centrality_on_a_map_above_the_limit_is_estimated_from_the_sample(seed: int) -> None:
    m = generated_map(700, 3000, seed)
    g = influence_digraph(m)
    assert sum(1 for n in g if g.degree(n)) > EXACT_UP_TO
    ranking = centrality(m)
    assert ranking["estimated"].all()
    found = scores_of(ranking)
    assert_same_betweenness(found, sampled_reference(m))
    # the comparison tells the estimate from the exact count, from another sample and
    # from the sums left unscaled
    for wrong in (
        networkx_betweenness(m),
        sampled_reference(m, skip=SAMPLE_SIZE),
        sampled_reference(m, scaled=False),
    ):
        assert not same_betweenness(found, wrong)


def test_exact_betweenness_above_the_limit_when_asked_for() -> None:
    m = generated_map(700, 3000, 3)
    ranking = centrality(m, exact=True)
    assert not ranking["estimated"].any()
    assert_same_betweenness(scores_of(ranking), networkx_betweenness(m))


def test_the_limit_counts_linked_nodes_and_the_nodes_routes_start_from() -> None:
    def ring(size: int) -> list[tuple[str, str]]:
        return [(f"n{i:04}", f"n{(i + 1) % size:04}") for i in range(size)]

    def estimated(nodes: list[str], links: list[tuple[str, str]]) -> bool:
        return betweenness(nodes, links)[1]

    unlinked = [f"u{i}" for i in range(EXACT_UP_TO)]
    small = ring(EXACT_UP_TO)
    assert not estimated(sorted({n for link in small for n in link}) + unlinked, small)
    large = ring(EXACT_UP_TO + 1)
    large_nodes = sorted({n for link in large for n in link})
    assert estimated(large_nodes, large)
    assert not betweenness(large_nodes, large, exact=True)[1]
    # many linked nodes, but no more that routes start from than the sample holds
    into_hub = [(f"s{i:02}", "hub") for i in range(SAMPLE_SIZE - 1)]
    out_of_hub = [("hub", f"t{j:03}") for j in range(EXACT_UP_TO)]
    nodes = sorted({n for link in into_hub + out_of_hub for n in link})
    scores, is_estimate = betweenness(nodes, into_hub + out_of_hub)
    assert not is_estimate
    assert scores["hub"] == (SAMPLE_SIZE - 1) * EXACT_UP_TO
