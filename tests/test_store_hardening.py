"""The store on a real server: values it cannot carry, ids that are not ids, an
export that runs nothing, and an honest answer when a commit's outcome is unknown."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.generate import generated_map
from graph.store import Neo4jStore, StoreError
from loaders import VLEUTEN, load_map
from versterkt.cli import main

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "scripts" / "neo4j-local"


def test_a_value_bolt_cannot_carry_is_one_error_and_writes_nothing(
    store: Neo4jStore, map_id: str
) -> None:
    m = load_map(VLEUTEN)
    m.id = map_id
    m.add_record("votes", statement="minder-meten-toetsen", session="sociale-kaart", agree=10**20)
    with pytest.raises(StoreError, match=f"map '{map_id}' has a value Neo4j cannot store"):
        store.load(m)
    assert map_id not in {row["id"] for row in store.maps()}


def test_an_id_that_is_not_an_id_never_reaches_the_database(store: Neo4jStore, map_id: str) -> None:
    m = SystemMap(map_id, "Kaart")
    m.add_node("Actor", "a" * 10_000, "A", actor_kind="groep")
    with pytest.raises(StoreError, match="too long"):
        store.load(m)
    assert map_id not in {row["id"] for row in store.maps()}


def test_db_export_writes_an_inert_csv(
    neo4j_uri: str, store: Neo4jStore, map_id: str, tmp_path: Path
) -> None:
    m = load_map(VLEUTEN)
    m.id = map_id
    m.add_node("Actor", "vijand", '=HYPERLINK("http://example.org","klik")', actor_kind="groep")
    store.load(m)
    out = tmp_path / "export"
    result = CliRunner().invoke(
        main, ["db", "export", "--uri", neo4j_uri, "--map-id", map_id, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    names = [
        row["naam"] for row in csv.DictReader(io.StringIO((out / "actoren.csv").read_text("utf-8")))
    ]
    assert '\'=HYPERLINK("http://example.org","klik")' in names
    assert load_map(out) == m


def test_a_server_that_dies_during_the_commit_leaves_the_outcome_unknown(
    tmp_path: Path,
) -> None:
    """A server of its own, killed when every statement of a load has been sent: the
    load says the outcome is unknown and that loading again is safe."""
    home = tmp_path / "home"
    password = "hardening-test"
    env = {**os.environ, "NEO4J_PASSWORD": password}

    def launcher(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(LAUNCHER), *args, "--home", str(home)],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )

    try:
        started = launcher("start", "--timeout", "300")
        assert started.returncode == 0, started.stderr
        uri = started.stdout.strip().splitlines()[-1]
        pid = int((home / "run" / "neo4j.pid").read_text())
        m = generated_map(nodes=300, links=1_500, seed=3, map_id="sterft")
        store = Neo4jStore(uri, password=password)

        def progress(done: int, total: int) -> None:
            if done == total:
                os.kill(pid, signal.SIGKILL)

        with pytest.raises(StoreError) as caught:
            store.load(m, progress=progress)
        store.close()
        assert str(caught.value) == (
            f"the connection to Neo4j at {uri} broke while map 'sterft' was being committed, "
            "so whether it was stored is unknown; loading it again is safe (it writes only "
            "what differs)"
        )
    finally:
        launcher("stop")
