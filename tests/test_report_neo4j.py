"""The terugkoppeling of a map in Neo4j is the one of the same map on files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.store import Neo4jStore
from loaders import EXAMPLE_CYCLE, load_map
from versterkt.cli import main
from views.report import render_report

pytestmark = pytest.mark.neo4j

DAY = dt.date(2026, 5, 1)


@pytest.mark.parametrize("k", [1, 2])
def test_the_report_from_neo4j_is_the_report_from_the_workbook(
    store: Neo4jStore, map_id: str, k: int
) -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    m.rounds[1]["introduction"] = "Welkom <allemaal> & dank."
    m.id = map_id
    store.load(m)
    assert render_report(store.read(map_id), k, today=DAY) == render_report(m, k, today=DAY)


def test_the_command_reads_the_map_from_neo4j(
    store: Neo4jStore, map_id: str, neo4j_uri: str, tmp_path: Path
) -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    m.id = map_id
    store.load(m)
    out = tmp_path / "verslag.html"
    result = CliRunner().invoke(
        main, ["verslag", "--uri", neo4j_uri, "--map-id", map_id, "--round", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Wat is er veranderd: ronde 1 → ronde 2" in out.read_text(encoding="utf-8")
