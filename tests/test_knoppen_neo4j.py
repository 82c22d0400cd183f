"""Knoppen and archetype candidates of a map in Neo4j: the same answers as on the files."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from graph.generate import generated_map
from graph.store import Neo4jStore
from loaders import load_map
from queries import answer
from queries.archetypes import archetypes
from queries.knoppen import knoppen, knoppen_robustness, stored_knoppen_robustness
from tests.test_archetypes import plant
from tests.test_knoppen import observed_map
from versterkt.cli import main

pytestmark = pytest.mark.neo4j


def test_knoppen_in_neo4j_read_the_observations_and_equal_the_files(
    store: Neo4jStore, map_id: str
) -> None:
    m = observed_map()
    m.add_record("observations", id="w1", source="a", target="b", sign="+")
    m.id = map_id
    store.load(m)
    on_files = knoppen(m, samples=400, seed=3)
    in_neo4j = answer("knoppen", store, map_id=map_id, samples=400, seed=3)
    pd.testing.assert_frame_equal(in_neo4j, on_files, check_exact=True)
    assert in_neo4j.attrs["report"] == on_files.attrs["report"]
    assert on_files.attrs["report"].contradicting["w1"] > 0
    pd.testing.assert_frame_equal(
        stored_knoppen_robustness(store, map_id, samples=100),
        knoppen_robustness(m, samples=100),
        check_exact=True,
    )


def test_vleuten_knoppen_in_neo4j_and_on_the_command_line(
    store: Neo4jStore, map_id: str, neo4j_uri: str
) -> None:
    m = load_map()
    m.id = map_id
    store.load(m)
    pd.testing.assert_frame_equal(
        answer("knoppen", store, map_id=map_id, samples=300),
        answer("knoppen", m, samples=300),
        check_exact=True,
    )
    args = ["query", "knoppen", "--uri", neo4j_uri, "--map-id", map_id, "--lang", "en"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "cannot tell these 7 factors apart" in result.output


def test_archetype_candidates_in_neo4j_equal_the_files(store: Neo4jStore, map_id: str) -> None:
    m = generated_map(nodes=120, links=300, seed=5, map_id=map_id)
    plant(m, "shifting-the-burden", 5)
    store.load(m)
    on_files = archetypes(m)
    assert "shifting-the-burden" in set(on_files["archetype"])
    pd.testing.assert_frame_equal(
        answer("archetypes", store, map_id=map_id), on_files, check_exact=True
    )


def test_a_links_own_weight_range_is_read_from_neo4j(store: Neo4jStore, map_id: str) -> None:
    m = observed_map()
    m.id = map_id
    m.add_link("ku", "INFLUENCES", "k", "b", sign="+", weight_low=0.9, weight_high=1.0)
    store.load(m)
    on_files = knoppen(m, "uit", samples=200, seed=1)
    pd.testing.assert_frame_equal(
        answer("knoppen", store, map_id=map_id, target="uit", samples=200, seed=1),
        on_files,
        check_exact=True,
    )
    assert on_files["top_share"].iloc[0] == 1.0  # its range: first in every version
