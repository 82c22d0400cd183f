"""The model-based test with the Neo4j twin: every operation runs on the map in
memory, on the workbook and on the map in the real Neo4j server, and after each step
the three hold the same map and every question answers alike on files and Neo4j."""

from __future__ import annotations

from hypothesis.stateful import run_state_machine_as_test

from graph.store import Neo4jStore
from tests.model_based import RoundOfTheCycle, bounded


def test_rounds_of_the_cycle_on_files_and_neo4j_keep_every_invariant(store: Neo4jStore) -> None:
    class WithNeo4j(RoundOfTheCycle):
        pass

    WithNeo4j.store = store
    WithNeo4j.pages = False  # the pages are checked by the run on files
    run_state_machine_as_test(
        WithNeo4j,
        settings=bounded(8, 8),
    )
