"""The two sources of a question, :class:`queries.source.MapSource` (a SystemMap) and
:class:`queries.cypher.StoreSource` (the map in Neo4j), give the same rows and raise
the same errors with the same messages: a question written once over a source is then
the same question on both backends."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from typing import Any

import pytest

from graph import SystemMap
from graph.errors import UnknownMap, UnknownNode, UnknownRound
from graph.store import Neo4jStore
from loaders import load_map
from queries import paths
from queries.cypher import StoreSource
from queries.source import MapSource, Source

Sources = tuple[MapSource, StoreSource]


@pytest.fixture(scope="module")
def sources(neo4j_uri: str) -> Iterator[Sources]:
    store = Neo4jStore(neo4j_uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    m: SystemMap = load_map()
    m.id = f"test-source-{random.randrange(10**8)}"
    store.load(m)
    try:
        yield MapSource(m), StoreSource(store, m.id)
    finally:
        store.delete(m.id)
        store.close()


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["length"], row["path"], row["links"])


def _same_rows(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    columns = ("source", "target", "length", "sign", "strength", "weights_known", "path", "names")
    left = [{c: r[c] for c in (*columns, "links")} for r in sorted(a, key=_key)]
    right = [{c: r[c] for c in (*columns, "links")} for r in sorted(b, key=_key)]
    assert left == right


@pytest.mark.parametrize("as_of_round", [None, 1])
def test_both_sources_give_the_same_chains(sources: Sources, as_of_round: int | None) -> None:
    on_map, in_store = sources
    into = on_map.chains(3, as_of_round, target="prestatiedruk")
    assert len(into) > 3
    _same_rows(into, in_store.chains(3, as_of_round, target="prestatiedruk"))
    out = on_map.chains(3, as_of_round, source="individualisme")
    assert {row["source"] for row in out} == {"individualisme"}
    _same_rows(out, in_store.chains(3, as_of_round, source="individualisme"))
    kinds = ("INFLUENCES", "CAN_ADJUST")
    both = on_map.chains(4, as_of_round, source="ouders", target="burn-out", kinds=kinds)
    assert [row["path"][-1] for row in both] == ["burn-out"] * len(both) and both
    _same_rows(
        both, in_store.chains(4, as_of_round, source="ouders", target="burn-out", kinds=kinds)
    )


def test_both_sources_give_the_same_shortest_paths(sources: Sources) -> None:
    on_map, in_store = sources
    kinds = ("INFLUENCES", "CAN_ADJUST")
    found = on_map.shortest_paths("scholen", "stress", kinds, None)
    assert [row["path"] for row in found] == [
        ["scholen", "meten-en-toetsen", "prestatiedruk", "stress"]
    ]
    _same_rows(found, in_store.shortest_paths("scholen", "stress", kinds, None))
    assert in_store.shortest_paths("scholen", "stress", ("INFLUENCES",), None) == []


def _error(source: Source, call: str) -> tuple[type, str]:
    with pytest.raises(Exception) as caught:
        if call == "node":
            source.check_node("prestatiedrk")
        elif call == "kind":
            source.check_node("kick-off", ("Actor", "Factor"))
        else:
            source.check_round(99)
    return type(caught.value), str(caught.value)


@pytest.mark.parametrize(
    ("call", "error"),
    [("node", UnknownNode), ("kind", UnknownNode), ("round", UnknownRound)],
)
def test_both_sources_raise_the_same_error_with_the_same_message(
    sources: Sources, call: str, error: type
) -> None:
    on_map, in_store = sources
    kind, message = _error(on_map, call)
    assert kind is error
    assert _error(in_store, call) == (kind, message)


def test_a_question_over_either_source_is_the_same_table(sources: Sources) -> None:
    on_map, in_store = sources
    for as_of_round in (None, 1):
        kinds = ("INFLUENCES", "CAN_ADJUST")
        table = paths.all_paths_in(
            on_map, "ouders", "burn-out", kinds=kinds, as_of_round=as_of_round
        )
        assert not table.empty
        other = paths.all_paths_in(
            in_store, "ouders", "burn-out", kinds=kinds, as_of_round=as_of_round
        )
        assert table.equals(other)


def test_an_unknown_map_is_refused_when_the_source_is_made(sources: Sources) -> None:
    _, in_store = sources
    with pytest.raises(UnknownMap):
        StoreSource(in_store.store, f"{in_store.map_id}-elders")
