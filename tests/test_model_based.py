"""The model-based test on files: random rounds of the cycle on a map kept as a
workbook, with every invariant of :mod:`tests.model_based` checked after each step.
The same machine runs against the real Neo4j server in test_model_based_neo4j.py."""

from __future__ import annotations

from hypothesis.stateful import run_state_machine_as_test

from tests.model_based import RoundOfTheCycle, bounded


def test_rounds_of_the_cycle_on_files_keep_every_invariant() -> None:
    run_state_machine_as_test(
        RoundOfTheCycle,
        settings=bounded(12, 10),
    )
