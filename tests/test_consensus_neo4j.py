"""The consensus question on Neo4j gives the same DataFrame as on the SystemMap."""

from __future__ import annotations

import pandas as pd
import pytest

from graph.combine import combine_maps, propose_matches
from graph.store import Neo4jStore
from queries import answer
from tests.test_combine import group_maps
from tests.test_consensus import _map, _review

pytestmark = pytest.mark.neo4j


def test_consensus_and_status_are_the_same_on_files_and_neo4j(
    store: Neo4jStore, map_id: str
) -> None:
    m = _map()
    m.id = map_id
    for verdict in ("eens", "eens", "oneens"):
        _review(m, "ab", 1, "ouder", verdict)
    _review(m, "ab", 1, "jongere", "oneens")
    _review(m, "bc", 2, "professional", "neutraal")
    m.add_node("Session", "ouders", "Oudersessie", session_kind="oudersessie")
    m.add_node("Statement", "meten", "We moeten minder gaan meten en toetsen")
    m.add_record("votes", statement="meten", session="ouders", agree=6, neutral=2, disagree=0)
    store.load(m)
    for question in ("consensus", "status", "agenda"):
        for k in (None, 2):
            pd.testing.assert_frame_equal(
                answer(question, m, as_of_round=k),
                answer(question, store, map_id=map_id, as_of_round=k),
            )


def test_a_combined_map_has_the_same_consensus_in_neo4j(store: Neo4jStore, map_id: str) -> None:
    maps = group_maps()
    m = combine_maps(maps, propose_matches(maps), map_id=map_id).map
    store.load(m)
    pd.testing.assert_frame_equal(answer("consensus", m), answer("consensus", store, map_id=map_id))


def test_a_scenario_with_the_groups_own_weights_is_the_same_in_neo4j(
    store: Neo4jStore, map_id: str
) -> None:
    from queries.scenarios import answer as scenario
    from tests.test_combine import GroupMap, _one_link

    maps = [GroupMap(f"j{i}", "jongere", _one_link(f"j{i}", w)) for i, w in enumerate((0.2, 0.9))]
    maps.append(GroupMap("o", "ouder", _one_link("o", 0.8)))
    m = combine_maps(maps, propose_matches(maps), map_id=map_id).map
    store.load(m)
    for aggregate in (None, "median"):
        pd.testing.assert_frame_equal(
            scenario(m, {"a": 1.0}, compare=True, aggregate=aggregate),
            scenario(store, {"a": 1.0}, map_id=map_id, compare=True, aggregate=aggregate),
        )
