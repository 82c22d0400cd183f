"""What the loop and leverage questions read of a source is the same on a SystemMap
and in Neo4j: the influence links of a round, the loops, who can adjust a factor, the
chains out of factors only and the actors and factors on the map. The questions
themselves are written once over it (:mod:`queries.loops`, :mod:`queries.leverage`)."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from typing import Any

import pytest

from graph import SystemMap
from graph.generate import generated_map
from graph.store import Neo4jStore
from queries import changes, leverage, loops
from queries.cypher import StoreSource
from queries.source import MapSource

Sources = tuple[MapSource, StoreSource]


@pytest.fixture(scope="module")
def sources(neo4j_uri: str) -> Iterator[Sources]:
    """A generated map (benchmark data) with a second round: one loop's link retired."""
    store = Neo4jStore(neo4j_uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    m: SystemMap = generated_map(80, 400, seed=3, map_id=f"test-loops-{random.randrange(10**8)}")
    first = loops.loops(m, 3).iloc[0]
    m.open_round(name="Ronde 2")
    m.retire_link(2, first["links"][0], reason="benchmark data: a link taken off the map")
    store.load(m)
    try:
        yield MapSource(m), StoreSource(store, m.id)
    finally:
        store.delete(m.id)
        store.close()


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["length"], r["members"], r["links"]))


@pytest.mark.parametrize("as_of_round", [None, 1, 2])
def test_both_sources_give_the_same_loops_and_links(
    sources: Sources, as_of_round: int | None
) -> None:
    on_map, in_store = sources
    found = _sorted(on_map.loops(4, as_of_round))
    assert len(found) > 5
    assert _sorted(in_store.loops(4, as_of_round)) == found
    assert {kind for row in found for kind in row["kinds"]} <= {"Actor", "Factor"}
    ours = on_map.link_ends(("INFLUENCES",), as_of_round)
    theirs = in_store.link_ends(("INFLUENCES",), as_of_round)
    assert {k: v[:2] for k, v in theirs.links.items()} == {k: v[:2] for k, v in ours.links.items()}
    assert set(theirs.nodes) <= set(ours.nodes)


def test_the_retired_link_leaves_its_loops_in_round_two_only(sources: Sources) -> None:
    on_map, in_store = sources
    moved = changes.loop_moves_in(in_store, 1, 2, 3)
    assert set(moved["change"]) == {"gone"}
    assert moved.equals(changes.loop_moves_in(on_map, 1, 2, 3))
    assert loops.loops_in(in_store, 4, as_of_round=1).equals(
        loops.loops_in(on_map, 4, as_of_round=1)
    )


def test_both_sources_give_the_same_chains_out_of_factors_and_adjusters(
    sources: Sources,
) -> None:
    on_map, in_store = sources
    every = on_map.chains(3, None, target="factor-0")
    factors = on_map.chains(3, None, target="factor-0", source_kinds=("Factor",))
    assert 0 < len(factors) < len(every)
    assert all(on_map.map.node(row["source"]).kind == "Factor" for row in factors)
    columns = ("source", "length", "sign", "strength", "weights_known", "path", "names", "links")
    stored = in_store.chains(3, None, target="factor-0", source_kinds=("Factor",))

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[c] for c in columns)

    assert sorted(map(key, stored)) == sorted(map(key, factors))
    assert in_store.adjusters(None) == on_map.adjusters(None) != {}
    assert leverage.leverage_points_in(in_store, max_depth=3).equals(
        leverage.leverage_points_in(on_map, max_depth=3)
    )


@pytest.mark.parametrize("as_of_round", [None, 2])
def test_both_sources_give_the_same_nodes_and_centrality(
    sources: Sources, as_of_round: int | None
) -> None:
    on_map, in_store = sources
    kinds = ("Actor", "Factor")

    def by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: r["id"])

    nodes = by_id(on_map.nodes(kinds, as_of_round))
    assert {row["kind"] for row in nodes} == set(kinds)
    assert by_id(in_store.nodes(kinds, as_of_round)) == nodes
    table = leverage.centrality_in(on_map, as_of_round=as_of_round)
    assert len(table) == sum(row["kind"] == "Factor" for row in nodes)
    assert leverage.centrality_in(in_store, as_of_round=as_of_round).equals(table)
