"""Scenarios on a map in Neo4j: its concept links read in Cypher, the same answer."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from graph import SystemMap
from graph.store import Neo4jStore
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from queries import cypher, scenarios
from queries._common import INFLUENCE_KINDS
from versterkt.cli import main


def loaded(store: Neo4jStore, m: SystemMap, map_id: str) -> SystemMap:
    m.id = map_id
    store.load(m)
    return m


def test_a_scenario_in_neo4j_equals_the_one_on_the_files(store: Neo4jStore, map_id: str) -> None:
    m = loaded(store, load_map(EXAMPLE_CYCLE / "ronde-2"), map_id)
    turn = {"meten-en-toetsen": 1.0, "sociale-media": -0.5}
    on_files = scenarios.scenario_by_perspective(m, turn, draws=300, seed=3)
    in_neo4j = scenarios.stored_scenario_by_perspective(store, map_id, turn, draws=300, seed=3)
    pd.testing.assert_frame_equal(on_files, in_neo4j, check_exact=True)
    assert (on_files["direction"] == "uncertain").any()  # draws decide some of it
    both_rounds = {"meten-en-toetsen": -1.0, "individualisme": 1.0}
    for k in (1, 2):
        pd.testing.assert_frame_equal(
            scenarios.scenario(m, both_rounds, perspective="ouder", as_of_round=k, draws=50),
            scenarios.answer(store, both_rounds, perspective="ouder", as_of_round=k, draws=50,
                             map_id=map_id),
            check_exact=True,
        )  # fmt: skip


def test_the_concept_links_come_from_cypher(store: Neo4jStore, map_id: str) -> None:
    m = loaded(store, load_map(VLEUTEN), map_id)
    source = cypher.StoreSource(store, map_id)
    nodes, links = source.nodes(INFLUENCE_KINDS, None), source.links(("INFLUENCES",), None)
    on_files = scenarios.concept_map(m)
    assert scenarios.stored_concept_map(store, map_id) == on_files
    assert {link["id"] for link in links} == {link.id for link in m.links("INFLUENCES")}
    assert {n["kind"] for n in nodes} == {"Actor", "Factor"}


def test_the_command_says_the_same_from_neo4j(store: Neo4jStore, map_id: str) -> None:
    loaded(store, load_map(VLEUTEN), map_id)
    args = ["scenario", "--turn", "verwachtingen-ouders=-1", "--draws", "100", "--format", "json"]
    on_files = CliRunner().invoke(main, args)
    uri = ["--uri", store.uri, "--map-id", map_id]
    in_neo4j = CliRunner().invoke(main, [*args, *uri])
    assert on_files.exit_code == in_neo4j.exit_code == 0, in_neo4j.output
    assert json.loads(on_files.output) == json.loads(in_neo4j.output)


def test_a_weight_that_is_no_size_in_neo4j_is_an_error_in_one_line(
    store: Neo4jStore, map_id: str, english_output: None
) -> None:
    """A map written to Neo4j by other means may hold a weight of NaN: the scenario
    says which link, rather than take it for unknown or answer "unchanged"."""
    m = SystemMap(map_id, "Kaart")
    for f in ("knop", "a", "doel"):
        m.add_node("Factor", f, f.title(), level="persoon", role="bron")
    m.add_link("knop-a", "INFLUENCES", "knop", "a", sign="+", weight=float("nan"))
    m.add_link("a-doel", "INFLUENCES", "a", "doel", sign="+")
    store.load(m)
    args = ["scenario", "--turn", "knop=1", "--uri", store.uri, "--map-id", map_id]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: link 'knop-a' has weight nan: a weight is a finite number above 0, or empty "
        "when it is unknown"
    ]
    result = CliRunner().invoke(main, [*args, "--seed", "-1"])
    assert result.output.splitlines() == [
        "Error: the seed must be a whole number of at least 0, not -1"
    ]
